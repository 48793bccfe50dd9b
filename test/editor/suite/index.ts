/**
 * Entry point of the editor test suite: VS Code's extension host calls run() when
 * `extensionTestsPath` points at this file (both runners: @vscode/test-electron and
 * the code-server runner). It loads every *.test.js next to it into mocha.
 *
 * When CH_EDITOR_TEST_LOG is set (the code-server runner sets it: the remote
 * extension host's stdout goes nowhere a terminal can see), mocha's report is also
 * appended to that file, and a JSON summary is written beside it (<log>.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { runCounted, type Summary } from './helpers';

export async function run(): Promise<void> {
  const logFile = process.env.CH_EDITOR_TEST_LOG;
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: Number(process.env.CH_EDITOR_TEST_TIMEOUT ?? 60_000),
    grep: process.env.CH_EDITOR_TEST_GREP || undefined,
  });

  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const consoleLog = base.consoleLog;
  if (logFile) {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    fs.writeFileSync(logFile, '');
    base.consoleLog = (...args: unknown[]) => {
      consoleLog(...args);
      fs.appendFileSync(logFile, format(...args) + '\n');
    };
  }

  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, f));
  }

  const summary: Summary = { passed: 0, failed: 0, pending: 0, failures: [] };
  try {
    const failures = await runCounted((done) => mocha.run(done), summary);
    if (failures > 0) throw new Error(`${failures} editor test(s) failed.`);
  } finally {
    base.consoleLog = consoleLog;
    if (logFile) fs.writeFileSync(`${logFile}.json`, JSON.stringify(summary, null, 2));
  }
}
