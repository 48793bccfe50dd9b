/**
 * From words to meaning: what a shell word stands for once quotes and escapes
 * are gone (its "shape"), and which program a command's words run once
 * wrappers such as sudo, env or nohup are looked through.
 */
import type { Word } from '../dockercli';
import { UNKNOWN } from '../launch';
import type { Span } from '../types';
import { lookupTable } from '../table';
import type { Assign, Cmd } from '../model';

/** Variables whose unquoted expansion is taken for several options (`docker run $OPTS image`). */
const OPTION_SPLAT = /^(?:@|\*|[A-Za-z_]*(?:OPTS?|OPTIONS|ARGS?|ARGUMENTS|FLAGS|PARAMS?|EXTRA)[A-Za-z0-9_]*)$/i;

export function unescapeUnquoted(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(\r?\n)/g, '').replace(/\\(.)/g, '$1');
}

/** Inside double quotes a backslash escapes only `$`, a backquote, `"`, a backslash and a line break. */
export function unescapeDouble(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(\r?\n)/g, '').replace(/\\([$`"\\])/g, '$1');
}

/**
 * The shape of a word node that is read from its text alone: every type but
 * `string` and `concatenation` (whose parts are read one by one). What expands
 * at run time is UNKNOWN.
 */
export function textShape(type: string, text: string): string {
  switch (type) {
    case 'word':
    case 'number': {
      const s = unescapeUnquoted(text);
      // `~/x` and `~user/x`: the home directory is not known.
      return s.startsWith('~') ? UNKNOWN + s.slice(1).replace(/^[^/]*/, '') : s;
    }
    case 'raw_string':
      return text.slice(1, -1);
    case 'ansi_c_string':
      return text.slice(2, -1).replace(/\\(.)/g, '$1');
    default:
      return UNKNOWN;
  }
}

/** Whether an unquoted `$NAME` or `${…}` may expand to several options: `$@`, `$OPTS`, `${arr[@]}`. */
export function expansionSplat(text: string): boolean {
  const m = /^\$\{?#?!?([A-Za-z_@*][A-Za-z0-9_]*|[@*])/.exec(text);
  return OPTION_SPLAT.test(m?.[1] ?? '') || /\[[@*]\]/.test(text);
}

/** Whether a quoted expansion, alone in its string, expands to several words: `"$@"`, `"${arr[@]}"`. */
export function quotedSplat(text: string): boolean {
  return /^\$[@*]$|^\$\{[^}]*\[[@*]\]\}$/.test(text);
}

const WRAPPERS: Record<string, { value: Set<string>; stopAt?: Set<string> }> = lookupTable({
  sudo: { value: new Set(['-u', '-g', '-C', '-h', '-p', '-r', '-t', '-U', '-D', '-T', '--user', '--group', '--chdir']) },
  doas: { value: new Set(['-u', '-C']) },
  exec: { value: new Set(['-a']) },
  command: { value: new Set(), stopAt: new Set(['-v', '-V']) },
  nohup: { value: new Set() },
  time: { value: new Set(['-f', '-o']) },
  nice: { value: new Set(['-n', '--adjustment']) },
  ionice: { value: new Set(['-c', '-n', '--class', '--classdata']) },
  stdbuf: { value: new Set(['-i', '-o', '-e']) },
  env: { value: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']) },
  timeout: { value: new Set(['-s', '-k', '--signal', '--kill-after']) },
  setsid: { value: new Set() },
  unbuffer: { value: new Set() },
  busybox: { value: new Set() },
});

function baseName(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

/** Builds a Cmd from its words (program name first), looking through wrappers such as sudo and env. */
export function commandFromWords(words: Word[], span: Span, assigns: Assign[]): Cmd | undefined {
  const wrappers: string[] = [];
  const wrapperSpans: Span[] = [];
  let i = 0;
  // Look through wrappers: sudo -E docker run …, env A=1 docker run …
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    const name = baseName(words[i].shape);
    const w = WRAPPERS[name];
    if (!w) break;
    let j = i + 1;
    let stop = false;
    while (j < words.length) {
      const s = words[j].shape;
      if (w.stopAt?.has(s)) {
        stop = true;
        break;
      }
      if (s === '--') {
        j++;
        break;
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(s)) {
        const eq = s.indexOf('=');
        assigns.push({ name: s.slice(0, eq), value: s.slice(eq + 1), span: words[j].span, exported: true });
        j++;
        continue;
      }
      if (name === 'sudo' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(s)) {
        j++;
        continue;
      }
      if (s.startsWith('-') && s.length > 1) {
        j += w.value.has(s) ? 2 : 1;
        continue;
      }
      if (name === 'timeout' || (name === 'nice' && /^-?\d+$/.test(s))) {
        // the duration
        j++;
      }
      break;
    }
    if (stop) return undefined;
    wrappers.push(name);
    wrapperSpans.push(words[i].span);
    i = j;
  }
  if (i >= words.length) return undefined;
  const prog = words[i];
  if (prog.shape.includes(UNKNOWN)) return undefined;
  const cmd: Cmd = {
    name: baseName(prog.shape),
    nameSpan: prog.span,
    args: words.slice(i + 1),
    span,
    wrappers,
    wrapperSpans,
    assigns,
    substitutions: [],
  };
  return cmd;
}
