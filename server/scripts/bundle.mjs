#!/usr/bin/env node
// Bundles the VS Code client, the language server, the CLI and the engine they
// share into dist/ with esbuild, and copies what they load at run time: the
// tree-sitter grammars (.wasm) and the server's message bundles.
// Usage: node server/scripts/bundle.mjs [--dev]
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const dev = process.argv.includes('--dev');
const require = createRequire(join(root, 'package.json'));

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: dev ? 'inline' : false,
  minify: !dev,
  keepNames: true,
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter calls createRequire(import.meta.url), which a CommonJS bundle lacks.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
  // vscode is provided by the editor; the .wasm paths are only resolved when no
  // wasmDir is given, which the bundled server always gives (dist/).
  external: ['vscode', 'web-tree-sitter/tree-sitter.wasm', 'tree-sitter-bash/tree-sitter-bash.wasm'],
  // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow; its ES module build bundles.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};

// The engine is its own file (dist/engine.js), shared by the server and the CLI: the server
// answers `initialize` before it loads the engine (server/src/lsp/engine.ts), so its start-up
// does not even parse it. Their imports of the engine module become require('./engine.js').
const ENGINE_INDEX = join(root, 'server', 'src', 'engine', 'index.ts');
const engineApart = {
  name: 'engine-apart',
  setup(build) {
    build.onResolve({ filter: /(^|\/)engine$/ }, async (args) => {
      if (args.kind === 'entry-point' || args.pluginData?.engineApart) return undefined;
      const r = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { engineApart: true } });
      return r.path === ENGINE_INDEX ? { path: './engine.js', external: true } : undefined;
    });
  },
};

// The web build (package.json `browser`, for vscode.dev and github.dev): the extension for VS Code's
// web-worker extension host, and the language server with the engine in one file for a web worker of
// its own. Node's built-ins are not there: `path` is a POSIX one, `Buffer` is enough of one for
// dockerfile-ast, the rest fail like a missing file (only the node server's code paths use them). The server's message bundles and the version are
// built in; the grammars are fetched from the extension's URI (client/src/browser.ts).
const shims = join(root, 'server', 'scripts', 'web-shims');
const absent = join(shims, 'absent.cjs');
const nodeBuiltins = ['fs', 'fs/promises', 'url', 'module', 'os', 'crypto', 'child_process', 'util'];
const web = {
  ...common,
  platform: 'browser',
  target: 'es2022',
  define: {
    'import.meta.url': 'undefined',
    __dirname: '"/"',
    __CH_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version),
    __CH_L10N__: JSON.stringify(Object.fromEntries(
      readdirSync(join(root, 'server', 'l10n')).filter((f) => /^bundle\.l10n\..+\.json$/.test(f)).map((f) => [f, readFileSync(join(root, 'server', 'l10n', f), 'utf8')]),
    )),
  },
  banner: {},
  external: common.external,
  inject: [join(shims, 'buffer.mjs')],
  alias: {
    ...common.alias,
    path: join(shims, 'path.cjs'),
    'node:path': join(shims, 'path.cjs'),
    ...Object.fromEntries(nodeBuiltins.flatMap((m) => [[m, absent], [`node:${m}`, absent]])),
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: dist }),
  esbuild.build({ ...web, entryPoints: { 'web-extension': 'client/src/browser.ts' }, outdir: dist }),
  esbuild.build({ ...web, format: 'iife', entryPoints: { 'web-server': 'server/src/browserServer.ts' }, outdir: dist }),
  esbuild.build({ ...common, entryPoints: { server: 'server/src/server.ts' }, outdir: dist, plugins: [engineApart] }),
  // Check Workspace's worker thread (server/src/lsp/workspacePool.ts starts it from beside server.js).
  esbuild.build({ ...common, entryPoints: { workspaceWorker: 'server/src/lsp/workspaceWorker.ts' }, outdir: dist, plugins: [engineApart] }),
  esbuild.build({ ...common, entryPoints: { cli: 'server/src/cli.ts' }, outdir: dist, plugins: [engineApart] }),
  esbuild.build({ ...common, entryPoints: { engine: 'server/src/engine/index.ts' }, outdir: dist }),
]);

const wasm = [
  require.resolve('web-tree-sitter/tree-sitter.wasm'),
  require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'),
];
for (const f of wasm) cpSync(f, join(dist, f.split(/[\\/]/).pop()));

const l10nSrc = join(root, 'server', 'l10n');
if (existsSync(l10nSrc)) {
  mkdirSync(join(dist, 'l10n'), { recursive: true });
  for (const f of readdirSync(l10nSrc)) if (/^bundle\.l10n\..*\.json$/.test(f)) cpSync(join(l10nSrc, f), join(dist, 'l10n', f));
}
// The CLI's V8 code cache (server/bin/code-cache.js): each bundle it loads gets its SHA-1 on
// its last line, and a cache made by checking the sample (a Dockerfile, a compose file, a shell
// script) in a process of its own, with the Node that runs this script (`npm install` runs it).
// Without the cache the CLI works the same, only starts slower; a --dev bundle has none.
if (!dev) {
  const codeCache = require(join(root, 'server', 'bin', 'code-cache.js'));
  for (const s of codeCache.SCRIPTS) {
    const f = join(dist, s);
    appendFileSync(f, `${codeCache.KEY_MARK}${createHash('sha1').update(readFileSync(f)).digest('hex')}\n`);
  }
  const sample = join(root, 'test', 'fixtures', 'sample');
  const argv = existsSync(sample) ? ['check', '--fail-on', 'none', sample] : ['--version'];
  const script = `require(${JSON.stringify(join(root, 'server', 'bin', 'code-cache.js'))}).writeCodeCache(${JSON.stringify(dist)}, ${JSON.stringify(argv)})
    .catch((e) => { console.error(e && e.stack ? e.stack : e); process.exitCode = 1; });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) {
    for (const s of codeCache.SCRIPTS) rmSync(codeCache.cacheFile(join(dist, s)), { force: true });
    console.warn(`warning: no code cache for the CLI (it works without, only starts slower):\n${r.stderr || r.error}`);
  }
}

console.log(`bundled into ${dist}: ${readdirSync(dist).join(', ')}`);
