#!/usr/bin/env node
/** Compares two snapshot.js outputs file by file; prints the differences, exits 1 on any. */
'use strict';
const fs = require('fs');
const read = (p) => new Map(fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => { const r = JSON.parse(l); return [r.file, r]; }));
const [a, b] = [read(process.argv[2]), read(process.argv[3])];
const show = (x) => JSON.stringify(x, null, 1).slice(0, 1500);
let diffs = 0;
for (const file of new Set([...a.keys(), ...b.keys()])) {
  const x = a.get(file), y = b.get(file);
  if (!x || !y) { diffs++; console.log(`${file}: only in ${x ? 'before' : 'after'}`); continue; }
  for (const key of new Set([...Object.keys(x), ...Object.keys(y)])) {
    if (key === 'findings') {
      const n = Math.max(x.findings?.length ?? 0, y.findings?.length ?? 0);
      for (let i = 0; i < n; i++) {
        const p = JSON.stringify(x.findings?.[i]), q = JSON.stringify(y.findings?.[i]);
        if (p !== q) { diffs++; console.log(`${file}: finding ${i}\n  before ${p}\n  after  ${q}`); break; }
      }
    } else if (JSON.stringify(x[key]) !== JSON.stringify(y[key])) {
      diffs++;
      console.log(`${file}: ${key}\n  before ${show(x[key])}\n  after  ${show(y[key])}`);
    }
  }
}
console.log(`${a.size} files before, ${b.size} after, ${diffs} differences`);
process.exit(diffs ? 1 : 0);
