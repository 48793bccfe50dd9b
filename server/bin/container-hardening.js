#!/usr/bin/env node
'use strict';
// The CLI. Runs the newest build: the bundle (dist/cli.js, `npm run bundle`, also run by
// `npm install`) or the tsc build (out/, `npm run build`). The bundle starts faster.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');
const mtime = (p) => {
  try {
    return fs.statSync(p).mtimeMs;
  } catch {
    return -1;
  }
};
const builds = [path.join(root, 'dist', 'cli.js'), path.join(root, 'out', 'server', 'src', 'cli.js')].map((p) => ({ p, t: mtime(p) }));
const newest = builds.reduce((a, b) => (b.t > a.t ? b : a));
if (newest.t < 0) {
  process.stderr.write('container-hardening: not built yet; run `npm install` (or `npm run build`) in ' + root + '\n');
  process.exit(2);
}
const cli = require(newest.p);
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(process.exitCode || 0);
});
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write('container-hardening: internal error: ' + (err && err.stack ? err.stack : String(err)) + '\n');
    process.exitCode = 2;
  },
);
