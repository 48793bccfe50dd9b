import type { Edit } from '../engine';

/** Splits text into lines that keep their line breaks. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

const MAX_CELLS = 4_000_000;

/**
 * Minimal line-based edits turning `a` into `b`, as offsets into `a`. Used to
 * send "Harden this file" as a few small edits instead of a whole-document
 * replacement, so markers, folding and the cursor survive.
 */
export function diffEdits(a: string, b: string): Edit[] {
  if (a === b) return [];
  const x = splitLines(a);
  const y = splitLines(b);
  let pre = 0;
  while (pre < x.length && pre < y.length && x[pre] === y[pre]) pre++;
  let suf = 0;
  while (suf < x.length - pre && suf < y.length - pre && x[x.length - 1 - suf] === y[y.length - 1 - suf]) suf++;
  const xs = x.slice(pre, x.length - suf);
  const ys = y.slice(pre, y.length - suf);
  const offsets: number[] = [0];
  for (const l of x) offsets.push(offsets[offsets.length - 1] + l.length);

  const n = xs.length;
  const m = ys.length;
  if (n === 0 || m === 0 || n * m > MAX_CELLS) {
    return [{ start: offsets[pre], end: offsets[x.length - suf], newText: ys.join('') }];
  }
  // LCS table over the changed middle (small in practice: fixes touch few lines).
  const w = m + 1;
  const dp = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      dp[i * w + j] = xs[i] === ys[j] ? dp[(i + 1) * w + j + 1] + 1 : Math.max(dp[(i + 1) * w + j], dp[i * w + j + 1]);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  let cur: { i0: number; text: string } | undefined;
  const flush = (iEnd: number) => {
    if (!cur) return;
    edits.push({ start: offsets[pre + cur.i0], end: offsets[pre + iEnd], newText: cur.text });
    cur = undefined;
  };
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) {
      flush(i);
      i++;
      j++;
    } else if (j < m && (i === n || dp[i * w + j + 1] >= dp[(i + 1) * w + j])) {
      cur ??= { i0: i, text: '' };
      cur.text += ys[j++];
    } else {
      cur ??= { i0: i, text: '' };
      i++;
    }
  }
  flush(i);
  return edits;
}
