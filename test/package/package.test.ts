/**
 * The artifacts as a user gets them (`npm run test:package`, about a minute; CI runs it):
 * `npm pack` as a release would (its `prepare` bundles), the tarball installed into an empty
 * folder offline and both of its commands run from there; `vsce package`, its file list and
 * the README the Marketplace will show.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LspClient } from '../protocol/lspClient';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const REPO = 'https://github.com/container-hardening/container-hardening';

let tmp: string;
let tgz: string;
let packed: string[];
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-package-'));
  const out = execFileSync(NPM, ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  // npm prints the prepare script's output before the JSON.
  const info = JSON.parse(out.slice(out.search(/^\[/m)))[0];
  tgz = path.join(tmp, info.filename);
  packed = (info.files as { path: string }[]).map((f) => f.path).sort();
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const kb = (f: string) => `${Math.round(fs.statSync(f).size / 1024)} KB`;

describe('the npm package, installed into an empty folder', () => {
  let app: string;
  let installed: string;
  const run = (cmd: string, args: string[], cwd = app) => spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  before(() => {
    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    assert.equal(run(NPM, ['init', '-y']).status, 0);
    // Offline: the package needs nothing from the registry.
    const r = run(NPM, ['install', '--offline', '--no-audit', '--no-fund', tgz]);
    assert.equal(r.status, 0, r.stderr);
    installed = path.join(app, 'node_modules', 'container-hardening');
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'sample'), path.join(app, 'sample'), { recursive: true });
    process.stdout.write(`# ${path.basename(tgz)}: ${kb(tgz)}, ${packed.length} files\n`);
  });

  it('installed the package alone, as packed, without running a build', () => {
    assert.deepEqual(fs.readdirSync(path.join(app, 'node_modules')).filter((d) => !d.startsWith('.')), ['container-hardening']);
    assert.ok(!fs.existsSync(path.join(installed, 'out')), 'prepare ran on install');
    assert.ok(!fs.readdirSync(path.join(installed, 'dist')).some((f) => f.endsWith('.v8cache')), 'prepare ran on install');
    assert.equal(JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')).version, pkg.version);
  });

  it('npx container-hardening checks the sample', () => {
    assert.equal(run(NPM, ['exec', '--offline', '--', 'container-hardening', '--version']).stdout.trim(), pkg.version);
    const text = run(NPM, ['exec', '--offline', '--', 'container-hardening', 'check', 'sample']);
    assert.equal(text.status, 1, text.stderr);
    assert.match(text.stdout, /sample\/run\.sh:\d+:\d+ +error +privileged/);
    assert.equal(run(NPM, ['exec', '--offline', '--', 'container-hardening', 'check', '--fail-on', 'none', 'sample']).status, 0);
    const json = JSON.parse(run(NPM, ['exec', '--offline', '--', 'container-hardening', 'check', '--format', 'json', 'sample/run.sh']).stdout);
    assert.ok(json.files[0].findings.some((f: { ruleId: string }) => f.ruleId === 'privileged'));
  });

  it('container-hardening-ls answers over stdio and reports a Dockerfile\'s findings', async () => {
    assert.match(run(NPM, ['exec', '--offline', '--', 'container-hardening-ls', '--help']).stdout, /--stdio/);
    const c = new LspClient({ serverPath: path.join(installed, 'server', 'bin', 'container-hardening-ls.js') });
    try {
      const init = await c.initialize();
      assert.equal(init.serverInfo?.version, pkg.version);
      const uri = 'file:///tmp/app/Dockerfile';
      await c.open(uri, 'dockerfile', 'FROM node:20\nRUN curl -fsSL https://example.com/x.sh | sh\nCMD ["node", "server.js"]\n');
      const diags = await c.diagnosticsFor(uri, (d) => d.length > 0);
      const codes = diags.map((d) => d.code);
      assert.ok(codes.includes('root-user') && codes.includes('pipe-to-shell'), codes.join(', '));
    } finally {
      await c.stop();
    }
  });
});

describe('the .vsix', () => {
  let vsix: string;
  let listed: string[];
  before(() => {
    vsix = path.join(tmp, 'container-hardening.vsix');
    // dist/ is the bundle `npm pack` just made; the manifest's `vsce` key turns dependency detection off.
    const r = spawnSync(NPM, ['exec', '--offline', '--', 'vsce', 'package', '-o', vsix], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    listed = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).split('\n').filter(Boolean);
    process.stdout.write(`# container-hardening.vsix: ${kb(vsix)}, ${listed.length} entries\n`);
  });

  it('holds what the npm package holds (one allowlist), besides the Marketplace\'s manifest', () => {
    const extension = listed.filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length));
    // vsce writes the README, the CHANGELOG and the licence under names of its own.
    const rename: Record<string, string> = { 'readme.md': 'README.md', 'changelog.md': 'CHANGELOG.md', 'LICENSE.txt': 'LICENSE' };
    assert.deepEqual(extension.map((f) => rename[f] ?? f).sort(), packed);
    assert.ok(listed.includes('extension.vsixmanifest'));
    // Two builds (desktop and web), the grammars and the README's pictures: a budget that a stray
    // file (a source map, node_modules) would break, far below what the Marketplace accepts.
    assert.ok(fs.statSync(vsix).size < 1.5 * 1024 * 1024, kb(vsix));
  });

  it('holds the web build: the browser entry, its language server and the grammars it fetches', () => {
    for (const f of [pkg.browser.replace(/^\.\//, ''), 'dist/web-server.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm']) {
      assert.ok(listed.includes(`extension/${f}`), `${f} is not in the .vsix`);
    }
    const manifest = JSON.parse(execFileSync('unzip', ['-p', vsix, 'extension/package.json'], { encoding: 'utf8' }));
    assert.equal(manifest.browser, './dist/web-extension.js');
    assert.equal(manifest.main, './dist/extension.js', 'desktop VS Code keeps the Node server');
  });

  it('carries the Marketplace metadata', () => {
    const manifest = execFileSync('unzip', ['-p', vsix, 'extension.vsixmanifest'], { encoding: 'utf8' });
    assert.match(manifest, /<Categories>Linters,Other<\/Categories>/);
    assert.match(manifest, new RegExp(`Id="Microsoft.VisualStudio.Services.Links.Source" Value="${REPO}.git"`));
    assert.match(manifest, /Microsoft.VisualStudio.Services.Branding.Color" Value="#105EA0"/);
    assert.match(manifest, /Type="Microsoft.VisualStudio.Services.Icons.Default" Path="extension\/client\/media\/icon.png"/);
    assert.match(manifest, /<Tags>[^<]*docker[^<]*security[^<]*<\/Tags>/);
  });

  it('has a README whose pictures and links point into the repository', () => {
    const readme = execFileSync('unzip', ['-p', vsix, 'extension/readme.md'], { encoding: 'utf8' });
    const tracked = new Set(execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n'));
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g)].map((m) => m[1]);
    assert.ok(images.length >= 3);
    for (const src of images) {
      const m = new RegExp(`^${REPO}/raw/HEAD/(.+)$`).exec(src);
      assert.ok(m, `${src}: not a picture from the repository`);
      assert.ok(tracked.has(m[1]), `${m[1]} is not committed`);
    }
    const links = [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    for (const l of links) assert.match(l, /^(https:\/\/|#)/, `${l}: a relative link would be broken on the Marketplace`);
    for (const l of links.filter((x) => x.startsWith(`${REPO}/blob/HEAD/`))) assert.ok(fs.existsSync(path.join(ROOT, l.slice(`${REPO}/blob/HEAD/`.length).replace(/#.*$/, ''))), l);
  });
});
