'use strict';
/**
 * Timing helpers for the benchmark: warmup, repeated runs, medians and
 * percentiles. Times are in milliseconds (process.hrtime.bigint()).
 */

const { spawnSync } = require('node:child_process');

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

/** CPU time of this process (all its threads: user + system) in ms. */
function cpuNow() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
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
  const cpu = [];
  t0 = now();
  while (samples.length < maxRuns) {
    const c = cpuNow();
    const a = now();
    fn();
    samples.push(now() - a);
    cpu.push(cpuNow() - c);
    const spent = now() - t0;
    if (samples.length >= minRuns && spent >= minMs) break;
    if (spent >= maxMs && samples.length >= 1) break;
  }
  return { ...stats(samples), cpu: stats(cpu) };
}

/**
 * Interleaves several contenders run by run (A B C A B C …) so slow drifts of
 * a shared machine hit each of them alike. Returns { name: stats }.
 */
function compare(contenders, opts = {}) {
  const { warmup = 3, minRuns = 7, minMs = 600, maxRuns = 2000, maxMs = 15000 } = opts;
  const names = Object.keys(contenders);
  for (let i = 0; i < warmup; i++) for (const n of names) contenders[n]();
  gc();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const cpu = Object.fromEntries(names.map((n) => [n, []]));
  const t0 = now();
  for (let r = 0; r < maxRuns; r++) {
    // Rotate the order each round.
    for (let k = 0; k < names.length; k++) {
      const n = names[(r + k) % names.length];
      const c = cpuNow();
      const a = now();
      contenders[n]();
      samples[n].push(now() - a);
      cpu[n].push(cpuNow() - c);
    }
    const spent = now() - t0;
    if (r + 1 >= minRuns && spent >= minMs) break;
    // A time budget: slow inputs get fewer rounds (at least one).
    if (spent >= maxMs) break;
  }
  return Object.fromEntries(names.map((n) => [n, { ...stats(samples[n]), cpu: stats(cpu[n]) }]));
}

/**
 * Runs a command to completion (its output discarded) and returns wall and CPU
 * time (user + system of the command, from bash's `time`), in ms. CPU time
 * holds up better than wall time on a loaded shared machine.
 */
function runTimed(argv, opts = {}) {
  const script = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>/dev/null; } 2>&1';
  const a = now();
  const r = spawnSync('bash', ['-c', script, 'bash', ...argv], { encoding: 'utf8', maxBuffer: 1 << 20, ...opts });
  const wall = now() - a;
  if (r.error) throw r.error;
  const m = /([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*$/.exec(r.stdout ?? '');
  // Wall time as bash saw it: the command alone. Measured from here it would also hold this
  // process's own fork, which grows with its heap (hundreds of ms after the 100,000-line runs).
  return { wall: m ? Number(m[1]) * 1000 : wall, cpu: m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN, status: r.status };
}

/** runTimed `reps` times: { wall stats, cpu stats }. */
function timeRuns(argv, reps, opts = {}) {
  const w = [];
  const c = [];
  let status;
  for (let i = 0; i < reps; i++) {
    const r = runTimed(argv, opts);
    w.push(r.wall);
    c.push(r.cpu);
    status = r.status;
  }
  return { ...stats(w), cpu: stats(c), exit: status };
}

/**
 * How contended the machine is: wall / CPU time of a fixed CPU-bound loop
 * (≈ 1.0 on a free core; 2.0 means this process got the CPU half the time).
 */
function contention(samples = 9) {
  const r = [];
  let sink = 0;
  for (let k = 0; k < samples; k++) {
    const c = cpuNow();
    const a = now();
    for (let i = 0; i < 2e6; i++) sink += Math.sqrt(i + k);
    const w = now() - a;
    const cp = cpuNow() - c;
    if (cp > 0) r.push(w / cp);
  }
  if (sink < 0) r.push(0);
  return +stats(r).median.toFixed(2);
}

module.exports = { contention, runTimed, timeRuns,  now, cpuNow, quantile, stats, measure, compare, gc };
