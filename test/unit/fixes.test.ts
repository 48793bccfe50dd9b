/**
 * Fix round-trips on every fixture: applying a fix removes its finding,
 * introduces no new finding, keeps the file parseable; "harden" leaves no
 * safe-fixable finding and is idempotent.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { analyze, applyEdits, Finding, harden, RULES } from '../../server/src/engine';
import { FIXTURES, init, listFixtures, readSibling } from './helpers';

const WEIGHT = { error: 100, warning: 10, info: 1 };

/** Per rule, the findings weighted by severity: a fix must lower its rule's weight. */
function counts(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + WEIGHT[f.severity]);
  return m;
}

export function checkFixRoundTrip(file: string, text: string): { fixed: Set<string>; problems: string[] } {
  const opts = { fileName: file, readFile: readSibling };
  const before_ = analyze(text, opts);
  const baseline = counts(before_.findings);
  const problems: string[] = [];
  const fixed = new Set<string>();
  for (const f of before_.findings) {
    for (const fix of f.fixes) {
      const where = `${path.basename(file)}:${f.range.start.line + 1} ${f.ruleId} "${fix.title}"`;
      let out: string;
      try {
        out = applyEdits(text, fix.edits);
      } catch (e) {
        problems.push(`${where}: overlapping edits (${(e as Error).message})`);
        continue;
      }
      const after = analyze(out, opts);
      if (after.findings.some((x) => x.ruleId === 'parse-error')) {
        problems.push(`${where}: the fixed text no longer parses`);
        continue;
      }
      const now = counts(after.findings);
      if ((now.get(f.ruleId) ?? 0) >= (baseline.get(f.ruleId) ?? 0)) problems.push(`${where}: finding still there after the fix (at the same severity)`);
      for (const [id, n] of now) {
        if (n > (baseline.get(id) ?? 0)) problems.push(`${where}: the fix introduced ${id}`);
      }
      if (fix.safe) fixed.add(f.ruleId);
    }
  }
  return { fixed, problems };
}

const files = [...listFixtures(path.join(FIXTURES, 'rules')), ...listFixtures(path.join(FIXTURES, 'readers')), ...listFixtures(path.join(FIXTURES, 'fixes'))].filter((f) => !f.endsWith('.md') && !f.endsWith('.expected'));

describe('fix round-trips', () => {
  before(init);
  const fixedByRule = new Set<string>();
  for (const file of files) {
    it(path.relative(FIXTURES, file), () => {
      const text = fs.readFileSync(file, 'utf8');
      const r = checkFixRoundTrip(file, text);
      r.fixed.forEach((id) => fixedByRule.add(id));
      assert.deepEqual(r.problems, []);
    });
  }
  it('every rule marked safe has a working safe fix in some fixture', () => {
    const missing = RULES.filter((r) => r.fix === 'safe' && !fixedByRule.has(r.id)).map((r) => r.id);
    assert.deepEqual(missing, []);
  });
});

describe('harden', () => {
  before(init);
  for (const file of files) {
    it(`${path.relative(FIXTURES, file)}: no safe fix left, idempotent`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const opts = { fileName: file, readFile: readSibling };
      const once = harden(text, opts);
      const left = once.remaining.filter((f) => f.fixes.some((x) => x.safe));
      assert.deepEqual(left.map((f) => `${f.ruleId}@${f.range.start.line + 1}`), []);
      const twice = harden(once.text, opts);
      assert.equal(twice.text, once.text);
      assert.equal(twice.applied, 0);
    });
  }
});
