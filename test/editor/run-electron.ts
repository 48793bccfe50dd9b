/**
 * Runs the editor test suite (test/editor/suite) in desktop VS Code through
 * @vscode/test-electron: for machines that can download VS Code. Machines that cannot
 * (this project's CI) use run-code-server.ts, which runs the very same suite.
 *
 *   npm run build && npm run bundle && node out/test/editor/run-electron.js [--grep TEXT]
 *
 * VSCODE_VERSION picks the editor (default: stable); on a headless Linux box run it
 * under xvfb-run.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<number> {
  const suite = path.join(ROOT, 'out', 'test', 'editor', 'suite', 'index.js');
  for (const f of [suite, path.join(ROOT, 'dist', 'extension.js')]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run npm run build && npm run bundle first`);
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-editor-electron-'));
  const workspace = path.join(runDir, 'workspace');
  fs.cpSync(path.join(ROOT, 'test', 'editor', 'fixtures', 'workspace'), workspace, { recursive: true });
  const userData = path.join(runDir, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userData, 'User', 'settings.json'),
    JSON.stringify({ 'files.autoSave': 'off', 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'update.mode': 'none' }, null, 2),
  );
  const grepAt = process.argv.indexOf('--grep');
  try {
    await runTests({
      version: process.env.VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      extensionTestsEnv: grepAt > 0 ? { CH_EDITOR_TEST_GREP: process.argv[grepAt + 1] } : undefined,
      launchArgs: [
        workspace,
        '--disable-extensions', // other installed extensions; the one under development still loads
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
        `--user-data-dir=${userData}`,
        `--extensions-dir=${path.join(runDir, 'extensions')}`,
      ],
    });
    return 0;
  } catch (e) {
    console.error(`[editor-test] ${(e as Error).message ?? e}`);
    return 1;
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
