/** Engine behaviour that is not tied to one rule: detection, suppressions, settings, hover, bad input. */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { analyze, detectKind, harden, hoverAt, parseConfigText, RULE_IDS, RULES, SettingsInput, t } from '../../server/src/engine';
import { updateReadme } from '../../server/src/docs';
import { plainText } from '../../server/src/engine/text';
import { init, ROOT } from './helpers';

const ids = (text: string, fileName: string, settings?: SettingsInput) =>
  analyze(text, { fileName, settings }).findings.map((f) => `${f.ruleId}@${f.range.start.line + 1}`);

describe('engine', () => {
  before(init);

  it('detects the kind from the name, then the shebang', () => {
    assert.equal(detectKind('Dockerfile'), 'dockerfile');
    assert.equal(detectKind('/x/Containerfile.dev'), 'dockerfile');
    assert.equal(detectKind('api.dockerfile'), 'dockerfile');
    assert.equal(detectKind('compose.prod.yaml'), 'compose');
    assert.equal(detectKind('docker-compose.override.yml'), 'compose');
    assert.equal(detectKind('deploy.sh'), 'shell');
    assert.equal(detectKind('deploy', '#!/usr/bin/env bash\necho hi\n'), 'shell');
    assert.equal(detectKind('deploy', '#!/usr/bin/python3\n'), undefined);
    assert.equal(detectKind('values.yaml'), undefined);
  });

  it('suppression comments silence the named rules on the next line, the same line, or the file', () => {
    const sh = [
      '#!/bin/sh',
      '# harden-ignore: privileged -- needs the GPU',
      'docker run --privileged --cap-drop ALL img:1',
      'docker run --privileged --cap-drop ALL img:1  # harden-ignore: privileged',
      'docker run --privileged --cap-drop ALL img:1',
    ].join('\n');
    const got = ids(sh, 'a.sh').filter((x) => x.startsWith('privileged'));
    assert.deepEqual(got, ['privileged@5']);
    const file = '# harden-ignore-file: root-user, memory-limit-missing\nFROM alpine:3\n';
    assert.ok(!ids(file, 'Dockerfile').some((x) => x.startsWith('root-user')));
  });

  it('a suppression before a multi-line command covers all of it', () => {
    const sh = '#!/bin/sh\n# harden-ignore: privileged, sensitive-mount\ndocker run -d \\\n  --privileged \\\n  -v /etc:/etc \\\n  img:1\n';
    const got = ids(sh, 'a.sh');
    assert.ok(!got.some((x) => x.startsWith('privileged') || x.startsWith('sensitive-mount')), got.join());
  });

  it('messages: {N} takes argument N; anything else is left as written', () => {
    const cases: Array<[string, Array<string | number>, string]> = [
      ['plain', ['x'], 'plain'],
      ['`{0}` and `{1}`', ['a', 2], '`a` and `2`'],
      ['{1}{0}{1}', ['a', 'b'], 'bab'],
      ['{2} {0}', ['a'], '{2} a'],
      ['{0', ['a'], '{0'],
      ['{{0}}', ['a'], '{a}'],
      ['{1{0}}', ['a'], '{1a}'],
      ['{00}{01}', ['a', 'b'], 'ab'],
      ['{x} { 0} {0 }', ['a'], '{x} { 0} {0 }'],
      ['{0}', ['$& {1}', 'no'], '$& {1}'],
      ['{99999999999999999999}', ['a'], '{99999999999999999999}'],
    ];
    for (const [message, args, want] of cases) assert.equal(t(message, ...args), want, message);
  });

  it('plain text: each `code` span on one line is quoted, as the pattern /`([^`\\n]*)`/g says', () => {
    const spec = (s: string) => s.replace(/`([^`\n]*)`/g, '\u201C$1\u201D');
    const cases = ['no code', '`a` and `b`', 'one ` alone', '`x\ny` `z`', '``', '` `\n`', 'a`b`c`d`e`'];
    // And every short string of backticks, line breaks and letters.
    const alphabet = ['`', '\n', 'a', ' '];
    for (let n = 0; n < 4 ** 6; n++) {
      let s = '';
      for (let k = n, len = 0; len < 6; len++, k >>= 2) s += alphabet[k & 3];
      cases.push(s);
    }
    for (const s of cases) assert.equal(plainText(s), spec(s), JSON.stringify(s));
  });

  it("a finding's fixes: rendered on first read, in JSON, settable", () => {
    const r = analyze('#!/bin/sh\ndocker run --privileged nginx:1\n', { fileName: 'a.sh' });
    const f = r.findings.find((x) => x.ruleId === 'privileged')!;
    // Only plain data is an own property; `fixes` is read through the prototype (rendered lazily).
    assert.deepEqual(Object.keys(f), ['ruleId', 'severity', 'message', 'span', 'range', 'context']);
    assert.ok(f.fixes.length > 0 && f.fixes[0].edits.length > 0);
    assert.equal(f.fixes, f.fixes, 'rendered once');
    const json = JSON.parse(JSON.stringify(f));
    assert.deepEqual(Object.keys(json), ['ruleId', 'severity', 'message', 'span', 'range', 'context', 'fixes']);
    assert.deepEqual(json.fixes, JSON.parse(JSON.stringify(f.fixes)));
    const other = r.findings.find((x) => x !== f)!;
    f.fixes = [];
    assert.deepEqual(f.fixes, []);
    assert.ok(other.fixes.length > 0, 'each finding has fixes of its own');
  });

  it("a result's groups: formed on first read from the findings as analysed, in JSON, settable", () => {
    const compose = 'services:\n  web:\n    image: myorg/web:1.0\n  db:\n    image: postgres:16\n';
    const r = analyze(compose, { fileName: 'compose.yaml' });
    const all = r.findings;
    // A caller (the CLI's baseline) drops findings before it reads the groups: the groups still
    // stand for the findings as analysed, which the caller then filters itself.
    r.findings = all.filter((f) => f.ruleId !== 'root-user');
    const groups = r.groups!;
    assert.deepEqual(groups.map((g) => g.name), ['web', 'db']);
    for (const g of groups) {
      assert.ok(g.members.length >= 2 && g.members.every((m) => all.includes(m)));
      assert.ok(g.members.some((m) => m.ruleId === 'root-user'), g.members.map((m) => m.ruleId).join());
    }
    assert.equal(r.groups, groups, 'formed once');
    assert.deepEqual(JSON.parse(JSON.stringify(r)).groups.map((g: { message: string }) => g.message), groups.map((g) => g.message));
    r.groups = [];
    assert.deepEqual(r.groups, []);
    assert.equal(analyze(compose, { fileName: 'compose.yaml', settings: { group: false } }).groups, undefined, 'none when grouping is off');
  });

  it('reports an unknown id in a suppression', () => {
    const got = analyze('#!/bin/sh\n# harden-ignore: privilegd\ndocker run --privileged img:1\n', { fileName: 'a.sh' }).findings;
    const u = got.find((f) => f.ruleId === 'unknown-suppression');
    assert.ok(u);
    assert.equal(u.severity, 'info');
    assert.match(u.message, /privilegd/);
    assert.ok(got.some((f) => f.ruleId === 'privileged'), 'the typo silences nothing');
  });

  it('settings turn rules off, change severity and fix defaults', () => {
    const sh = '#!/bin/sh\ndocker run --privileged nginx:1\n';
    const r = analyze(sh, { fileName: 'a.sh', settings: { rules: { privileged: 'off', 'memory-limit-missing': 'error' }, fix: { memory: '2g' } } });
    assert.ok(!r.findings.some((f) => f.ruleId === 'privileged'));
    const mem = r.findings.find((f) => f.ruleId === 'memory-limit-missing')!;
    assert.equal(mem.severity, 'error');
    assert.match(mem.fixes[0].edits[0].newText, /--memory 2g/);
  });

  it('config files only set values; mistakes are reported and defaults kept', () => {
    const ok = parseConfigText('rules:\n  privileged: warning\nfix:\n  pidsLimit: 100\n', RULE_IDS);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.settings.rules?.privileged, 'warning');
    assert.equal(ok.settings.fix?.pidsLimit, 100);
    const bad = parseConfigText('rules: [1, 2]\nfix:\n  user: "$(rm -rf /)"\n  pidsLimit: -3\nplugins: [evil]\n', RULE_IDS);
    assert.equal(bad.settings.fix?.user, undefined);
    assert.equal(bad.errors.length, 4);
    const bomb = parseConfigText('a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n', RULE_IDS);
    assert.ok(bomb.errors.length >= 1);
    assert.equal(parseConfigText('rules: {privileged: off', RULE_IDS).errors.length, 1);
  });

  it('broken YAML gives exactly one parse-error at the right place', () => {
    const r = analyze('services:\n  web:\n    image: nginx:1\n    ports: [80:80\n  db:\n    image: x\n', { fileName: 'compose.yaml' });
    const errs = r.findings.filter((f) => f.ruleId === 'parse-error');
    assert.equal(errs.length, 1);
    assert.ok(errs[0].range.start.line >= 3, `parse error on line ${errs[0].range.start.line + 1}`);
    assert.equal(r.findings.length, 1);
  });

  it('skips binary text and never throws on odd input', () => {
    assert.match(analyze('FROM x\u0000\u0001', { fileName: 'Dockerfile' }).skipped ?? '', /binary/);
    for (const s of ['', '\uFEFF', '"', "docker run '", 'FROM', 'services:\n  a: *nope\n', '\\', '$(', 'RUN <<EOF\n']) {
      for (const fileName of ['Dockerfile', 'compose.yaml', 'x.sh']) {
        const r = analyze(s, { fileName });
        assert.deepEqual(r.internalErrors, [], `${fileName}: ${JSON.stringify(s)}`);
      }
    }
  });

  it('reads a file with a BOM and CRLF line ends', () => {
    const text = '\uFEFF#!/bin/sh\r\ndocker run \\\r\n  --privileged \\\r\n  img:1\r\n';
    const r = analyze(text, { fileName: 'a.sh' });
    assert.ok(r.findings.some((f) => f.ruleId === 'privileged' && f.range.start.line === 2));
    const h = harden(text, { fileName: 'a.sh' });
    assert.ok(!h.text.includes('--privileged'));
    assert.ok(!/[^\r]\n/.test(h.text), 'CRLF kept');
    assert.ok(h.text.startsWith('\uFEFF'));
  });

  it('hover explains a finding, and a security-relevant option with nothing wrong', () => {
    const sh = '#!/bin/sh\ndocker run --privileged --pids-limit 100 img:1\n';
    const onFinding = hoverAt(sh, sh.indexOf('--privileged') + 3, { fileName: 'a.sh' });
    assert.ok(onFinding);
    assert.match(onFinding.contents, /`privileged`/);
    assert.match(onFinding.contents, /§5/);
    const onOption = hoverAt(sh, sh.indexOf('--pids-limit') + 3, { fileName: 'a.sh' });
    assert.ok(onOption);
    assert.match(onOption.contents, /fork/);
    const df = 'FROM alpine:3\nUSER 1000\n';
    assert.match(hoverAt(df, df.indexOf('USER') + 1, { fileName: 'Dockerfile' })?.contents ?? '', /root/i);
    assert.equal(hoverAt(sh, 2, { fileName: 'a.sh' }), null);
  });

  it('hover from a prior analysis says exactly what a fresh one says (findings, options, keywords, nothing)', () => {
    const files = ['test/fixtures/sample/Dockerfile', 'test/fixtures/sample/compose.yaml', 'test/fixtures/sample/run.sh'].map((f) => path.join(ROOT, f));
    let compared = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const opts = { fileName: file };
      const prior = analyze(text, opts);
      assert.ok(prior.hoverSpots && prior.hoverSpots.length > 0, `${file}: no hover spots`);
      const offsets = new Set<number>([0, text.length]);
      for (const f of prior.findings) [f.span.start, f.span.end, (f.span.start + f.span.end) >> 1].forEach((o) => offsets.add(o));
      for (const h of prior.hoverSpots) [h.span.start, h.span.end - 1].forEach((o) => offsets.add(o));
      for (const o of offsets) {
        assert.deepEqual(hoverAt(text, o, opts, prior), hoverAt(text, o, opts), `${file} at ${o}`);
        compared++;
      }
    }
    assert.ok(compared > 50);
  });

  it("names of Object's own members are plain words (commands, compose keys, capabilities, variables)", () => {
    for (const n of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const files: Array<[string, string]> = [
        ['a.sh', `#!/bin/sh\n${n} -x docker run --cap-add ${n} -v /${n}:/x img:1\ndocker ${n} run img\n${n}=1 ${n} a b\n`],
        ['compose.yaml', `services:\n  ${n}:\n    image: img:1\n    ${n}: true\n    cap_add: [${n}]\n    security_opt: ["${n}:x"]\n`],
        ['Dockerfile', `FROM alpine:3\nRUN ${n} docker run --${n} img && ${n}=1 curl -o /x https://example.com/x\n${n.toUpperCase()} x\nUSER 1000\n`],
      ];
      for (const [name, text] of files) {
        const r = analyze(text, { fileName: `/w/${name}` });
        assert.deepEqual(r.internalErrors, [], `${n} in ${name}`);
        assert.deepEqual(r.findings.filter((f) => f.ruleId === 'parse-error'), [], `${n} in ${name}`);
        // Not a wrapper, so the docker command after it is not looked through; not a TLS variable.
        assert.ok(!r.findings.some((f) => f.ruleId === 'tls-verify-disabled'), `${n} in ${name}`);
      }
    }
  });

  it('every rule has metadata the docs need', () => {
    for (const r of RULES) {
      assert.ok(r.title && r.short && r.long.length > 80, r.id);
      assert.ok(r.guide.every((g) => g >= 1 && g <= 17), r.id);
      assert.match(r.docsUrl, new RegExp(`#rule-${r.id}$`));
    }
  });

  it('the README rule reference is generated from the current metadata', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    assert.equal(updateReadme(readme), readme, 'run `npm run docs`');
  });
});
