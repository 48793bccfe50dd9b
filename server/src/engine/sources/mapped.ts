/**
 * Text taken out of a file and decoded (a YAML scalar's value, a JSON string, a unit file's value
 * joined over its continuation lines), together with where each of its characters stands in the
 * file: whatever a reader finds in the value maps back to the file exactly, and a writer can tell
 * whether a part of the value is written in the file as it reads (no escape, fold or quote in
 * between) before it edits there.
 */
import type { Span } from '../types';

export interface MappedText {
  text: string;
  /** File offset of each character's first source character. */
  from: number[];
  /** File offset after each character's last source character. */
  to: number[];
  /** File offset where the value ends (for an empty span at its end). */
  end: number;
}

/** Builds a MappedText one decoded character at a time. */
export class MappedBuilder {
  private parts: string[] = [];
  private readonly from: number[] = [];
  private readonly to: number[] = [];
  /** Appends decoded text whose characters come from [start, end) of the file (each from the whole range). */
  push(s: string, start: number, end: number): void {
    for (let k = 0; k < s.length; k++) {
      this.from.push(start);
      this.to.push(end);
    }
    this.parts.push(s);
  }
  /** Appends file text that stands for itself, from `start`. */
  same(s: string, start: number): void {
    for (let k = 0; k < s.length; k++) {
      this.from.push(start + k);
      this.to.push(start + k + 1);
    }
    this.parts.push(s);
  }
  get length(): number {
    return this.from.length;
  }
  /** Drops characters from the end (YAML chomping). */
  truncate(n: number): void {
    const text = this.parts.join('').slice(0, n);
    this.parts = [text];
    this.from.length = n;
    this.to.length = n;
  }
  finish(end: number): MappedText {
    return { text: this.parts.join(''), from: this.from, to: this.to, end };
  }
}

/** A stretch of the file that reads as itself. */
export function sameText(fileText: string, start: number, end: number): MappedText {
  const b = new MappedBuilder();
  b.same(fileText.slice(start, end), start);
  return b.finish(end);
}

/** The file span of the value's characters [start, end). */
export function fileSpan(m: MappedText, start: number, end: number): Span {
  if (end <= start) {
    const at = start < m.from.length ? m.from[start] : m.end;
    return { start: at, end: at };
  }
  return { start: m.from[start], end: m.to[Math.min(end, m.to.length) - 1] };
}

/** True when the file holds the value's characters [start, end) exactly as they read. */
export function verbatim(m: MappedText, fileText: string, start: number, end: number): boolean {
  const s = fileSpan(m, start, end);
  return fileText.slice(s.start, s.end) === m.text.slice(start, end);
}

const JSON_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** The value of the JSON string literal at [start, end) of the file (quotes included). */
export function jsonStringText(fileText: string, start: number, end: number): MappedText {
  const b = new MappedBuilder();
  let i = start + 1;
  const stop = fileText[end - 1] === '"' && end - 1 > start ? end - 1 : end;
  while (i < stop) {
    const c = fileText[i];
    if (c !== '\\') {
      b.same(c, i);
      i++;
      continue;
    }
    const n = fileText[i + 1];
    if (n === 'u' && /^[0-9a-fA-F]{4}$/.test(fileText.slice(i + 2, i + 6))) {
      b.push(String.fromCharCode(parseInt(fileText.slice(i + 2, i + 6), 16)), i, i + 6);
      i += 6;
    } else if (n !== undefined && JSON_ESCAPES[n] !== undefined) {
      b.push(JSON_ESCAPES[n], i, i + 2);
      i += 2;
    } else {
      b.same(c, i);
      i++;
    }
  }
  return b.finish(stop);
}

/**
 * Replaces the parts of a value that are only known later (`${{ … }}` workflow expressions,
 * `${localEnv:X}` devcontainer variables, `%i` unit specifiers) by a placeholder of the same
 * length, so offsets stay as they are: `fill` makes it (UNKNOWN for option values, a shell
 * variable for a script).
 */
export function maskUnknown(m: MappedText, pattern: RegExp, fill: (length: number) => string): MappedText {
  if (!pattern.test(m.text)) return m;
  pattern.lastIndex = 0;
  const text = m.text.replace(pattern, (s) => fill(s.length));
  return { ...m, text };
}

/** Characters [start, end) of a value, still mapped to the file. */
export function sliceMapped(m: MappedText, start: number, end: number): MappedText {
  const e = Math.min(end, m.text.length);
  const s = Math.min(start, e);
  return { text: m.text.slice(s, e), from: m.from.slice(s, e), to: m.to.slice(s, e), end: e < m.text.length ? m.from[e] : m.end };
}
