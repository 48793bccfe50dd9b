import type { Edit, LineIndex, SourceKind } from '../engine';
import { engine } from './engine';

const IGNORE_LINE = /^(\s*)(?:#|\/\/)\s*harden-ignore\s*:\s*([A-Za-z0-9_,\s-]*?)(\s+--.*)?\s*$/;
const IGNORE_FILE_LINE = /^(\s*)(?:#|\/\/)\s*harden-ignore-file\s*:\s*([A-Za-z0-9_,\s-]*?)(\s+--.*)?\s*$/;

/** How a comment starts: `//` in devcontainer.json (JSON with comments), `#` everywhere else. */
const mark = (kind: SourceKind | undefined) => (kind === 'devcontainer' ? '//' : '#');

/**
 * In a workflow, a comment line inside a block string (`options: >-`, `run: >`) would become part
 * of that string: the comment goes before the block's key instead (the engine lets it cover the
 * whole string). Inside a literal `run: |` script a comment line is a shell comment: it stays.
 */
function outsideBlockString(idx: LineIndex, line: number): number {
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const own = indentOf(idx.lineText(line));
  for (let p = line - 1; p >= 0; p--) {
    const t = idx.lineText(p);
    if (t.trim() === '' || indentOf(t) >= own) continue;
    const m = /(^|[\s-])([\w-]+)\s*:\s*([|>])[-+0-9]*\s*(#.*)?$/.exec(t);
    return m && !(m[2] === 'run' && m[3] === '|') ? p : line;
  }
  return line;
}

function continues(line: string): boolean {
  return /\\\s*$/.test(line) && !/^\s*#/.test(line);
}

/**
 * The first line of the logical line `line` belongs to: in a shell script a
 * comment cannot go between the lines of a `\`-continued command (it would
 * end the command), so it goes before the command's first line.
 */
export function statementStartLine(idx: LineIndex, kind: SourceKind | undefined, line: number): number {
  if (kind === 'compose') return line;
  let l = line;
  while (l > 0) {
    let p = l - 1;
    // Dockerfile: comment lines inside a continued instruction are dropped by the parser.
    if (kind === 'dockerfile') while (p > 0 && /^\s*#/.test(idx.lineText(p))) p--;
    if (!continues(idx.lineText(p))) break;
    l = p;
  }
  return kind === 'workflow' ? outsideBlockString(idx, l) : l;
}

/** A `# harden-ignore: <id>` comment before line `target`, or the id appended to one already there. */
function commentBefore(idx: LineIndex, target: number, ruleId: string, kind: SourceKind | undefined): Edit | undefined {
  if (target > 0) {
    const prevLine = target - 1;
    const prev = idx.lineText(prevLine);
    const m = IGNORE_LINE.exec(prev);
    if (m) {
      const ids = m[2].split(/[\s,]+/).filter(Boolean);
      if (ids.includes(ruleId)) return undefined;
      const at = idx.lineStart(prevLine) + m[1].length + prev.slice(m[1].length).indexOf(':') + 1;
      const listEnd = at + prev.slice(at - idx.lineStart(prevLine)).indexOf(m[2]) + m[2].length;
      return { start: listEnd, end: listEnd, newText: ids.length ? `, ${ruleId}` : ` ${ruleId}` };
    }
  }
  const start = idx.lineStart(target);
  const indent = /^[ \t]*/.exec(idx.lineText(target))![0];
  return { start, end: start, newText: `${indent}${mark(kind)} harden-ignore: ${ruleId}${idx.eol}` };
}

/**
 * Candidate edits for "Ignore <id> on this line", best first. The server
 * keeps the first one after which the engine no longer reports the finding,
 * so a comment is never put where it would change the program or silence
 * nothing.
 */
export function ignoreCandidates(text: string, kind: SourceKind | undefined, line: number, ruleId: string): Edit[] {
  const idx = new (engine().LineIndex)(text);
  const out: Edit[] = [];
  const push = (e: Edit | undefined) => {
    if (e && !out.some((o) => o.start === e.start && o.newText === e.newText)) out.push(e);
  };
  const start = statementStartLine(idx, kind, line);
  push(commentBefore(idx, start, ruleId, kind));
  // A Dockerfile may hold comment lines inside a continued instruction; YAML anywhere (not inside a string).
  if (kind !== 'shell' && kind !== 'workflow' && start !== line) push(commentBefore(idx, line, ruleId, kind));
  return out;
}

/**
 * The edit behind "Ignore <id> in this file": a `# harden-ignore-file:` comment
 * at the top (after a shebang or Dockerfile parser directives), or the id
 * appended to such a comment already there.
 */
export function ignoreFileEdit(text: string, kind: SourceKind | undefined, ruleId: string): Edit | undefined {
  const idx = new (engine().LineIndex)(text);
  for (let l = 0; l < Math.min(idx.lineCount, 30); l++) {
    const lt = idx.lineText(l);
    const m = IGNORE_FILE_LINE.exec(lt);
    if (!m) continue;
    const ids = m[2].split(/[\s,]+/).filter(Boolean);
    if (ids.includes(ruleId)) return undefined;
    const colon = lt.indexOf(':');
    const listEnd = idx.lineStart(l) + colon + 1 + lt.slice(colon + 1).indexOf(m[2]) + m[2].length;
    return { start: listEnd, end: listEnd, newText: ids.length ? `, ${ruleId}` : ` ${ruleId}` };
  }
  let line = 0;
  if (kind === 'shell' && idx.lineText(0).startsWith('#!')) line = 1;
  if (kind === 'dockerfile') {
    // Parser directives (# syntax=…, # escape=…) must stay first.
    while (line < idx.lineCount && /^\s*#\s*[A-Za-z][A-Za-z0-9_-]*\s*=/.test(idx.lineText(line))) line++;
  }
  if (line >= idx.lineCount) {
    return { start: text.length, end: text.length, newText: `${text.length && !/\n$/.test(text) ? idx.eol : ''}${mark(kind)} harden-ignore-file: ${ruleId}${idx.eol}` };
  }
  const start = idx.lineStart(line);
  return { start, end: start, newText: `${mark(kind)} harden-ignore-file: ${ruleId}${idx.eol}` };
}
