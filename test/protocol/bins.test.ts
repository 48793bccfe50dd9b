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

describe('the bundled CLI', () => {
  const BIN_CLI = path.join(ROOT, 'server', 'bin', 'container-hardening.js');
  const LOADER = path.join(ROOT, 'server', 'bin', 'code-cache.js');
  const RUN_SH = path.join(SAMPLE, 'run.sh');
  const { cacheFile } = require(LOADER) as { cacheFile: (bundle: string) => string };
  const bin = (binJs: string, argv: string[]) => {
    const r = spawnSync(process.execPath, [binJs, ...argv], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { out: r.stdout, err: r.stderr, code: r.status };
  };
  /** What became of the code cache of the bundle in `dist` when the bin loads it: accepted, rejected or none. */
  const cacheState = (loader: string, dist: string) =>
    spawnSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(loader)}).loadBundle(${JSON.stringify(dist)}).cache)`], { encoding: 'utf8' }).stdout;

  it('reads a shell script with web-tree-sitter\'s CommonJS build and reports what the tsc build reports', () => {
    // The ESM build would start Node's ESM loader for import('module') and import('fs/promises').
    const engine = fs.readFileSync(path.join(ROOT, 'dist', 'engine.js'), 'utf8');
    assert.ok(!engine.includes('import("module")'), 'dist/engine.js bundles the ESM build of web-tree-sitter');
    for (const format of ['json', 'text']) {
      const bundled = bin(BIN_CLI, ['check', '--format', format, RUN_SH]);
      const tsc = runBuild(path.join(ROOT, 'out', 'server', 'src', 'cli.js'), ['check', '--format', format, RUN_SH]);
      assert.equal(bundled.code, 1, bundled.err);
      assert.equal(bundled.out, tsc.out, format);
    }
    assert.match(bin(BIN_CLI, ['check', '--format', 'json', RUN_SH]).out, /"ruleId": "privileged"/);
  });

  it('loads with the code cache made at bundle time, and V8 accepts it', () => {
    for (const f of ['engine.js', 'cli.js']) assert.ok(fs.existsSync(cacheFile(path.join(ROOT, 'dist', f))), f);
    assert.equal(cacheState(LOADER, path.join(ROOT, 'dist')), 'accepted');
  });

  describe('with a code cache that does not fit', () => {
    let dir: string;
    let dist: string;
    const reference: Record<string, { out: string; err: string; code: number | null }> = {};
    const ARGVS = { sample: ['check', '--format', 'json', 'test/fixtures/sample'], text: ['check', 'test/fixtures/sample'], version: ['--version'] };
    before(() => {
      // A copy of the installed package: the bins, the bundle and its caches.
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-cache-'));
      fs.mkdirSync(path.join(dir, 'server'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'server', 'bin'), path.join(dir, 'server', 'bin'), { recursive: true });
      fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
      fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(dir, 'package.json'));
      dist = path.join(dir, 'dist');
      for (const [name, argv] of Object.entries(ARGVS)) reference[name] = bin(BIN_CLI, argv);
      assert.equal(reference.sample.code, 1);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const same = (state: string) => {
      assert.equal(cacheState(path.join(dir, 'server', 'bin', 'code-cache.js'), dist), state);
      for (const [name, argv] of Object.entries(ARGVS)) assert.deepEqual(bin(path.join(dir, 'server', 'bin', 'container-hardening.js'), argv), reference[name], name);
    };
    const cacheOf = (f: string) => cacheFile(path.join(dist, f));
    const key = (f: string) => fs.readFileSync(cacheOf(f)).subarray(0, 41);

    it('uses an intact copy', () => same('accepted'));

    it('ignores a corrupt cache', () => {
      const good = fs.readFileSync(cacheOf('engine.js'));
      const bad = Buffer.from(good);
      for (let i = 41; i < bad.length; i += 7) bad[i] ^= 0x5a;
      fs.writeFileSync(cacheOf('engine.js'), bad);
      same('rejected');
      fs.writeFileSync(cacheOf('engine.js'), good);
    });

    it("ignores another script's cache under the right key", () => {
      const good = fs.readFileSync(cacheOf('engine.js'));
      fs.writeFileSync(cacheOf('engine.js'), Buffer.concat([key('engine.js'), fs.readFileSync(cacheOf('cli.js')).subarray(41)]));
      same('rejected');
      fs.writeFileSync(cacheOf('engine.js'), good);
    });

    it('ignores a cache made from another build, a truncated one and a missing one', () => {
      const good = fs.readFileSync(cacheOf('cli.js'));
      fs.writeFileSync(cacheOf('cli.js'), Buffer.concat([Buffer.from('0'.repeat(40) + '\n'), good.subarray(41)]));
      same('none');
      fs.writeFileSync(cacheOf('cli.js'), key('engine.js').subarray(0, 20));
      same('none');
      fs.rmSync(cacheOf('cli.js'));
      same('none');
      fs.writeFileSync(cacheOf('cli.js'), good);
      same('accepted');
    });

    it('does not read a cache made by another V8 (another Node)', () => {
      const other = (f: string) => path.join(dist, `${f}.1.2.3.4-node.5.v8cache`);
      for (const f of ['engine.js', 'cli.js']) fs.renameSync(cacheOf(f), other(f));
      same('none');
      for (const f of ['engine.js', 'cli.js']) fs.renameSync(other(f), cacheOf(f));
      same('accepted');
    });

    it('never writes: the bundle folder is the same after runs', () => {
      const snapshot = () => fs.readdirSync(dist).map((f) => `${f} ${fs.statSync(path.join(dist, f)).mtimeMs} ${fs.statSync(path.join(dist, f)).size}`).join('\n');
      const before = snapshot();
      same('accepted');
      assert.equal(snapshot(), before);
    });
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
