/**
 * Renders fix intents for a docker/podman/nerdctl command line as minimal
 * edits that keep its style: `--opt value` or `--opt=value`, one option per
 * continuation line or all on one line, the file's line breaks and the
 * continuation character in use.
 */
import type { Word } from '../dockercli';
import type { Intent, Launch, LaunchWriter, Option } from '../launch';
import type { Edit } from '../types';
import { lookupTable } from '../table';

interface OptRef {
  words: number[];
  eq?: boolean;
  bundled?: boolean;
  char?: number;
}

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

  function optionWords(launch: Launch): Word[] {
    return ((launch.ref as { words?: Word[] })?.words ?? []) as Word[];
  }

  function removeOption(launch: Launch, o: Option): Edit | null {
    const ref = o.ref as OptRef | undefined;
    const words = optionWords(launch);
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

  function render(launch: Launch, intents: Intent[]): Edit[] | null {
    const edits: Edit[] = [];
    const words = optionWords(launch);
    const adds: string[] = [];
    const eqStyle = launch.options.filter((o) => o.spelled.startsWith('--') && o.valueSpan).some((o) => (o.ref as OptRef)?.eq) &&
      launch.options.filter((o) => o.spelled.startsWith('--') && o.valueSpan).every((o) => (o.ref as OptRef)?.eq);
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
          const ref = o.ref as OptRef | undefined;
          if (!ref || ref.bundled) return null;
          const w = words[ref.words[0]];
          if (!w) return null;
          const flagEnd = ref.eq ? w.span.start + o.spelled.length : w.span.end;
          edits.push({ start: w.span.start, end: flagEnd, newText: it.name });
          if (it.value !== undefined && o.valueSpan) {
            const raw = text.slice(o.valueSpan.start, o.valueSpan.end);
            const quoted = raw.length > 1 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0];
            edits.push({ start: o.valueSpan.start, end: o.valueSpan.end, newText: quoted ? raw[0] + it.value + raw[0] : quoteIfNeeded(it.value) });
          }
          break;
        }
        case 'edits':
          edits.push(...it.edits);
          break;
      }
    }
    if (adds.length) {
      const at = launch.anchor.end;
      // A command written one option per continuation line gets new lines in the same style:
      // they go before the first word that starts a line of its own.
      const imageIndex = (launch.ref as { imageIndex?: number })?.imageIndex ?? words.length;
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
  return { render };
}
