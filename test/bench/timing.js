'use strict';
/**
 * Timing helpers for the benchmark: warmup, repeated runs, medians and
 * percentiles. Times are in milliseconds (process.hrtime.bigint()).
 */

function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  if (sorted.length === 1) return sorted[0];
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const sum = s.reduce((a, b) => a + b, 0);
  return {
    n: s.length,
    min: s[0],
    median: quantile(s, 0.5),
    p95: quantile(s, 0.95),
    p99: quantile(s, 0.99),
    max: s[s.length - 1],
    mean: s.length ? sum / s.length : NaN,
  };
}

function gc() {
  if (typeof global.gc === 'function') global.gc();
}

/**
 * Runs fn repeatedly: a warmup (at least `warmup` runs and `warmupMs`), then at
 * least `minRuns` timed runs and until `minMs` has passed (capped by `maxRuns`).
 * Each sample is one call of fn. Returns stats of the samples.
 */
function measure(fn, opts = {}) {
  const { warmup = 3, warmupMs = 50, minRuns = 5, minMs = 300, maxRuns = 10000, maxMs = 20000, collect = true } = opts;
  let t0 = now();
  for (let i = 0; i < warmup || now() - t0 < warmupMs; i++) {
    fn();
    if (i > 10000) break;
  }
  if (collect) gc();
  const samples = [];
  t0 = now();
  while (samples.length < maxRuns) {
    const a = now();
    fn();
    samples.push(now() - a);
    const spent = now() - t0;
    if (samples.length >= minRuns && spent >= minMs) break;
    if (spent >= maxMs && samples.length >= 1) break;
  }
  return stats(samples);
}

/**
 * Interleaves several contenders run by run (A B C A B C …) so slow drifts of
 * a shared machine hit each of them alike. Returns { name: stats }.
 */
function compare(contenders, opts = {}) {
  const { warmup = 3, minRuns = 7, minMs = 600, maxRuns = 2000, maxMs = 20000 } = opts;
  const names = Object.keys(contenders);
  for (let i = 0; i < warmup; i++) for (const n of names) contenders[n]();
  gc();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const t0 = now();
  for (let r = 0; r < maxRuns; r++) {
    // Rotate the order each round.
    for (let k = 0; k < names.length; k++) {
      const n = names[(r + k) % names.length];
      const a = now();
      contenders[n]();
      samples[n].push(now() - a);
    }
    const spent = now() - t0;
    if (r + 1 >= minRuns && spent >= minMs) break;
    if (spent >= maxMs) break;
  }
  return Object.fromEntries(names.map((n) => [n, stats(samples[n])]));
}

module.exports = { now, quantile, stats, measure, compare, gc };
