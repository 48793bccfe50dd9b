/**
 * Entry point of the web leg (test/editor/README.md): VS Code's web-worker extension
 * host calls run() when `extensionTestsPath` points at the bundle of this file
 * (run-web.ts bundles it with esbuild: mocha's browser build, the tests and a small
 * assert; `vscode` comes from the host). There is no process, no node:fs and no stdout
 * in a web worker, so mocha's report is written with vscode.workspace.fs next to the
 * workspace folder: `../web-suite.log` and `../web-suite.log.json`, which the runner reads.
 */
import * as vscode from 'vscode';
import { runCounted, type Summary } from '../suite/helpers';


/** console.log's formatting of mocha's reporter lines ('%s', '%d' filled in order). */
function format(args: unknown[]): string {
  if (typeof args[0] !== 'string') return args.map(String).join(' ');
  const rest = args.slice(1);
  const head = args[0].replace(/%[sdi]/g, () => (rest.length ? String(rest.shift()) : ''));
  return [head, ...rest.map(String)].join(' ');
}

export async function run(): Promise<void> {
  // mocha's browser build: defines the globals `mocha` and `Mocha` (and describe/it after setup).
  require('mocha/mocha.js');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!folder) throw new Error('the web leg needs its workspace folder open');
  const logUri = vscode.Uri.joinPath(folder, '..', 'web-suite.log');
  const jsonUri = vscode.Uri.joinPath(folder, '..', 'web-suite.log.json');
  let text = '';
  let writing = Promise.resolve();
  const flush = () => {
    const snapshot = new TextEncoder().encode(text);
    writing = writing.then(() => vscode.workspace.fs.writeFile(logUri, snapshot)).catch(() => undefined);
    return writing;
  };
  const g = globalThis as { Mocha?: { reporters: { Base: { consoleLog: (...a: unknown[]) => void; useColors: boolean } } } };
  const base = g.Mocha?.reporters.Base;
  if (base) {
    base.useColors = false;
    base.consoleLog = (...args: unknown[]) => {
      console.log(...args);
      text += `${format(args)}\n`;
      void flush();
    };
  }
  mocha.setup({ ui: 'bdd', reporter: 'spec', timeout: 60_000, color: false });
  // After setup: the test file's describe() calls need the globals it defines.
  require('./web.test');
  const summary: Summary = { passed: 0, failed: 0, pending: 0, failures: [] };
  const failures = await runCounted((done) => mocha.run(done), summary);
  await flush();
  await vscode.workspace.fs.writeFile(jsonUri, new TextEncoder().encode(JSON.stringify(summary, null, 2)));
  if (failures > 0) throw new Error(`${failures} web test(s) failed.`);
}
