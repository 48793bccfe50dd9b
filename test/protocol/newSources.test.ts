/** devcontainer.json, workflows and Quadlet units over the real language server, whatever language id the editor sends. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Hover } from 'vscode-languageserver-protocol';
import { LspClient, ROOT } from './lspClient';

const uriOf = (rel: string) => pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'protocol', rel)).toString();

describe('new sources over stdio', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize();
  });
  after(() => c.stop());

  it('devcontainer.json opened as jsonc: findings, hover, and an ignore comment written as //', async () => {
    const uri = uriOf('.devcontainer/devcontainer.json');
    const text = '{\n  // the GPU tools need it\n  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",\n  "privileged": true,\n}\n';
    await c.open(uri, 'jsonc', text);
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const priv = ds.find((d) => d.code === 'privileged');
    assert.ok(priv, JSON.stringify(ds));
    assert.deepEqual(priv.range.start, { line: 3, character: 2 });
    const hover = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 5 } });
    assert.match(JSON.stringify(hover?.contents), /privileged/);
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: priv.range, context: { diagnostics: [priv] } });
    const fix = actions.find((a) => a.isPreferred) ?? actions[0];
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    const sourceActions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: priv.range, context: { diagnostics: [priv], only: ['source'] } });
    const fileIgnore = sourceActions.find((a) => /in this file/.test(a.title));
    assert.match(JSON.stringify(fileIgnore?.edit), /\/\/ harden-ignore-file: privileged/);
    await c.close(uri);
  });

  it('a workflow opened as yaml, and a Quadlet unit opened as plain text', async () => {
    const wf = uriOf('.github/workflows/ci.yml');
    await c.open(wf, 'yaml', 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: >-\n        --cpus 2\n        --privileged\n    steps:\n      - run: make\n');
    const w = await c.diagnosticsFor(wf, (d) => d.length > 0);
    assert.deepEqual(w.map((d) => [d.code, d.range.start.line, d.range.start.character]), [['privileged', 8, 8]]);
    const unit = uriOf('web.container');
    await c.open(unit, 'plaintext', '[Container]\nImage=docker.io/library/nginx:1.27\nUser=1000\nDropCapability=all\nNoNewPrivileges=true\nReadOnly=true\nMemory=256m\nPidsLimit=100\nPodmanArgs=--cpus=1\nNetwork=host\n');
    const q = await c.diagnosticsFor(unit, (d) => d.length > 0);
    assert.deepEqual(q.map((d) => [d.code, d.range.start.line]), [['host-network', 9]]);
    await c.close(wf);
    await c.close(unit);
  });
});
