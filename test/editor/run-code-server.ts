/**
 * Runs the editor test suite (test/editor/suite) inside a real VS Code without
 * downloading one: the workbench and remote extension host of the code-server npm
 * package, driven in Debian's headless Chromium through playwright-core. Then a
 * short UI check in the same browser (test/editor/ui-check.ts).
 *
 *   node out/test/editor/run-code-server.js [--suite-only | --ui-only | --web-only | --no-web] [--grep TEXT] [--update-screenshots]
 *
 * Environment: CHROMIUM (default /usr/bin/chromium), CH_EDITOR_CACHE (default
 * .cache/editor-test), CH_EDITOR_TIMEOUT_MS (whole suite, default 300000; everything
 * is killed 5 minutes after that).
 *
 * How the suite gets in: the workbench URL's `payload` parameter carries
 * extensionDevelopmentPath and extensionTestsPath as vscode-remote:// URIs. A built
 * workbench only honours those keys when the server runs with
 * --vscode-option enable-smoke-test-driver (BrowserWorkbenchEnvironmentService reads the
 * payload "if (!isBuilt || enableSmokeTestDriver)"). When the suite's run() settles,
 * the workbench calls window.codeAutomationExit(code, logs): that is the exit code.
 * Last, the web leg (run-web.ts): the web build in the web-worker extension host.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { ROOT, ensureCodeServer, log, sleep, startCodeServer, tail, type CodeServer } from './codeServer';
import { uiCheck } from './ui-check';
import { composeUiCheck } from './ui-compose';
import { webLeg } from './run-web';

const RESULTS = path.join(ROOT, 'test-results', 'editor');
const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'editor', 'fixtures', 'workspace');
const SUITE = path.join(ROOT, 'out', 'test', 'editor', 'suite', 'index.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SUITE_TIMEOUT_MS = Number(process.env.CH_EDITOR_TIMEOUT_MS ?? 300_000);
const WATCHDOG_MS = SUITE_TIMEOUT_MS + 300_000;

const argv = process.argv.slice(2);
const flag = (f: string) => argv.includes(f);
const option = (f: string) => {
  const i = argv.indexOf(f);
  return i >= 0 ? argv[i + 1] : undefined;
};

function build(): void {
  if (!fs.existsSync(SUITE)) run('npm', ['run', 'build']);
  run('npm', ['run', 'bundle']);
  for (const f of ['dist/extension.js', 'dist/server.js', 'dist/web-extension.js', 'dist/web-server.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing after npm run bundle`);
  }
}

function run(cmd: string, args: string[]): void {
  log(`${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** A copy of the fixture workspace, so tests can edit and save without touching the repo. */
function copyWorkspace(runDir: string, name: string): string {
  const dir = path.join(runDir, name);
  fs.cpSync(FIXTURE_WORKSPACE, dir, { recursive: true });
  return dir;
}

export function remoteUri(server: CodeServer, p: string): string {
  return `vscode-remote://127.0.0.1:${server.port}${p.split(path.sep).join('/')}`;
}

export function workbenchUrl(server: CodeServer, folder: string, payload: [string, string][]): string {
  const q = new URLSearchParams({ folder });
  if (payload.length) q.set('payload', JSON.stringify(payload));
  return `${server.url}/?${q.toString()}`;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** Keeps the browser console (the extension host's console is forwarded there) in a file. */
export function recordConsole(page: Page, file: string): void {
  const t0 = Date.now();
  const write = (line: string) => fs.appendFileSync(file, `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s ${line}\n`);
  page.on('console', (m: ConsoleMessage) => write(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => write(`[pageerror] ${e.stack ?? e.message}`));
}

/** Prints what the suite appends to its log file, as it appears. */
function follow(file: string): () => void {
  let pos = 0;
  const pump = () => {
    try {
      const buf = fs.readFileSync(file);
      if (buf.length > pos) {
        process.stdout.write(buf.subarray(pos));
        pos = buf.length;
      }
    } catch {
      // not there yet
    }
  };
  const timer = setInterval(pump, 250);
  return () => {
    clearInterval(timer);
    pump();
  };
}

async function runSuite(server: CodeServer, browser: Browser, runDir: string, suiteLog: string): Promise<number> {
  const workspace = copyWorkspace(runDir, 'workspace');
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  recordConsole(page, path.join(RESULTS, 'suite-browser-console.log'));
  let resolveExit!: (code: number) => void;
  const exited = new Promise<number>((r) => (resolveExit = r));
  await page.exposeFunction('codeAutomationExit', (code: number, logs?: { relativePath: string; contents: string }[]) => {
    for (const l of logs ?? []) {
      const dest = path.join(RESULTS, 'logs', l.relativePath);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, l.contents);
    }
    resolveExit(code);
  });
  page.on('crash', () => {
    log('suite: the browser page crashed');
    resolveExit(1);
  });
  const url = workbenchUrl(server, workspace, [
    ['extensionDevelopmentPath', remoteUri(server, ROOT)],
    ['extensionTestsPath', remoteUri(server, SUITE)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ]);
  log(`suite: ${url}`);
  const stopFollowing = follow(suiteLog);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((r) => {
    timer = setTimeout(() => r(-1), SUITE_TIMEOUT_MS);
  });
  try {
    await page.goto(url);
    log('suite: workbench page loaded');
    const code = await Promise.race([exited, timedOut]);
    stopFollowing();
    if (code !== -1) log(`suite: the workbench reported exit code ${code}`);
    if (code === -1) {
      await page.screenshot({ path: path.join(RESULTS, 'suite-timeout.png') }).catch(() => undefined);
      log(`suite: no result after ${SUITE_TIMEOUT_MS / 1000} s (screenshot: test-results/editor/suite-timeout.png)`);
      return 1;
    }
    return code;
  } finally {
    clearTimeout(timer);
    stopFollowing();
    await page.close().catch(() => undefined);
  }
}

function printSummary(suiteLog: string, code: number): void {
  const json = `${suiteLog}.json`;
  if (!fs.existsSync(json)) {
    log(`suite: the extension host ended with code ${code} before the suite reported anything.`);
    log(`browser console (test-results/editor/suite-browser-console.log), last lines:\n${tail(path.join(RESULTS, 'suite-browser-console.log'), 30)}`);
    return;
  }
  const s = JSON.parse(fs.readFileSync(json, 'utf8')) as { passed: number; failed: number; pending: number };
  log(`suite: ${s.passed} passed, ${s.failed} failed, ${s.pending} pending; extension host exit code ${code}`);
  counts.passed += s.passed;
  counts.failed += s.failed;
}

/** Tests and UI steps run, for the plain closing line CI reads. */
const counts = { passed: 0, failed: 0 };

async function main(): Promise<number> {
  const t0 = Date.now();
  fs.rmSync(RESULTS, { recursive: true, force: true });
  fs.mkdirSync(RESULTS, { recursive: true });
  build();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-editor-'));
  const suiteLog = path.join(RESULTS, 'suite.log');
  const serverLog = path.join(RESULTS, 'code-server.log');
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let code = 0;
  const kill = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    log('stopped the browser and code-server');
  };
  const onSignal = (sig: NodeJS.Signals) => {
    void kill().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let watchdog: NodeJS.Timeout | undefined;
  try {
    ensureCodeServer();
    // Whatever hangs (the workbench, the browser, a step of the UI check), everything is
    // killed and the run fails after this long; the suite has its own, shorter timeout.
    watchdog = setTimeout(() => {
      log(`watchdog: still running after ${WATCHDOG_MS / 1000} s, killing code-server and the browser`);
      void kill().finally(() => process.exit(1));
    }, WATCHDOG_MS);
    server = await startCodeServer({
      runDir,
      logFile: serverLog,
      env: {
        CH_EDITOR_TEST_LOG: suiteLog,
        CH_EDITOR_TEST_GREP: option('--grep') ?? '',
      },
    });
    log(`code-server ${server.url} ready after ${Math.round((Date.now() - t0) / 1000)} s`);
    browser = await launchBrowser();
    const only = ['--suite-only', '--ui-only', '--web-only'].filter(flag);
    const count = (passed: boolean) => {
      if (passed) counts.passed++;
      else {
        counts.failed++;
        code = 1;
      }
    };
    if (!only.length || only.includes('--suite-only')) {
      const suiteCode = await runSuite(server, browser, runDir, suiteLog);
      printSummary(suiteLog, suiteCode);
      if (suiteCode !== 0) code = 1;
    }
    if (!only.length || only.includes('--ui-only')) {
      const ok = await uiCheck({
        server,
        browser,
        workspace: copyWorkspace(runDir, path.join('ui', 'example-app')),
        extensionDevelopmentPath: remoteUri(server, ROOT),
        results: RESULTS,
        updateScreenshots: flag('--update-screenshots') ? path.join(ROOT, 'test', 'editor', 'screenshots') : undefined,
      });
      count(ok);
      // The compose file in English (this server); in Chinese after the web leg (a second server).
      count(await composeUiCheck({ server, browser, workspace: copyWorkspace(runDir, path.join('ui', 'compose-en')), extensionDevelopmentPath: remoteUri(server, ROOT), results: RESULTS, locale: 'en' }));
    }
    if ((!only.length && !flag('--no-web')) || only.includes('--web-only')) {
      const web = await webLeg({ server, browser, runDir, results: RESULTS, timeoutMs: SUITE_TIMEOUT_MS });
      counts.passed += web.passed;
      counts.failed += web.failed;
      if (web.code !== 0) code = 1;
    }
    if (!only.length || only.includes('--ui-only')) {
      await server.stop();
      const zhDir = path.join(runDir, 'zh');
      fs.mkdirSync(zhDir, { recursive: true });
      server = await startCodeServer({ runDir: zhDir, logFile: serverLog, locale: 'zh-cn' });
      count(await composeUiCheck({ server, browser, workspace: copyWorkspace(runDir, path.join('ui', 'compose-zh')), extensionDevelopmentPath: remoteUri(server, ROOT), results: RESULTS, locale: 'zh-cn' }));
    }
  } catch (e) {
    log(`error: ${(e as Error).stack ?? e}`);
    code = 1;
  } finally {
    clearTimeout(watchdog);
    await kill();
    // code-server's own logs (server, remote extension host, the language client's output channel).
    const logs = path.join(runDir, 'user-data', 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(RESULTS, 'code-server-logs'), { recursive: true });
    if (code === 0) fs.rmSync(runDir, { recursive: true, force: true });
    else log(`kept ${runDir} (workspace copies, profile) and test-results/editor/ for a look`);
  }
  log(`${code === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)} s`);
  if (code !== 0 && counts.failed === 0) counts.failed = 1;
  // The plain closing line: the suite's tests and the UI check as one.
  console.log(`editor: ${counts.passed} passed, ${counts.failed} failed`);
  return code;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}

export { sleep };
