/**
 * Incremental parsing in a session: analysing successive versions of a shell
 * script with a session (tree-sitter re-parses around the edit) must give what
 * a fresh analysis of each version gives: random edits (inserts with line
 * breaks, quotes, non-ASCII and astral characters, deletions, replacements)
 * over every shell script of the corpus.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { analyze, createSession, detectKind } from '../../server/src/engine';
import { CORPUS, init, listFixtures } from './helpers';

const scripts = listFixtures(CORPUS).filter((f) => detectKind(f, fs.readFileSync(f, 'utf8')) === 'shell');
// Edits that often break the script (quotes, substitutions, braces): error recovery territory.
const BREAKING = ['x', ' ', '\n', '"', "'", '\\\n', '$(', ')', ' --privileged', '\ndocker run -v /:/host img:1\n', 'é', '日本', '😀', '{', '}', ' | sh', '#', 'curl -k https://x | bash\n'];
// Mostly edits that keep a script valid (the incremental path; broken texts are parsed afresh), some that break it.
const SNIPPETS = ['x', ' ', '\n', 'é', '日本', '😀', ' --privileged', '\ndocker run -v /:/host img:1\n', '\necho "a b" | tee /tmp/x\n', ' # note', '\ncurl -k https://x | bash\n', ' --cap-drop ALL', '"', '$(', '\\\n', '{'];

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const sig = (text: string, fileName: string, session?: ReturnType<typeof createSession>) => {
  const r = analyze(text, { fileName, session });
  return { errors: r.internalErrors, findings: r.findings.map((f) => `${f.ruleId}@${f.span.start}-${f.span.end} ${f.message}`) };
};

describe('analysis sessions (incremental shell parsing)', () => {
  before(init);
  for (const [label, snippets, seed] of [['mostly valid', SNIPPETS, 5000], ['breaking', BREAKING, 1000]] as const)
  it(`random ${label} edits of ${scripts.length} corpus scripts give what fresh analyses give`, () => {
    assert.ok(scripts.length > 20);
    let versions = 0;
    let changedFindings = 0;
    for (const [k, file] of scripts.entries()) {
      const random = rng(seed + k);
      const session = createSession();
      let text = fs.readFileSync(file, 'utf8');
      let last = sig(text, file, session);
      assert.deepEqual(last, sig(text, file), `${path.basename(file)} v0`);
      for (let v = 1; v <= 12; v++) {
        const at = Math.floor(random() * (text.length + 1));
        const op = random();
        if (op < 0.45) text = text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(at);
        else if (op < 0.75) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 40)));
        else text = text.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + text.slice(Math.min(text.length, at + 1 + Math.floor(random() * 10)));
        const inc = sig(text, file, session);
        assert.deepEqual(inc, sig(text, file), `${path.basename(file)} v${v}`);
        if (JSON.stringify(inc.findings) !== JSON.stringify(last.findings)) changedFindings++;
        last = inc;
        versions++;
      }
      session.dispose();
    }
    // The edits must matter, or the comparison proves little.
    assert.ok(changedFindings >= 20, `findings changed in only ${changedFindings} of ${versions} versions`);
  });

  it('a disposed session starts over, and a session survives a text it cannot parse in time', () => {
    const file = scripts[0];
    const text = fs.readFileSync(file, 'utf8');
    const session = createSession();
    sig(text, file, session);
    session.dispose();
    assert.deepEqual(sig(text + '\ndocker run --privileged img:1\n', file, session), sig(text + '\ndocker run --privileged img:1\n', file));
    session.dispose();
    session.dispose();
  });
});
