/**
 * Fix safety over every real file we have (the corpus and all fixtures): each
 * fix's edits are disjoint, the fixed text is accepted by the kind's own
 * parser (yaml, tree-sitter-bash, dockerfile-utils) with no new syntax error,
 * the finding is gone (or milder) and no other finding appears or gets more
 * severe; "harden" leaves no safe-fixable finding, loses no line and is
 * idempotent. Fixtures have every fix tried; corpus files every distinct fix
 * and an even sample of the rest (20 a file). What Harden makes of each
 * fixture is compared with its golden output in test/unit/golden.test.ts.
 */
import * as assert from 'assert/strict';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { initEngine } from '../../../server/src/engine';
import { checkFixSafety, corpusSamples, CORPUS, FIXTURES, fixtureSamples, initParsers, readSibling, syntaxErrorsFor } from '../../fuzz/lib';
import { KNOWN_FIX_BUGS } from './known-bugs';

describe('fix safety', () => {
  before(async () => {
    await initEngine();
    await initParsers();
  });
  const groups: Array<[string, string, ReturnType<typeof corpusSamples>]> = [
    ['corpus', CORPUS, corpusSamples()],
    ['fixtures', FIXTURES, fixtureSamples()],
  ];
  for (const [name, root, samples] of groups) {
    describe(name, () => {
      it('has files', () => assert.ok(samples.length > 0));
      for (const s of samples) {
        const rel = path.relative(root, s.file);
        const todo = KNOWN_FIX_BUGS[`${name}/${rel.split(path.sep).join('/')}`];
        it(rel, todo ? { todo } : {}, (t) => {
          const problems = checkFixSafety(s.text, { fileName: s.file, readFile: readSibling }, syntaxErrorsFor(s.kind), name === 'corpus' ? { maxFixes: 20 } : {});
          // pending/ fixtures document bugs already known and tracked; what they break here is reported, not failed.
          if (problems.length && rel.startsWith('pending' + path.sep)) t.todo('known engine bug, see the PENDING note in the fixture');
          assert.deepEqual(problems, []);
        });
      }
    });
  }
});
