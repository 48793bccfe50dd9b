/**
 * The real-world corpus (test/corpus), as it is: recognised, read without
 * an internal error or a skip, every finding's range (and related range)
 * inside the file and on real positions. What the fixes do to these files
 * (each fix applies cleanly, re-parses, removes its finding; harden is
 * idempotent) is checked once, in robustness/fix-safety.test.ts.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { analyze, detectKind } from '../../server/src/engine';
import { CORPUS, init, listFixtures, readSibling } from './helpers';

const files = listFixtures(CORPUS).filter((f) => detectKind(f, fs.readFileSync(f, 'utf8')));

describe('corpus', () => {
  before(init);
  it('is there and recognised', () => {
    assert.ok(files.length > 250, `only ${files.length} corpus files recognised`);
    const kinds = new Set(files.map((f) => detectKind(f, fs.readFileSync(f, 'utf8'))));
    assert.deepEqual([...kinds].sort(), ['compose', 'dockerfile', 'shell']);
  });
  for (const file of files) {
    it(path.relative(CORPUS, file), () => {
      const text = fs.readFileSync(file, 'utf8');
      const opts = { fileName: file, readFile: readSibling };
      const r = analyze(text, opts);
      assert.deepEqual(r.internalErrors, []);
      assert.equal(r.skipped, undefined);
      for (const f of r.findings) {
        assert.ok(f.span.start >= 0 && f.span.end <= text.length && f.span.start <= f.span.end, `${f.ruleId} span out of the file`);
        assert.equal(text.slice(0, f.span.start).split(/\r\n|\r|\n/).length - 1, f.range.start.line, `${f.ruleId} range and span disagree`);
        for (const rel of f.related ?? []) assert.ok(rel.span.start >= 0 && rel.span.end <= text.length, `${f.ruleId} related span out of the file`);
      }
    });
  }
});
