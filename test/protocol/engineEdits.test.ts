/**
 * The edits the engine hands the server, on every fixture and corpus file:
 * suppression comments (suppressionEdit), checked by analysing the text
 * again, and Harden's edits against the original text.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyze, applyEdits, harden, initEngine, suppressionEdit, type AnalyzeOptions, type Finding } from '../../server/src/engine';
import { LineIndex } from '../../server/src/engine/text';
import { readSuppressions } from '../../server/src/engine/suppress';
import { ROOT } from './lspClient';

// The repository's own copy of the corpus: nothing under test/ reads outside the repository.
const CORPUS = path.join(ROOT, 'test', 'corpus');

function list(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...list(p));
    else if (e.isFile() && !/\.(md|fixed|png|json)$/i.test(e.name) && e.name !== 'LICENSE') out.push(p);
  }
  return out.sort();
}

/** Every fixture and corpus file the engine reads. */
export function engineFiles(): string[] {
  return [...list(path.join(ROOT, 'test', 'fixtures')), ...list(CORPUS)];
}

export function readSibling(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

function countByRule(fs_: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of fs_) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

describe('suppression edits (engine)', () => {
  before(() => initEngine());

  const sh = '#!/usr/bin/env bash\nset -e\ndocker run -d \\\n  --privileged \\\n  -v /etc:/host/etc \\\n  nginx\n';

  it('puts the line comment before a continued shell command, and extends it next time', () => {
    const a = analyze(sh, { fileName: 'run.sh' });
    const priv = a.findings.find((f) => f.ruleId === 'privileged')!;
    const e = suppressionEdit(sh, a.kind, priv, 'line')!;
    const once = applyEdits(sh, [e]);
    assert.equal(once.split('\n')[2], '# harden-ignore: privileged');
    const b = analyze(once, { fileName: 'run.sh' });
    assert.ok(!b.findings.some((f) => f.ruleId === 'privileged'));
    const mount = b.findings.find((f) => f.ruleId === 'sensitive-mount')!;
    const twice = applyEdits(once, [suppressionEdit(once, b.kind, mount, 'line')!]);
    assert.equal(twice.split('\n')[2], '# harden-ignore: privileged, sensitive-mount');
    // Listed already: nothing to add.
    const at = twice.indexOf('--privileged');
    assert.equal(suppressionEdit(twice, b.kind, { ruleId: 'privileged', span: { start: at, end: at + 12 }, lines: [4, 3] }, 'line'), undefined);
  });

  it('file comments go below a shebang and Dockerfile parser directives, and extend an existing one', () => {
    const f = { ruleId: 'privileged', span: { start: 0, end: 0 } };
    assert.deepEqual(suppressionEdit(sh, 'shell', f, 'file'), { start: 20, end: 20, newText: '# harden-ignore-file: privileged\n' });
    const df = '# syntax=docker/dockerfile:1\r\nFROM x\r\n';
    assert.deepEqual(suppressionEdit(df, 'dockerfile', f, 'file'), { start: 30, end: 30, newText: '# harden-ignore-file: privileged\r\n' });
    const has = '# harden-ignore-file: root-user -- a reason\nFROM x\n';
    assert.equal(applyEdits(has, [suppressionEdit(has, 'dockerfile', f, 'file')!]).split('\n')[0], '# harden-ignore-file: root-user, privileged -- a reason');
  });

  it('parse errors and bad comments are not offered for silencing', () => {
    assert.equal(suppressionEdit('x', 'shell', { ruleId: 'parse-error', span: { start: 0, end: 1 } }, 'line'), undefined);
    assert.equal(suppressionEdit('x', 'shell', { ruleId: 'unknown-suppression', span: { start: 0, end: 1 } }, 'file'), undefined);
    assert.equal(suppressionEdit('x', 'shell', { ruleId: 'no-such-rule', span: { start: 0, end: 1 } }, 'line'), undefined);
  });

  it('the comments written are the ones read', () => {
    const text = 'a\n# harden-ignore: x\n  # harden-ignore: y -- why\nb\n# harden-ignore-file: z\n';
    const s = readSuppressions(text, new LineIndex(text));
    assert.deepEqual([...(s.byLine.get(3) ?? [])], ['x', 'y']);
    assert.deepEqual([...s.file], ['z']);
  });

  it('on every fixture and corpus file, each line comment silences its finding and nothing else changes', () => {
    let checked = 0;
    for (const file of engineFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const opts: AnalyzeOptions = { fileName: file, readFile: readSibling };
      const a = analyze(text, opts);
      if (!a.kind || a.skipped) continue;
      const before = countByRule(a.findings);
      const seen = new Set<string>();
      for (const f of a.findings) {
        const e = suppressionEdit(text, a.kind, f, 'line');
        if (!e) continue;
        // Each rule once per file, and every comment that does not go right above its finding's line
        // (continued commands and instructions): one analysis per check.
        const plain = e.start === text.lastIndexOf('\n', f.span.start - 1) + 1 && e.end === e.start;
        if (plain && seen.has(f.ruleId)) continue;
        seen.add(f.ruleId);
        checked++;
        const r = analyze(applyEdits(text, [e]), opts);
        const shift = e.newText.length - (e.end - e.start);
        const at = f.span.start >= e.start ? f.span.start + shift : f.span.start;
        const where = `${path.relative(ROOT, file)}: ${f.ruleId} at line ${f.range.start.line + 1}`;
        assert.ok(!r.findings.some((g) => g.ruleId === f.ruleId && g.span.start === at && g.message === f.message), `${where} is still reported`);
        const after = countByRule(r.findings);
        assert.ok((after.get(f.ruleId) ?? 0) < (before.get(f.ruleId) ?? 0), where);
        for (const [id, n] of after) assert.ok(n <= (before.get(id) ?? 0), `${where}: the comment brought a new ${id}`);
      }
    }
    assert.ok(checked > 1000, `${checked} ignore comments checked`);
  });
});

describe('harden edits (engine)', () => {
  before(() => initEngine());

  it('applied to the original text, give the hardened text, on every fixture and corpus file', () => {
    let changed = 0;
    for (const file of engineFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const h = harden(text, { fileName: file, readFile: readSibling });
      const where = path.relative(ROOT, file);
      assert.equal(applyEdits(text, h.edits), h.text, where);
      assert.deepEqual(h.internalErrors, [], where);
      if (h.text === text) {
        assert.deepEqual(h.edits, [], where);
        continue;
      }
      changed++;
      // Edits in order, apart, none a no-op.
      h.edits.forEach((e, i) => {
        assert.ok(e.start <= e.end && (i === 0 || h.edits[i - 1].end < e.start), `${where}: edit ${i}`);
        assert.notEqual(text.slice(e.start, e.end), e.newText, `${where}: edit ${i}`);
      });
    }
    assert.ok(changed > 50, `${changed} files hardened`);
  });

  it('a second pass that rewrites what the first inserted still maps onto the original', () => {
    const text = 'services:\n  web:\n    image: nginx\n    privileged: true\n';
    const h = harden(text, { fileName: 'compose.yaml' });
    assert.ok(h.applied > 1);
    assert.equal(applyEdits(text, h.edits), h.text);
  });
});
