/** Where a YAML syntax error is shown: the parser's position is often not where the mistake is. */
import type { Span } from '../types';

/**
 * Where a YAML error is best shown: at the flow collection left open before it,
 * or past comment lines the parser stopped on, else where the parser says.
 */
export function errorSpan(text: string, pos: number, endPos: number): Span {
  pos = Math.max(0, Math.min(pos, text.length));
  const open: number[] = [];
  let i = 0;
  let lineStart = true;
  while (i < pos) {
    const c = text[i];
    if (c === '\n') lineStart = true;
    else if (c === '#' && (lineStart || /\s/.test(text[i - 1] ?? ' '))) {
      while (i < pos && text[i] !== '\n') i++;
      continue;
    } else if ((c === '"' || c === "'") && /[\s[{,:]/.test(text[i - 1] ?? ' ')) {
      const close = text.indexOf(c, i + 1);
      if (close < 0 || close >= pos) break;
      i = close + 1;
      continue;
    } else if (c === '[' || c === '{') open.push(i);
    else if ((c === ']' || c === '}') && open.length) open.pop();
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') lineStart = false;
    i++;
  }
  if (open.length) {
    const at = open[open.length - 1];
    let ls = at;
    while (ls > 0 && text[ls - 1] !== '\n') ls--;
    while (text[ls] === ' ' || text[ls] === '\t') ls++;
    return { start: ls, end: Math.max(ls, at + 1) };
  }
  // The parser often stops on a comment line above the real mistake.
  let ls = pos;
  while (ls > 0 && text[ls - 1] !== '\n') ls--;
  let k = ls;
  for (let guard = 0; guard < 1000 && k < text.length; guard++) {
    let e = text.indexOf('\n', k);
    if (e < 0) e = text.length;
    const line = text.slice(k, e).trim();
    if (line !== '' && !line.startsWith('#')) {
      if (k === ls) break;
      const first = k + (text.slice(k, e).length - text.slice(k, e).trimStart().length);
      return { start: first, end: e };
    }
    k = e + 1;
  }
  return { start: pos, end: Math.min(Math.max(endPos, pos), text.length) };
}
