import type { Edit, Position, Range, Span } from './types';

/** Maps UTF-16 offsets to 0-based line/character positions and back. */
export class LineIndex {
  private readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }
  get lineCount(): number {
    return this.starts.length;
  }
  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }
  /** End of the line's content, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let e = this.starts[line + 1];
    if (this.text.charCodeAt(e - 1) === 10) e--;
    if (this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }
  /** The line of an offset: positionAt(offset).line, without the Position. */
  lineAt(offset: number): number {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  positionAt(offset: number): Position {
    offset = Math.max(0, Math.min(offset, this.text.length));
    const line = this.lineAt(offset);
    return { line, character: offset - this.starts[line] };
  }
  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.starts.length) return this.text.length;
    return Math.min(this.starts[pos.line] + Math.max(0, pos.character), this.lineEnd(pos.line));
  }
  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }
  /** The line break the text uses most ("\r\n" or "\n"). */
  get eol(): string {
    const crlf = this.text.indexOf('\r\n');
    return crlf >= 0 ? '\r\n' : '\n';
  }
}

/** True when no two edits overlap (touching insertions at one point are allowed once). */
export function editsOverlap(a: Edit[], b: Edit[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (x.start < y.end && y.start < x.end) return true;
      if (x.start === x.end && y.start === y.end && x.start === y.start) return true;
      if (x.start === x.end && x.start > y.start && x.start < y.end) return true;
      if (y.start === y.end && y.start > x.start && y.start < x.end) return true;
    }
  }
  return false;
}

/** Applies non-overlapping edits (offsets into the original text). */
export function applyEdits(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/**
 * Messages and fix titles are written with `code` spans; the places that show them (the
 * Problems list, quick-fix menus, notifications, terminals, SARIF text) are plain text, so code
 * is shown in quotes there. Hovers keep the Markdown.
 */
export function plainText(s: string): string {
  // By hand rather than with replace(/`([^`\n]*)`/g, '“$1”'), the same rule: this runs for
  // every finding. A backtick with no closing one before the line ends stays as it is.
  let i = s.indexOf('`');
  if (i < 0) return s;
  let out = '';
  let last = 0;
  let nl = s.indexOf('\n');
  while (i >= 0) {
    const j = s.indexOf('`', i + 1);
    if (j < 0) break;
    if (nl >= 0 && nl < i) nl = s.indexOf('\n', i + 1);
    if (nl >= 0 && nl < j) {
      // Not a code span: the next one may start at j.
      i = j;
      continue;
    }
    out += s.slice(last, i) + '\u201C' + s.slice(i + 1, j) + '\u201D';
    last = j + 1;
    i = s.indexOf('`', last);
  }
  return last === 0 ? s : out + s.slice(last);
}
