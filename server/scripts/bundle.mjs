#!/usr/bin/env node
// Bundles the VS Code client, the language server, the CLI and the engine they
// share into dist/ with esbuild, and copies what they load at run time: the
// tree-sitter grammars (.wasm) and the server's message bundles.
// Usage: node server/scripts/bundle.mjs [--dev]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
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

await Promise.all([
  esbuild.build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: dist }),
  esbuild.build({ ...common, entryPoints: { server: 'server/src/server.ts' }, outdir: dist, plugins: [engineApart] }),
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
console.log(`bundled into ${dist}: ${readdirSync(dist).join(', ')}`);
