#!/usr/bin/env node
'use strict';
// Container Hardening language server. Usage: container-hardening-ls --stdio
// (also --node-ipc or --socket=PORT).
const fs = require('node:fs');
const path = require('node:path');

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write('Usage: container-hardening-ls --stdio | --node-ipc | --socket=PORT\n');
  process.exit(0);
}
if (argv.includes('--version') || argv.includes('-v')) {
  process.stdout.write(require('../../package.json').version + '\n');
  process.exit(0);
}
if (!argv.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  // Editors almost always want stdio; make it the default.
  process.argv.push('--stdio');
}

// The newest build: the bundle (dist/, `npm run bundle`, also run by `npm install`) starts faster.
const root = path.join(__dirname, '..', '..');
const mtime = (p) => {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};
const builds = [path.join(root, 'dist', 'server.js'), path.join(root, 'out', 'server', 'src', 'server.js')].map((p) => ({ p, t: mtime(p) }));
const newest = builds.reduce((a, b) => (b.t > a.t ? b : a));
const entry = newest.t >= 0 ? newest.p : undefined;
if (!entry) {
  process.stderr.write('container-hardening-ls: the server is not built; run `npm run build` (or `npm run bundle`) first\n');
  process.exit(1);
}
require(entry);
