/**
 * What the npm package and the .vsix contain (package.json `files`, one allowlist for both),
 * and what the Marketplace and npm pages need: pictures that resolve, no dependencies, the
 * no-telemetry promise. Reads the built dist/ (npm test bundles first). Building, installing
 * and running the real artifacts is `npm run test:package` (test/package/).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The files `npm pack` would put in the tarball (no scripts run, nothing written). */
function npmPackFiles(): string[] {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return (JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path).sort();
}

/** What may ship: the bundle, its grammars and messages, the bins, and what VS Code reads. */
const ALLOWED = [
  /^dist\/(extension|server|engine|cli|web-extension|web-server|workspaceWorker)\.js$/,
  /^dist\/tree-sitter(-bash)?\.wasm$/,
  /^dist\/l10n\/bundle\.l10n\.[\w-]+\.json$/,
  /^server\/bin\/[\w-]+\.js$/,
  /^client\/l10n\/bundle\.l10n\.[\w-]+\.json$/,
  /^client\/media\/icon\.png$/,
  /^syntaxes\/[\w.-]+\.json$/,
  /^package(\.nls(\.[\w-]+)?)?\.json$/,
  /^(README|CHANGELOG)\.md$/,
  /^LICENSE$/,
];

describe('the npm package', () => {
  const files = npmPackFiles();

  it('holds the bins, the bundled engine with its wasm grammars, the licence and the README, and nothing else', () => {
    const required = [
      ...Object.values<string>(pkg.bin),
      pkg.main.replace(/^\.\//, ''),
      pkg.browser.replace(/^\.\//, ''), 'dist/web-server.js',
      'dist/cli.js', 'dist/server.js', 'dist/workspaceWorker.js', 'dist/engine.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm', 'dist/l10n/bundle.l10n.zh-cn.json',
      'server/bin/newest-build.js', 'server/bin/code-cache.js',
      'LICENSE', 'README.md', 'CHANGELOG.md', 'package.json',
    ];
    for (const f of required) assert.ok(files.includes(f), `${f} is not in the package (run npm run bundle first?)`);
    const stray = files.filter((f) => !ALLOWED.some((re) => re.test(f)));
    assert.deepEqual(stray, [], 'files in the package that nothing loads');
    // The V8 code caches are made for the Node that bundled: useless elsewhere, so never shipped.
    assert.ok(!files.some((f) => f.endsWith('.v8cache')));
  });

  it('bundles that are plain ASCII: one other character makes V8 hold the whole source as two-byte text, slower to load', () => {
    for (const f of files.filter((x) => /^dist\/.*\.js$/.test(x))) {
      const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
      const at = text.search(/[^\x00-\x7f]/);
      assert.equal(at, -1, `${f}: ${JSON.stringify(text.slice(Math.max(0, at - 40), at + 10))} (write it as an escape)`);
    }
  });

  it('needs nothing installed beside it, and says which Node it needs', () => {
    // The bins run dist/, which esbuild made with every library inside: a dependency listed here
    // would only be downloaded by every `npx container-hardening` for nothing.
    assert.deepEqual(pkg.dependencies ?? {}, {}, 'libraries the code imports are bundled: list them under devDependencies');
    assert.match(pkg.engines.node, /^>=\s*20/);
    for (const bin of Object.values<string>(pkg.bin)) assert.match(fs.readFileSync(path.join(ROOT, bin), 'utf8'), /^#!\/usr\/bin\/env node\n/, bin);
    assert.equal(pkg.private, undefined);
  });
});

describe('the README as the Marketplace and npm show it', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const tracked = new Set(execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n'));

  it('shows pictures that are committed PNGs: vsce links them from the repository', () => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)/g), ...readme.matchAll(/<img[^>]+src=["']([^"']+)/g)].map((m) => m[1]);
    assert.ok(images.length >= 3, 'the README shows the editor');
    for (const src of images) {
      assert.ok(!/^\w+:/.test(src), `${src}: link pictures by their path in the repository (vsce makes it absolute)`);
      assert.ok(tracked.has(src), `${src} is not committed`);
      assert.match(src, /\.png$/, 'the Marketplace refuses SVG pictures');
    }
  });

  it('links to files that exist', () => {
    const links = [...readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s#]+)(#[^)]*)?\)/g)].map((m) => m[1]).filter((l) => !/^\w+:/.test(l));
    assert.ok(links.includes('CONTRIBUTING.md'));
    for (const l of links) assert.ok(fs.existsSync(path.join(ROOT, l)), l);
  });

  it('has an icon VS Code and the Marketplace can show: a PNG of at least 128×128', () => {
    const png = fs.readFileSync(path.join(ROOT, pkg.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(png.readUInt32BE(16) >= 128 && png.readUInt32BE(20) >= 128, `${png.readUInt32BE(16)}×${png.readUInt32BE(20)}`);
  });
});

/** The web build's two modules that fetch: the grammars, from the extension's own URI (see the test below). */
const WEB_FETCHES = ['client/src/browser.ts', 'server/src/browserServer.ts'];

describe('no telemetry, as the README says', () => {
  it('no source of the extension, the server or the CLI opens a network connection', () => {
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const network = /\bfrom\s+['"](node:)?(https?|http2|net|tls|dgram|dns)['"]|\brequire\(\s*['"](node:)?(https?|http2|net|tls|dgram|dns)['"]|\bfetch\(|\bXMLHttpRequest\b|\bWebSocket\b|sendTelemetry|telemetry\/event/;
    const offenders = [...walk(path.join(ROOT, 'server', 'src')), ...walk(path.join(ROOT, 'client', 'src'))].filter((f) => network.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(offenders.map((f) => path.relative(ROOT, f)).sort(), WEB_FETCHES, 'the README promises no telemetry and no network requests');
  });

  it('the web build fetches only its own files, from where the editor loaded the extension', () => {
    // The client resolves the URLs of dist/ files under context.extensionUri; the server fetches the URLs it was given.
    const client = fs.readFileSync(path.join(ROOT, 'client', 'src', 'browser.ts'), 'utf8');
    assert.deepEqual([...client.matchAll(/\bfetch\(([^)]*)\)/g)].map((m) => m[1]), ['s']);
    assert.match(client, /\.map\(\(f\) => browserUrl\(vscode\.Uri\.joinPath\(dist, f\)\)\)/);
    const server = fs.readFileSync(path.join(ROOT, 'server', 'src', 'browserServer.ts'), 'utf8');
    assert.deepEqual([...server.matchAll(/\bfetch\(([^)]*)\)/g)].map((m) => m[1]), ['url']);
    assert.match(server, /fetchBytes\(wasmUrls\.runtime, 'tree-sitter\.wasm'\), fetchBytes\(wasmUrls\.bash, 'tree-sitter-bash\.wasm'\)/);
  });
});
