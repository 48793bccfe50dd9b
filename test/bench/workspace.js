'use strict';
/**
 * Check Workspace on 5,000 files: the corpus repeated into
 * .cache/bench-workspace/, checked through the real language server over
 * stdio with the request the VS Code client sends (the file list), end to
 * end (request → answer, every file's diagnostics published). Three ways of
 * analysing: worker threads as the server picks them (one on 2 cores), two
 * workers, and the server's own thread (the fallback where there are no
 * workers). Then didChange → diagnostics of an open 1,000-line compose file,
 * idle and while a check runs, for workers and for the server's thread; and
 * `container-hardening check` on the same folder for scale.
 */
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('./lsp');
const { now, stats, timeRuns } = require('./timing');

const COUNT = 5000;
const METHOD = 'containerHardening/checkWorkspace';

/** The corpus copied into copy0/, copy1/, … (folders kept, so compose files find their Dockerfiles) until COUNT files. */
function makeWorkspace(corpus, root) {
  const dir = path.join(root, '.cache', 'bench-workspace');
  const key = `${COUNT} ${corpus.length} ${corpus.reduce((a, f) => a + f.bytes, 0)}`;
  const marker = path.join(dir, '.made');
  const listFile = path.join(dir, '.files.json');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === key) return { dir, files: JSON.parse(fs.readFileSync(listFile, 'utf8')) };
  fs.rmSync(dir, { recursive: true, force: true });
  const files = [];
  for (let copy = 0; files.length < COUNT; copy++) {
    for (const f of corpus) {
      if (files.length >= COUNT) break;
      const p = path.join(dir, `copy${copy}`, path.basename(path.dirname(f.path)), path.basename(f.path));
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.text);
      files.push(p);
    }
  }
  fs.writeFileSync(listFile, JSON.stringify(files));
  fs.writeFileSync(marker, key);
  return { dir, files };
}

/** CPU time (user + system, every thread) of a process so far, in ms, from /proc (Linux; 10 ms ticks). */
function cpuMsOf(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

function client(LS_BIN, root, workers) {
  const env = { ...process.env };
  if (workers === undefined) delete env.CH_WORKSPACE_WORKERS;
  else env.CH_WORKSPACE_WORKERS = String(workers);
  return new LspClient(process.execPath, [LS_BIN, '--stdio'], { cwd: root, env });
}

/** One check in a fresh server (cold: workers start, JIT cold) and a second one in the same server (warm). */
async function checkTimes(LS_BIN, root, workers, params) {
  const c = client(LS_BIN, root, workers);
  try {
    await c.initialize({ debounceMs: 0 });
    let cpu = cpuMsOf(c.pid);
    let t = now();
    const first = await c.conn.sendRequest(METHOD, params);
    const cold = now() - t;
    const coldCpu = cpuMsOf(c.pid) - cpu;
    cpu = cpuMsOf(c.pid);
    t = now();
    const second = await c.conn.sendRequest(METHOD, params);
    const warm = now() - t;
    const warmCpu = cpuMsOf(c.pid) - cpu;
    return { cold, warm, coldCpu, warmCpu, rssKb: c.rssKb(), answer: second, firstAnswer: first };
  } finally {
    await c.stop();
  }
}

/** Edits of an open 1,000-line compose file, each waiting for its diagnostics: idle, then while a check runs. */
async function editsDuringCheck({ LS_BIN, root, workers, params, text, edits, idleCount }) {
  const c = client(LS_BIN, root, workers);
  try {
    await c.initialize({ debounceMs: 0 });
    const uri = pathToFileURL('/bench-workspace-edit/compose.yaml').toString();
    await c.open(uri, 'dockercompose', text, 1);
    let version = 1;
    let i = 0;
    const edit = async () => {
      const e = edits[i++ % edits.length];
      version++;
      return (await c.change(uri, version, e.range, e.text)).ms;
    };
    for (let k = 0; k < 10; k++) await edit(); // warm-up
    const idle = [];
    for (let k = 0; k < idleCount; k++) idle.push(await edit());
    // A warm-up check (workers started, JIT warm), then the measured one.
    await c.conn.sendRequest(METHOD, params);
    const during = [];
    let done = false;
    const t0 = now();
    const check = c.conn.sendRequest(METHOD, params).then((r) => {
      done = true;
      return r;
    });
    while (!done) during.push(await edit());
    const answer = await check;
    const checkMs = now() - t0;
    // The last edit may have ended after the check: it still started during it.
    return { idle: stats(idle), during: stats(during), checkMs, answer };
  } finally {
    await c.stop();
  }
}

async function run({ corpus, gen, Q, LS_BIN, CLI, ROOT, makeEdits, log }) {
  const { dir, files } = makeWorkspace(corpus, ROOT);
  const params = { files: files.map((f) => pathToFileURL(f).toString()) };
  const out = { files: files.length, corpusFiles: corpus.length, folder: path.relative(ROOT, dir), modes: {}, latency: {} };
  const modes = [
    ['workers (default)', undefined],
    ['2 workers', 2],
    ['server thread (no workers)', 0],
  ];
  const raw = Object.fromEntries(modes.map(([n]) => [n, { cold: [], warm: [], coldCpu: [], warmCpu: [], rssKb: [] }]));
  for (let r = 0; r < Q(3, 1); r++) {
    for (const [name, workers] of modes) {
      const t = await checkTimes(LS_BIN, ROOT, workers, params);
      raw[name].cold.push(t.cold);
      raw[name].warm.push(t.warm);
      raw[name].coldCpu.push(t.coldCpu);
      raw[name].warmCpu.push(t.warmCpu);
      raw[name].rssKb.push(t.rssKb);
      raw[name].answer = t.answer;
      log(`workspace ${name}: ${t.cold.toFixed(0)} ms cold, ${t.warm.toFixed(0)} ms warm, CPU ${t.coldCpu} / ${t.warmCpu} ms (${t.answer.checked} files, workers ${t.answer.workers})`);
    }
  }
  for (const [name] of modes) {
    const v = raw[name];
    out.modes[name] = { cold: stats(v.cold), warm: stats(v.warm), coldCpu: stats(v.coldCpu), warmCpu: stats(v.warmCpu), rssKb: stats(v.rssKb), workers: v.answer.workers, checked: v.answer.checked, diagnostics: v.answer.errors + v.answer.warnings + v.answer.infos };
  }
  const g = gen.compose[1000];
  const edits = makeEdits(g.text, 2000, 5000);
  for (const [name, workers] of [modes[0], modes[2]]) {
    out.latency[name] = { lines: g.lines, ...(await editsDuringCheck({ LS_BIN, root: ROOT, workers, params, text: g.text, edits, idleCount: Q(60, 20) })) };
    const l = out.latency[name];
    log(`workspace edits, ${name}: p95 idle ${l.idle.p95.toFixed(1)} ms, during the check ${l.during.p95.toFixed(1)} ms (${l.during.n} edits; check ${l.checkMs.toFixed(0)} ms)`);
  }
  out.cli = timeRuns([process.execPath, CLI, 'check', dir, '--format', 'json', '--fail-on', 'none'], Q(3, 1), { cwd: ROOT });
  log(`workspace CLI: ${out.cli.median.toFixed(0)} ms`);
  return out;
}

function render(w, ms) {
  const L = [];
  L.push(`### 7. Check Workspace, ${w.files.toLocaleString('en')} files (the ${w.corpusFiles} corpus files repeated), real server over stdio`);
  L.push('');
  L.push('| how the server analyses | first check in a new server, ms (CPU ms) | again in the same server, ms (CPU ms) | files/s (again) | resident memory after, MB | n |');
  L.push('|---|---:|---:|---:|---:|---:|');
  for (const [name, v] of Object.entries(w.modes)) {
    L.push(`| ${name}: ${v.workers} worker thread(s) | ${ms(v.cold.median)} (${ms(v.coldCpu?.median)}) | ${ms(v.warm.median)} (${ms(v.warmCpu?.median)}) | ${(w.files / (v.warm.median / 1000)).toFixed(0)} | ${(v.rssKb.median / 1024).toFixed(0)} | ${v.cold.n} |`);
  }
  if (w.cli) L.push(`| for scale: \`container-hardening check\` on the same folder (one process, its own walk) | ${ms(w.cli.median)} (${ms(w.cli.cpu?.median)}) | | ${(w.files / (w.cli.median / 1000)).toFixed(0)} | | ${w.cli.n} |`);
  L.push('');
  L.push('CPU: user + system time of the server process (every thread) during the request, from /proc; it holds up better than wall time on a loaded shared machine.');
  L.push('');
  L.push('End to end: the request with the file list the VS Code client sends, answered after every file was read, analysed and its diagnostics published (the bench client receives them all).');
  L.push('');
  L.push('| didChange → diagnostics, open 1,000-line compose file, debounce 0 | idle p50 / p95 ms | during a check p50 / p95 ms | edits during the check | check took, ms |');
  L.push('|---|---:|---:|---:|---:|');
  for (const [name, l] of Object.entries(w.latency)) L.push(`| ${name} | ${ms(l.idle.median)} / ${ms(l.idle.p95)} | ${ms(l.during.median)} / ${ms(l.during.p95)} | ${l.during.n} | ${ms(l.checkMs)} |`);
  return L;
}

module.exports = { run, render, makeWorkspace, COUNT };
