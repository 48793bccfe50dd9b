import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './lspClient';

// The grammar's regexes are Oniguruma; the ones used here are also valid JavaScript, which lets
// this test check what they match without a TextMate engine.
const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes', 'harden-ignore.injection.tmLanguage.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const rule = grammar.repository.suppression;
const begin = new RegExp(rule.begin);
const idPattern = rule.patterns.find((p: { name?: string }) => p.name === 'constant.other.rule-id.harden-ignore');
const reason = rule.patterns.find((p: { begin?: string }) => p.begin);

function ids(line: string): string[] {
  const m = begin.exec(line);
  if (!m) return [];
  let rest = line.slice(m.index + m[0].length);
  const r = new RegExp(reason.begin).exec(rest);
  if (r) rest = rest.slice(0, r.index);
  return [...rest.matchAll(new RegExp(idPattern.match, 'g'))].map((x) => x[0]);
}

describe('suppression comment grammar', () => {
  it('is contributed as an injection into Dockerfile, YAML/compose and shell', () => {
    const g = pkg.contributes.grammars.find((x: { scopeName: string }) => x.scopeName === grammar.scopeName);
    assert.ok(g);
    assert.equal(path.normalize(g.path), path.normalize('./syntaxes/harden-ignore.injection.tmLanguage.json'));
    for (const s of ['source.dockerfile', 'source.yaml', 'source.shell']) {
      assert.ok(g.injectTo.includes(s), s);
      assert.match(grammar.injectionSelector, new RegExp(`L:${s.replace('.', '\\.')} -string`));
    }
  });

  it('highlights the directive, each rule id and leaves the reason as comment text', () => {
    assert.deepEqual(ids('# harden-ignore: privileged, cap-drop-missing -- CI runner needs it'), ['privileged', 'cap-drop-missing']);
    assert.deepEqual(ids('    # harden-ignore-file: image-latest'), ['image-latest']);
    assert.deepEqual(ids('docker run --privileged x  # harden-ignore: privileged'), ['privileged']);
    // Like the engine: the reason starts at the first `--`.
    assert.deepEqual(ids('  privileged: true # harden-ignore:privileged,host-pid--not a reason'), ['privileged', 'host-pid']);
    const m = begin.exec('# harden-ignore-file: all')!;
    assert.equal(m[2], 'harden-ignore-file');
  });

  it('does not fire on look-alikes', () => {
    assert.deepEqual(ids('echo "#harden-ignore: x"'), []);
    assert.deepEqual(ids('# harden-ignored: privileged'), []);
    assert.deepEqual(ids('RUN echo a#harden-ignore: privileged'), []);
  });
});
