/**
 * A YAML scalar's value with the file offset of each of its characters: plain, single- and
 * double-quoted (escapes, folded lines), literal `|` and folded `>` block scalars (indentation,
 * chomping). The result is checked against the value `yaml` read; when the two differ (a style
 * this decoder does not follow), the caller gets undefined and must not point inside the value.
 */
import type { Scalar } from 'yaml';
import { MappedBuilder, type MappedText } from './mapped';

const DQ_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_LEN: Record<string, number> = { x: 2, u: 4, U: 8 };

interface Line {
  /** Offset of the line's first character and of its line break (or the end). */
  start: number;
  end: number;
  /** Offset after the line break. */
  next: number;
}

function linesOf(text: string, start: number, end: number): Line[] {
  const out: Line[] = [];
  let s = start;
  while (s < end) {
    let e = text.indexOf('\n', s);
    if (e < 0 || e >= end) e = end;
    let content = e;
    if (content > s && text[content - 1] === '\r') content--;
    out.push({ start: s, end: content, next: Math.min(e + 1, end) });
    if (e >= end) break;
    s = e + 1;
  }
  return out;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * Flow scalars (plain and quoted) spread over lines: each line's surrounding blanks go, a single
 * line break becomes a space, n empty lines become n line feeds.
 */
function flowScalar(text: string, start: number, end: number, quote: '' | "'" | '"'): MappedText {
  const b = new MappedBuilder();
  let i = start;
  // Blanks seen on the current line, kept until we know they are not trailing.
  let pending: Array<[string, number]> = [];
  const flush = () => {
    for (const [c, at] of pending) b.same(c, at);
    pending = [];
  };
  while (i < end) {
    const c = text[i];
    if (c === '\r' || c === '\n') {
      // A line break: drop trailing blanks, count empty lines, skip the next line's indentation.
      pending = [];
      const breakAt = i;
      let breaks = 0;
      let j = i;
      while (j < end) {
        if (text[j] === '\r' && text[j + 1] === '\n') j += 2;
        else if (text[j] === '\n' || text[j] === '\r') j++;
        else break;
        breaks++;
        while (j < end && isBlank(text[j])) j++;
      }
      if (breaks === 1) b.push(' ', breakAt, j);
      else b.push('\n'.repeat(breaks - 1), breakAt, j);
      i = j;
      continue;
    }
    if (isBlank(c)) {
      pending.push([c, i]);
      i++;
      continue;
    }
    flush();
    if (quote === "'" && c === "'" && text[i + 1] === "'") {
      b.push("'", i, i + 2);
      i += 2;
    } else if (quote === '"' && c === '\\') {
      const n = text[i + 1];
      if (n === '\n' || n === '\r') {
        // An escaped line break: the lines join without a space; the next line's indentation goes.
        let j = i + 1;
        if (text[j] === '\r' && text[j + 1] === '\n') j += 2;
        else j++;
        while (j < end && isBlank(text[j])) j++;
        i = j;
      } else if (n !== undefined && HEX_LEN[n]) {
        const hex = text.slice(i + 2, i + 2 + HEX_LEN[n]);
        const code = parseInt(hex, 16);
        b.push(Number.isFinite(code) ? String.fromCodePoint(code) : '', i, i + 2 + HEX_LEN[n]);
        i += 2 + HEX_LEN[n];
      } else if (n !== undefined && DQ_ESCAPES[n] !== undefined) {
        b.push(DQ_ESCAPES[n], i, i + 2);
        i += 2;
      } else {
        b.same(c, i);
        i++;
      }
    } else {
      b.same(c, i);
      i++;
    }
  }
  flush();
  return b.finish(end);
}

/** `|` and `>` block scalars: header, indentation, folding (for `>`) and chomping. */
function blockScalar(text: string, start: number, end: number, folded: boolean): MappedText | undefined {
  const nl = text.indexOf('\n', start);
  if (nl < 0 || nl >= end) return new MappedBuilder().finish(end);
  const header = text.slice(start + 1, nl).replace(/\s+#.*$/, '').trim();
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  if (/[1-9]/.test(header)) return undefined;
  const lines = linesOf(text, nl + 1, end);
  let indent = -1;
  for (const l of lines) {
    let k = l.start;
    while (k < l.end && text[k] === ' ') k++;
    if (k < l.end) {
      indent = k - l.start;
      break;
    }
  }
  const b = new MappedBuilder();
  if (indent < 0) return b.finish(end);
  // Content lines without their indentation; a line shorter than it is empty.
  const content = lines.map((l) => ({ l, from: Math.min(l.start + indent, l.end) }));
  const isEmpty = (k: number) => content[k].from >= content[k].l.end;
  const moreIndented = (k: number) => !isEmpty(k) && isBlank(text[content[k].from]);
  let lastContent = -1;
  for (let k = 0; k < content.length; k++) if (!isEmpty(k)) lastContent = k;
  for (let k = 0; k < content.length; k++) {
    const { l, from } = content[k];
    if (from < l.end) b.same(text.slice(from, l.end), from);
    if (l.next === l.end) continue;
    if (!folded || k >= lastContent || isEmpty(k)) {
      b.push('\n', l.end, l.next);
      continue;
    }
    // Folding: a break between two lines of text becomes a space, unless one is more indented
    // or empty lines follow (then the break itself goes and the empty lines stay line feeds).
    const nextEmpty = k + 1 < content.length && isEmpty(k + 1);
    if (nextEmpty || moreIndented(k) || (k + 1 < content.length && moreIndented(k + 1))) {
      if (nextEmpty && !moreIndented(k)) {
        let j = k + 1;
        while (j < content.length && isEmpty(j)) j++;
        if (j < content.length && !moreIndented(j)) continue;
      }
      b.push('\n', l.end, l.next);
    } else b.push(' ', l.end, l.next);
  }
  // Chomping: strip drops every final line break, clip keeps one, keep keeps them all.
  const built = b.finish(end);
  if (chomp === 'keep') return built;
  let n = built.text.length;
  while (n > 0 && built.text[n - 1] === '\n') n--;
  if (chomp === 'clip' && n < built.text.length && n > 0) n++;
  if (n < built.text.length) b.truncate(n);
  return b.finish(end);
}

/** The scalar's value with the file offset of each character, or undefined when it cannot be mapped exactly. */
export function scalarText(fileText: string, node: Scalar): MappedText | undefined {
  const r = node.range;
  if (!r) return undefined;
  const [start, end] = r;
  let m: MappedText | undefined;
  switch (node.type) {
    case 'PLAIN':
      m = flowScalar(fileText, start, end, '');
      break;
    case 'QUOTE_SINGLE':
      m = fileText[end - 1] === "'" ? flowScalar(fileText, start + 1, end - 1, "'") : undefined;
      break;
    case 'QUOTE_DOUBLE':
      m = fileText[end - 1] === '"' ? flowScalar(fileText, start + 1, end - 1, '"') : undefined;
      break;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED':
      m = blockScalar(fileText, start, end, node.type === 'BLOCK_FOLDED');
      break;
  }
  if (!m) return undefined;
  const v = node.value;
  // A plain scalar that YAML reads as a number or boolean keeps its text as written.
  if (typeof v !== 'string') return node.type === 'PLAIN' && !m.text.includes('\n') ? m : undefined;
  return m.text === v ? m : undefined;
}
