/**
 * The launch sources of issue 14 (devcontainer.json, GitHub Actions workflows, Podman Quadlet
 * units): positions inside strings map back to the file exactly, fixes keep the file's comments
 * and layout, "harden" leaves a file that still parses, and the CLI finds and reports them.
 */
import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { parseTree, type ParseError } from 'jsonc-parser';
import { isScalar, parseDocument, visit, type Scalar } from 'yaml';
import { analyze, applyEdits, detectKind, Finding, harden, hoverAt, needsShellParser } from '../../server/src/engine';
import { suppressionEdit } from '../../server/src/engine';
import { splitArgs } from '../../server/src/engine/sources/argv';
import { sameText } from '../../server/src/engine/sources/mapped';
import { parseUnit } from '../../server/src/engine/sources/quadlet';
import { scalarText } from '../../server/src/engine/sources/yamlScalar';
import { FIXTURES, init, listFixtures, readSibling, ROOT } from './helpers';

const READERS = path.join(FIXTURES, 'readers');
const fixtureFiles = ['devcontainer', 'workflows', 'quadlet'].flatMap((d) => listFixtures(path.join(READERS, d)));

const finding = (text: string, fileName: string, ruleId: string): Finding => {
  const f = analyze(text, { fileName }).findings.find((x) => x.ruleId === ruleId);
  assert.ok(f, `${ruleId} in ${fileName}`);
  return f;
};
const fixed = (text: string, f: Finding, which = 0) => applyEdits(text, f.fixes[which].edits);
const at = (text: string, f: Finding) => text.slice(f.span.start, f.span.end);

/** Parses the text with the source's own parser: the number of syntax errors. */
function syntaxErrors(kind: string, text: string): number {
  if (kind === 'devcontainer') {
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: true });
    return errors.length;
  }
  if (kind === 'workflow' || kind === 'compose') return parseDocument(text).errors.length;
  if (kind === 'quadlet') return parseUnit(text).error ? 1 : 0;
  return 0;
}

describe('YAML scalar positions', () => {
  const doc = [
    'plain: docker run --privileged x',
    'multi: docker run',
    '  --privileged',
    '',
    '  x',
    "single: 'it''s --privileged'",
    'double: "a\\tb \\"q\\" \\u00e9 \\',
    '  c"',
    'literal: |',
    '    docker run \\',
    '      --privileged x',
    '',
    '    echo "  kept"',
    'strip: |-',
    '  one',
    '  two',
    '',
    'keep: |+',
    '  one',
    '',
    'folded: >',
    '  a',
    '  b',
    '',
    '  c',
    '    more',
    '  d',
    'folded-strip: >-',
    '  --cpus 2',
    '  --privileged',
    'crlf: |\r\n  a\r\n  b\r\n',
    'number: 42',
    '',
  ].join('\n');

  it('every style decodes to the value yaml reads, each character at its place in the file', () => {
    const d = parseDocument(doc);
    let n = 0;
    visit(d, {
      Pair(_k, p) {
        const v = p.value;
        if (!isScalar(v)) return;
        const m = scalarText(doc, v as Scalar);
        assert.ok(m, `${String((p.key as Scalar).value)} maps`);
        n++;
        if (typeof v.value === 'string') assert.equal(m.text, v.value, String((p.key as Scalar).value));
        for (let i = 0; i < m.text.length; i++) {
          const c: string = m.text[i];
          const src = doc.slice(m.from[i], m.to[i]);
          // Characters written as themselves stand exactly where they are read from.
          if (src.length === 1 && c !== ' ' && c !== '\n') assert.equal(src, c, `${String((p.key as Scalar).value)}[${i}]`);
          assert.ok(m.from[i] >= v.range![0] && m.to[i] <= v.range![1], 'inside the scalar');
        }
      },
    });
    assert.equal(n, 11);
  });
});

describe('option strings', () => {
  it('the runner splits on blanks and double quotes only; systemd also on single quotes and escapes', () => {
    const text = `--env "A=b c" --label 'x y' --cap-add\\ SYS_ADMIN`;
    const runner = splitArgs(sameText(text, 0, text.length), text, { systemd: false });
    assert.deepEqual(runner.words.map((w) => w.shape), ['--env', 'A=b c', '--label', "'x", "y'", '--cap-add\\', 'SYS_ADMIN']);
    const systemd = splitArgs(sameText(text, 0, text.length), text, { systemd: true });
    assert.deepEqual(systemd.words.map((w) => w.shape), ['--env', 'A=b c', '--label', 'x y', '--cap-add SYS_ADMIN']);
    assert.deepEqual(systemd.exact, [true, false, true, false, false]);
    // Spans cover the word as written, quotes included.
    assert.equal(text.slice(systemd.words[1].span.start, systemd.words[1].span.end), '"A=b c"');
  });
});

describe('devcontainer.json', () => {
  before(init);
  const file = path.join(READERS, 'devcontainer', 'run-args', 'devcontainer.json');
  const text = fs.readFileSync(file, 'utf8');

  it('points at the runArgs items of an option, quotes included', () => {
    const f = analyze(text, { fileName: file }).findings;
    assert.equal(at(text, f.find((x) => x.ruleId === 'seccomp-disabled')!), '"--security-opt", "seccomp=unconfined"');
    assert.equal(at(text, f.find((x) => x.ruleId === 'privileged')!), '"--privileged"');
  });

  it('removing an item takes its line and keeps the comments, the trailing commas and the rest as they were', () => {
    const out = fixed(text, finding(text, file, 'privileged'));
    assert.equal(out, text.replace('    "--privileged", // expect: privileged\n', ''));
    const two = fixed(text, finding(text, file, 'seccomp-disabled'));
    assert.equal(two, text.replace('    "--security-opt", "seccomp=unconfined", // expect: seccomp-disabled\n', ''));
    // A value is edited inside its string.
    const ro = fixed(text, finding(text, file, 'sensitive-mount'));
    assert.equal(ro, text.replace('"/etc:/host/etc"', '"/etc:/host/etc:ro"'));
  });

  it('removes an inline item with its comma, and the comma before the last one', () => {
    const inline = '{\n  "image": "alpine:3.20",\n  "runArgs": ["--init", "--privileged", "--rm"]\n}\n';
    assert.equal(fixed(inline, finding(inline, 'devcontainer.json', 'privileged')), inline.replace('"--privileged", ', ''));
    const last = '{\n  "image": "alpine:3.20",\n  "runArgs": [\n    "--init",\n    "--privileged"\n  ]\n}\n';
    assert.equal(fixed(last, finding(last, 'devcontainer.json', 'privileged')), '{\n  "image": "alpine:3.20",\n  "runArgs": [\n    "--init"\n  ]\n}\n');
    const only = '{\n  // dind\n  "privileged": true\n}\n';
    assert.equal(fixed(only, finding(only, 'devcontainer.json', 'privileged')), '{}\n');
    const alone = '{ "image": "alpine:3.20", "runArgs": ["--privileged"] }';
    assert.equal(fixed(alone, finding(alone, 'devcontainer.json', 'privileged')), '{ "image": "alpine:3.20" }');
  });

  it('a feature that adds a privilege is reported at its key, with no fix (the feature is the user\'s choice)', () => {
    const t = '{\n  "features": {\n    "ghcr.io/devcontainers/features/docker-in-docker:2": {}\n  }\n}\n';
    const f = finding(t, '.devcontainer.json', 'privileged');
    assert.equal(at(t, f), '"ghcr.io/devcontainers/features/docker-in-docker:2"');
    assert.deepEqual(f.fixes, []);
  });

  it('no fix edits inside a string written with JSON escapes', () => {
    const file2 = path.join(READERS, 'devcontainer', 'escapes', 'devcontainer.json');
    const t = fs.readFileSync(file2, 'utf8');
    assert.deepEqual(finding(t, file2, 'sensitive-mount').fixes, []);
  });

  it('neither missing settings nor a root user are judged (a developer\'s own container)', () => {
    const t = '{ "image": "alpine:3.20", "containerUser": "root", "runArgs": ["-u", "0"] }';
    const got = analyze(t, { fileName: 'devcontainer.json' }).findings.map((f) => f.ruleId);
    assert.deepEqual(got, []);
  });

  it('broken JSON is one clear parse error', () => {
    const r = analyze('{ "image": "x" "runArgs": [', { fileName: 'devcontainer.json' });
    assert.deepEqual(r.internalErrors, []);
    assert.deepEqual(r.findings.map((f) => f.ruleId), ['parse-error']);
    assert.match(r.findings[0].message, /^Invalid JSON: comma expected\. Nothing else/);
  });

  it('`// harden-ignore:` comments silence findings', () => {
    const t = '{\n  // harden-ignore: privileged -- docker-in-docker needs it\n  "privileged": true,\n  "capAdd": ["SYS_ADMIN"] // harden-ignore: cap-add-dangerous\n}\n';
    assert.deepEqual(analyze(t, { fileName: 'devcontainer.json' }).findings.map((f) => f.ruleId), []);
  });

  it('hovers: a finding at its key; a native key with nothing wrong explains what it protects', () => {
    const t = '{\n  "privileged": true,\n  "securityOpt": ["no-new-privileges"]\n}\n';
    const h = hoverAt(t, t.indexOf('privileged'), { fileName: 'devcontainer.json' });
    assert.match(h?.contents ?? '', /`privileged`/);
    const h2 = hoverAt(t, t.indexOf('no-new-privileges'), { fileName: 'devcontainer.json' });
    assert.match(h2?.contents ?? '', /no-new-privileges-missing/);
  });
});

describe('GitHub Actions workflows', () => {
  before(init);
  const dir = path.join(READERS, 'workflows', '.github', 'workflows');
  const opts = path.join(dir, 'container-options.yml');
  const text = fs.readFileSync(opts, 'utf8');

  it('finds each option of an options string on its own line, in plain, folded and literal scalars', () => {
    const f = analyze(text, { fileName: opts }).findings;
    assert.equal(at(text, f.find((x) => x.ruleId === 'seccomp-disabled')!), '--security-opt seccomp=unconfined');
    assert.equal(at(text, f.find((x) => x.ruleId === 'host-pid')!), '--pid=host');
    assert.equal(at(text, f.find((x) => x.ruleId === 'privileged')!), '--privileged');
  });

  it('a fix edits inside the string and keeps its style', () => {
    assert.equal(fixed(text, finding(text, opts, 'privileged')), text.replace('--cpus 2 --privileged --user root', '--cpus 2 --user root'));
    const folded = fixed(text, finding(text, opts, 'seccomp-disabled'));
    assert.equal(folded, text.replace('        --cap-add SYS_PTRACE\n        --security-opt seccomp=unconfined\n', '        --cap-add SYS_PTRACE\n'));
    const quoted = fixed(text, finding(text, opts, 'sensitive-mount'));
    assert.equal(quoted, text.replace('-v /etc:/host-etc"', '-v /etc:/host-etc:ro"'));
    const only = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --privileged\n    steps: []\n';
    assert.equal(fixed(only, finding(only, '.github/workflows/a.yml', 'privileged')), only.replace('      options: --privileged\n', ''));
  });

  it('run steps: commands are found at their place in the block, and fixed in the file\'s indentation', () => {
    const file = path.join(dir, 'run-steps.yml');
    const t = fs.readFileSync(file, 'utf8');
    const f = finding(t, file, 'sensitive-mount');
    assert.equal(at(t, f), '-v /:/host');
    assert.equal(fixed(t, f), t.replace('            -v /:/host \\\n', '            -v /:/host:ro \\\n'));
    const p = analyze(t, { fileName: file }).findings.find((x) => x.ruleId === 'privileged')!;
    assert.equal(fixed(t, p), t.replace('            --privileged \\\n', ''));
  });

  it('a step written with YAML escapes or folded lines is read, but gets no fix', () => {
    const t = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "docker run --privileged \\"alpine:3.20\\""\n      - run: >\n          docker run\n          --privileged alpine:3.20\n';
    const f = analyze(t, { fileName: '.github/workflows/x.yml' }).findings.filter((x) => x.ruleId === 'privileged');
    assert.deepEqual(f.map((x) => [at(t, x), x.fixes.length]), [['--privileged', 0], ['--privileged', 0]]);
  });

  it('`${{ … }}` is an unknown value: no guess, no missing-option finding, no secret', () => {
    const t = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    container:\n      image: node:${{ matrix.v }}\n      options: ${{ matrix.opts }}\n      credentials:\n        username: u\n        password: ${{ secrets.PW }}\n    steps:\n      - run: docker login -u u -p "${{ secrets.PW }}" ghcr.io\n';
    assert.deepEqual(analyze(t, { fileName: '.github/workflows/x.yml' }).findings.map((x) => x.ruleId), []);
  });

  it('needs the shell parser only when it has run steps', () => {
    assert.equal(needsShellParser('jobs:\n  a:\n    steps:\n      - run: make\n', { fileName: '.github/workflows/a.yml' }), true);
    assert.equal(needsShellParser('jobs:\n  a:\n    container: node:20\n', { fileName: '.github/workflows/a.yml' }), false);
    assert.equal(needsShellParser('{}', { fileName: 'devcontainer.json' }), false);
  });
});

describe('Quadlet units', () => {
  before(init);
  it('adds missing keys at the end of [Container], in the file\'s style and line breaks', () => {
    const t = '[Unit]\r\nDescription=x\r\n\r\n[Container]\r\nImage = docker.io/library/redis:7.4\r\nUser = 1000\r\n\r\n[Install]\r\nWantedBy = default.target\r\n';
    const h = harden(t, { fileName: 'redis.container' });
    assert.equal(
      h.text,
      '[Unit]\r\nDescription=x\r\n\r\n[Container]\r\nImage = docker.io/library/redis:7.4\r\nUser = 1000\r\n' +
        // redis 7's needs without its default capabilities are not fully known (the image table): no DropCapability.
        'PodmanArgs = --cpus=1\r\nMemory = 512m\r\nNoNewPrivileges = true\r\nPidsLimit = 200\r\nReadOnly = true\r\n\r\n[Install]\r\nWantedBy = default.target\r\n',
    );
  });

  it('missing settings point at the [Container] line', () => {
    const t = '# web\n[Container]\nImage=docker.io/library/nginx:1.27\n';
    const f = analyze(t, { fileName: 'web.container' }).findings.filter((x) => x.ruleId === 'no-new-privileges-missing');
    assert.deepEqual(f.map((x) => at(t, x)), ['[Container]']);
  });

  it('removes one word of a list key, or the key when it was the only one', () => {
    const t = '[Container]\nImage=x:1\nAddCapability=NET_RAW SYS_ADMIN\nAddCapability=SYS_MODULE\n';
    const f = analyze(t, { fileName: 'a.container' }).findings.filter((x) => x.ruleId === 'cap-add-dangerous');
    assert.equal(applyEdits(t, f[0].fixes[0].edits), t.replace('NET_RAW SYS_ADMIN', 'NET_RAW'));
    assert.equal(applyEdits(t, f[1].fixes[0].edits), t.replace('AddCapability=SYS_MODULE\n', ''));
  });

  it('`;` and `#` suppression comments work', () => {
    const t = '[Container]\nImage=x:1\nUser=1000\n; harden-ignore: host-network -- the exporter reads host counters\nNetwork=host\n';
    assert.ok(!analyze(t, { fileName: 'a.container' }).findings.some((x) => x.ruleId === 'host-network'));
  });

  it('a broken unit is one clear parse error', () => {
    const r = analyze('Image=x\n[Container]\n', { fileName: 'a.container' });
    assert.deepEqual(r.findings.map((f) => [f.ruleId, f.message]), [['parse-error', 'Invalid unit file: the file does not start with a section. Nothing else in this file was checked.']]);
  });

  it('another tool\'s .container file (no [Container] section) is left alone', () => {
    assert.deepEqual(analyze('{"name": "x"}\n', { fileName: 'app.container' }).findings, []);
  });
});

describe('harden on every new-source fixture', () => {
  before(init);
  for (const file of fixtureFiles) {
    const kind = detectKind(file);
    it(`${path.relative(FIXTURES, file)}: still parses, and the fixed rules' findings are gone or weaker`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const opts = { fileName: file, readFile: readSibling };
      const h = harden(text, opts);
      assert.equal(syntaxErrors(kind!, h.text), syntaxErrors(kind!, text));
      const weight = (fs_: Finding[], id: string) => fs_.filter((f) => f.ruleId === id).reduce((n, f) => n + ({ error: 100, warning: 10, info: 1 })[f.severity], 0);
      const before_ = analyze(text, opts).findings;
      for (const id of new Set(h.appliedRules)) assert.ok(weight(h.remaining, id) < weight(before_, id), id);
      // Nothing but the fixed lines changed: every comment line is still there.
      const comments = (s: string) => s.split(/\r?\n/).filter((l) => /^\s*(#|\/\/|;)/.test(l));
      assert.deepEqual(comments(h.text), comments(text));
    });
  }

  it('documents nested too deeply for the parsers are one clear parse error', () => {
    for (const [name, text] of [['devcontainer.json', '['.repeat(200000) + ']'.repeat(200000)], ['.github/workflows/a.yml', 'jobs:\n' + Array.from({ length: 3000 }, (_, i) => ' '.repeat(i * 2 + 2) + 'k' + i + ':').join('\n') + ' x\n']]) {
      const r = analyze(text, { fileName: name });
      assert.deepEqual(r.internalErrors, [], name);
      assert.deepEqual(r.findings.map((f) => f.ruleId), ['parse-error'], name);
      assert.match(r.findings[0].message, /nested too deeply/, name);
    }
  });

  it('never throws and never errs inside on garbage with these names', () => {
    const names = ['devcontainer.json', '.github/workflows/ci.yml', 'web.container'];
    const junk = ['', '{', '[', ']]', '"', '{"runArgs": [1, null, {}, "--privileged"]}', 'jobs: [', 'jobs:\n  a: 3\n', 'jobs:\n  a:\n    steps: {run: 1}\n', '[Container]\nPodmanArgs="\n', '[Container\n', '\\\n', '[Container]\nPodmanArgs=--x \\'];
    for (const n of names) {
      for (const j of junk) {
        const r = analyze(j, { fileName: n });
        assert.deepEqual(r.internalErrors, [], `${n}: ${JSON.stringify(j)}`);
        harden(j, { fileName: n });
      }
    }
  });
});

describe('"Ignore" comments in the new sources (the engine\'s suppression edits)', () => {
  before(init);
  /** The text with the engine's ignore comment, when it silences the finding and breaks nothing. */
  const ignored = (text: string, fileName: string, ruleId: string, fileWide = false): string => {
    const f = finding(text, fileName, ruleId);
    const kind = detectKind(fileName);
    const e = suppressionEdit(text, kind, f, fileWide ? 'file' : 'line');
    const edits = e ? [e] : [];
    const n = (fs_: Finding[]) => fs_.filter((x) => x.ruleId === ruleId).length;
    const before_ = n(analyze(text, { fileName }).findings);
    for (const e of edits) {
      const out = applyEdits(text, [e]);
      const after = analyze(out, { fileName }).findings;
      if (n(after) < before_ && !after.some((x) => x.ruleId === 'parse-error')) return out;
    }
    return '';
  };

  it('devcontainer.json gets // comments, for a line and for the file', () => {
    const t = '{\n  "image": "alpine:3.20",\n  "privileged": true\n}\n';
    assert.equal(ignored(t, 'devcontainer.json', 'privileged'), '{\n  "image": "alpine:3.20",\n  // harden-ignore: privileged\n  "privileged": true\n}\n');
    assert.equal(ignored(t, 'devcontainer.json', 'privileged', true), '// harden-ignore-file: privileged\n' + t);
  });

  it('a workflow option inside a folded block gets its comment before the key, a literal run: script inside it', () => {
    const t = 'jobs:\n  a:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: >-\n        --cpus 2\n        --privileged\n    steps:\n      - run: |\n          docker run --rm \\\n            --privileged alpine:3.20\n';
    const name = '.github/workflows/a.yml';
    const a = ignored(t, name, 'privileged');
    assert.ok(a.includes('      # harden-ignore: privileged\n      options: >-\n'), a);
    const t2 = t.replace('        --privileged\n', '');
    const b = ignored(t2, name, 'privileged');
    assert.ok(b.includes('          # harden-ignore: privileged\n          docker run --rm'), b);
  });

  it('a Quadlet entry over several lines takes the comment before its first line', () => {
    const t = '[Container]\nImage=x:1\nPodmanArgs=--cpus 1 \\\n  --privileged\n';
    assert.equal(ignored(t, 'a.container', 'privileged'), '[Container]\nImage=x:1\n# harden-ignore: privileged\nPodmanArgs=--cpus 1 \\\n  --privileged\n');
  });
});

describe('detection and the CLI', () => {
  it('detects the new sources by name and, for workflows, by folder', () => {
    assert.equal(detectKind('/r/.devcontainer/devcontainer.json'), 'devcontainer');
    assert.equal(detectKind('/r/.devcontainer/python/devcontainer.json'), 'devcontainer');
    assert.equal(detectKind('/r/.devcontainer.json'), 'devcontainer');
    assert.equal(detectKind('/r/.github/workflows/ci.yml'), 'workflow');
    assert.equal(detectKind('C:\\r\\.github\\workflows\\release.yaml'), 'workflow');
    assert.equal(detectKind('/r/.github/workflows/nested/ci.yml'), undefined);
    assert.equal(detectKind('/r/.github/dependabot.yml'), undefined);
    assert.equal(detectKind('/r/ci.yml'), undefined);
    assert.equal(detectKind('/etc/containers/systemd/web.container'), 'quadlet');
    assert.equal(detectKind('sleep@.container'), 'quadlet');
    assert.equal(detectKind('/r/.github/workflows/compose.yml'), 'workflow');
    assert.equal(detectKind(undefined, 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n'), 'workflow');
  });

  it('the CLI walks into .github and .devcontainer, reports in SARIF, and lists the sources of each rule', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-sources-'));
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.mkdirSync(path.join(dir, '.devcontainer'));
    fs.writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: docker run --privileged alpine:3.20\n');
    fs.writeFileSync(path.join(dir, '.devcontainer', 'devcontainer.json'), '{ "image": "alpine:3.20", "privileged": true }\n');
    fs.writeFileSync(path.join(dir, 'web.container'), '[Container]\nImage=docker.io/library/nginx:1.27\nSeccompProfile=unconfined\n');
    const bin = path.join(ROOT, 'server', 'bin', 'container-hardening.js');
    const r = spawnSync(process.execPath, [bin, 'check', '--format', 'sarif', '--fail-on', 'none', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const sarif = JSON.parse(r.stdout);
    const results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> = sarif.runs[0].results;
    const where = results.map((x) => `${x.ruleId} ${path.basename(x.locations[0].physicalLocation.artifactLocation.uri)}:${x.locations[0].physicalLocation.region.startLine}`);
    assert.ok(where.includes('privileged ci.yml:6'), where.join('\n'));
    assert.ok(where.includes('privileged devcontainer.json:1'), where.join('\n'));
    assert.ok(where.includes('seccomp-disabled web.container:3'), where.join('\n'));
    const list = spawnSync(process.execPath, [bin, '--list-rules'], { encoding: 'utf8' }).stdout;
    assert.match(list, /privileged\b.*S \(run, create, exec\), C, J, W, Q/);
  });
});
