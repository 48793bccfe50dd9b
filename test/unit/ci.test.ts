/**
 * The CI integrations as their hosts run them, offline: the GitHub Action's steps
 * (action.yml), the pre-commit hook (.pre-commit-hooks.yaml) and the GitLab CI job in
 * docs/CI.md, each against the sample with this checkout's CLI in place of the one they
 * install from npm.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as YAML from 'yaml';
import { detectKind } from '../../server/src/engine';
import { ROOT } from './helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const BIN = path.join(ROOT, 'server', 'bin', 'container-hardening.js');
const SAMPLE = 'test/fixtures/sample';

let tmp: string;
let shims: string;
let argvLog: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-ci-'));
  // `container-hardening` and `npm` on PATH: this checkout's CLI, and an npm that installs
  // nothing; both record their arguments, one line per call.
  shims = path.join(tmp, 'bin');
  fs.mkdirSync(shims);
  argvLog = path.join(tmp, 'argv.log');
  const shim = (name: string, then: string) =>
    fs.writeFileSync(path.join(shims, name), `#!/bin/sh\nprintf '%s %s\\n' ${name} "$*" >> "$CH_TEST_ARGV"\n${then}\n`, { mode: 0o755 });
  shim('container-hardening', `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"`);
  shim('npm', 'exit 0');
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs a shell script as the CI host would, with the shims first on PATH; the calls the shims saw. */
function runScript(script: string, cwd: string, env: Record<string, string>, shellArgs: string[]) {
  fs.writeFileSync(argvLog, '');
  const r = spawnSync('bash', [...shellArgs, '-c', script], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env, PATH: `${shims}${path.delimiter}${process.env.PATH}`, CH_TEST_ARGV: argvLog, NO_COLOR: '1' },
  });
  const calls = fs.readFileSync(argvLog, 'utf8').split('\n').filter(Boolean);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, calls };
}

function readOutputs(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  return Object.fromEntries(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function sarifUris(file: string): string[] {
  const log = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(log.version, '2.1.0');
  return log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri);
}

describe('the GitHub Action (action.yml)', () => {
  const action = YAML.parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  const steps: any[] = action.runs.steps;
  const step = (id: string) => {
    const s = steps.find((x) => x.id === id);
    assert.ok(s, `no step with id ${id}`);
    return s;
  };

  /** Runs a step's script as a composite action does (bash -eo pipefail), its env expanded from `inputs`. */
  function runStep(id: string, inputs: Record<string, string> = {}) {
    const s = step(id);
    assert.equal(s.shell, 'bash');
    const env: Record<string, string> = {
      GITHUB_OUTPUT: path.join(tmp, `${id}.output`),
      GITHUB_PATH: path.join(tmp, `${id}.path`),
      GITHUB_ACTION_PATH: ROOT,
      RUNNER_TEMP: tmp,
    };
    for (const f of [env.GITHUB_OUTPUT, env.GITHUB_PATH]) fs.rmSync(f, { force: true });
    for (const [k, v] of Object.entries<string>(s.env ?? {})) {
      env[k] = String(v).replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, name: string) => {
        assert.ok(name in action.inputs, `unknown input ${name}`);
        return name in inputs ? inputs[name] : String(action.inputs[name].default ?? '');
      });
      assert.ok(!env[k].includes('${{'), `${id}: ${k} = ${v}: only inputs are expanded here`);
    }
    // Inputs reach scripts through env only, never spliced into the script text.
    assert.ok(!String(s.run).includes('${{'), `${id}: the script uses an expression`);
    const r = runScript(s.run, ROOT, env, ['--noprofile', '--norc', '-eo', 'pipefail']);
    return { ...r, outputs: readOutputs(env.GITHUB_OUTPUT), pathAdded: fs.existsSync(env.GITHUB_PATH) ? fs.readFileSync(env.GITHUB_PATH, 'utf8') : '' };
  }

  it('is a composite action with the documented inputs', () => {
    assert.equal(action.runs.using, 'composite');
    for (const k of ['paths', 'fail-on', 'baseline', 'version', 'node-version', 'sarif-file', 'upload-sarif']) assert.ok(action.inputs[k]?.description, k);
    assert.equal(action.inputs['fail-on'].default, 'warning');
    assert.equal(action.inputs.baseline.default, '');
    for (const s of steps) assert.ok(s.uses || s.shell, `${s.name}: a run step of a composite action needs a shell`);
  });

  it('sets up Node only when the runner has none of 20 or newer, or a version is asked for', () => {
    assert.equal(runStep('node').outputs.setup, '', 'this machine runs Node >= 20');
    assert.equal(runStep('node', { 'node-version': '22' }).outputs.setup, '22');
    const setup = steps.find((s) => String(s.uses).startsWith('actions/setup-node@'));
    assert.match(setup.if, /steps\.node\.outputs\.setup != ''/);
  });

  it('installs the CLI of its own version from npm, or the one asked for, and puts it on PATH', () => {
    const own = runStep('install');
    assert.equal(own.status, 0, own.stderr);
    assert.equal(own.calls.length, 1);
    assert.match(own.calls[0], new RegExp(`^npm install --prefix ${tmp}/container-hardening .*container-hardening@${pkg.version.replace(/\./g, '\\.')}$`));
    assert.equal(own.pathAdded.trim(), path.join(tmp, 'container-hardening', 'node_modules', '.bin'));
    assert.match(runStep('install', { version: 'latest' }).calls[0], / container-hardening@latest$/);
  });

  it('prints the findings, writes the SARIF log and reports exit code 1 without failing before the upload', () => {
    const sarif = path.join(tmp, 'out.sarif');
    const r = runStep('check', { paths: SAMPLE, 'sarif-file': sarif });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.outputs, { 'sarif-file': sarif, 'exit-code': '1' });
    assert.match(r.stdout, /run\.sh:\d+:\d+ +error +privileged/);
    const uris = sarifUris(sarif);
    for (const f of ['Dockerfile', 'compose.yaml', 'run.sh']) assert.ok(uris.includes(`${SAMPLE}/${f}`), f);
    assert.equal(r.calls.length, 2);
    assert.match(r.calls[1], /--fail-on warning --format sarif --output /);
    assert.ok(!r.calls.some((c) => c.includes('--baseline')), 'no --baseline unless the input is set');
  });

  it('takes paths separated by new lines or spaces, and fail-on none never fails', () => {
    const sarif = path.join(tmp, 'two.sarif');
    const r = runStep('check', { paths: `${SAMPLE}/run.sh\n${SAMPLE}/compose.yaml `, 'fail-on': 'none', 'sarif-file': sarif });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.outputs['exit-code'], '0');
    assert.deepEqual([...new Set(sarifUris(sarif))].sort(), [`${SAMPLE}/compose.yaml`, `${SAMPLE}/run.sh`]);
  });

  it('passes --baseline only when the input is set', () => {
    const r = runStep('check', { paths: SAMPLE, baseline: 'accepted findings.json', 'sarif-file': path.join(tmp, 'b.sarif') });
    assert.match(r.calls[0], /^container-hardening check --baseline accepted findings\.json --fail-on none /);
    // Until the CLI has --baseline, it rejects it as a usage error, and the step fails with it.
    assert.ok(r.status === 0 || r.status === 2, `exit ${r.status}`);
  });

  it('fails at once on a usage or I/O error', () => {
    const r = runStep('check', { paths: 'no/such/path' });
    assert.equal(r.status, 2);
    assert.equal(r.outputs['exit-code'], undefined);
  });

  it('uploads the SARIF log to code scanning, then fails the job on findings', () => {
    const upload = steps.find((s) => String(s.uses).startsWith('github/codeql-action/upload-sarif@'));
    assert.ok(upload);
    assert.equal(upload.uses, 'github/codeql-action/upload-sarif@v4');
    assert.equal(upload.with.sarif_file, '${{ steps.check.outputs.sarif-file }}');
    assert.match(upload.if, /inputs\.upload-sarif == 'true'/);
    const fail = steps[steps.length - 1];
    assert.ok(steps.indexOf(upload) < steps.indexOf(fail));
    assert.match(fail.if, /steps\.check\.outputs\.exit-code == '1'/);
    assert.equal(runScript(fail.run, ROOT, { CH_FAIL_ON: 'warning' }, ['-e']).status, 1);
  });
});

describe('the pre-commit hook (.pre-commit-hooks.yaml)', () => {
  const hooks = YAML.parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8'));
  const hook = hooks.find((h: { id: string }) => h.id === 'container-hardening');
  // pre-commit matches `files` with Python's re.search; (?i) at the start is its way to say "ignore case".
  const files = new RegExp(String(hook.files).replace(/^\(\?i\)/, ''), String(hook.files).startsWith('(?i)') ? 'i' : '');

  it('runs the package\'s own bin with node', () => {
    assert.equal(hook.language, 'node');
    const [bin] = hook.entry.split(' ');
    assert.ok(bin in pkg.bin, hook.entry);
  });

  it('selects exactly the file names the CLI reads', () => {
    const names = [
      'Dockerfile', 'Dockerfile.dev', 'Dockerfile-prod', 'api.Dockerfile', 'api_dockerfile', 'Containerfile', 'build/x.containerfile',
      'compose.yaml', 'compose.yml', 'compose.prod.yaml', 'docker-compose.yml', 'docker-compose.override.yaml', 'deploy/app_compose.yaml',
      'run.sh', 'scripts/ci.bash', 'x.zsh', 'README.md', 'values.yaml', 'compose.json', 'docker/entrypoint', 'Makefile', 'package.json',
    ];
    const walk = (dir: string): string[] =>
      fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));
    const disagree = [...names, ...walk('test/fixtures')].filter((f) => files.test(f) !== (detectKind(f) !== undefined));
    assert.deepEqual(disagree, [], 'the hook\'s `files` and detectKind (server/src/engine/detect.ts) disagree: update `files` in .pre-commit-hooks.yaml');
  });

  it('checks the files it selects from the sample and fails on findings', () => {
    // Not the golden output beside the sample (test/unit/golden.test.ts), which no project has.
    const selected = fs.readdirSync(path.join(ROOT, SAMPLE)).filter((f) => !f.endsWith('.fixed')).map((f) => `${SAMPLE}/${f}`).filter((f) => files.test(f));
    assert.equal(selected.length, 3);
    const [, ...args] = hook.entry.split(' ');
    const r = spawnSync(process.execPath, [BIN, ...args, ...(hook.args ?? []), ...selected], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 1, r.stderr);
    for (const f of selected) assert.ok(r.stdout.includes(`${f}:`), f);
  });
});

describe('the GitLab CI job (docs/CI.md)', () => {
  const md = fs.readFileSync(path.join(ROOT, 'docs', 'CI.md'), 'utf8');
  const section = md.slice(md.indexOf('## GitLab CI'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const job = YAML.parse(block)['container-hardening'];

  it('installs the CLI of this version and runs its script as written: Code Quality report, SARIF artifact, failure on findings', () => {
    assert.deepEqual(job.before_script, [`npm install --global --no-audit --no-fund container-hardening@${pkg.version}`]);
    const cwd = fs.mkdtempSync(path.join(tmp, 'gitlab-'));
    fs.cpSync(path.join(ROOT, SAMPLE), path.join(cwd, 'sample'), { recursive: true });
    const script: string[] = job.script;
    for (const [i, line] of script.entries()) {
      const r = runScript(line, cwd, {}, ['-e']);
      // The last line is the gate: the sample has findings at warning and above.
      assert.equal(r.status, i === script.length - 1 ? 1 : 0, `${line}\n${r.stderr}`);
    }
    for (const f of job.artifacts.paths) assert.ok(fs.existsSync(path.join(cwd, f)), f);
    assert.ok(sarifUris(path.join(cwd, 'container-hardening.sarif')).includes('sample/run.sh'));
    const report = JSON.parse(fs.readFileSync(path.join(cwd, job.artifacts.reports.codequality), 'utf8'));
    assert.ok(report.length > 10);
    assert.equal(new Set(report.map((i: { fingerprint: string }) => i.fingerprint)).size, report.length, 'fingerprints are unique');
    for (const issue of report) {
      assert.ok(issue.description && issue.check_name);
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(issue.severity), issue.severity);
      assert.ok(fs.existsSync(path.join(cwd, issue.location.path)), issue.location.path);
      assert.ok(issue.location.lines.begin >= 1);
    }
    assert.ok(report.some((i: { check_name: string; severity: string }) => i.check_name === 'privileged' && i.severity === 'critical'));
  });
});

describe('the versions in the CI examples', () => {
  it('are the package\'s version', () => {
    for (const file of ['README.md', 'docs/CI.md']) {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const found = [
        ...text.matchAll(/container-hardening\/container-hardening@v([\w.-]+)/g),
        ...text.matchAll(/^\s*rev: v([\w.-]+)/gm),
        ...text.matchAll(/\bcontainer-hardening@(\d[\w.-]*)/g),
      ].map((m) => m[1]);
      assert.ok(found.length > 0, file);
      for (const v of found) assert.equal(v, pkg.version, `${file} shows version ${v}; the package is ${pkg.version}`);
    }
  });
});
