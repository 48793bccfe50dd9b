#!/usr/bin/env node
'use strict';
// The CLI. Runs the newest build: the bundle (dist/cli.js, `npm run bundle`, also run by
// `npm install`) or the tsc build (out/, `npm run build`). The bundle starts faster.
const { newestBuild, root } = require('./newest-build');

const entry = newestBuild('dist/cli.js', 'out/server/src/cli.js');
if (!entry) {
  process.stderr.write('container-hardening: not built yet; run `npm install` (or `npm run build`) in ' + root + '\n');
  process.exit(2);
}
const path = require('node:path');
const dist = path.join(root, 'dist');
// The bundle loads with the V8 code cache made for it at bundle time, when there is a usable one.
const cli = entry === path.join(dist, 'cli.js') ? require('./code-cache').loadBundle(dist).exports : require(entry);
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
