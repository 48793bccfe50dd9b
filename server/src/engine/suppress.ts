/**
 * Suppression comments:
 *   # harden-ignore: id[, id…] [-- reason]       on the line before a finding, or at the end of its line
 *   # harden-ignore-file: id[, id…] [-- reason]  anywhere (by convention near the top): the whole file
 * written with the file's own comment marker: `#`, `//` in devcontainer.json, `#` or `;` in a unit file.
 */
import type { LineIndex } from './text';
import type { Span } from './types';

export interface SuppressionId {
  id: string;
  span: Span;
}

export interface Suppressions {
  /** Line → ids silenced on that line. */
  byLine: Map<number, Set<string>>;
  file: Set<string>;
  /** Every id written, for the unknown-id check. */
  ids: SuppressionId[];
}

/** Per comment marker: the suppression comment, and a line holding nothing but a comment (or nothing). */
const MARKERS = {
  '#': { re: /#\s*harden-ignore(-file)?\s*:([^\r\n]*)/g, commentLine: /^\s*(#.*)?$/ },
  '//': { re: /\/\/\s*harden-ignore(-file)?\s*:([^\r\n]*)/g, commentLine: /^\s*(\/\/.*)?$/ },
  '#;': { re: /[#;]\s*harden-ignore(-file)?\s*:([^\r\n]*)/g, commentLine: /^\s*([#;].*)?$/ },
};
export type CommentMarker = keyof typeof MARKERS;

export function readSuppressions(text: string, index: LineIndex, marker: CommentMarker = '#'): Suppressions {
  const out: Suppressions = { byLine: new Map(), file: new Set(), ids: [] };
  if (!text.includes('harden-ignore')) return out;
  const { re: RE, commentLine } = MARKERS[marker];
  RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RE.exec(text))) {
    const isFile = !!m[1];
    const body = m[2];
    // The id list ends at the reason (`--`) or at another comment.
    const ends = [body.indexOf('--'), body.indexOf('#')].filter((i) => i >= 0);
    const list = ends.length ? body.slice(0, Math.min(...ends)) : body;
    const listStart = m.index + m[0].length - body.length;
    const ids: string[] = [];
    const idRe = /[A-Za-z0-9_-]+/g;
    let im: RegExpExecArray | null;
    while ((im = idRe.exec(list))) {
      ids.push(im[0]);
      out.ids.push({ id: im[0], span: { start: listStart + im.index, end: listStart + im.index + im[0].length } });
    }
    if (isFile) {
      for (const id of ids) out.file.add(id);
      continue;
    }
    const line = index.positionAt(m.index).line;
    const before = text.slice(index.lineStart(line), m.index);
    let target = line;
    if (before.trim() === '') {
      // A comment line of its own: it covers the next line that is not blank or a comment.
      target = line + 1;
      while (target < index.lineCount && commentLine.test(index.lineText(target))) target++;
    }
    const set = out.byLine.get(target) ?? new Set<string>();
    for (const id of ids) set.add(id);
    out.byLine.set(target, set);
  }
  return out;
}

export function isSuppressed(s: Suppressions, id: string, lines: number[]): boolean {
  if (s.file.has(id) || s.file.has('all')) return true;
  return lines.some((l) => {
    const set = s.byLine.get(l);
    return !!set && (set.has(id) || set.has('all'));
  });
}
