'use strict';
/**
 * Profiles the engine on the scaling inputs with V8's CPU profiler and prints
 * the hottest functions (self and inclusive time), so the findings name a
 * file and a function.
 *
 *   node test/bench/profile.js [--kind=dockerfile,compose,shell] [--lines=10000] [--runs=5]
 *   node test/bench/profile.js --cli FILE…     (profile a CLI run instead, cold start included)
 *   node test/bench/profile.js --summarize X.cpuprofile
 *
 * Profiles are written to test-results/bench/profiles/.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test-results', 'bench', 'profiles');
const args = process.argv.slice(2);
const opt = (name, def) => (args.find((a) => a.startsWith(`--${name}=`)) ?? `--${name}=${def}`).split('=')[1];

/** Self and inclusive time per function (name + file:line), from a .cpuprofile. */
function summarize(file, top = 25) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  // Every sample weighs the nominal sampling interval (the median delta): on a loaded machine a
  // long gap means the process was not running, which must not be charged to the frame it stopped in.
  const sortedDt = [...prof.timeDeltas].sort((x, y) => x - y);
  const interval = (sortedDt[sortedDt.length >> 1] ?? 1000) / 1000;
  const sampleMs = new Map();
  for (let i = 0; i < prof.samples.length; i++) sampleMs.set(prof.samples[i], (sampleMs.get(prof.samples[i]) ?? 0) + interval);
  const key = (n) => {
    const cf = n.callFrame;
    const url = cf.url ? cf.url.replace(/^file:\/\//, '').replace(ROOT + '/', '') : '';
    return `${cf.functionName || '(anonymous)'} ${url ? `${url}:${cf.lineNumber + 1}` : ''}`.trim();
  };
  const incl = new Map();
  let total = 0;
  for (const [id, t] of sampleMs) {
    total += t;
    const n = nodes.get(id);
    const k = key(n);
    self.set(k, (self.get(k) ?? 0) + t);
    // Inclusive: every distinct function on the stack once.
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const kk = key(nodes.get(cur));
      if (seen.has(kk)) continue;
      seen.add(kk);
      incl.set(kk, (incl.get(kk) ?? 0) + t);
    }
  }
  const fmt = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${t.toFixed(1).padStart(9)} ms ${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return { total, selfTop: fmt(self), inclTop: fmt(incl), self, incl };
}

function profileEngine() {
  const kinds = opt('kind', 'dockerfile,compose,shell').split(',');
  const lines = Number(opt('lines', '10000'));
  const runs = Number(opt('runs', '5'));
  fs.mkdirSync(OUT, { recursive: true });
  for (const kind of kinds) {
    const script = `
      const { generate, FILE_NAMES } = require(${JSON.stringify(path.join(__dirname, 'generate.js'))});
      const engine = require(${JSON.stringify(path.join(ROOT, 'out', 'server', 'src', 'engine', 'index.js'))});
      (async () => {
        await engine.initEngine();
        const text = generate(${JSON.stringify(kind)}, ${lines});
        const fileName = '/bench/' + FILE_NAMES[${JSON.stringify(kind)}];
        engine.analyze(text, { fileName });
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < ${runs}; i++) engine.analyze(text, { fileName });
        console.error('${kind} ${lines}: ' + (Number(process.hrtime.bigint() - t0) / 1e6 / ${runs}).toFixed(1) + ' ms per analysis');
      })();`;
    const name = `engine-${kind}-${lines}`;
    const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${OUT}`, `--cpu-prof-name=${name}.cpuprofile`, '-e', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error(`profile of ${kind} failed`);
    report(path.join(OUT, `${name}.cpuprofile`));
  }
}

/** The whole corpus in-process, `runs` passes (per-file times printed for the slowest files). */
function profileCorpus() {
  const runs = Number(opt('runs', '5'));
  fs.mkdirSync(OUT, { recursive: true });
  const script = `
    const fs = require('fs'), path = require('path');
    const engine = require(${JSON.stringify(path.join(ROOT, 'out', 'server', 'src', 'engine', 'index.js'))});
    const CORPUS = ${JSON.stringify(path.join(ROOT, 'test', 'corpus'))};
    (async () => {
      await engine.initEngine();
      const files = [];
      for (const d of fs.readdirSync(CORPUS)) {
        const dir = path.join(CORPUS, d);
        if (!fs.statSync(dir).isDirectory()) continue;
        for (const f of fs.readdirSync(dir)) { const p = path.join(dir, f); const text = fs.readFileSync(p, 'utf8'); if (engine.detectKind(p, text)) files.push({ p, text }); }
      }
      const per = new Map();
      for (let r = 0; r < ${runs}; r++) for (const f of files) {
        const a = process.hrtime.bigint();
        engine.analyze(f.text, { fileName: f.p, readFile: () => undefined });
        const t = Number(process.hrtime.bigint() - a) / 1e6;
        if (r > 0) per.set(f.p, Math.min(per.get(f.p) ?? Infinity, t));
      }
      const sorted = [...per.entries()].sort((a, b) => b[1] - a[1]);
      const total = sorted.reduce((a, x) => a + x[1], 0);
      console.error('corpus: ' + files.length + ' files, ' + total.toFixed(1) + ' ms per pass (best of runs per file)');
      for (const [p, t] of sorted.slice(0, 12)) console.error('  ' + t.toFixed(2).padStart(8) + ' ms  ' + path.relative(CORPUS, p) + ' (' + fs.readFileSync(p, 'utf8').split('\\n').length + ' lines)');
    })();`;
  const name = 'engine-corpus';
  const r = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${OUT}`, `--cpu-prof-name=${name}.cpuprofile`, '-e', script], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error('corpus profile failed');
  report(path.join(OUT, `${name}.cpuprofile`));
}

function profileCli(files) {
  fs.mkdirSync(OUT, { recursive: true });
  const name = 'cli';
  spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${OUT}`, `--cpu-prof-name=${name}.cpuprofile`, path.join(ROOT, 'server', 'bin', 'container-hardening.js'), 'check', ...files, '--format', 'json', '--fail-on', 'none'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  report(path.join(OUT, `${name}.cpuprofile`));
}

function report(file) {
  const s = summarize(file, Number(opt('top', '25')));
  process.stdout.write(`\n== ${path.relative(ROOT, file)}: ${s.total.toFixed(0)} ms sampled\n-- self time\n${s.selfTop}\n-- inclusive time\n${s.inclTop}\n`);
}

if (require.main === module) {
  if (args[0] === '--summarize') for (const f of args.slice(1).filter((a) => !a.startsWith('--'))) report(f);
  else if (args[0] === '--corpus') profileCorpus();
  else if (args[0] === '--cli') profileCli(args.slice(1).filter((a) => !a.startsWith('--')));
  else profileEngine();
}

module.exports = { summarize };
