/** The CLI as a user runs it: a real process on real files. */
import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/engine';
import { FIXTURES, ROOT } from './helpers';

const BIN = path.join(ROOT, 'server', 'bin', 'container-hardening.js');
const SAMPLE = path.join(FIXTURES, 'sample');

function run(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, input: opts.input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tmpCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cli-'));
  // The sample's three files, not its golden output (Dockerfile.fixed) or .gitignore.
  for (const f of ['Dockerfile', 'compose.yaml', 'run.sh']) fs.copyFileSync(path.join(SAMPLE, f), path.join(dir, f));
  fs.chmodSync(path.join(dir, 'run.sh'), 0o755);
  return dir;
}

describe('cli', () => {
  it('prints compiler-style lines and a summary, exit 1 on findings', () => {
    const r = run(['check', 'test/fixtures/sample']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^test\/fixtures\/sample\/compose\.yaml:12:5 {2}error {2}privileged {2}“privileged: true”/m);
    assert.match(r.out, /^test\/fixtures\/sample\/run\.sh:6:3 {2}error {2}privileged/m);
    assert.match(r.out, /^test\/fixtures\/sample\/Dockerfile:3:6 {2}warning {2}image-latest/m);
    assert.match(r.out, /\d+ findings \(\d+ errors, \d+ warnings, \d+ info\) in 3 files\./);
    assert.ok(!r.out.includes('\u001b['), 'no colour when not a terminal');
  });

  it('--fail-on decides the exit code', () => {
    assert.equal(run(['check', '--fail-on', 'none', 'test/fixtures/sample']).code, 0);
    const clean = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-clean-'));
    fs.writeFileSync(path.join(clean, 'Dockerfile'), 'FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER 1000\n');
    assert.equal(run(['check', clean]).code, 0);
    fs.writeFileSync(path.join(clean, 'Dockerfile'), 'FROM alpine:3.20\nUSER 1000\n');
    assert.equal(run(['check', clean]).code, 0, 'info findings stay under the default warning threshold');
    assert.equal(run(['check', '--fail-on', 'info', clean]).code, 1);
  });

  it('usage and I/O errors exit 2 with a message', () => {
    let r = run(['check', 'does/not/exist']);
    assert.equal(r.code, 2);
    assert.match(r.err, /does\/not\/exist: no such file or folder/);
    r = run(['check', '--format', 'xml', '.']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown format 'xml'/);
    r = run(['check', '--disable', 'no-such-rule', '.']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown rule id 'no-such-rule'/);
    r = run(['frobnicate']);
    assert.equal(r.code, 2);
  });

  it('--list-rules lists every rule, --version the version', () => {
    const r = run(['--list-rules']);
    assert.equal(r.code, 0);
    for (const rule of RULES) assert.match(r.out, new RegExp(`^${rule.id} `, 'm'));
    assert.equal(run(['--version']).out.trim(), JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
  });

  it('emits SARIF 2.1.0 that code scanning accepts', () => {
    const r = run(['check', '--format', 'sarif', 'test/fixtures/sample']);
    assert.equal(r.code, 1);
    const s = JSON.parse(r.out);
    assert.equal(s.version, '2.1.0');
    const run0 = s.runs[0];
    const rules = run0.tool.driver.rules as Array<{ id: string; help: { text: string }; properties: Record<string, string>; defaultConfiguration: { level: string } }>;
    assert.equal(rules.length, RULES.length);
    for (const rule of rules) {
      assert.ok(rule.help.text.length > 40, `${rule.id} has help text`);
      assert.match(rule.properties['security-severity'], /^\d+\.\d$/);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run0.results.length > 20);
    for (const res of run0.results) {
      assert.equal(rules[res.ruleIndex].id, res.ruleId);
      const region = res.locations[0].physicalLocation.region;
      assert.ok(region.startLine >= 1 && region.startColumn >= 1);
      assert.ok(!res.locations[0].physicalLocation.artifactLocation.uri.startsWith('/'), 'relative uri');
    }
    const priv = run0.results.find((x: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.ruleId === 'privileged' && x.locations[0].physicalLocation.artifactLocation.uri.endsWith('run.sh'));
    assert.ok(priv.fixes?.[0]?.artifactChanges[0].replacements[0].deletedRegion.startLine >= 5);
  });

  it('emits JSON with positions and fixes', () => {
    const r = run(['check', '--format', 'json', 'test/fixtures/sample/run.sh']);
    const j = JSON.parse(r.out);
    const f = j.files[0].findings.find((x: { ruleId: string }) => x.ruleId === 'seccomp-disabled');
    assert.equal(f.line, 10);
    assert.equal(f.column, 3);
    assert.equal(f.fixes[0].safe, true);
  });

  it('reads standard input with --stdin-filename', () => {
    const r = run(['check', '-', '--stdin-filename', 'Dockerfile'], { input: 'FROM ubuntu\nRUN sudo apt-get update\n' });
    assert.equal(r.code, 1);
    assert.match(r.out, /^Dockerfile:2:5 {2}warning {2}sudo-in-dockerfile/m);
  });

  it('--fix applies safe fixes in place, keeps the mode and CRLF, and the result is clean of safe findings', () => {
    const dir = tmpCopy();
    const crlf = path.join(dir, 'docker-compose.yml');
    fs.writeFileSync(crlf, 'services:\r\n  web:\r\n    image: nginx:1.27\r\n    privileged: true\r\n');
    const r = run(['check', '--fix', '--fail-on', 'none', dir]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /run\.sh: fixed \d+ findings/);
    const script = fs.readFileSync(path.join(dir, 'run.sh'), 'utf8');
    assert.ok(!script.includes('--privileged'));
    assert.ok(script.includes('--memory 512m \\\n'), 'added options follow the one-per-line style');
    assert.equal(fs.statSync(path.join(dir, 'run.sh')).mode & 0o777, 0o755);
    const compose = fs.readFileSync(crlf, 'utf8');
    assert.ok(!compose.includes('privileged: true'));
    assert.ok(!/[^\r]\n/.test(compose), 'still CRLF only');
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('.tmp')), []);
    const again = run(['check', '--format', 'json', dir]);
    const fixable = JSON.parse(again.out).files.flatMap((f: { findings: Array<{ fixes: Array<{ safe: boolean }> }> }) => f.findings).filter((f: { fixes: Array<{ safe: boolean }> }) => f.fixes.some((x) => x.safe));
    assert.equal(fixable.length, 0);
  });

  it('skips .gitignore-d files, node_modules and unknown files, and reports binary ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-walk-'));
    fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', 'x', 'Dockerfile'), 'FROM ubuntu\n');
    fs.mkdirSync(path.join(dir, 'build'));
    fs.writeFileSync(path.join(dir, 'build', 'Dockerfile'), 'FROM ubuntu\n');
    fs.writeFileSync(path.join(dir, '.gitignore'), 'build/\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'docker run --privileged x\n');
    fs.writeFileSync(path.join(dir, 'deploy'), '#!/bin/bash\ndocker run --privileged alpine:3\n');
    fs.writeFileSync(path.join(dir, 'Containerfile'), Buffer.from([0x46, 0x52, 0x00, 0x01, 0x02]));
    const r = run(['check', '--format', 'json', dir]);
    const paths = JSON.parse(r.out).files.map((f: { path: string }) => path.basename(f.path)).sort();
    assert.deepEqual(paths, ['Containerfile', 'deploy']);
    assert.match(r.err, /Containerfile: skipped, binary file/);
  });

  it('honours .container-hardening.yaml and reports its mistakes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cfg-'));
    fs.writeFileSync(path.join(dir, '.container-hardening.yaml'), 'rules:\n  privileged: off\n  image-latest: error\n  no-such-rule: warning\nfix:\n  memory: lots\n');
    fs.writeFileSync(path.join(dir, 'run.sh'), '#!/bin/sh\ndocker run --privileged nginx\n');
    const r = run(['check', '--format', 'json', dir]);
    const findings = JSON.parse(r.out).files[0].findings as Array<{ ruleId: string; severity: string; message: string }>;
    assert.ok(!findings.some((f) => f.ruleId === 'privileged'));
    assert.equal(findings.find((f) => f.ruleId === 'image-latest')?.severity, 'error');
    assert.match(findings.find((f) => f.ruleId === 'memory-limit-missing')!.message, /--memory 512m/);
    assert.match(r.err, /unknown rule id 'no-such-rule'/);
    assert.match(r.err, /fix\.memory must look like 512m/);
  });

  it('--baseline round-trips: nothing against its own baseline, nothing after lines are added above, a new finding is reported', () => {
    const dir = tmpCopy();
    const base = path.join(dir, 'baseline.json');
    const first = run(['check', '--write-baseline', base, '--format', 'json', dir]);
    assert.equal(first.code, 1);
    assert.ok(JSON.parse(fs.readFileSync(base, 'utf8')).files.some((f: { findings: unknown[] }) => f.findings.length > 0));
    // Against its own baseline: nothing, exit 0.
    let r = run(['check', '--baseline', base, '--format', 'json', dir]);
    assert.equal(r.code, 0, r.out);
    assert.ok(JSON.parse(r.out).files.every((f: { findings: unknown[] }) => f.findings.length === 0));
    // Every finding moves down: still nothing.
    for (const f of ['compose.yaml', 'run.sh', 'Dockerfile']) {
      const p = path.join(dir, f);
      const t = fs.readFileSync(p, 'utf8');
      const [head, ...rest] = t.startsWith('#!') ? t.split('\n') : ['', ...t.split('\n')];
      fs.writeFileSync(p, (head ? head + '\n' : '') + '# a comment\n# another one\n' + rest.join('\n'));
    }
    r = run(['check', '--baseline', base, dir]);
    assert.equal(r.code, 0, r.out);
    // A new finding is reported; a SARIF report works as the baseline too.
    fs.appendFileSync(path.join(dir, 'run.sh'), 'docker run --pid host alpine:3.20 true\n');
    r = run(['check', '--baseline', base, '--format', 'json', dir]);
    assert.equal(r.code, 1);
    const found = JSON.parse(r.out).files.flatMap((f: { findings: Array<{ ruleId: string }> }) => f.findings.map((x) => x.ruleId));
    assert.ok(found.includes('host-pid'), found.join(', '));
    assert.ok(!found.includes('privileged'), 'old findings stay left out');
    const sarif = path.join(dir, 'baseline.sarif');
    fs.writeFileSync(sarif, run(['check', '--format', 'sarif', dir]).out);
    assert.equal(run(['check', '--baseline', sarif, dir]).code, 0);
    assert.equal(run(['check', '--baseline', path.join(dir, 'run.sh'), dir]).code, 2, 'an unreadable baseline is an error');
  });
});
