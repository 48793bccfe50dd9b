'use strict';
/**
 * Two builds' language servers and CLIs side by side, interleaved, so that whatever slows the
 * shared machine slows both (a single `npm run bench` of each, minutes apart, moves by ±30 %):
 *
 *   - server ready: spawn → `initialize` answer, the two bins alternating;
 *   - typing: both servers hold the same generated 1,000-line file of each kind and get the same
 *     keystrokes (a letter typed inside a word, then deleted: `npm run bench`'s edits), each edit
 *     sent to one and then the other (the order alternates), didChange → publishDiagnostics;
 *   - memory: resident memory with 200 documents open (the corpus cycled under distinct URIs);
 *   - CLI: `check` of one Dockerfile, cold, the two bins alternating.
 *
 *   node test/bench/server-ab.js <before checkout> [<after checkout>] [--edits=300] [--runs=9]
 *                                 [--only=ready,typing,memory,cli] [--kinds=dockerfile,compose,shell]
 *
 * A checkout is a folder with server/bin and a build (out/, dist/): a git worktree of an older
 * commit with `npx tsc -p . && npm run bundle` run in it. Its bins run the newer of the two
 * builds; both checkouts must run the same kind (the bundle is what the extension runs). Prints medians and p95s and after ÷
 * before. It measures; it asserts nothing.
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('./lsp');
const { generate, FILE_NAMES, makeEdits } = require('./generate');
const { stats, now } = require('./timing');

const ROOT = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
if (!dirs.length) {
  console.error('usage: node test/bench/server-ab.js <before checkout> [<after checkout>] [--edits=300] [--runs=9]');
  process.exit(2);
}
const opt = (name, def) => Number((args.find((a) => a.startsWith(`--${name}=`)) ?? `--${name}=${def}`).split('=')[1]);
const EDITS = opt('edits', 300);
const RUNS = opt('runs', 9);
const checkouts = { before: path.resolve(dirs[0]), after: path.resolve(dirs[1] ?? ROOT) };
const NAMES = ['before', 'after'];
const list = (name, def) => (args.find((a) => a.startsWith(`--${name}=`)) ?? `--${name}=${def}`).split('=')[1].split(',');
const ONLY = list('only', 'ready,typing,memory,cli');
const KINDS = list('kinds', 'dockerfile,compose,shell');
const LANGUAGE_IDS = { dockerfile: 'dockerfile', compose: 'dockercompose', shell: 'shellscript' };
const lsBin = (c) => path.join(checkouts[c], 'server', 'bin', 'container-hardening-ls.js');
const cliBin = (c) => path.join(checkouts[c], 'server', 'bin', 'container-hardening.js');
/** Each round's order: before first in even rounds, after first in odd ones. */
const order = (r) => (r % 2 ? [...NAMES].reverse() : NAMES);

function server(name) {
  return new LspClient(process.execPath, [lsBin(name), '--stdio'], { cwd: checkouts[name] });
}

function corpusFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusFiles(p));
    else if (!/LICENSE|\.md$/.test(e.name)) out.push({ path: p, kind: { dockerfiles: 'dockerfile', compose: 'compose', shell: 'shell' }[path.basename(dir)], text: fs.readFileSync(p, 'utf8') });
  }
  return out;
}

function report(what, samples, unit, digits = 1) {
  const s = { before: stats(samples.before), after: stats(samples.after) };
  const f = (x) => x.toFixed(digits);
  console.log(`${what.padEnd(44)} median ${f(s.before.median)} → ${f(s.after.median)} ${unit} (${(s.after.median / s.before.median).toFixed(2)}×)` +
    (unit === 'ms' && samples.before.length >= 20 ? `   p95 ${f(s.before.p95)} → ${f(s.after.p95)} ${unit} (${(s.after.p95 / s.before.p95).toFixed(2)}×)` : '') + `   n ${samples.before.length}`);
}

async function ready() {
  const ms = { before: [], after: [] };
  for (let r = 0; r < RUNS; r++) {
    for (const name of order(r)) {
      const c = server(name);
      try {
        ms[name].push((await c.initialize({ debounceMs: 0 })).readyMs);
      } finally {
        await c.stop();
      }
    }
  }
  report('server ready (spawn → initialize answer)', ms, 'ms');
}

async function typing() {
  const servers = { before: server('before'), after: server('after') };
  for (const name of NAMES) await servers[name].initialize({ debounceMs: 0 });
  try {
    for (const kind of KINDS) {
      const text = generate(kind, 1000);
      const uri = pathToFileURL(path.join('/ab-edit', kind, FILE_NAMES[kind])).toString();
      for (const name of NAMES) await servers[name].open(uri, LANGUAGE_IDS[kind], text, 1);
      const ms = { before: [], after: [] };
      const edits = makeEdits(text, EDITS, 7);
      for (let i = 0; i < edits.length; i++) {
        for (const name of order(i)) {
          const r = await servers[name].change(uri, i + 2, edits[i].range, edits[i].text);
          // The first edits warm the change path up (JIT).
          if (i >= 10) ms[name].push(r.ms);
        }
      }
      for (const name of NAMES) await servers[name].close(uri);
      report(`typing, ${kind}, 1,000 lines (didChange → diagnostics)`, ms, 'ms');
    }
  } finally {
    for (const name of NAMES) await servers[name].stop();
  }
}

async function memory() {
  const files = corpusFiles(path.join(ROOT, 'test', 'corpus'));
  const mb = { before: [], after: [] };
  for (let r = 0; r < Math.min(RUNS, 4); r++) {
    for (const name of order(r)) {
      const c = server(name);
      await c.initialize({ debounceMs: 0 });
      try {
        const waits = [];
        for (let i = 0; i < 200; i++) {
          const f = files[i % files.length];
          waits.push(c.open(pathToFileURL(path.join('/ab-docs', String(i), path.basename(f.path))).toString(), LANGUAGE_IDS[f.kind], f.text, 1));
        }
        await Promise.all(waits);
        await new Promise((res) => setTimeout(res, 1000));
        mb[name].push(c.rssKb() / 1024);
      } finally {
        await c.stop();
      }
    }
  }
  report('resident memory, 200 documents open', mb, 'MB');
}

function cli() {
  const file = path.join(ROOT, 'test', 'corpus', 'dockerfiles', 'afterthedeadline_Dockerfile');
  const ms = { before: [], after: [] };
  for (let r = 0; r < RUNS * 2; r++) {
    for (const name of order(r)) {
      const t0 = now();
      spawnSync(process.execPath, [cliBin(name), 'check', file], { cwd: checkouts[name], stdio: 'ignore' });
      ms[name].push(now() - t0);
    }
  }
  report('CLI, one Dockerfile, cold', ms, 'ms');
}

/** What the checkout's language-server bin runs: the newest of its bundle and its tsc build. */
function entryOf(name) {
  const { newestBuild, root } = require(path.join(checkouts[name], 'server', 'bin', 'newest-build.js'));
  return path.relative(root, newestBuild('dist/server.js', 'out/server/src/server.js') ?? '(not built)');
}

(async () => {
  const entries = { before: entryOf('before'), after: entryOf('after') };
  console.log(`before: ${checkouts.before} (runs ${entries.before})\nafter:  ${checkouts.after} (runs ${entries.after})\nload ${require('node:os').loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  // The bundle and the tsc build differ in speed: compare like with like (what the extension runs is the bundle).
  if (entries.before !== entries.after) {
    console.error('the two bins run different builds: run `npm run bundle` (or `npx tsc -p .`) in the older one');
    process.exit(2);
  }
  if (ONLY.includes('ready')) await ready();
  if (ONLY.includes('typing')) await typing();
  if (ONLY.includes('memory')) await memory();
  if (ONLY.includes('cli')) cli();
})();
