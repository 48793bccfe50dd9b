/**
 * Every fixture under test/fixtures/rules/<rule-id>/ is analysed and compared
 * with its `# checks:` / `# expect:` annotations: every expected finding must
 * be there, and no other finding of a checked rule.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { RULES } from '../../server/src/engine';
import { analyzeFile, diffExpectations, FIXTURES, init, listFixtures, readExpectations } from './helpers';

const RULE_DIR = path.join(FIXTURES, 'rules');
const READER_DIR = path.join(FIXTURES, 'readers');

describe('rule and reader fixtures', () => {
  before(init);
  const files = [...listFixtures(RULE_DIR), ...listFixtures(READER_DIR)].filter((f) => !f.endsWith('.md') && readExpectations(fs.readFileSync(f, 'utf8')).checks.size > 0);
  for (const file of files) {
    const rel = path.relative(FIXTURES, file);
    it(rel, () => {
      const { text, result } = analyzeFile(file);
      assert.deepEqual(result.internalErrors, []);
      assert.deepEqual(diffExpectations(text, result.findings), []);
    });
  }
});

describe('rule coverage', () => {
  const byRule = new Map<string, { positive: boolean; negative: boolean }>();
  for (const file of listFixtures(RULE_DIR)) {
    const text = fs.readFileSync(file, 'utf8');
    const exp = readExpectations(text);
    for (const id of exp.checks) {
      const e = byRule.get(id) ?? { positive: false, negative: false };
      if ((exp.expected.get(id) ?? []).length) e.positive = true;
      else e.negative = true;
      byRule.set(id, e);
    }
  }
  for (const r of RULES) {
    if (r.id === 'parse-error') continue;
    it(`${r.id} has a positive and a negative fixture`, () => {
      const e = byRule.get(r.id);
      assert.ok(e?.positive, `no fixture expects ${r.id}`);
      assert.ok(e?.negative, `no fixture checks that ${r.id} stays quiet`);
    });
  }
});
