import { LineIndex, type Edit, type SourceKind } from '../engine';

const IGNORE_LINE = /^(\s*)#\s*harden-ignore\s*:\s*([A-Za-z0-9_,\s-]*?)(\s+--.*)?\s*$/;

function continues(line: string): boolean {
  return /\\\s*$/.test(line) && !/^\s*#/.test(line);
}

/**
 * The first line of the logical line `line` belongs to: a suppression comment
 * cannot go between the lines of a `\`-continued command (in a shell script
 * it would end the command), so it goes before the command's first line.
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
  return l;
}

/**
 * The edit behind "Ignore <id> on this line": a `# harden-ignore: <id>`
 * comment on the line before the statement, indented like it; an existing
 * suppression comment there gets the id appended instead.
 */
export function ignoreEdit(text: string, kind: SourceKind | undefined, line: number, ruleId: string): Edit | undefined {
  const idx = new LineIndex(text);
  const target = statementStartLine(idx, kind, line);
  if (target > 0) {
    const prevLine = target - 1;
    const prev = idx.lineText(prevLine);
    const m = IGNORE_LINE.exec(prev);
    if (m) {
      const ids = m[2].split(/[\s,]+/).filter(Boolean);
      if (ids.includes(ruleId)) return undefined;
      const idsEnd = idx.lineStart(prevLine) + m[1].length + prev.slice(m[1].length).indexOf(m[2]) + m[2].length;
      const sep = ids.length ? ', ' : '';
      return { start: idsEnd, end: idsEnd, newText: `${sep}${ruleId}` };
    }
  }
  const start = idx.lineStart(target);
  const indent = /^[ \t]*/.exec(idx.lineText(target))![0];
  return { start, end: start, newText: `${indent}# harden-ignore: ${ruleId}${idx.eol}` };
}
