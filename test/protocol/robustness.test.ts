import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-protocol';
import { BIN, LspClient, readFixture } from './lspClient';

describe('bad documents never take the server down', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize();
  });
  after(async () => {
    await c.stop();
    assert.equal(c.exited?.code ?? 0, 0, c.stderr);
  });

  async function stillServing(): Promise<void> {
    const uri = 'file:///tmp/ch-protocol/alive/run.sh';
    await c.open(uri, 'shellscript', 'docker run --privileged alpine:3.20\n');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(ds.some((d) => d.code === 'privileged'));
    const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 14 } });
    assert.ok(h);
    await c.close(uri);
  }

  it('broken YAML: one parse-error diagnostic at the fault, then the next requests work', async () => {
    const uri = await c.openFixture('broken-compose.yaml', 'yaml');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(ds[0].code, 'parse-error');
    assert.equal(ds[0].severity, 1);
    assert.ok(ds[0].range.start.line >= 3, `at line ${ds[0].range.start.line}`);
    // Hover, code actions and harden on the broken file answer without throwing.
    await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 4, character: 4 } });
    const actions = await c.request<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range: ds[0].range, context: { diagnostics: ds } });
    assert.ok(Array.isArray(actions));
    const res = await c.request<{ applied: number }>('workspace/executeCommand', { command: 'containerHardening.harden', arguments: [uri, { notify: false }] });
    assert.equal(res.applied, 0);
    assert.equal(c.text(uri), readFixture('broken-compose.yaml'));
    await c.close(uri);
    await stillServing();
  });

  it('a binary document is skipped, not analysed', async () => {
    const uri = 'file:///tmp/ch-protocol/bin/Dockerfile';
    let bin = '';
    for (let i = 0; i < 4096; i++) bin += String.fromCharCode((i * 7919) % 256);
    await c.open(uri, 'dockerfile', `FROM alpine\u0000${bin}`);
    const ds = await c.diagnosticsFor(uri);
    assert.deepEqual(ds, []);
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 1 } }), null);
    await c.close(uri);
    await stillServing();
  });

  it('odd inputs: empty, huge line, deep nesting, lone surrogates, positions past the end', async () => {
    const docs: Array<[string, string, string]> = [
      ['file:///tmp/ch-protocol/odd/empty.sh', 'shellscript', ''],
      ['file:///tmp/ch-protocol/odd/long.sh', 'shellscript', `docker run ${'-e A=B '.repeat(1500)}alpine\n`],
      ['file:///tmp/ch-protocol/odd/compose.yaml', 'yaml', `services:\n  a: ${'['.repeat(3000)}\n`],
      ['file:///tmp/ch-protocol/odd/Dockerfile', 'dockerfile', 'FROM \ud800alpine\nRUN echo \udfff \\\n'],
      ['file:///tmp/ch-protocol/odd/heredoc.sh', 'shellscript', 'cat <<EOF | sh\ndocker run --privileged x\n'],
    ];
    for (const [uri, lang, text] of docs) {
      await c.open(uri, lang, text);
      await c.diagnosticsFor(uri, () => true, 20_000);
      await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 999, character: 999 } });
      await c.request('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } },
        context: { diagnostics: [] },
      });
      await c.close(uri);
    }
    await stillServing();
  });

  it('requests about unknown documents and unknown commands get neutral answers', async () => {
    const uri = 'file:///tmp/ch-protocol/never-opened.sh';
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await c.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
    assert.equal(await c.request('workspace/executeCommand', { command: 'containerHardening.nope', arguments: [] }), null);
    await stillServing();
  });
});

describe('container-hardening-ls bin (--stdio)', () => {
  it('speaks LSP from the tsc build', async () => {
    const c = new LspClient({ serverPath: BIN });
    try {
      const init = await c.initialize();
      assert.equal(init.serverInfo?.name, 'container-hardening-ls');
      const uri = await c.openFixture('run-dev.sh', 'shellscript');
      const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
      assert.ok(ds.some((d) => d.code === 'privileged'));
    } finally {
      await c.stop();
    }
  });
});
