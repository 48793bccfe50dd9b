'use strict';
/**
 * Two builds of the engine side by side, in one process: both analyse the corpus
 * (test/corpus) in turn, alternating which goes first (zig-zag, see below), and the CPU time of each
 * pass is recorded. On a shared machine this is steadier than two bench runs an
 * hour apart: whatever slows the machine slows both.
 *
 *   node test/bench/ab.js <before>/out/server/src/engine [<after>] [--rounds=60] [--warmup=20] [--kinds=dockerfile,compose,shell] [--no-read]
 *
 * <after> defaults to this checkout's build (out/server/src/engine; `npx tsc -p .` first).
 * A build of another commit: `git worktree add /tmp/before <commit> && cd /tmp/before &&
 * ln -s <this>/node_modules . && npx tsc -p .`. Sibling files (a compose file's override,
 * a service's Dockerfile) are read as the server and the bench read them, unless --no-read.
 * Prints, per kind, the first quartile of the passes after the warm-up rounds (--warmup=20: the JIT
 * keeps compiling for that long, on other threads whose CPU time a pass would count) and after ÷ before.
 * Nothing here is a test: it measures, it asserts nothing.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name, def) => (args.find((a) => a.startsWith(`--${name}=`)) ?? `--${name}=${def}`).split('=')[1];
const builds = args.filter((a) => !a.startsWith('--'));
if (!builds.length) {
  console.error('usage: node test/bench/ab.js <before engine dir> [<after engine dir>] [--rounds=60] [--warmup=20] [--kinds=…] [--no-read]');
  process.exit(2);
}
const dirs = { before: path.resolve(builds[0]), after: path.resolve(builds[1] ?? path.join(ROOT, 'out', 'server', 'src', 'engine')) };
const rounds = Number(opt('rounds', 60));
const warmup = Number(opt('warmup', 20));
const kinds = opt('kinds', 'dockerfile,compose,shell').split(',');
const readFile = args.includes('--no-read') ? undefined : (p) => {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

function corpusFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusFiles(p));
    else if (!/LICENSE|\.md$/.test(e.name)) out.push(p);
  }
  return out;
}

(async () => {
  const engines = { before: require(dirs.before), after: require(dirs.after) };
  for (const e of Object.values(engines)) await e.initEngine();
  const texts = corpusFiles(path.join(ROOT, 'test', 'corpus')).map((f) => [f, fs.readFileSync(f, 'utf8')]);
  const byKind = Object.fromEntries(kinds.map((k) => [k, texts.filter(([f, t]) => engines.after.detectKind(f, t) === k)]));
  const cpu = { before: {}, after: {} };
  for (let r = 0; r < rounds; r++) {
    for (const [i, k] of kinds.entries()) {
      // Zig-zag (A B | B A | A B … within a round, flipped every round): a pass follows either its
      // own build's previous pass or the other build's pass of the same kind, never only the
      // other build's pass of another kind, whose garbage it would collect (0.2.0's Dockerfile
      // passes leave 8× what this release's leave, which a compose pass right after them paid).
      for (const name of (r + i) % 2 ? ['before', 'after'] : ['after', 'before']) {
        const c0 = process.cpuUsage();
        for (const [f, t] of byKind[k]) engines[name].analyze(t, { fileName: f, kind: k, readFile });
        const c = process.cpuUsage(c0);
        if (r >= warmup) (cpu[name][k] ??= []).push(c.user / 1000);
      }
    }
  }
  const q1 = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 4)];
  console.log(`before: ${dirs.before}\nafter:  ${dirs.after}\n${rounds - warmup} rounds, CPU ms per corpus pass (first quartile); load ${require('node:os').loadavg()[0].toFixed(2)}`);
  for (const k of kinds) {
    const b = q1(cpu.before[k]);
    const a = q1(cpu.after[k]);
    // Each round's two passes ran back to back: the median of their ratios shrugs off slow drift.
    const ratios = cpu.after[k].map((x, r) => x / cpu.before[k][r]).sort((x, y) => x - y);
    const median = ratios[Math.floor(ratios.length / 2)];
    console.log(`${k.padEnd(11)} ${String(byKind[k].length).padStart(4)} files  before ${b.toFixed(1).padStart(7)}  after ${a.toFixed(1).padStart(7)}  after ÷ before ${(a / b).toFixed(2)}×  (median of round ratios ${median.toFixed(2)}×)`);
  }
})();
