/**
 * Renders fix intents for a docker/podman/nerdctl command line as minimal
 * edits that keep its style: `--opt value` or `--opt=value`, one option per
 * continuation line or all on one line, the file's line breaks and the
 * continuation character in use.
 */
import { launchWords, optionWords, type Word } from '../dockercli';
import { bindPortEdit } from '../mounts';
import type { Intent, Launch, LaunchWriter, Option } from '../launch';
import type { Edit } from '../types';
import { lookupTable } from '../table';

const FLAG_FOR: Record<string, string> = lookupTable({
  'cap-drop': '--cap-drop',
  'security-opt': '--security-opt',
  user: '--user',
  memory: '--memory',
  cpus: '--cpus',
  'pids-limit': '--pids-limit',
  'read-only': '--read-only',
  tmpfs: '--tmpfs',
});

function quoteIfNeeded(v: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/** How a command line spells a setting: `--cap-drop ALL`, `--user`. */
export function spellFlag(name: string, value?: string): string {
  const flag = FLAG_FOR[name] ?? `--${name}`;
  return value === undefined || value === 'true' ? flag : `${flag} ${value}`;
}

/**
 * The writer of a command line that cannot be edited as shell text (a Dockerfile RUN in exec
 * form): it spells settings for messages and renders no fix.
 */
export const READ_ONLY_COMMAND_WRITER: LaunchWriter = { render: () => null, spell: spellFlag };

function lineStartOf(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

export function shellWriter(text: string, escape: string): LaunchWriter {
  const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

  /** True when a continuation (escape char + line break) starts at pos. */
  const continuationAt = (pos: number) => text[pos] === escape && (text[pos + 1] === '\n' || (text[pos + 1] === '\r' && text[pos + 2] === '\n'));

  function removeSpan(start: number, end: number): Edit {
    // Alone on a continuation line: drop the whole line.
    const ls = lineStartOf(text, start);
    let a = end;
    while (isBlank(text[a])) a++;
    if (text.slice(ls, start).trim() === '' && continuationAt(a)) {
      let e = a + 1;
      if (text[e] === '\r') e++;
      return { start: ls, end: e + 1, newText: '' };
    }
    // Followed by another word on the same line: take the blanks after it.
    if (a > end && !continuationAt(a) && a < text.length && text[a] !== '\n' && text[a] !== '\r' && text[a] !== ';' && text[a] !== '|' && text[a] !== '&' && text[a] !== ')') {
      return { start, end: a, newText: '' };
    }
    // Otherwise take the blanks before it (and a continuation that would dangle).
    let b = start;
    while (b > 0 && isBlank(text[b - 1])) b--;
    if (b === ls && b > 0) {
      // The option starts its line and ends the command: remove the previous line's continuation.
      let p = b - 1;
      if (text[p] === '\n') p--;
      if (text[p] === '\r') p--;
      if (text[p] === escape) {
        let q = p;
        while (q > 0 && isBlank(text[q - 1])) q--;
        return { start: q, end, newText: '' };
      }
    }
    return { start: b, end, newText: '' };
  }

  function wordsOf(launch: Launch): Word[] {
    return launchWords(launch)?.words ?? [];
  }

  function removeOption(launch: Launch, o: Option): Edit | null {
    const ref = optionWords(o);
    const words = wordsOf(launch);
    if (!ref || !ref.words.length) return null;
    const first = words[ref.words[0]];
    const last = words[ref.words[ref.words.length - 1]];
    if (!first || !last) return null;
    if (ref.bundled && ref.char !== undefined) {
      // -itP: drop one letter (and its value word, if it took one).
      const flagWordText = text.slice(first.span.start, first.span.end);
      if (ref.words.length === 1 && o.value === 'true') {
        if (flagWordText.length <= 2) return removeSpan(first.span.start, first.span.end);
        return { start: first.span.start + ref.char, end: first.span.start + ref.char + 1, newText: '' };
      }
      return null;
    }
    return removeSpan(first.span.start, last.span.end);
  }

  /** `-p 8080:80` → `-p 127.0.0.1:8080:80`; a host address already there is replaced. */
  function bindPort(o: Option, address: string): Edit | null {
    return bindPortEdit(text, o, address);
  }

  /** `docker daemon` → `dockerd`; `docker -d …` → `dockerd …` (not when -d is bundled with other letters). */
  function useDockerd(launch: Launch): Edit[] | null {
    const a = launch.anchor;
    if (launch.subcommand === 'daemon') return /^docker\s+daemon$/.test(text.slice(a.start, a.end)) ? [{ start: a.start, end: a.end, newText: 'dockerd' }] : null;
    const flag = launchWords(launch)?.daemonFlag;
    if (!flag || text.slice(a.start, a.start + launch.tool.length) !== 'docker' || optionWords(flag)?.bundled) return null;
    let s = flag.span.start;
    while (s > 0 && (text[s - 1] === ' ' || text[s - 1] === '\t')) s--;
    return [{ start: a.start, end: a.start + launch.tool.length, newText: 'dockerd' }, { start: s, end: flag.span.end, newText: '' }];
  }

  function render(launch: Launch, intents: Intent[]): Edit[] | null {
    const edits: Edit[] = [];
    const words = wordsOf(launch);
    const adds: string[] = [];
    const eqStyle = launch.options.filter((o) => o.spelled.startsWith('--') && o.valueSpan).some((o) => optionWords(o)?.eq) &&
      launch.options.filter((o) => o.spelled.startsWith('--') && o.valueSpan).every((o) => optionWords(o)?.eq);
    for (const it of intents) {
      switch (it.type) {
        case 'add': {
          const flag = FLAG_FOR[it.name] ?? `--${it.name}`;
          if (it.value === undefined) adds.push(flag);
          else adds.push(eqStyle ? `${flag}=${quoteIfNeeded(it.value)}` : `${flag} ${quoteIfNeeded(it.value)}`);
          break;
        }
        case 'remove': {
          const e = removeOption(launch, it.option);
          if (!e) return null;
          edits.push(e);
          break;
        }
        case 'mount-readonly': {
          const o = it.option;
          if (!o.valueSpan || !o.mount) return null;
          const raw = text.slice(o.valueSpan.start, o.valueSpan.end);
          let end = o.valueSpan.end;
          const q = raw[raw.length - 1];
          if ((q === '"' || q === "'") && raw.length > 1) end--;
          if (o.mount.style === 'mount') {
            const m = /(,\s*)(readonly|ro)=(false|0)\b/.exec(raw);
            if (m) edits.push({ start: o.valueSpan.start + m.index + m[1].length, end: o.valueSpan.start + m.index + m[0].length, newText: 'readonly' });
            else edits.push({ start: end, end, newText: ',readonly' });
          } else {
            const m = /([:,])rw(?=$|,|["'])/.exec(raw);
            if (m) edits.push({ start: o.valueSpan.start + m.index + 1, end: o.valueSpan.start + m.index + 3, newText: 'ro' });
            else {
              const parts = o.value.split(':').length;
              edits.push({ start: end, end, newText: parts >= 3 ? ',ro' : ':ro' });
            }
          }
          break;
        }
        case 'set-value': {
          const o = it.option;
          if (!o.valueSpan) return null;
          edits.push({ start: o.valueSpan.start, end: o.valueSpan.end, newText: quoteIfNeeded(it.value) });
          break;
        }
        case 'rename': {
          const o = it.option;
          const ref = optionWords(o);
          if (!ref || ref.bundled) return null;
          const w = words[ref.words[0]];
          if (!w) return null;
          const flagEnd = ref.eq ? w.span.start + o.spelled.length : w.span.end;
          edits.push({ start: w.span.start, end: flagEnd, newText: `--${it.name}` });
          if (it.value !== undefined && o.valueSpan) {
            const raw = text.slice(o.valueSpan.start, o.valueSpan.end);
            const quoted = raw.length > 1 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
            edits.push({ start: o.valueSpan.start, end: o.valueSpan.end, newText: quoted ? raw[0] + it.value + raw[0] : quoteIfNeeded(it.value) });
          }
          break;
        }
        case 'bind-port': {
          const e = bindPort(it.option, it.address);
          if (!e) return null;
          edits.push(e);
          break;
        }
        case 'use-dockerd': {
          const e = useDockerd(launch);
          if (!e) return null;
          edits.push(...e);
          break;
        }
        default:
          return null;
      }
    }
    if (adds.length) {
      const at = launch.anchor.end;
      // A command written one option per continuation line gets new lines in the same style:
      // they go before the first word that starts a line of its own.
      const imageIndex = launchWords(launch)?.imageIndex ?? words.length;
      let lineLead: Word | undefined;
      let prevEnd = at;
      let continued = false;
      for (let k = 0; k < words.length && k <= imageIndex; k++) {
        const w = words[k];
        if (w.span.start < at) continue;
        const gap = text.slice(prevEnd, w.span.start);
        if (gap.includes(escape + '\n') || gap.includes(escape + '\r\n')) continued = true;
        const nl = gap.lastIndexOf('\n');
        if (continued && nl >= 0 && gap.slice(nl + 1).trim() === '') {
          lineLead = w;
          break;
        }
        prevEnd = w.span.end;
      }
      if (lineLead) {
        const ls = lineStartOf(text, lineLead.span.start);
        const indent = text.slice(ls, lineLead.span.start);
        const eol = text[ls - 2] === '\r' ? '\r\n' : '\n';
        const lines = adds.map((a) => `${indent}${a} ${escape}${eol}`).join('');
        edits.push({ start: ls, end: ls, newText: lines });
      } else {
        edits.push({ start: at, end: at, newText: ' ' + adds.join(' ') });
      }
    }
    return edits;
  }
  return { render, spell: spellFlag };
}
