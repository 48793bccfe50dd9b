'use strict';
/**
 * The floor (bare parsers) and the peers of the benchmark, run on the same
 * files as the engine:
 *   - dockerfile-utils `validate` (in-process; dockerfile-ast, same parser family)
 *   - dockerfilelint `run` (in-process) and its CLI
 *   - ShellCheck (Debian package, one process per run)
 *   - @microsoft/compose-language-service over stdio, installed on demand
 *     into .cache/bench-peers/ (it declares engines node >= 22)
 *   - DCLint (npm `dclint`, a compose linter), its CLI, installed on demand
 *     into .cache/bench-peers/dclint/
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync, execFileSync } = require('node:child_process');
const { pathToFileURL } = require('node:url');
const { now, stats, compare, timeRuns } = require('./timing');

const ROOT = path.resolve(__dirname, '..', '..');
const PEER_DIR = path.join(ROOT, '.cache', 'bench-peers');

/** What each peer does, next to every ratio: they do different amounts of work. */
const NOTES = {
  dockerfileUtils: 'parses with dockerfile-ast and checks instruction syntax/arguments (no shell parsing, no security rules, no fixes)',
  dockerfilelint: 'line-based regex checks of instructions (own tokenizer, no AST, no shell parser); reads its rc file per call',
  shellcheck: 'full shell parse + ~400 general shell-correctness checks (no Docker security rules); native Haskell binary',
  compose: 'YAML parse + syntax errors only (its diagnostics); no compose semantics',
  dclint: 'YAML parse + JSON-schema validation of the compose spec + ~20 style and correctness rules (a few about ports and images); Node CLI',
};

// ------------------------------------------------------------------ the floor

async function loadParsers() {
  const { DockerfileParser } = require('dockerfile-ast');
  const { parseDocument } = require('yaml');
  // The same CommonJS instance the engine initialised (initShell requires web-tree-sitter).
  const ts = require('web-tree-sitter');
  let parser;
  try {
    parser = new ts.Parser();
  } catch {
    await ts.Parser.init({ locateFile: () => require.resolve('web-tree-sitter/tree-sitter.wasm') });
    parser = new ts.Parser();
  }
  parser.setLanguage(await ts.Language.load(fs.readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'))));
  const yamlOptions = { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: false, maxAliasCount: 1000 };
  const parseShell = (text) => {
    const tree = parser.parse(text);
    tree.delete();
  };
  const parse = {
    dockerfile: (text) => DockerfileParser.parse(text),
    compose: (text) => parseDocument(text, yamlOptions),
    shell: parseShell,
  };
  /** dockerfile-ast, then tree-sitter-bash on the arguments of every RUN: the engine's real parse work. */
  const parseDockerfileWithRuns = (text) => {
    const df = DockerfileParser.parse(text);
    let starts;
    for (const ins of df.getInstructions()) {
      if (ins.getKeyword() !== 'RUN') continue;
      const r = ins.getArgumentsRange();
      if (!r) continue;
      if (!starts) {
        starts = [0];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      }
      parseShell(text.slice(starts[r.start.line] + r.start.character, starts[r.end.line] + r.end.character));
    }
  };
  return { parse, parseDockerfileWithRuns };
}

// ------------------------------------------------------------------ Dockerfile peers

function dockerfilePeers({ byKind, gen, analyze, Q }) {
  const { validate } = require('dockerfile-utils');
  const lint = require('dockerfilelint');
  fs.mkdirSync(PEER_DIR, { recursive: true });
  const sets = {
    corpus: byKind.dockerfile.map((f) => ({ text: f.text, path: f.path })),
    'generated 1,000 lines': [{ text: gen.dockerfile[1000].text, path: gen.dockerfile[1000].fileName }],
    'generated 10,000 lines': [{ text: gen.dockerfile[10000].text, path: gen.dockerfile[10000].fileName }],
  };
  const out = { versions: { dockerfileUtils: pkgVersion('dockerfile-utils'), dockerfilelint: pkgVersion('dockerfilelint') }, sets: {} };
  for (const [name, files] of Object.entries(sets)) {
    const c = compare(
      {
        engine: () => {
          for (const f of files) analyze(f.text, f.path, 'dockerfile');
        },
        dockerfileUtils: () => {
          for (const f of files) validate(f.text);
        },
        dockerfilelint: () => {
          for (const f of files) lint.run(PEER_DIR, f.text);
        },
      },
      { minRuns: Q(7, 3), minMs: Q(1200, 200) },
    );
    out.sets[name] = { files: files.length, ...c };
    process.stderr.write(`peers dockerfile ${name}: engine ${c.engine.median.toFixed(2)} ms, dockerfile-utils ${c.dockerfileUtils.median.toFixed(2)} ms, dockerfilelint ${c.dockerfilelint.median.toFixed(2)} ms\n`);
  }
  return out;
}

function pkgVersion(name, dir = ROOT) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

const timeProcess = timeRuns;

/** Runs two commands `reps` times, interleaved; { ours, theirs } wall+cpu stats. */
function interleaved(a, b, reps, optsA, optsB) {
  const ra = [];
  const rb = [];
  for (let i = 0; i < reps; i++) {
    ra.push(timeRuns(a, 1, optsA));
    rb.push(timeRuns(b, 1, optsB));
  }
  const merge = (rs) => ({ ...stats(rs.map((r) => r.median)), cpu: stats(rs.map((r) => r.cpu.median)) });
  return [merge(ra), merge(rb)];
}

/** Our CLI vs. dockerfilelint's CLI, one process each over the same files. */
function dockerfileCliPeers({ byKind, genFiles, Q, CLI, ROOT: root }) {
  const bin = path.join(root, 'node_modules', 'dockerfilelint', 'bin', 'dockerfilelint');
  const sets = {
    'corpus Dockerfiles': byKind.dockerfile.map((f) => f.path),
    'generated 10,000 lines': [genFiles.dockerfile[10000]],
  };
  const out = { sets: {} };
  for (const [name, files] of Object.entries(sets)) {
    const [ours, theirs] = interleaved([process.execPath, CLI, 'check', ...files, '--format', 'json', '--fail-on', 'none'], [process.execPath, bin, '-j', ...files], Q(3, 2), { cwd: root }, { cwd: PEER_DIR });
    out.sets[name] = { files: files.length, ours, dockerfilelint: theirs };
  }
  return out;
}

// ------------------------------------------------------------------ ShellCheck

function shellcheckVersion() {
  try {
    return /version:\s*(\S+)/.exec(execFileSync('shellcheck', ['--version']).toString())?.[1];
  } catch {
    return undefined;
  }
}

function shellPeers({ byKind, gen, genFiles, analyze, Q, CLI, ROOT: root }) {
  const version = shellcheckVersion();
  if (!version) return { error: 'shellcheck is not installed (apt-get install shellcheck)' };
  const sets = {
    'corpus shell scripts': { files: byKind.shell.map((f) => f.path), reps: Q(3, 2) },
    'generated 1,000 lines': { files: [genFiles.shell[1000]], reps: Q(3, 1) },
    // ShellCheck needs seconds here: one run each.
    'generated 10,000 lines': { files: [genFiles.shell[10000]], reps: 1 },
  };
  const out = { version, sets: {} };
  for (const [name, { files, reps }] of Object.entries(sets)) {
    const [ours, theirs] = interleaved([process.execPath, CLI, 'check', ...files, '--format', 'json', '--fail-on', 'none'], ['shellcheck', '-f', 'json', ...files], reps, { cwd: root }, { cwd: root });
    // The engine alone on the same text, for scale.
    const texts = files.map((p) => ({ p, text: fs.readFileSync(p, 'utf8') }));
    const inProc = [];
    for (let i = 0; i < Math.max(3, reps); i++) {
      const a = now();
      for (const t of texts) analyze(t.text, t.p, 'shell');
      inProc.push(now() - a);
    }
    out.sets[name] = { files: files.length, ours, shellcheck: theirs, engineInProcess: stats(inProc) };
    process.stderr.write(`peers shell ${name}: our CLI ${ours.median.toFixed(0)} ms, shellcheck ${theirs.median.toFixed(0)} ms\n`);
  }
  return out;
}

/** Peers' CLIs on one file, cold (a new process each time). */
function coldStart({ dockerfile, shell, reps }) {
  const out = {};
  const bin = path.join(ROOT, 'node_modules', 'dockerfilelint', 'bin', 'dockerfilelint');
  fs.mkdirSync(PEER_DIR, { recursive: true });
  out.dockerfilelint = { file: path.basename(dockerfile), ...timeProcess([process.execPath, bin, '-j', dockerfile], reps, { cwd: PEER_DIR }) };
  if (shellcheckVersion()) out.shellcheck = { file: path.basename(shell), ...timeProcess(['shellcheck', '-f', 'json', shell], reps) };
  return out;
}

// ------------------------------------------------------------------ compose-language-service

/**
 * Installs @microsoft/compose-language-service into .cache/bench-peers/<dir>
 * (npm install --ignore-scripts --no-save) unless it is there already.
 * Returns the path of its server binary, or throws with what went wrong.
 */
function ensureCompose(spec, dir) {
  const d = path.join(PEER_DIR, dir);
  const pkg = path.join(d, 'node_modules', '@microsoft', 'compose-language-service');
  if (!fs.existsSync(path.join(pkg, 'package.json'))) {
    fs.mkdirSync(d, { recursive: true });
    if (!fs.existsSync(path.join(d, 'package.json'))) fs.writeFileSync(path.join(d, 'package.json'), JSON.stringify({ name: `bench-peers-${dir}`, private: true }));
    const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', spec], { cwd: d, encoding: 'utf8', timeout: 180000 });
    if (r.status !== 0) throw new Error(`npm install ${spec} failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ')}`);
  }
  const meta = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  const binRel = typeof meta.bin === 'string' ? meta.bin : Object.values(meta.bin ?? {})[0];
  return { bin: path.join(pkg, binRel), version: meta.version, engines: meta.engines?.node };
}

// ------------------------------------------------------------------ DCLint

const DCLINT_SPEC = 'dclint@3.1.0';

/** Installs DCLint into .cache/bench-peers/dclint (npm install --ignore-scripts --no-save) unless it is there; its bin and version. */
function ensureDclint() {
  const d = path.join(PEER_DIR, 'dclint');
  const pkg = path.join(d, 'node_modules', 'dclint');
  if (!fs.existsSync(path.join(pkg, 'package.json'))) {
    fs.mkdirSync(d, { recursive: true });
    if (!fs.existsSync(path.join(d, 'package.json'))) fs.writeFileSync(path.join(d, 'package.json'), JSON.stringify({ name: 'bench-peers-dclint', private: true }));
    const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', DCLINT_SPEC], { cwd: d, encoding: 'utf8', timeout: 180000 });
    if (r.status !== 0) throw new Error(`npm install ${DCLINT_SPEC} failed: ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' ')}`);
  }
  const meta = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
  const binRel = typeof meta.bin === 'string' ? meta.bin : meta.bin?.dclint ?? Object.values(meta.bin ?? {})[0];
  return { bin: path.join(pkg, binRel), version: meta.version };
}

/** Our CLI vs. DCLint's CLI on the corpus compose files, one process each, interleaved. */
function composeCliPeers({ byKind, Q, CLI, ROOT: root }) {
  let info;
  try {
    info = ensureDclint();
  } catch (e) {
    return { error: e.message };
  }
  const files = byKind.compose.map((f) => f.path);
  const [ours, theirs] = interleaved([process.execPath, CLI, 'check', ...files, '--format', 'json', '--fail-on', 'none'], [process.execPath, info.bin, ...files, '-f', 'json'], Q(5, 2), { cwd: root }, { cwd: root });
  process.stderr.write(`peers compose CLI: ours ${ours.median.toFixed(0)} ms, dclint ${theirs.median.toFixed(0)} ms (${files.length} files)\n`);
  return { version: `${DCLINT_SPEC.split('@')[0]} ${info.version}`, sets: { 'corpus compose files': { files: files.length, ours, dclint: theirs } } };
}

async function composePeer({ gen, corpus, Q, editLatency, openMany }) {
  const { LspClient } = require('./lsp');
  const attempts = [
    ['@microsoft/compose-language-service@1.0.0', 'v1'],
    ['@microsoft/compose-language-service@0.4.0', 'v04'],
  ];
  const failures = [];
  for (const [spec, dir] of attempts) {
    let info;
    try {
      info = ensureCompose(spec, dir);
    } catch (e) {
      failures.push(`${spec}: ${e.message}`);
      continue;
    }
    const init = { diagnosticDelay: 0 };
    try {
      const ready = [];
      for (let i = 0; i < Q(7, 2); i++) {
        const c = new LspClient(process.execPath, [info.bin, '--stdio'], { cwd: ROOT });
        try {
          ready.push((await c.initialize(init)).readyMs);
        } finally {
          await c.stop();
        }
      }
      const out = {
        version: `${spec} (engines node ${info.engines}; run on Node ${process.version})`,
        howRun: `its own server binary over stdio, initializationOptions.diagnosticDelay = 0 (default 1000 ms debounce), same edits as ours`,
        ready: stats(ready),
        latency: {},
        failures,
      };
      const c = new LspClient(process.execPath, [info.bin, '--stdio'], { cwd: ROOT });
      try {
        await c.initialize(init);
        for (const [n, edits] of [
          [1000, Q(300, 40)],
          [10000, Q(200, 20)],
        ]) {
          const g = gen.compose[n];
          const uri = pathToFileURL(path.join('/bench-edit', 'peer', String(n), 'compose.yaml')).toString();
          out.latency[n] = { lines: g.lines, ...(await editLatency(c, uri, 'dockercompose', g.text, edits, 7 + n)) };
        }
      } finally {
        await c.stop();
      }
      const m = new LspClient(process.execPath, [info.bin, '--stdio'], { cwd: ROOT });
      try {
        await m.initialize(init);
        await new Promise((r) => setTimeout(r, 300));
        out.rssIdleKb = m.rssKb();
        out.rssWith200DocsKb = await openMany(m, corpus.filter((f) => f.kind === 'compose'), 200, 'peer');
      } finally {
        await m.stop();
      }
      process.stderr.write(`peers compose (${spec}): ready ${out.ready.median.toFixed(0)} ms, 1k p50 ${out.latency[1000].median.toFixed(2)} ms\n`);
      return out;
    } catch (e) {
      failures.push(`${spec} installed but could not be driven on Node ${process.version}: ${e.message}`);
    }
  }
  return { error: failures.join('; '), failures };
}

module.exports = { NOTES, loadParsers, dockerfilePeers, dockerfileCliPeers, shellPeers, coldStart, composePeer, composeCliPeers };
