#!/usr/bin/env node
'use strict';
// A one-shot CLI run is dominated by V8 optimising the 1.4 MB bash grammar (.wasm) in the
// background; the baseline compiler alone is faster for a short-lived process.
require('v8').setFlagsFromString('--liftoff-only');
// The CLI, compiled by `npm install` (prepare) or `npm run build` into out/.
let cli;
try {
  cli = require('../../out/server/src/cli.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND') {
    process.stderr.write('container-hardening: not built yet; run `npm install` (or `npm run build`) in ' + require('path').resolve(__dirname, '..', '..') + '\n');
    process.exit(2);
  }
  throw e;
}
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
