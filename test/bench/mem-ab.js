'use strict';
/**
 * Resident memory of two builds' language servers side by side: each opens the same 200
 * documents (the corpus, cycled under distinct URIs, as `npm run bench` does) and its RSS is
 * read once their diagnostics are in and it has been idle a moment. Runs alternate.
 *
 *   node test/bench/mem-ab.js <before checkout> [<after checkout>] [--runs=4]
 *
 * A checkout is a folder with server/bin and a build (out/, dist/), such as a git worktree of
 * an older commit with `npx tsc -p . && npm run bundle` run in it. Measures; asserts nothing.
 */
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { LspClient } = require('./lsp');

const ROOT = path.resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const dirs = args.filter((a) => !a.startsWith('--'));
if (!dirs.length) {
  console.error('usage: node test/bench/mem-ab.js <before checkout> [<after checkout>] [--runs=4]');
  process.exit(2);
}
const runs = Number((args.find((a) => a.startsWith('--runs=')) ?? '--runs=4').split('=')[1]);
const builds = { before: path.resolve(dirs[0]), after: path.resolve(dirs[1] ?? ROOT) };
const LANGUAGE_IDS = { dockerfile: 'dockerfile', compose: 'dockercompose', shell: 'shellscript' };

function corpusFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...corpusFiles(p));
    else if (!/LICENSE|\.md$/.test(e.name)) out.push({ path: p, kind: path.basename(dir) === 'dockerfiles' ? 'dockerfile' : path.basename(dir), text: fs.readFileSync(p, 'utf8') });
  }
  return out;
}

async function rssWith200(checkout, files) {
  const c = new LspClient(process.execPath, [path.join(checkout, 'server', 'bin', 'container-hardening-ls.js'), '--stdio'], { cwd: checkout });
  await c.initialize({ debounceMs: 0 });
  try {
    const waits = [];
    for (let i = 0; i < 200; i++) {
      const f = files[i % files.length];
      waits.push(c.open(pathToFileURL(path.join('/mem-docs', String(i), path.basename(f.path))).toString(), LANGUAGE_IDS[f.kind], f.text, 1));
    }
    await Promise.all(waits);
    await new Promise((r) => setTimeout(r, 1000));
    return c.rssKb() / 1024;
  } finally {
    await c.stop();
  }
}

(async () => {
  const files = corpusFiles(path.join(ROOT, 'test', 'corpus'));
  const mb = { before: [], after: [] };
  for (let r = 0; r < runs; r++) {
    for (const name of r % 2 ? ['before', 'after'] : ['after', 'before']) mb[name].push(await rssWith200(builds[name], files));
  }
  const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
  for (const name of ['before', 'after']) console.log(`${name.padEnd(6)} ${builds[name]}: RSS with 200 documents ${mb[name].map((x) => x.toFixed(1)).join(', ')} MB (median ${median(mb[name]).toFixed(1)})`);
  console.log(`after ÷ before ${(median(mb.after) / median(mb.before)).toFixed(2)}×`);
})();
