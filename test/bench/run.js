'use strict';
/**
 * `npm run bench`: the performance benchmark, measured in one run so the
 * ratios hold on a noisy shared machine. Prints a table and writes the same
 * figures as JSON to test-results/bench/.
 *
 *   1. engine vs. the bare parse (same parser) per source
 *   2. scaling on generated files of 100 … 100,000 lines
 *   3. corpus throughput, in-process and through the CLI
 *   4. editor latency through the real server over stdio
 *   5. CLI cold start for one file
 *   6. peers on the same files (dockerfile-utils, dockerfilelint, ShellCheck,
 *      @microsoft/compose-language-service, DCLint)
 *   7. Check Workspace on 5,000 files (the corpus repeated) through the real
 *      server, and edits of an open document during it (workspace.js)
 *
 * Options: --quick (fewer repetitions; a smoke run, figures are rough)
 *          --only=engine,scaling,corpus,editor,cli,peers,workspace
 *          --out=FILE (JSON; default test-results/bench/bench-<date>.json + latest.json)
 * Nothing here asserts a time: targets are reported, never enforced.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { now, stats, measure, compare, gc, timeRuns, contention } = require('./timing');
const { generate, FILE_NAMES, makeEdits } = require('./generate');
const { LspClient } = require('./lsp');
const peers = require('./peers');
const workspaceBench = require('./workspace');

const ROOT = path.resolve(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'test', 'corpus');
const OUT_DIR = path.join(ROOT, 'test-results', 'bench');
/**
 * The build is shared with other work that rebuilds out/ and dist/ at any time: the
 * bench copies it once at start (.cache/bench-snap/) and runs the engine, the CLI
 * and both servers from that copy, so one run measures one build.
 */
const SNAP = path.join(ROOT, '.cache', 'bench-snap');
// The bins themselves, as users run them (they pick the bundle in dist/ when it is the newest build).
const CLI = path.join(SNAP, 'server', 'bin', 'container-hardening.js');
const LS_BIN = path.join(SNAP, 'server', 'bin', 'container-hardening-ls.js');
const LS_BUNDLE = path.join(SNAP, 'dist', 'server.js');
const ENGINE = path.join(SNAP, 'out', 'server', 'src', 'engine', 'index.js');

function snapshotBuild() {
  const out = path.join(ROOT, 'out', 'server');
  if (!fs.existsSync(path.join(out, 'src', 'engine', 'index.js'))) return false;
  fs.rmSync(SNAP, { recursive: true, force: true });
  fs.mkdirSync(SNAP, { recursive: true });
  fs.cpSync(out, path.join(SNAP, 'out', 'server'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(SNAP, 'package.json'));
  if (fs.existsSync(path.join(ROOT, 'server', 'l10n'))) fs.cpSync(path.join(ROOT, 'server', 'l10n'), path.join(SNAP, 'server', 'l10n'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'server', 'bin'), path.join(SNAP, 'server', 'bin'), { recursive: true });
  // Copied after out/ so that, as in a fresh install, the bundle is the newest build.
  if (fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) fs.cpSync(path.join(ROOT, 'dist'), path.join(SNAP, 'dist'), { recursive: true });
  return true;
}

function buildInfo() {
  const git = (...a) => {
    try {
      return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  };
  const dirty = git('status', '--porcelain', '--', 'server', 'client');
  return { commit: git('rev-parse', '--short', 'HEAD'), commitDate: git('log', '-1', '--format=%cI'), sourceDirty: dirty ? dirty.split('\n').length + ' changed file(s) under server/ or client/' : false };
}
const KINDS = ['dockerfile', 'compose', 'shell'];
const SIZES = [100, 1000, 10000, 100000];
const LANGUAGE_IDS = { dockerfile: 'dockerfile', compose: 'dockercompose', shell: 'shellscript' };

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const ONLY = (args.find((a) => a.startsWith('--only=')) ?? '').slice(7).split(',').filter(Boolean);
const OUT_FILE = (args.find((a) => a.startsWith('--out=')) ?? '').slice(6);
const want = (s) => !ONLY.length || ONLY.includes(s);
/** Scales repetition counts down in --quick mode. */
const Q = (n, quick) => (QUICK ? quick : n);

const results = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  quick: QUICK,
  notes: [],
  engineVsParse: {},
  scaling: {},
  small: {},
  corpus: {},
  editor: {},
  cli: {},
  peers: {},
  workspace: {},
  targets: [],
};

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model?.trim(),
    cores: cpus.length,
    memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadavgStart: os.loadavg().map((x) => +x.toFixed(2)),
    contentionStart: contention(),
    shared: true,
  };
}

function log(...a) {
  process.stderr.write(a.join(' ') + '\n');
}

const ms = (x) => (x === undefined || Number.isNaN(x) ? 'n/a' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const ratio = (x) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(2) + '×');
const lineCount = (t) => t.split('\n').length - (t.endsWith('\n') ? 1 : 0);

function target(name, value, limit, unit, ok, note) {
  results.targets.push({ name, value, limit, unit, met: ok, note });
}

// ------------------------------------------------------------------ inputs

function listCorpus(engine) {
  const files = [];
  for (const dir of fs.readdirSync(CORPUS)) {
    const d = path.join(CORPUS, dir);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      const text = fs.readFileSync(p, 'utf8');
      const kind = engine.detectKind(p, text);
      if (kind) files.push({ path: p, text, kind, lines: lineCount(text), bytes: Buffer.byteLength(text) });
    }
  }
  return files;
}

function genInputs() {
  const g = {};
  for (const k of KINDS) {
    g[k] = {};
    for (const n of SIZES) {
      const text = generate(k, n);
      g[k][n] = { text, lines: lineCount(text), bytes: Buffer.byteLength(text), fileName: path.join('/bench', `${n}`, FILE_NAMES[k]) };
    }
  }
  return g;
}

/** Writes the generated inputs to a scratch folder, for the processes that read files. */
function writeInputs(gen) {
  const dir = path.join(ROOT, '.cache', 'bench-inputs');
  fs.mkdirSync(dir, { recursive: true });
  const files = {};
  for (const k of KINDS) {
    files[k] = {};
    for (const n of SIZES) {
      const sub = path.join(dir, String(n));
      fs.mkdirSync(sub, { recursive: true });
      const p = path.join(sub, FILE_NAMES[k]);
      fs.writeFileSync(p, gen[k][n].text);
      files[k][n] = p;
    }
  }
  return files;
}

// ------------------------------------------------------------------ main

async function main() {
  const t0 = now();
  if (!snapshotBuild()) {
    log('bench: out/server/src/engine/index.js is missing; run `npx tsc -p .` first');
    process.exit(2);
  }
  results.build = { ...buildInfo(), bundle: fs.existsSync(LS_BUNDLE) };
  const engine = require(ENGINE);
  let tInit = now();
  await engine.initEngine();
  results.engineInitMs = now() - tInit;
  const floor = await peers.loadParsers();
  const corpus = listCorpus(engine);
  const gen = genInputs();
  const genFiles = writeInputs(gen);
  const fileCache = new Map(corpus.map((f) => [f.path, f.text]));
  const readFile = (p) => {
    if (fileCache.has(p)) return fileCache.get(p);
    try {
      const t = fs.readFileSync(p, 'utf8');
      fileCache.set(p, t);
      return t;
    } catch {
      fileCache.set(p, undefined);
      return undefined;
    }
  };
  const analyze = (text, fileName, kind) => engine.analyze(text, { fileName, kind, readFile });
  const byKind = Object.fromEntries(KINDS.map((k) => [k, corpus.filter((f) => f.kind === k)]));
  results.inputs = {
    corpus: Object.fromEntries(KINDS.map((k) => [k, { files: byKind[k].length, lines: byKind[k].reduce((a, f) => a + f.lines, 0), bytes: byKind[k].reduce((a, f) => a + f.bytes, 0) }])),
    generated: Object.fromEntries(KINDS.map((k) => [k, Object.fromEntries(SIZES.map((n) => [n, { lines: gen[k][n].lines, bytes: gen[k][n].bytes, findings: n <= 10000 ? analyze(gen[k][n].text, gen[k][n].fileName, k).findings.length : undefined }]))])),
  };
  log(`bench: ${corpus.length} corpus files; engine init ${ms(results.engineInitMs)} ms; load ${os.loadavg()[0].toFixed(2)}`);

  // -------------------------------------------------------------- 1 + 2: engine vs parse, scaling
  if (want('engine') || want('scaling')) {
    for (const k of KINDS) {
      const files = byKind[k];
      const passEngine = () => {
        for (const f of files) analyze(f.text, f.path, k);
      };
      const passParse = () => {
        for (const f of files) floor.parse[k](f.text);
      };
      const contenders = { engine: passEngine, parse: passParse };
      if (k === 'dockerfile') contenders.parseWithRunShells = () => {
        for (const f of files) floor.parseDockerfileWithRuns(f.text);
      };
      const c = compare(contenders, { minRuns: Q(7, 3), minMs: Q(1500, 300), maxMs: 10000 });
      const entry = { corpus: summarize(c, files.length) };
      log(`engine vs parse ${k} corpus: engine ${ms(c.engine.median)} ms, parse ${ms(c.parse.median)} ms per pass`);
      results.engineVsParse[k] = entry;
    }
    for (const k of KINDS) {
      results.scaling[k] = {};
      for (const n of SIZES) {
        const g = gen[k][n];
        const contenders = { engine: () => analyze(g.text, g.fileName, k), parse: () => floor.parse[k](g.text) };
        if (k === 'dockerfile') contenders.parseWithRunShells = () => floor.parseDockerfileWithRuns(g.text);
        const big = n >= 100000;
        // 100,000 lines: no warm-up (the smaller sizes warmed the JIT) and a time budget.
        const c = compare(contenders, { minRuns: big ? Q(5, 2) : Q(9, 3), minMs: big ? Q(2000, 0) : Q(1000, 200), warmup: big ? 0 : n >= 10000 ? 1 : 3, maxMs: big ? 12000 : 8000 });
        results.scaling[k][n] = { lines: g.lines, ...summarize(c, 1) };
        results.engineVsParse[k][`generated${n}`] = results.scaling[k][n];
        log(`scaling ${k} ${n}: engine ${ms(c.engine.median)} ms, parse ${ms(c.parse.median)} ms`);
        gc();
      }
    }
    // Typical files: every corpus file of ≤ 200 lines, one by one (median of its runs), then across files.
    for (const k of KINDS) {
      const small = byKind[k].filter((f) => f.lines <= 200);
      const per = small.map(() => []);
      const reps = Q(9, 3);
      for (let i = 0; i < 2; i++) for (const f of small) analyze(f.text, f.path, k);
      for (let r = 0; r < reps; r++) {
        small.forEach((f, i) => {
          const a = now();
          analyze(f.text, f.path, k);
          per[i].push(now() - a);
        });
      }
      const medians = per.map((s) => stats(s).median);
      results.small[k] = { files: small.length, acrossFiles: stats(medians) };
    }
  }

  // -------------------------------------------------------------- 3: corpus throughput
  if (want('corpus')) {
    const total = corpus.reduce((a, f) => a + f.bytes, 0);
    const pass = () => {
      for (const f of corpus) analyze(f.text, f.path, f.kind);
    };
    const s = measure(pass, { warmup: 1, minRuns: Q(5, 2), minMs: Q(2000, 300), maxMs: 10000 });
    results.corpus.inProcess = { files: corpus.length, bytes: total, passMs: s, filesPerSec: corpus.length / (s.median / 1000), mbPerSec: total / 2 ** 20 / (s.median / 1000) };
    // The CLI, one process for the whole corpus (includes Node start-up, reading and JSON output).
    const argv = [process.execPath, CLI, 'check', CORPUS, '--format', 'json', '--fail-on', 'none'];
    const counted = JSON.parse(execFileSync(argv[0], argv.slice(1), { maxBuffer: 1 << 28, cwd: ROOT }).toString()).files.filter((f) => f.kind).length;
    const cs = timeRuns(argv, Q(3, 2), { cwd: ROOT });
    results.corpus.cli = { files: counted, wallMs: cs, filesPerSec: counted / (cs.median / 1000), filesPerCpuSec: counted / (cs.cpu.median / 1000), mbPerSec: total / 2 ** 20 / (cs.median / 1000) };
    log(`corpus: in-process ${results.corpus.inProcess.filesPerSec.toFixed(0)} files/s, CLI ${results.corpus.cli.filesPerSec.toFixed(0)} files/s`);
  }

  // -------------------------------------------------------------- 5: CLI cold start
  if (want('cli')) {
    const one = byKind.dockerfile.find((f) => f.lines >= 20 && f.lines <= 60) ?? byKind.dockerfile[0];
    const reps = Q(7, 3);
    const time = (argv, opts = {}) => timeRuns(argv, reps, { cwd: ROOT, ...opts });
    results.cli.file = path.relative(CORPUS, one.path);
    results.cli.nodeBaseline = time([process.execPath, '-e', '0']);
    results.cli.oneFile = time([process.execPath, CLI, 'check', one.path, '--format', 'json', '--fail-on', 'none']);
    const shOne = byKind.shell.find((f) => f.lines >= 20 && f.lines <= 120) ?? byKind.shell[0];
    results.cli.oneShellFile = { file: path.relative(CORPUS, shOne.path), ...time([process.execPath, CLI, 'check', shOne.path, '--format', 'json', '--fail-on', 'none']) };
    log(`cli one file: ${ms(results.cli.oneFile.median)} ms (node alone ${ms(results.cli.nodeBaseline.median)} ms)`);
    results.peers.coldStart = peers.coldStart({ dockerfile: one.path, shell: shOne.path, reps });
  }

  // -------------------------------------------------------------- 6: peers (in-process and processes)
  if (want('peers')) {
    results.peers.dockerfile = peers.dockerfilePeers({ byKind, gen, analyze, Q, compare, summarize });
    results.peers.shell = peers.shellPeers({ byKind, gen, genFiles, analyze, Q, CLI, ROOT, CORPUS });
    results.peers.dockerfileCli = peers.dockerfileCliPeers({ byKind, genFiles, Q, CLI, ROOT });
    results.peers.composeCli = peers.composeCliPeers({ byKind, Q, CLI, ROOT });
  }

  // -------------------------------------------------------------- 4: editor latency (last: it spawns processes)
  if (want('editor')) {
    results.editor = await editorBench({ gen, corpus, Q });
    // The floor under the editor target: the bare parse of the same 1,000-line texts, one parse at a
    // time as the server does per edit, in this process (GC pauses included, as in the server).
    results.editor.parseAlone1k = {};
    for (const k of KINDS) {
      const g = gen[k][1000];
      for (let i = 0; i < 5; i++) floor.parse[k](g.text);
      const s = [];
      for (let i = 0; i < Q(300, 40); i++) {
        const a = now();
        floor.parse[k](g.text);
        s.push(now() - a);
      }
      results.editor.parseAlone1k[k] = stats(s);
    }
    if (want('peers')) results.peers.compose = await peers.composePeer({ gen, corpus, Q, editLatency, openMany });
  }

  // -------------------------------------------------------------- 7: Check Workspace, 5,000 files
  if (want('workspace')) {
    results.workspace = await workspaceBench.run({ corpus, gen, Q, LS_BIN, CLI, ROOT, makeEdits, log });
  }

  results.machine.loadavgEnd = os.loadavg().map((x) => +x.toFixed(2));
  results.machine.contentionEnd = contention();
  results.totalSeconds = (now() - t0) / 1000;
  evaluateTargets();
  const table = renderTable();
  process.stdout.write(table + '\n');
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const stamp = results.date.replace(/[:.]/g, '-');
  const out = OUT_FILE || path.join(OUT_DIR, `bench-${stamp}.json`);
  fs.writeFileSync(out, JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(OUT_DIR, 'latest.json'), JSON.stringify(results, null, 2));
  fs.writeFileSync(path.join(OUT_DIR, 'latest.md'), table + '\n');
  log(`bench: wrote ${path.relative(ROOT, out)} (+ latest.json, latest.md) in ${results.totalSeconds.toFixed(0)} s`);
}

function summarize(c, files) {
  const o = {};
  for (const [n, s] of Object.entries(c)) o[n] = s;
  o.ratio = c.engine.median / c.parse.median;
  o.cpuRatio = c.engine.cpu.median / c.parse.cpu.median;
  if (c.parseWithRunShells) o.ratioWithRunShells = c.engine.median / c.parseWithRunShells.median;
  o.files = files;
  return o;
}

// ------------------------------------------------------------------ editor

/**
 * `count` edits one after the other, each waiting for its diagnostics; stops
 * early (after at least 20) when `budgetMs` is spent, so a slow server cannot
 * stall the run. Returns stats of the recorded latencies and the edit count.
 */
async function editLatency(client, uri, languageId, text, count, seed, budgetMs = 10000) {
  await client.open(uri, languageId, text, 1);
  const edits = makeEdits(text, count, seed);
  const samples = [];
  let version = 1;
  // A few unrecorded edits first (JIT warm-up of the change path).
  const warm = Math.min(10, Math.floor(count / 10));
  const t0 = now();
  for (let i = 0; i < edits.length; i++) {
    version++;
    const r = await client.change(uri, version, edits[i].range, edits[i].text);
    if (i >= warm) samples.push(r.ms);
    if (samples.length >= 20 && now() - t0 > budgetMs && i % 2 === 1) break;
  }
  // An even number of edits leaves the text as it was.
  await client.close(uri);
  return { ...stats(samples), planned: count - warm, stoppedByBudget: samples.length < count - warm };
}

/** Opens `count` documents (cycling through the given files, each under its own URI) and waits for all diagnostics. */
async function openMany(client, files, count, tag) {
  const waits = [];
  for (let i = 0; i < count; i++) {
    const f = files[i % files.length];
    const uri = pathToFileURL(path.join('/bench-docs', tag, String(i), path.basename(f.path))).toString();
    waits.push(client.open(uri, LANGUAGE_IDS[f.kind], f.text, 1));
  }
  await Promise.all(waits);
  await new Promise((r) => setTimeout(r, 500));
  gc();
  return client.rssKb();
}

async function spawnReady(entry, reps, init) {
  const s = [];
  for (let i = 0; i < reps; i++) {
    const c = new LspClient(process.execPath, [entry, '--stdio'], { cwd: ROOT });
    try {
      const { readyMs } = await c.initialize(init);
      s.push(readyMs);
    } finally {
      await c.stop();
    }
  }
  return stats(s);
}

async function editorBench({ gen, corpus, Q }) {
  const out = {};
  out.readyBin = await spawnReady(LS_BIN, Q(7, 2), { debounceMs: 0 });
  if (fs.existsSync(LS_BUNDLE)) out.readyBundle = await spawnReady(LS_BUNDLE, Q(7, 2), { debounceMs: 0 });
  log(`editor: ready ${ms(out.readyBin.median)} ms (bin), ${ms(out.readyBundle?.median)} ms (bundle)`);
  // Latency with no debounce: the cost of one analysis round trip, which is what the target measures.
  const c = new LspClient(process.execPath, [LS_BIN, '--stdio'], { cwd: ROOT });
  await c.initialize({ debounceMs: 0 });
  out.latency = {};
  try {
    for (const k of KINDS) {
      out.latency[k] = {};
      for (const [n, edits] of [
        [1000, Q(300, 40)],
        [10000, Q(200, 20)],
      ]) {
        const g = gen[k][n];
        const uri = pathToFileURL(path.join('/bench-edit', k, String(n), FILE_NAMES[k])).toString();
        out.latency[k][n] = { lines: g.lines, ...(await editLatency(c, uri, LANGUAGE_IDS[k], g.text, edits, 7 + n)) };
        log(`editor ${k} ${n}: p50 ${ms(out.latency[k][n].median)} p95 ${ms(out.latency[k][n].p95)} ms`);
      }
    }
    // The default debounce (200 ms) as a user sees it, a few edits on the 1,000-line Dockerfile.
  } finally {
    await c.stop();
  }
  const d = new LspClient(process.execPath, [LS_BIN, '--stdio'], { cwd: ROOT });
  await d.initialize({});
  try {
    const g = gen.dockerfile[1000];
    out.latencyDefaultDebounce = { kind: 'dockerfile', lines: g.lines, ...(await editLatency(d, pathToFileURL('/bench-edit/default/Dockerfile').toString(), 'dockerfile', g.text, Q(30, 6), 99)) };
  } finally {
    await d.stop();
  }
  // Resident memory with 200 documents open (the corpus, cycled under distinct URIs).
  const m = new LspClient(process.execPath, [LS_BIN, '--stdio'], { cwd: ROOT });
  await m.initialize({ debounceMs: 0 });
  try {
    await new Promise((r) => setTimeout(r, 300));
    out.rssIdleKb = m.rssKb();
    out.rssWith200DocsKb = await openMany(m, corpus, 200, 'ours');
  } finally {
    await m.stop();
  }
  log(`editor: RSS idle ${(out.rssIdleKb / 1024).toFixed(1)} MB, 200 docs ${(out.rssWith200DocsKb / 1024).toFixed(1)} MB`);
  return out;
}

// ------------------------------------------------------------------ report

function evaluateTargets() {
  const r = results;
  for (const k of KINDS) {
    const e = r.engineVsParse[k];
    if (!e) continue;
    const worst = Math.max(e.corpus.ratio, ...SIZES.filter((n) => e[`generated${n}`]).map((n) => e[`generated${n}`].ratio));
    target(`engine ≤ 1.5× bare parse (${k}, worst of corpus and generated)`, worst, 1.5, '×', worst <= 1.5, k === 'dockerfile' ? 'the engine also parses every RUN with tree-sitter-bash; see the ratio against dockerfile-ast + RUN shells' : undefined);
  }
  for (const k of KINDS) {
    if (!r.small[k]) continue;
    const v = r.small[k].acrossFiles.median;
    target(`median < 1 ms, corpus files ≤ 200 lines (${k}, ${r.small[k].files} files)`, v, 1, 'ms', v < 1);
  }
  for (const k of KINDS) {
    const s = r.scaling[k];
    if (!s) continue;
    if (s[10000]) target(`10,000 lines < 50 ms (${k})`, s[10000].engine.median, 50, 'ms', s[10000].engine.median < 50, `the bare parse alone takes ${ms(s[10000].parse.median)} ms`);
    if (s[1000] && s[100000]) {
      const g = s[100000].engine.median / s[1000].engine.median / (s[100000].lines / s[1000].lines);
      s.growth1kTo100k = g;
      s.growth1kTo10k = s[10000].engine.median / s[1000].engine.median / (s[10000].lines / s[1000].lines);
      s.growth10kTo100k = s[100000].engine.median / s[10000].engine.median / (s[100000].lines / s[10000].lines);
      // The bare parser's own growth on the same inputs: what the engine cannot do better than.
      s.parseGrowth1kTo100k = s[100000].parse.median / s[1000].parse.median / (s[100000].lines / s[1000].lines);
      target(`growth 1k → 100k lines within 1.2× linear (${k})`, g, 1.2, '× linear', g <= 1.2, `the bare parser alone grows ${ratio(s.parseGrowth1kTo100k)} linear on the same files`);
    }
  }
  const ed = r.editor;
  if (ed.latency) {
    for (const k of KINDS) {
      const l = ed.latency[k]?.[1000];
      const pa = ed.parseAlone1k?.[k];
      if (l) target(`p95 didChange → diagnostics < 20 ms, 1,000 lines (${k}, debounce 0)`, l.p95, 20, 'ms', l.p95 < 20, pa ? `the bare parse of that text alone, one at a time in-process: p50 ${ms(pa.median)} / p95 ${ms(pa.p95)} ms` : undefined);
    }
  }
  if (ed.readyBin) target('server ready < 200 ms (spawn → initialize answer, server/bin)', ed.readyBin.median, 200, 'ms', ed.readyBin.median < 200);
  if (ed.readyBundle) target('server ready < 200 ms (bundled dist/server.js, what the extension runs)', ed.readyBundle.median, 200, 'ms', ed.readyBundle.median < 200);
  if (ed.rssWith200DocsKb) target('< 100 MB resident with 200 documents', ed.rssWith200DocsKb / 1024, 100, 'MB', ed.rssWith200DocsKb / 1024 < 100);
  const nodeAlone = r.cli.nodeBaseline ? `\`node -e 0\` alone takes ${ms(r.cli.nodeBaseline.median)} ms` : undefined;
  if (r.cli.oneFile) target('CLI one file < 250 ms cold', r.cli.oneFile.median, 250, 'ms', r.cli.oneFile.median < 250, nodeAlone);
  if (r.corpus.cli) target('corpus ≥ 2,000 files/s (CLI, one process)', r.corpus.cli.filesPerSec, 2000, 'files/s', r.corpus.cli.filesPerSec >= 2000, `that is the whole run in ${ms((1000 * r.corpus.cli.files) / 2000)} ms${nodeAlone ? `; ${nodeAlone}` : ''}`);
  if (r.corpus.inProcess) target('corpus ≥ 2,000 files/s (in-process)', r.corpus.inProcess.filesPerSec, 2000, 'files/s', r.corpus.inProcess.filesPerSec >= 2000);
  for (const p of peerRatios()) {
    const memory = p.peer.includes('(memory)');
    target(`${memory ? 'less memory than' : 'faster than'} ${p.peer.replace(' (memory)', '')} (${p.on})`, p.ratio, 1, memory ? '× (ours / peer)' : '× (ours / peer time)', p.ratio < 1, p.note);
  }
}

/** Every ours/peer time ratio, < 1 means we are faster. */
function peerRatios() {
  const out = [];
  const p = results.peers;
  const push = (peer, on, ours, theirs, note, oursCpu, theirsCpu) => {
    if (ours === undefined || theirs === undefined) return;
    out.push({ peer, on, ours, theirs, ratio: ours / theirs, cpuRatio: oursCpu !== undefined && theirsCpu !== undefined ? oursCpu / theirsCpu : undefined, note });
  };
  if (p.dockerfile) {
    for (const [set, v] of Object.entries(p.dockerfile.sets)) {
      push('dockerfile-utils validate', `${set}, in-process`, v.engine.median, v.dockerfileUtils?.median, peers.NOTES.dockerfileUtils, v.engine.cpu?.median, v.dockerfileUtils?.cpu?.median);
      push('dockerfilelint', `${set}, in-process`, v.engine.median, v.dockerfilelint?.median, peers.NOTES.dockerfilelint, v.engine.cpu?.median, v.dockerfilelint?.cpu?.median);
    }
  }
  if (p.dockerfileCli) for (const [set, v] of Object.entries(p.dockerfileCli.sets)) push('dockerfilelint CLI', `${set}, one process`, v.ours.median, v.dockerfilelint.median, peers.NOTES.dockerfilelint, v.ours.cpu?.median, v.dockerfilelint.cpu?.median);
  if (p.composeCli?.sets) for (const [set, v] of Object.entries(p.composeCli.sets)) push('DCLint CLI', `${set} (${v.files}), one process`, v.ours.median, v.dclint.median, peers.NOTES.dclint, v.ours.cpu?.median, v.dclint.cpu?.median);
  if (p.shell && !p.shell.error) for (const [set, v] of Object.entries(p.shell.sets)) push('ShellCheck', `${set}, one process each`, v.ours.median, v.shellcheck.median, peers.NOTES.shellcheck, v.ours.cpu?.median, v.shellcheck.cpu?.median);
  if (p.coldStart) {
    for (const [name, v] of Object.entries(p.coldStart)) {
      const o = name === 'shellcheck' ? results.cli.oneShellFile : results.cli.oneFile;
      if (v.median !== undefined) push(`${name} CLI`, 'one file, cold', o?.median, v.median, peers.NOTES[name === 'shellcheck' ? 'shellcheck' : 'dockerfilelint'], o?.cpu?.median, v.cpu?.median);
    }
  }
  if (p.compose && !p.compose.error) {
    for (const n of [1000, 10000]) {
      const ours = results.editor.latency?.compose?.[n];
      const theirs = p.compose.latency?.[n];
      if (ours && theirs) push('compose-language-service', `didChange → diagnostics p50, ${n} lines`, ours.median, theirs.median, peers.NOTES.compose);
    }
    if (results.editor.readyBin && p.compose.ready) push('compose-language-service', 'server ready', results.editor.readyBin.median, p.compose.ready.median, 'start-up only');
    if (results.editor.rssWith200DocsKb && p.compose.rssWith200DocsKb) push('compose-language-service (memory)', 'RSS with 200 documents (KB, not time)', results.editor.rssWith200DocsKb, p.compose.rssWith200DocsKb, 'its 200 documents are compose files only; ours are the mixed corpus');
  }
  return out;
}

function renderTable() {
  const r = results;
  const L = [];
  const m = r.machine;
  L.push(`## Container Hardening benchmark — ${r.date.slice(0, 16).replace('T', ' ')} UTC${r.quick ? ' (QUICK run: rough figures)' : ''}`);
  L.push('');
  if (r.build) L.push(`Build: commit ${r.build.commit} (${r.build.commitDate})${r.build.sourceDirty ? `, plus uncommitted changes (${r.build.sourceDirty})` : ''}; out/ and dist/ copied at start, so every figure is from that one build.`);
  L.push('');
  L.push(`Machine: ${m.cpu}, ${m.cores} cores (shared), ${m.memGB} GB, ${m.os}, Node ${m.node}; load average ${m.loadavgStart.join('/')} at start, ${m.loadavgEnd?.join('/')} at end; contention (wall/CPU of a fixed loop, 1.00 = a free core) ${m.contentionStart} at start, ${m.contentionEnd} at end. Medians of repeated, interleaved runs after warmup; total ${r.totalSeconds?.toFixed(0)} s.`);
  L.push('');
  if (Object.keys(r.engineVsParse).length) {
    L.push('### 1. Engine vs. bare parse (same parser; ratio = engine / parse)');
    L.push('');
    L.push('| source | input | lines | engine ms | parse ms | ratio | ratio (CPU time) | Dockerfile: parse + RUN shells ms | ratio |');
    L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const k of KINDS) {
      const e = r.engineVsParse[k];
      if (!e) continue;
      const row = (label, v, lines) => L.push(`| ${k} | ${label} | ${lines} | ${ms(v.engine.median)} | ${ms(v.parse.median)} | ${ratio(v.ratio)} | ${ratio(v.cpuRatio)} | ${v.parseWithRunShells ? ms(v.parseWithRunShells.median) : ''} | ${v.ratioWithRunShells ? ratio(v.ratioWithRunShells) : ''} |`);
      row(`corpus (${e.corpus.files} files, one pass)`, e.corpus, r.inputs.corpus[k].lines);
      for (const n of SIZES) if (e[`generated${n}`]) row(`generated ${n.toLocaleString('en')}`, e[`generated${n}`], e[`generated${n}`].lines);
    }
    L.push('');
    L.push('Parsers: dockerfile-ast `DockerfileParser.parse`, yaml `parseDocument`, tree-sitter-bash (web-tree-sitter) `parser.parse` + `tree.delete()`. The Dockerfile engine also parses each RUN with tree-sitter-bash, hence the extra floor column.');
    L.push('');
  }
  if (Object.keys(r.scaling).length) {
    L.push('### 2. Scaling (generated files)');
    L.push('');
    L.push('| source | 100 lines ms | 1,000 ms | 10,000 ms | 100,000 ms | 1k→10k vs linear | 10k→100k vs linear | 1k→100k vs linear | bare parse 1k→100k vs linear |');
    L.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const k of KINDS) {
      const s = r.scaling[k];
      if (!s) continue;
      L.push(`| ${k} | ${SIZES.map((n) => ms(s[n]?.engine.median)).join(' | ')} | ${ratio(s.growth1kTo10k)} | ${ratio(s.growth10kTo100k)} | ${ratio(s.growth1kTo100k)} | ${ratio(s.parseGrowth1kTo100k)} |`);
    }
    L.push('');
    L.push('Growth vs linear = (t(big)/t(small)) / (lines(big)/lines(small)); 1.00× is perfectly linear.');
    L.push('');
    L.push('| source | corpus files ≤ 200 lines | median ms (per-file medians) | p95 ms | max ms |');
    L.push('|---|---:|---:|---:|---:|');
    for (const k of KINDS) if (r.small[k]) L.push(`| ${k} | ${r.small[k].files} | ${ms(r.small[k].acrossFiles.median)} | ${ms(r.small[k].acrossFiles.p95)} | ${ms(r.small[k].acrossFiles.max)} |`);
    L.push('');
  }
  if (r.corpus.inProcess || r.corpus.cli) {
    L.push('### 3. Corpus throughput (test/corpus)');
    L.push('');
    L.push('| how | files | median ms | files/s | MB/s |');
    L.push('|---|---:|---:|---:|---:|');
    if (r.corpus.inProcess) L.push(`| in-process (analysis only, text in memory; CPU ${ms(r.corpus.inProcess.passMs.cpu.median)} ms) | ${r.corpus.inProcess.files} | ${ms(r.corpus.inProcess.passMs.median)} | ${r.corpus.inProcess.filesPerSec.toFixed(0)} | ${r.corpus.inProcess.mbPerSec.toFixed(2)} |`);
    if (r.corpus.cli) L.push(`| CLI, one process (\`check corpus --format json\`, incl. Node start-up; CPU ${ms(r.corpus.cli.wallMs.cpu.median)} ms = ${r.corpus.cli.filesPerCpuSec.toFixed(0)} files per CPU-second) | ${r.corpus.cli.files} | ${ms(r.corpus.cli.wallMs.median)} | ${r.corpus.cli.filesPerSec.toFixed(0)} | ${r.corpus.cli.mbPerSec.toFixed(2)} |`);
    L.push('');
  }
  if (r.editor.readyBin) {
    const e = r.editor;
    L.push('### 4. Editor (real server over stdio)');
    L.push('');
    L.push('| measure | p50 ms | p95 ms | p99 ms | n |');
    L.push('|---|---:|---:|---:|---:|');
    L.push(`| spawn → initialize answer (\`container-hardening-ls\` bin) | ${ms(e.readyBin.median)} | ${ms(e.readyBin.p95)} | ${ms(e.readyBin.p99)} | ${e.readyBin.n} |`);
    if (e.readyBundle) L.push(`| spawn → initialize answer (dist/server.js bundle) | ${ms(e.readyBundle.median)} | ${ms(e.readyBundle.p95)} | ${ms(e.readyBundle.p99)} | ${e.readyBundle.n} |`);
    for (const k of KINDS) for (const n of [1000, 10000]) {
      const l = e.latency?.[k]?.[n];
      if (l) L.push(`| didChange → publishDiagnostics, ${k}, ${l.lines} lines (debounce 0) | ${ms(l.median)} | ${ms(l.p95)} | ${ms(l.p99)} | ${l.n}${l.stoppedByBudget ? ` (of ${l.planned}: time budget)` : ''} |`);
    }
    for (const n of [1000, 10000]) {
      const l = r.peers.compose?.latency?.[n];
      if (l) L.push(`| peer: compose-language-service, compose, ${l.lines} lines (diagnosticDelay 0) | ${ms(l.median)} | ${ms(l.p95)} | ${ms(l.p99)} | ${l.n}${l.stoppedByBudget ? ` (of ${l.planned}: time budget)` : ''} |`);
    }
    if (r.peers.compose?.ready) L.push(`| peer: compose-language-service spawn → initialize answer | ${ms(r.peers.compose.ready.median)} | ${ms(r.peers.compose.ready.p95)} | ${ms(r.peers.compose.ready.p99)} | ${r.peers.compose.ready.n} |`);
    if (e.latencyDefaultDebounce) {
      const l = e.latencyDefaultDebounce;
      L.push(`| same, dockerfile ${l.lines} lines, default 200 ms debounce | ${ms(l.median)} | ${ms(l.p95)} | ${ms(l.p99)} | ${l.n} |`);
    }
    L.push('');
    L.push(`Resident memory: ${(e.rssIdleKb / 1024).toFixed(1)} MB after initialize, ${(e.rssWith200DocsKb / 1024).toFixed(1)} MB with 200 documents open (VmRSS, corpus files cycled under distinct URIs, read 0.5 s after the last diagnostics).`);
    L.push('');
    L.push('With debounce 0 the server analyses an edit as soon as it has read the messages already received (service.ts); changes that arrive during an analysis are analysed once, at their last version. The client sends the next edit only after the diagnostics of the previous one, so every edit is measured alone. Series stop after a 10 s budget (n shows how many edits were measured).');
    if (r.cli.nodeBaseline) L.push(`For scale: spawning \`node -e 0\` takes ${ms(r.cli.nodeBaseline.median)} ms wall (${ms(r.cli.nodeBaseline.cpu?.median)} ms CPU) on this machine, the floor under every spawn → initialize time.`);
    L.push('');
  }
  if (r.cli.oneFile) {
    L.push('### 5. CLI cold start');
    L.push('');
    L.push('| command | median ms | p95 ms | CPU ms (median) | n |');
    L.push('|---|---:|---:|---:|---:|');
    const row = (label, v) => L.push(`| ${label} | ${ms(v.median)} | ${ms(v.p95)} | ${ms(v.cpu?.median)} | ${v.n} |`);
    row('`node -e 0` (Node alone)', r.cli.nodeBaseline);
    row(`container-hardening check ${r.cli.file}`, r.cli.oneFile);
    row(`container-hardening check ${r.cli.oneShellFile.file}`, r.cli.oneShellFile);
    for (const [name, v] of Object.entries(r.peers.coldStart ?? {})) if (v.median !== undefined) row(`${name} ${v.file} (peer)`, v);
    L.push('');
  }
  const pr = peerRatios();
  if (pr.length || r.peers.compose?.error || r.peers.shell?.error) {
    L.push('### 6. Peers, same files, same run (ratio = our time / peer time; < 1 = we are faster)');
    L.push('');
    L.push('| peer | on | ours | peer | ratio | ratio (CPU time) | the peer does |');
    L.push('|---|---|---:|---:|---:|---:|---|');
    for (const p of pr) {
      const unit = p.on.startsWith('RSS') ? ' KB' : ' ms';
      L.push(`| ${p.peer} | ${p.on} | ${ms(p.ours)}${unit} | ${ms(p.theirs)}${unit} | ${ratio(p.ratio)} | ${p.cpuRatio !== undefined ? ratio(p.cpuRatio) : ''} | ${p.note ?? ''} |`);
    }
    if (r.peers.compose?.error) L.push(`| compose-language-service | — | — | — | — | could not be run: ${r.peers.compose.error} |`);
    if (r.peers.shell?.error) L.push(`| ShellCheck | — | — | — | — | could not be run: ${r.peers.shell.error} |`);
    if (r.peers.composeCli?.error) L.push(`| DCLint | — | — | — | — | could not be run: ${r.peers.composeCli.error} |`);
    L.push('');
    L.push('Peers do different amounts of work (see the last column): a ratio compares wall time on the same input, not equal analyses.');
    if (r.peers.compose?.version) L.push(`compose-language-service: ${r.peers.compose.version}; ${r.peers.compose.howRun}`);
    if (r.peers.composeCli?.version) L.push(`DCLint: ${r.peers.composeCli.version}, \`dclint <files> -f json\` against \`container-hardening check <files> --format json\`.`);
    for (const n of r.notes) L.push(n);
    L.push('');
  }
  if (r.workspace?.files) L.push(...workspaceBench.render(r.workspace, ms), '');
  L.push('### Targets');
  L.push('');
  L.push('| target | measured | goal | met |');
  L.push('|---|---:|---:|:---:|');
  for (const t of r.targets) L.push(`| ${t.name}${t.note ? ` — ${t.note}` : ''} | ${typeof t.value === 'number' ? (t.unit.startsWith('×') ? ratio(t.value) : ms(t.value)) : t.value} ${t.unit.startsWith('×') ? '' : t.unit} | ${t.unit.startsWith('×') ? '≤ ' + t.limit + '×' : t.limit + ' ' + t.unit} | ${t.met ? 'yes' : '**no**'} |`);
  return L.join('\n');
}

main().catch((e) => {
  log(`bench failed: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
