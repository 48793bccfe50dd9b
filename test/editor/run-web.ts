/**
 * The web leg of the editor tests: the web build (package.json `browser`: dist/web-extension.js
 * and the language server in dist/web-server.js) in VS Code's web-worker extension host, in the
 * same code-server and Chromium as the suite.
 *
 * code-server runs an extension in its remote (Node) extension host when it has a `main`, so the
 * leg loads a copy of the extension folder whose package.json has only `browser` — what
 * vscode.dev sees. The tests (test/editor/web/) are bundled with esbuild into that copy
 * (test/web-suite.js: mocha's browser build and the tests, `vscode` from the host): the workbench
 * runs extensionTestsPath in the extension host of the extension whose folder holds it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { ROOT, log, type CodeServer } from './codeServer';
import { recordConsole, remoteUri, workbenchUrl } from './run-code-server';

const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'editor', 'fixtures', 'workspace');
/** Reader fixtures that need a file the editor never opens, with the `.fixed` text Harden must make. */
const READER_FIXTURES = ['override', 'extends-foreign'].map((d) => path.join(ROOT, 'test', 'fixtures', 'readers', 'compose', d));
/** What of the repository the web extension needs (package.json is written, without `main`). */
const EXTENSION_FILES = ['dist', 'client/l10n', 'client/media', 'syntaxes', 'package.nls.json', 'package.nls.zh-cn.json', 'LICENSE'];

export interface WebLegOptions {
  server: CodeServer;
  browser: Browser;
  runDir: string;
  results: string;
  timeoutMs: number;
}

export interface WebLegResult {
  code: number;
  passed: number;
  failed: number;
  seconds: number;
}

/** The extension folder as vscode.dev gets it: only the `browser` entry. */
function webExtensionCopy(dir: string): void {
  for (const f of ['dist/web-extension.js', 'dist/web-server.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-bash.wasm']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: npm run bundle`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  if (typeof pkg.browser !== 'string') throw new Error('package.json has no `browser` entry');
  delete pkg.main;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const f of EXTENSION_FILES) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
}

async function bundleTests(outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'test', 'editor', 'web', 'index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    outfile,
    external: ['vscode'],
    logLevel: 'warning',
    absWorkingDir: ROOT,
  });
}

export async function webLeg(o: WebLegOptions): Promise<WebLegResult> {
  const t0 = Date.now();
  const dir = path.join(o.runDir, 'web');
  const extension = path.join(dir, 'extension');
  const suite = path.join(extension, 'test', 'web-suite.js');
  const workspace = path.join(dir, 'workspace');
  webExtensionCopy(extension);
  await bundleTests(suite);
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  for (const f of READER_FIXTURES) fs.cpSync(f, path.join(workspace, path.basename(f)), { recursive: true });
  const logFile = path.join(dir, 'web-suite.log');

  const page = await o.browser.newPage({ viewport: { width: 1280, height: 800 } });
  recordConsole(page, path.join(o.results, 'web-browser-console.log'));
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
  page.on('crash', () => resolveExit(1));
  const url = workbenchUrl(o.server, workspace, [
    ['extensionDevelopmentPath', remoteUri(o.server, extension)],
    ['extensionTestsPath', remoteUri(o.server, suite)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ]);
  log(`web: ${url}`);
  let timer: NodeJS.Timeout | undefined;
  let code: number;
  try {
    await page.goto(url);
    code = await Promise.race([exited, new Promise<number>((r) => (timer = setTimeout(() => r(-1), o.timeoutMs)))]);
    if (code === -1) {
      await page.screenshot({ path: path.join(o.results, 'web-timeout.png') }).catch(() => undefined);
      log(`web: no result after ${o.timeoutMs / 1000} s (screenshot: test-results/editor/web-timeout.png)`);
      code = 1;
    }
  } finally {
    clearTimeout(timer);
    await page.close().catch(() => undefined);
  }
  // The suite writes its report with vscode.workspace.fs (a web worker has no stdout).
  let passed = 0;
  let failed = 0;
  if (fs.existsSync(logFile)) {
    fs.copyFileSync(logFile, path.join(o.results, 'web-suite.log'));
    process.stdout.write(fs.readFileSync(logFile, 'utf8'));
  }
  if (fs.existsSync(`${logFile}.json`)) {
    fs.copyFileSync(`${logFile}.json`, path.join(o.results, 'web-suite.log.json'));
    const s = JSON.parse(fs.readFileSync(`${logFile}.json`, 'utf8')) as { passed: number; failed: number };
    ({ passed, failed } = s);
  } else {
    log('web: the suite reported nothing; see test-results/editor/web-browser-console.log');
    code = code || 1;
  }
  const seconds = Math.round((Date.now() - t0) / 1000);
  log(`web: ${passed} passed, ${failed} failed; extension host exit code ${code}; ${seconds} s`);
  return { code, passed, failed, seconds };
}
