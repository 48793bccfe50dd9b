#!/usr/bin/env node
// npm's `prepare`: bundles dist/ (server/scripts/bundle.mjs), the only build the bins, the
// extension and the npm package need. npm runs it after `npm install` in a clone, before
// `npm pack` and `npm publish`, and when it installs the package from git: pre-commit installs
// its hook with `npm install -g git+file://<clone>`. Installing the published tarball runs no
// script. (tsc's build in out/ is for the tests; `npm test` and the other scripts make it.)
//
// When npm prepares a git dependency for a global install, the npm in use may leave the
// devDependencies out (npm/cli#8440: the inner `npm install` inherits --global; later npm
// passes --global=false): then there is no esbuild here, and this installs them first.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

try {
  require.resolve('esbuild');
} catch {
  console.log('prepare: no devDependencies here (npm left them out); installing them to build dist/');
  const npm = process.env.npm_execpath;
  const [cmd, pre] = npm && /\.[cm]?js$/.test(npm) ? [process.execPath, [npm]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  run(cmd, [...pre, 'install', '--global=false', '--include=dev', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts']);
}
run(process.execPath, [join(root, 'server', 'scripts', 'bundle.mjs')]);
