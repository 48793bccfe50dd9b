/**
 * Golden outputs of "Harden", like ESLint RuleTester's `output`: for every
 * fixture under test/fixtures/rules, test/fixtures/readers and the sample,
 * `harden(text, { fileName, readFile })` must give exactly the text stored
 * beside it as `<fixture>.fixed`; a fixture Harden leaves alone has no
 * `.fixed` file. Review a changed golden like code: it is what users get.
 *
 *   npm run test:update-golden      (or UPDATE_GOLDEN=1 npm run test:fast, which
 *                                    does not show which files it wrote)
 *
 * rewrites the golden files and deletes the stale ones. Golden files are no
 * fixtures: listFixtures and the fuzz library's loadSamples skip them, and a
 * `.gitignore` beside those the CLI would lint by their name (Dockerfile.fixed)
 * keeps them out of its folder walk (they are committed all the same, with
 * `git add -f`).
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { main } from '../../server/src/cli';
import { detectKind, harden, RULES } from '../../server/src/engine';
import { FIXTURES, init, listFixtures, readSibling, ROOT } from './helpers';

const UPDATE = (!!process.env.UPDATE_GOLDEN && process.env.UPDATE_GOLDEN !== '0') || process.argv.includes('--update-golden');
const ROOTS = ['rules', 'readers', 'sample'].map((d) => path.join(FIXTURES, d));
const SUFFIX = '.fixed';

const inputs = ROOTS.flatMap((r) => listFixtures(r)).filter((f) => !f.endsWith('.md'));

/** Every golden file under the roots (listFixtures leaves them out). */
function goldens(): string[] {
  const out: string[] = [];
  const rec = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) rec(p);
      else if (e.name.endsWith(SUFFIX)) out.push(p);
    }
  };
  ROOTS.forEach(rec);
  return out.sort();
}

const rel = (f: string) => path.relative(ROOT, f);

const shown = (l: string) => l.replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** The lines where two texts part, with a little context, numbered as in the golden file. */
function lineDiff(want: string, got: string): string {
  const a = want.split('\n');
  const b = got.split('\n');
  let top = 0;
  while (top < a.length && top < b.length && a[top] === b[top]) top++;
  let end = 0;
  while (end < a.length - top && end < b.length - top && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const from = Math.max(0, top - 2);
  const show = (lines: string[], sign: string, to: number) => lines.slice(top, to).map((l, i) => `${sign}${String(top + i + 1).padStart(5)}| ${shown(l)}`);
  const ctx = a.slice(from, top).map((l, i) => ` ${String(from + i + 1).padStart(5)}| ${shown(l)}`);
  return [...ctx, ...show(a, '-', a.length - end).slice(0, 30), ...show(b, '+', b.length - end).slice(0, 30)].join('\n');
}

describe('golden fixed outputs', () => {
  before(init);
  // Rules whose safe fix Harden applied in some fixture, and left none of behind there.
  const hardened = new Set<string>();

  for (const file of inputs) {
    it(path.relative(FIXTURES, file), () => {
      const text = fs.readFileSync(file, 'utf8');
      const r = harden(text, { fileName: file, readFile: readSibling });
      const golden = file + SUFFIX;
      const changed = r.text !== text;
      for (const id of r.appliedRules) if (!r.remaining.some((f) => f.ruleId === id && f.fixes.some((x) => x.safe))) hardened.add(id);
      if (UPDATE) {
        if (changed && readSibling(golden) !== r.text) {
          fs.writeFileSync(golden, r.text);
          const hidden = detectKind(path.basename(golden)) ? ' (the CLI would lint it by its name: keep it in a .gitignore beside it and add it with git add -f)' : '';
          process.stderr.write(`golden: wrote ${rel(golden)}${hidden}\n`);
        } else if (!changed && fs.existsSync(golden)) {
          fs.unlinkSync(golden);
          process.stderr.write(`golden: deleted ${rel(golden)} (Harden no longer changes the fixture)\n`);
        }
      }
      if (changed) {
        assert.ok(fs.existsSync(golden), `Harden changes ${rel(file)} but there is no ${path.basename(golden)}; run UPDATE_GOLDEN=1 npm run test:fast and review it`);
        const want = fs.readFileSync(golden, 'utf8');
        if (r.text !== want) assert.fail(`Harden's output differs from ${rel(golden)} (- golden, + now; UPDATE_GOLDEN=1 rewrites it):\n${lineDiff(want, r.text)}`);
      } else {
        assert.equal(r.applied, 0);
        assert.ok(!fs.existsSync(golden), `Harden changes nothing in ${rel(file)}, yet ${path.basename(golden)} exists (stale; UPDATE_GOLDEN=1 deletes it)`);
      }
    });
  }

  it('no golden file without its fixture', () => {
    const orphans = goldens().filter((g) => g.endsWith(SUFFIX + SUFFIX) || !fs.existsSync(g.slice(0, -SUFFIX.length)));
    if (UPDATE) {
      for (const g of orphans) {
        fs.unlinkSync(g);
        process.stderr.write(`golden: deleted ${rel(g)} (no such fixture)\n`);
      }
    } else assert.deepEqual(orphans.map(rel), []);
  });

  it('every rule with a safe fix is applied by Harden in some fixture', () => {
    const missing = RULES.filter((r) => r.fix === 'safe' && !hardened.has(r.id)).map((r) => r.id);
    assert.deepEqual(missing, []);
  });

  it("the CLI's folder walk skips every golden file", async () => {
    // The walk takes a file by its name (or, without an extension, its shebang): of the golden
    // files only those named like a Dockerfile (Dockerfile.fixed) could be taken. Walk their folders.
    const dirs = [...new Set(goldens().filter((g) => detectKind(path.basename(g))).map((g) => path.dirname(g)))];
    if (!dirs.length) return;
    let out = '';
    const code = await main(['check', '--format', 'json', '--fail-on', 'none', ...dirs], { stdout: (s) => (out += s), stderr: () => undefined, isTTY: false });
    assert.equal(code, 0);
    const files = (JSON.parse(out) as { files: Array<{ path: string }> }).files.map((f) => f.path);
    assert.ok(files.length >= dirs.length, `the walk found only ${files.length} files`);
    assert.deepEqual(files.filter((f) => f.endsWith(SUFFIX)), []);
  });
});
