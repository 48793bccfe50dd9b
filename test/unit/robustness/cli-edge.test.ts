/**
 * The CLI on the files users really have: unreadable, missing, looping,
 * not UTF-8, binary, empty folders; `--fix` writing atomically (temporary file
 * and rename, CRLF and mode kept, a file changed on disk after it was read is
 * not overwritten); exit codes for every --fail-on level; and hostile
 * `.container-hardening.yaml` files that must give a clear message and fall
 * back to the defaults. Runs main() in-process (io captured); cases that could
 * hang run the real bin with a timeout.
 */
import * as assert from 'assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../../server/src/cli';
import { harden, initEngine } from '../../../server/src/engine';
import { CORPUS, ROOT } from '../../fuzz/lib';

const realFs = require('node:fs') as typeof import('fs');
const BIN = path.join(ROOT, 'server', 'bin', 'container-hardening.js');

interface Run {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

function spawnCli(args: string[], cwd: string, timeout = 20000) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

const tmpDirs: string[] = [];
function tmp(files: Record<string, string | Buffer> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-robust-'));
  tmpDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const RISKY = 'FROM ubuntu:latest\nRUN chmod u+s /usr/bin/x\n';
const RISKY_SH = '#!/bin/sh\r\ndocker run -d --privileged \\\r\n  -v /:/host ubuntu:24.04\r\n';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** The findings of a JSON report, without their fingerprints (which name the file, and these runs use different folders). */
function findingsOf(out: string): string {
  return JSON.stringify(JSON.parse(out).files[0].findings.map(({ fingerprint: _, ...f }: { fingerprint?: string }) => f));
}

describe('cli edge cases', () => {
  before(() => initEngine());
  after(() => {
    for (const d of tmpDirs) {
      try {
        fs.chmodSync(d, 0o755);
        fs.rmSync(d, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  });

  it('a path that does not exist: exit 2 and says so', async () => {
    const dir = tmp();
    const r = await cli(['check', path.join(dir, 'nope', 'Dockerfile')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /nope[\\/]Dockerfile: no such file or folder/);
  });

  it('an unreadable file: exit 2, permission denied', { skip: isRoot ? 'running as root: chmod 000 does not stop root from reading' : false }, async () => {
    const dir = tmp({ Dockerfile: RISKY });
    fs.chmodSync(path.join(dir, 'Dockerfile'), 0o000);
    const r = await cli(['check', path.join(dir, 'Dockerfile')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /Dockerfile: permission denied/);
  });

  it('an unreadable folder inside the tree: exit 2, the rest is still checked', { skip: isRoot ? 'running as root: chmod 000 does not stop root from reading' : false }, async () => {
    const dir = tmp({ 'a/Dockerfile': RISKY, 'b/Dockerfile': RISKY });
    fs.chmodSync(path.join(dir, 'a'), 0o000);
    const r = await cli(['check', '--format', 'json', dir]);
    fs.chmodSync(path.join(dir, 'a'), 0o755);
    assert.equal(r.code, 2);
    assert.match(r.err, /cannot read folder \(EACCES\)/);
    assert.equal(JSON.parse(r.out).files.length, 1);
  });

  it('a symbolic link loop given on the command line: exit 2, says loop', async () => {
    const dir = tmp();
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    const r = await cli(['check', path.join(dir, 'a')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /a: symbolic link loop/);
  });

  it('symbolic link loops inside a folder (file and folder loops) are skipped, the walk ends', async () => {
    const dir = tmp({ 'sub/Dockerfile': RISKY });
    fs.symlinkSync(path.join(dir, 'x.sh'), path.join(dir, 'y.sh'));
    fs.symlinkSync(path.join(dir, 'y.sh'), path.join(dir, 'x.sh'));
    fs.symlinkSync(dir, path.join(dir, 'sub', 'up')); // folder loop
    fs.symlinkSync(path.join(dir, 'missing'), path.join(dir, 'Dockerfile.dangling'));
    const r = await cli(['check', '--format', 'json', dir]);
    const files = JSON.parse(r.out).files.map((f: { path: string }) => path.basename(f.path));
    assert.deepEqual(files, ['Dockerfile']);
    assert.equal(r.code, 1);
  });

  it('a file that is not UTF-8 is skipped with a clear message, not misread', async () => {
    const dir = tmp({ Dockerfile: Buffer.from('FROM alpine\nLABEL a="caf\xe9 \xff\xfe\xfd"\nRUN echo\n', 'latin1') });
    const r = await cli(['check', '--format', 'json', path.join(dir, 'Dockerfile')]);
    assert.match(r.err, /Dockerfile: skipped, not valid UTF-8/);
    assert.notEqual(r.code, 1);
    assert.equal(JSON.parse(r.out).files[0].findings.length, 0);
  });

  it('UTF-16 with a byte-order mark is read; --fix does not rewrite it', async () => {
    const text = 'FROM ubuntu:latest\r\nUSER root\r\n';
    const buf = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const dir = tmp({ Dockerfile: buf });
    const r = await cli(['check', '--fix', path.join(dir, 'Dockerfile')]);
    assert.ok(fs.readFileSync(path.join(dir, 'Dockerfile')).equals(buf), 'UTF-16 file left untouched');
    assert.match(r.err, /UTF-16 files are checked but not rewritten/);
    assert.ok(r.out.includes('image-latest'));
  });

  it('a binary file named Dockerfile is skipped as binary', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) & 0xff;
    const dir = tmp({ Dockerfile: bytes, 'compose.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]) });
    const r = await cli(['check', '--format', 'json', dir]);
    assert.match(r.err, /Dockerfile: skipped, binary file/);
    assert.match(r.err, /compose\.yaml: skipped, binary file/);
    const out = JSON.parse(r.out);
    assert.ok(out.files.every((f: { findings: unknown[] }) => f.findings.length === 0));
    assert.notEqual(r.code, 1);
  });

  it('an empty folder: exit 0, "no findings in 0 files"', async () => {
    const dir = tmp();
    const r = await cli(['check', dir]);
    assert.equal(r.code, 0);
    assert.match(r.out, /No findings in 0 files\./);
  });

  it('an empty file and a file of blank lines are fine', async () => {
    const dir = tmp({ Dockerfile: '', 'compose.yaml': '\n\n\n', 'a.sh': '\r\n' });
    const r = await cli(['check', '--format', 'json', dir]);
    assert.equal(r.err, '');
    assert.equal(JSON.parse(r.out).files.length, 3);
  });

  describe('--fix', () => {
    it('writes atomically: same text as harden(), CRLF kept, file mode kept, no temporary file left', async () => {
      const dir = tmp({ 'run.sh': RISKY_SH, Dockerfile: RISKY.replace(/\n/g, '\r\n') });
      fs.chmodSync(path.join(dir, 'run.sh'), 0o750);
      fs.chmodSync(path.join(dir, 'Dockerfile'), 0o604);
      const r = await cli(['check', '--fix', '--fail-on', 'none', dir]);
      assert.equal(r.code, 0, r.err);
      for (const [name, mode, orig] of [['run.sh', 0o750, RISKY_SH], ['Dockerfile', 0o604, RISKY.replace(/\n/g, '\r\n')]] as const) {
        const p = path.join(dir, name);
        const now = fs.readFileSync(p, 'utf8');
        assert.notEqual(now, orig, `${name} was fixed`);
        assert.equal(now, harden(orig, { fileName: p }).text);
        assert.ok(!/(^|[^\r])\n/.test(now), `${name} kept CRLF line ends`);
        assert.equal(fs.statSync(p).mode & 0o7777, mode, `${name} kept its mode`);
      }
      assert.deepEqual(fs.readdirSync(dir).sort(), ['Dockerfile', 'run.sh']);
    });

    it('keeps a UTF-8 byte-order mark', async () => {
      const dir = tmp({ Dockerfile: '\uFEFF' + RISKY });
      await cli(['check', '--fix', path.join(dir, 'Dockerfile')]);
      const buf = fs.readFileSync(path.join(dir, 'Dockerfile'));
      assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.ok(!buf.subarray(3).toString('utf8').startsWith('\uFEFF'), 'only one BOM');
    });

    it('writes through a symbolic link without replacing the link', async () => {
      const dir = tmp({ 'real/Dockerfile': RISKY });
      fs.symlinkSync(path.join(dir, 'real', 'Dockerfile'), path.join(dir, 'Dockerfile'));
      await cli(['check', '--fix', path.join(dir, 'Dockerfile')]);
      assert.ok(fs.lstatSync(path.join(dir, 'Dockerfile')).isSymbolicLink(), 'the link is still a link');
      assert.notEqual(fs.readFileSync(path.join(dir, 'real', 'Dockerfile'), 'utf8'), RISKY, 'the target was fixed');
    });

    it('refuses to overwrite a file that changed on disk after it was read', async () => {
      const dir = tmp({ Dockerfile: RISKY });
      const p = path.join(dir, 'Dockerfile');
      const edited = RISKY + '# edited by the user meanwhile\n';
      const orig = realFs.readFileSync;
      let reads = 0;
      // Hook: the first read of the file returns the old text, then the "user" saves a new version.
      (realFs as { readFileSync: unknown }).readFileSync = function (this: unknown, ...args: unknown[]) {
        const res = (orig as (...a: unknown[]) => unknown).apply(this, args);
        if (typeof args[0] === 'string' && path.resolve(args[0]) === p && reads++ === 0) {
          realFs.writeFileSync(p, edited);
          const t = new Date(Date.now() + 5000);
          realFs.utimesSync(p, t, t);
        }
        return res;
      };
      let r: Run;
      try {
        r = await cli(['check', '--fix', p]);
      } finally {
        (realFs as { readFileSync: unknown }).readFileSync = orig;
      }
      assert.ok(reads >= 2, 'the CLI read the file again before writing');
      assert.equal(fs.readFileSync(p, 'utf8'), edited, "the user's version is kept");
      assert.equal(r.code, 2);
      assert.match(r.err, /file changed on disk/);
      assert.deepEqual(fs.readdirSync(dir), ['Dockerfile']);
    });

    it('a read-only folder: the error is reported, the file is untouched, no temporary file', { skip: isRoot ? 'running as root: a read-only folder is still writable' : false }, async () => {
      const dir = tmp({ Dockerfile: RISKY });
      fs.chmodSync(dir, 0o555);
      const r = await cli(['check', '--fix', path.join(dir, 'Dockerfile')]);
      fs.chmodSync(dir, 0o755);
      assert.equal(r.code, 2);
      assert.equal(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), RISKY);
      assert.deepEqual(fs.readdirSync(dir), ['Dockerfile']);
    });
  });

  describe('exit codes', () => {
    const RANK: Record<string, number> = { info: 1, warning: 2, error: 3 };
    const files = ['compose/portainer_compose.yaml', 'shell/run.sh', 'dockerfiles/alpine_Dockerfile', 'compose/angular_compose.yaml'].map((f) => path.join(CORPUS, f)).filter((f) => fs.existsSync(f));
    const clean = 'FROM alpine:3.20\nHEALTHCHECK CMD true\nUSER 1000\n';
    it('for every --fail-on level, exit 1 exactly when a finding is at or above it', async () => {
      const dir = tmp({ Dockerfile: clean, 'info/Dockerfile': 'FROM alpine:3.20\nUSER 1000\n' });
      for (const file of [...files, path.join(dir, 'Dockerfile'), path.join(dir, 'info', 'Dockerfile')]) {
        const j = await cli(['check', '--format', 'json', '--fail-on', 'none', file]);
        assert.equal(j.code, 0);
        const sevs = JSON.parse(j.out).files.flatMap((f: { findings: Array<{ severity: string }> }) => f.findings.map((x) => RANK[x.severity]));
        const max = Math.max(0, ...sevs);
        for (const level of ['info', 'warning', 'error'] as const) {
          const r = await cli(['check', '--fail-on', level, file]);
          assert.equal(r.code, max >= RANK[level] ? 1 : 0, `${path.basename(file)} --fail-on ${level} (worst finding rank ${max})`);
        }
        assert.equal((await cli(['check', file])).code, max >= RANK.warning ? 1 : 0, 'default is --fail-on warning');
      }
    });

    it('usage errors exit 2 with a message: unknown rule id, bad --fail-on, bad format, missing value', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['check', '--disable', 'no-such-rule', '.'], /unknown rule id 'no-such-rule'/],
        [['check', '--disable', 'privileged,nope', '.'], /unknown rule id 'nope'/],
        [['check', '--fail-on', 'fatal', '.'], /--fail-on takes error, warning, info or none/],
        [['check', '--format', 'xml', '.'], /unknown format 'xml'/],
        [['check', '--disable'], /--disable needs a value/],
        [['check', '--bogus'], /unknown option '--bogus'/],
        [['lint', '.'], /unknown command 'lint'/],
        [[], /missing command/],
        [['check', '--fix', '-'], /--fix cannot write to standard input/],
        [['check', '--config', '/nonexistent/config.yaml', CORPUS + '/compose/angular_compose.yaml'], /cannot read config/],
      ];
      for (const [args, re] of cases) {
        const r = await cli(args);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.err, re, args.join(' '));
      }
    });
  });

  describe('hostile .container-hardening.yaml', () => {
    const target = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    let baseline: string;
    before(async () => {
      const dir = tmp({ 'compose.yaml': target });
      baseline = findingsOf((await cli(['check', '--format', 'json', path.join(dir, 'compose.yaml')])).out);
    });
    const deep = (n: number) => 'rules:\n' + Array.from({ length: n }, (_, i) => ' '.repeat(i + 2) + `k${i}:`).join('\n') + ' x\n';
    const laughs = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + 'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`).join('\n') + '\nrules: *i\n';
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['larger than 256 KiB', 'rules:\n' + '  privileged: off\n'.repeat(20000), /larger than 256 KiB/],
      ['deeply nested (400 levels)', deep(400), /unknown rule id 'k0'/],
      ['deeply nested flow (20,000 brackets)', 'rules: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n', /rules|invalid|must/],
      ['a billion laughs (aliases)', laughs, /alias|Excessive|rules|using defaults/i],
      ['unknown keys', 'hooks:\n  pre: rm -rf /\nplugins: [evil]\n', /unknown setting 'hooks'/],
      ['wrong types', 'rules: [privileged]\nfix: 12\n', /'rules' must map rule ids/],
      ['wrong severities', 'rules:\n  privileged: fatal\n  no-such-rule: off\n', /privileged' has severity "fatal"/],
      ['a JavaScript tag', 'rules: !!js/function "function(){ process.exit(9) }"\n', /./],
      ['custom tags', 'rules: !<tag:yaml.org,2002:js/undefined> x\nfix: !include /etc/passwd\n', /./],
      ['prototype pollution', '__proto__:\n  polluted: yes\nrules:\n  __proto__: off\n  constructor: off\n', /unknown/],
      ['not YAML at all', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]), /./],
      ['a list at the top', '- rules\n- fix\n', /expected a mapping at the top level/],
      ['invalid YAML', 'rules:\n  privileged: off\n   bad indent: [\n', /invalid YAML/],
      ['fix values with shell metacharacters', "fix:\n  user: '0; rm -rf /'\n  memory: '$(reboot)'\n  pidsLimit: -1\n", /fix\.user must be a user name/],
    ];
    for (const [what, content, re] of cases) {
      it(`${what}: clear message, defaults used, nothing executed`, async () => {
        const dir = tmp({ 'compose.yaml': target, '.container-hardening.yaml': content });
        const r = await cli(['check', '--format', 'json', path.join(dir, 'compose.yaml')]);
        assert.match(r.err, re);
        assert.match(r.err, /\.container-hardening\.yaml/, 'the message names the config file');
        assert.equal(findingsOf(r.out), baseline, 'findings are those of the defaults');
        assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype untouched');
        assert.equal(r.code, 1);
      });
    }

    it('a config that is a FIFO does not hang the CLI (bin, 6 s timeout)', () => {
      const dir = tmp({ 'compose.yaml': target });
      const mk = spawnSync('mkfifo', [path.join(dir, '.container-hardening.yaml')]);
      if (mk.status !== 0) return;
      const r = spawnCli(['check', '--format', 'json', 'compose.yaml'], dir, 6000);
      assert.notEqual(r.signal, 'SIGTERM', 'the CLI hung reading a FIFO');
      assert.equal(r.code, 1);
    });

    it('a config that is a folder gives a message and defaults', async () => {
      const dir = tmp({ 'compose.yaml': target, '.container-hardening.yaml/x': 'rules: {}' });
      const r = await cli(['check', '--format', 'json', path.join(dir, 'compose.yaml')]);
      assert.equal(findingsOf(r.out), baseline);
      assert.equal(r.code, 1);
    });
  });
});
