/**
 * The two entry points of the package (server/bin/*.js): they run the newest
 * build, the bundle (dist/) or the tsc build (out/), and both builds behave
 * the same.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from './lspClient';

const SAMPLE = path.join(ROOT, 'test', 'fixtures', 'sample');

/** Runs main() of a CLI build on argv, in a process of its own; its stdout and exit code. */
function runBuild(cliJs: string, argv: string[]): { out: string; code: number | null } {
  const script = `require(${JSON.stringify(cliJs)}).main(${JSON.stringify(argv)}).then((c) => { process.exitCode = c; });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { out: r.stdout, code: r.status };
}

describe('CLI builds', () => {
  it('the bundle (dist/cli.js) reports exactly what the tsc build (out/) reports', () => {
    for (const format of ['json', 'sarif', 'text']) {
      const argv = ['check', '--format', format, 'test/fixtures/sample'];
      const bundled = runBuild(path.join(ROOT, 'dist', 'cli.js'), argv);
      const tsc = runBuild(path.join(ROOT, 'out', 'server', 'src', 'cli.js'), argv);
      assert.equal(bundled.code, 1, format);
      assert.equal(bundled.code, tsc.code, format);
      assert.equal(bundled.out, tsc.out, format);
    }
    assert.match(runBuild(path.join(ROOT, 'dist', 'cli.js'), ['--version']).out, /^\d+\.\d+\.\d+/);
    assert.ok(fs.existsSync(SAMPLE));
  });
});

describe('bins pick the newest build', () => {
  let dir: string;
  const builds = {
    cli: { dist: ['dist', 'cli.js'], out: ['out', 'server', 'src', 'cli.js'] },
    ls: { dist: ['dist', 'server.js'], out: ['out', 'server', 'src', 'server.js'] },
  };
  before(() => {
    // A copy of the package layout with stand-in builds that say which one ran.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-bins-'));
    fs.mkdirSync(path.join(dir, 'server', 'bin'), { recursive: true });
    for (const b of fs.readdirSync(path.join(ROOT, 'server', 'bin'))) fs.copyFileSync(path.join(ROOT, 'server', 'bin', b), path.join(dir, 'server', 'bin', b));
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
    for (const [name, where] of Object.entries(builds)) {
      for (const [which, rel] of Object.entries(where)) {
        const p = path.join(dir, ...rel);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(
          p,
          name === 'cli'
            ? `exports.main = async () => { process.stdout.write('${which}\\n'); return 0; };\n`
            : `process.stdout.write('${which}\\n');\n`,
        );
      }
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const touch = (rel: string[], secondsAgo: number) => {
    const t = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(path.join(dir, ...rel), t, t);
  };
  const run = (bin: string, args: string[]) => spawnSync(process.execPath, [path.join(dir, 'server', 'bin', bin), ...args], { encoding: 'utf8' }).stdout.trim();

  it('runs the bundle when it is newer, the tsc build when that is newer', () => {
    touch(builds.cli.out, 60);
    touch(builds.cli.dist, 10);
    assert.equal(run('container-hardening.js', ['check', '.']), 'dist');
    touch(builds.cli.dist, 120);
    assert.equal(run('container-hardening.js', ['check', '.']), 'out');

    touch(builds.ls.out, 60);
    touch(builds.ls.dist, 10);
    assert.equal(run('container-hardening-ls.js', ['--stdio']), 'dist');
    touch(builds.ls.dist, 120);
    assert.equal(run('container-hardening-ls.js', ['--stdio']), 'out');
  });

  it('runs the only build there is, and says how to build when there is none', () => {
    fs.rmSync(path.join(dir, ...builds.cli.out));
    assert.equal(run('container-hardening.js', ['check', '.']), 'dist');
    fs.rmSync(path.join(dir, ...builds.cli.dist));
    const r = spawnSync(process.execPath, [path.join(dir, 'server', 'bin', 'container-hardening.js'), 'check', '.'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /not built yet/);
  });
});
