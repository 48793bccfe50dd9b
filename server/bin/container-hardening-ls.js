#!/usr/bin/env node
'use strict';
// Container Hardening language server. Usage: container-hardening-ls --stdio
// (also --node-ipc or --socket=PORT).

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

const { newestBuild } = require('./newest-build');
const entry = newestBuild('dist/server.js', 'out/server/src/server.js');
if (!entry) {
  process.stderr.write('container-hardening-ls: the server is not built; run `npm run build` (or `npm run bundle`) first\n');
  process.exit(1);
}
require(entry);
