/**
 * Command-line options written inside a string of another file: a workflow container's `options`
 * (split by the runner's argument parser: double quotes only) and a Quadlet unit's `PodmanArgs`
 * (systemd's splitting: single and double quotes, backslash escapes). The words keep their exact
 * place in the file, are read by the one option grammar (dockercli), and are edited by the
 * helpers below only where the file holds them exactly as they read.
 */
import { optionWords, parseRunOptions, type Word } from '../dockercli';
import { UNKNOWN, type Intent, type Option } from '../launch';
import { bindPortEdit } from '../mounts';
import type { Edit } from '../types';
import { fileSpan, type MappedText } from './mapped';

export interface SplitStyle {
  /** systemd reads '…' as quotes and a backslash as an escape; the runner only "…" and \". */
  systemd: boolean;
}

export interface ArgWords {
  words: Word[];
  /** Per word: the file holds it exactly as it reads (no quotes, escapes or unknown parts). */
  exact: boolean[];
}

const SYSTEMD_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', s: ' ' };

/** Splits a value into words. Characters equal to UNKNOWN stand for parts known only later. */
export function splitArgs(m: MappedText, fileText: string, style: SplitStyle): ArgWords {
  const s = m.text;
  const words: Word[] = [];
  const exact: boolean[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (i >= s.length) break;
    const start = i;
    let shape = '';
    let quoted = false;
    while (i < s.length && !/\s/.test(s[i])) {
      const c = s[i];
      if (c === '"' || (c === "'" && style.systemd)) {
        quoted = true;
        const close = c === '"' && !style.systemd ? closingDoubleQuote(s, i + 1) : s.indexOf(c, i + 1);
        const end = close < 0 ? s.length : close;
        shape += unescape(s.slice(i + 1, end), c === '"' ? style : { systemd: false });
        i = end + 1;
        continue;
      }
      if (c === '\\' && i + 1 < s.length) {
        const n = s[i + 1];
        if (style.systemd) {
          shape += SYSTEMD_ESCAPES[n] ?? n;
          i += 2;
          continue;
        }
        if (n === '"') {
          shape += '"';
          i += 2;
          continue;
        }
      }
      shape += c;
      i++;
    }
    const span = fileSpan(m, start, Math.min(i, s.length));
    const whole = shape.length > 0 && [...shape].every((ch) => ch === UNKNOWN);
    words.push({ shape, span, splat: whole && !quoted });
    exact.push(!shape.includes(UNKNOWN) && fileText.slice(span.start, span.end) === shape);
  }
  return { words, exact };
}

function closingDoubleQuote(s: string, from: number): number {
  for (let k = from; k < s.length; k++) {
    if (s[k] === '\\' && s[k + 1] === '"') k++;
    else if (s[k] === '"') return k;
  }
  return -1;
}

function unescape(s: string, style: SplitStyle): string {
  if (!s.includes('\\')) return s;
  if (!style.systemd) return s.replace(/\\"/g, '"');
  return s.replace(/\\(.)/g, (_m, n: string) => SYSTEMD_ESCAPES[n] ?? n);
}

export interface ArgOptions extends ArgWords {
  options: Option[];
  /** Options may hide behind a word known only later (`${{ matrix.opts }}`, `$OPTS`). */
  opaque: boolean;
}

/**
 * The options of a split string. An option whose value shares a word with its flag
 * (`--cap-add=X`, `-p8080:80`) gets its value's exact place when that word is written as it
 * reads; otherwise its value is located at the whole word (and writers leave it alone).
 */
export function readArgOptions(a: ArgWords): ArgOptions {
  const p = parseRunOptions(a.words);
  for (const o of p.options) {
    const at = optionWords(o);
    if (!at || !o.valueSpan) continue;
    const first = at.words[0];
    if (at.words.length === 1 && !a.exact[first]) o.valueSpan = a.words[first].span;
  }
  return { ...a, options: p.options, opaque: p.opaque || p.rest < a.words.length };
}

/** True when every word of the option is written in the file as it reads. */
export function optionExact(o: Option, a: ArgWords): boolean {
  const at = optionWords(o);
  return !!at && at.words.length > 0 && at.words.every((k) => a.exact[k]);
}

/** Whitespace, or a line continuation (a unit file's `\` at a line end), between two words. */
const GAP = /^(?:\s|\\\r?\n)*$/;

/**
 * Removes words [i, j] from the string, with the blanks that separate them from their neighbours:
 * the gap before them when there is a word before, else the gap after. Null when the gap holds
 * anything but blanks and line continuations (a YAML escape, a comment), or when no word would
 * be left (the caller removes the whole setting instead).
 */
export function removeWords(fileText: string, a: ArgWords, i: number, j: number): Edit | null {
  const words = a.words;
  if (i === 0 && j === words.length - 1) return null;
  for (let k = i; k <= j; k++) if (!a.exact[k]) return null;
  if (i > 0) {
    const start = words[i - 1].span.end;
    if (!GAP.test(fileText.slice(start, words[i].span.start))) return null;
    return { start, end: words[j].span.end, newText: '' };
  }
  const end = words[j + 1].span.start;
  if (!GAP.test(fileText.slice(words[j].span.end, end))) return null;
  return { start: words[i].span.start, end, newText: '' };
}

/** `quote(value)` writes a value into the string it stands in (null when it cannot be written there). */
export type Quote = (value: string) => string | null;

/** A plain word needs no quoting in any of these strings; others are not written. */
export const plainOnly: Quote = (v) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(v) ? v : null);

/**
 * Edits inside the words of one option (its value set, its flag renamed, a mount made read-only,
 * a port bound to one address). Null when the option's words are not written as they read.
 */
export function wordEdits(fileText: string, a: ArgWords, it: Intent, quote: Quote): Edit[] | null {
  if (it.type !== 'set-value' && it.type !== 'rename' && it.type !== 'mount-readonly' && it.type !== 'bind-port') return null;
  const o = it.option;
  if (!optionExact(o, a)) return null;
  const at = optionWords(o)!;
  switch (it.type) {
    case 'set-value': {
      const v = quote(it.value);
      if (!o.valueSpan || v === null) return null;
      return [{ start: o.valueSpan.start, end: o.valueSpan.end, newText: v }];
    }
    case 'rename': {
      if (at.bundled) return null;
      const w = a.words[at.words[0]];
      const flagEnd = at.eq ? w.span.start + o.spelled.length : w.span.end;
      const edits: Edit[] = [{ start: w.span.start, end: flagEnd, newText: `--${it.name}` }];
      if (it.value !== undefined) {
        const v = quote(it.value);
        if (!o.valueSpan || v === null) return null;
        edits.push({ start: o.valueSpan.start, end: o.valueSpan.end, newText: v });
      }
      return edits;
    }
    case 'mount-readonly': {
      const e = o.valueSpan ? readonlyEdit(fileText, o) : null;
      return e ? [e] : null;
    }
    case 'bind-port': {
      const e = bindPortEdit(fileText, o, it.address);
      return e ? [e] : null;
    }
  }
}

/** Makes a `-v`/`Volume` short spec or a `--mount`/`Mount` spec read-only, in its own syntax. */
export function readonlyEdit(fileText: string, o: Option): Edit | null {
  const vs = o.valueSpan;
  if (!vs || !o.mount) return null;
  const raw = fileText.slice(vs.start, vs.end);
  if (o.mount.style === 'mount') {
    const m = /(,\s*)(readonly|ro)=(false|0)\b/.exec(raw);
    if (m) return { start: vs.start + m.index + m[1].length, end: vs.start + m.index + m[0].length, newText: 'readonly' };
    return { start: vs.end, end: vs.end, newText: ',readonly' };
  }
  const m = /([:,])rw(?=$|,)/.exec(raw);
  if (m) return { start: vs.start + m.index + 1, end: vs.start + m.index + 3, newText: 'ro' };
  return { start: vs.end, end: vs.end, newText: o.value.split(':').length >= 3 ? ',ro' : ':ro' };
}
