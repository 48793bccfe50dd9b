'use strict';
// Which build a bin runs: the newest of the bundle (dist/, `npm run bundle`, also run by
// `npm install`; it starts faster) and the tsc build (out/, `npm run build`).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '..');

/** The newest existing file of `candidates` (paths relative to the package root), or undefined. */
function newestBuild(...candidates) {
  let best;
  for (const rel of candidates) {
    const p = path.join(root, rel);
    let t = -1;
    try {
      t = fs.statSync(p).mtimeMs;
    } catch {
      continue;
    }
    if (!best || t > best.t) best = { p, t };
  }
  return best && best.p;
}

module.exports = { newestBuild, root };
