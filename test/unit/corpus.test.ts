/**
 * The real-world corpus (../shared/corpus), as it is: no crash, every range
 * inside the file, every fix applies cleanly and re-parses, harden is
 * idempotent and leaves no safe-fixable finding.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { analyze, applyEdits, detectKind, harden } from '../../server/src/engine';
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
        for (const fix of f.fixes) {
          const out = applyEdits(text, fix.edits);
          const again = analyze(out, opts);
          assert.ok(!again.findings.some((x) => x.ruleId === 'parse-error'), `${f.ruleId} fix "${fix.title}" breaks the file`);
        }
      }
      const h = harden(text, opts);
      assert.deepEqual(h.remaining.filter((f) => f.fixes.some((x) => x.safe)).map((f) => `${f.ruleId}@${f.range.start.line + 1}`), []);
      assert.equal(harden(h.text, opts).text, h.text);
    });
  }
});
