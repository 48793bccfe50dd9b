/**
 * Check Workspace over the real server: the files of a folder (the CLI's walk: .gitignore,
 * node_modules skipped) or the client's list, diagnostics for files that are not open, work-done
 * progress, open documents left to their live analysis, a closed one checked again, cancellation,
 * and the same answers from worker threads and from the server's own thread.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, WorkDoneProgress, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageserver-protocol/node';
import { LspClient } from './lspClient';
import { CHECK_WORKSPACE_METHOD, type CheckWorkspaceResult } from '../../server/src/lsp/workspaceProtocol';

const FILES: Record<string, string> = {
  'Dockerfile': 'FROM debian:12\nADD app.tar.gz /app/\nCMD ["/app/run"]\n',
  'compose.yaml': 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n',
  'scripts/run.sh': '#!/bin/sh\ndocker run --privileged alpine:3 true\n',
  'bin/deploy': '#!/usr/bin/env bash\ndocker run --privileged alpine:3 true\n',
  'bin/notes': 'not a script\n',
  'README.md': '# docker run --privileged\n',
  '.devcontainer/devcontainer.json': '{\n  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",\n  "privileged": true\n}\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --privileged\n    steps:\n      - run: make\n',
  'web.container': '[Container]\nImage=docker.io/library/nginx:1.27\nNetwork=host\n',
  '.gitignore': 'ignored/\n*.local.yaml\n',
  'ignored/Dockerfile': 'FROM debian:12\n',
  'compose.local.yaml': 'services:\n  x:\n    image: nginx:1.27\n    privileged: true\n',
  'node_modules/pkg/Dockerfile': 'FROM debian:12\n',
};
const CHECKED = ['Dockerfile', 'compose.yaml', 'scripts/run.sh', 'bin/deploy', '.devcontainer/devcontainer.json', '.github/workflows/ci.yml', 'web.container'];

function makeFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-workspace-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

type Progress = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

async function checkWithProgress(c: LspClient, params: Record<string, unknown>, token: string): Promise<{ result: CheckWorkspaceResult; progress: Progress[] }> {
  const progress: Progress[] = [];
  const sub = c.conn.onProgress(WorkDoneProgress.type, token, (v) => {
    progress.push(v);
  });
  try {
    const result = await c.request<CheckWorkspaceResult>(CHECK_WORKSPACE_METHOD, { ...params, workDoneToken: token });
    return { result, progress };
  } finally {
    sub.dispose();
  }
}

for (const workers of ['default', '0']) {
  describe(`workspace check over stdio (${workers === '0' ? 'in the server thread' : 'worker threads'})`, () => {
    let c: LspClient;
    let dir: string;
    const uriOf = (rel: string) => pathToFileURL(path.join(dir, rel)).toString();
    before(async () => {
      dir = makeFolder(FILES);
      c = new LspClient({ workspaceFolder: dir, env: workers === '0' ? { CH_WORKSPACE_WORKERS: '0' } : {} });
      await c.initialize();
    });
    after(async () => {
      await c.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('checks every supported file of a folder, .gitignore and node_modules excluded, with progress', async () => {
      const { result, progress } = await checkWithProgress(c, { folders: [pathToFileURL(dir).toString()] }, 'wc-1');
      assert.equal(result.cancelled, false);
      assert.equal(result.workers > 0, workers !== '0', `workers: ${result.workers}`);
      assert.equal(result.checked, CHECKED.length, JSON.stringify(result));
      assert.ok(result.errors > 0 && result.warnings > 0, JSON.stringify(result));
      await c.waitFor('diagnostics of every checked file', () => CHECKED.every((f) => c.diagnostics.get(uriOf(f))?.diagnostics.length));
      const codes = (f: string) => c.diagnostics.get(uriOf(f))!.diagnostics.map((d) => d.code);
      assert.ok(codes('compose.yaml').includes('privileged'));
      assert.ok(codes('bin/deploy').includes('privileged'), 'a script without an extension, by its shebang');
      assert.ok(codes('.github/workflows/ci.yml').includes('privileged'));
      assert.ok(codes('web.container').includes('host-network'));
      const priv = c.diagnostics.get(uriOf('.devcontainer/devcontainer.json'))!.diagnostics.find((d) => d.code === 'privileged');
      assert.deepEqual(priv?.range.start, { line: 2, character: 2 });
      for (const f of ['ignored/Dockerfile', 'compose.local.yaml', 'node_modules/pkg/Dockerfile', 'README.md', 'bin/notes']) assert.equal(c.diagnostics.get(uriOf(f)), undefined, f);
      assert.equal(progress[0]?.kind, 'begin');
      assert.equal((progress[0] as WorkDoneProgressBegin).cancellable, true);
      assert.equal(progress.at(-1)?.kind, 'end');
      assert.ok(progress.some((p) => p.kind === 'report' && p.percentage === 100), JSON.stringify(progress));
    });

    it('leaves an open document to its live analysis, and checks its file again when it closes', async () => {
      const uri = uriOf('compose.yaml');
      await c.open(uri, 'dockercompose', 'services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n');
      await c.diagnosticsFor(uri, (ds) => ds.some((d) => d.code === 'host-network') && !ds.some((d) => d.code === 'privileged'));
      const before = c.published.length;
      await c.request(CHECK_WORKSPACE_METHOD, { folders: [pathToFileURL(dir).toString()] });
      const again = c.published.slice(before).filter((p) => p.uri === uri);
      assert.deepEqual(again, [], 'no workspace diagnostics over the open document');
      await c.close(uri);
      // Closed: the file on the disk (privileged) is shown again.
      await c.waitFor('the file on the disk checked again', () => c.diagnostics.get(uri)?.diagnostics.some((d) => d.code === 'privileged'));
    });

    it('checks the files a client lists, with texts for URIs it cannot read, and clears files no longer listed', async () => {
      const virtual = 'vscode-vfs://github/acme/app/compose.yaml';
      const r = await c.request<CheckWorkspaceResult>(CHECK_WORKSPACE_METHOD, {
        files: [uriOf('Dockerfile'), virtual],
        texts: { [virtual]: 'services:\n  db:\n    image: postgres:16\n    privileged: true\n' },
      });
      assert.equal(r.checked, 2, JSON.stringify(r));
      await c.waitFor('the virtual file', () => c.diagnostics.get(virtual)?.diagnostics.some((d) => d.code === 'privileged'));
      // The files of the previous check that are not in this one lose their diagnostics.
      await c.waitFor('web.container cleared', () => c.diagnostics.get(uriOf('web.container'))?.diagnostics.length === 0);
      assert.ok(c.diagnostics.get(uriOf('Dockerfile'))!.diagnostics.length > 0);
    });

    it('settings changes check the same files again', async () => {
      await c.changeSettings({ rules: { privileged: 'off' } });
      const virtual = 'vscode-vfs://github/acme/app/compose.yaml';
      await c.waitFor('privileged off in the checked files', () => c.diagnostics.get(virtual)?.diagnostics.every((d) => d.code !== 'privileged'));
      await c.changeSettings({});
    });

    it('stops promptly when cancelled, keeping what it published', async () => {
      const many: Record<string, string> = {};
      for (let i = 0; i < 1500; i++) many[`svc${i}/compose.yaml`] = FILES['compose.yaml'];
      const big = makeFolder(many);
      try {
        const source = new CancellationTokenSource();
        const progress: Progress[] = [];
        const sub = c.conn.onProgress(WorkDoneProgress.type, 'wc-cancel', (v) => {
          progress.push(v);
          if (v.kind === 'report') source.cancel();
        });
        const before = c.published.length;
        const result = await c.conn.sendRequest<CheckWorkspaceResult>(CHECK_WORKSPACE_METHOD, { folders: [pathToFileURL(big).toString()], workDoneToken: 'wc-cancel' }, source.token);
        sub.dispose();
        assert.equal(result.cancelled, true, JSON.stringify(result));
        assert.equal(result.listed, 1500);
        assert.ok(result.checked > 0 && result.checked < 1500, `checked ${result.checked} of 1500 before stopping`);
        assert.equal(progress.at(-1)?.kind, 'end');
        const shown = c.published.slice(before).filter((p) => p.uri.includes(path.basename(big)) && p.diagnostics.length).length;
        assert.ok(shown > 0 && shown <= result.checked, `${shown} files shown, ${result.checked} checked`);
        // A new check stops the one under way (answered as cancelled) and runs in full.
        const first = c.request<CheckWorkspaceResult>(CHECK_WORKSPACE_METHOD, { folders: [pathToFileURL(big).toString()] });
        await c.waitFor('the first check under way', () => c.published.length > before + result.checked + 5);
        const second = await c.request<CheckWorkspaceResult>(CHECK_WORKSPACE_METHOD, { folders: [pathToFileURL(dir).toString()] });
        const stopped = await first;
        assert.equal(stopped.cancelled, true, JSON.stringify(stopped));
        assert.ok(stopped.checked < 1500);
        assert.equal(second.cancelled, false);
        assert.equal(second.checked, CHECKED.length);
      } finally {
        fs.rmSync(big, { recursive: true, force: true });
      }
    });
  });
}
