import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient, readFixture } from './lspClient';

const codes = (ds: Array<{ code?: unknown }>) => ds.map((d) => String(d.code));

describe('diagnostics over stdio', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    const init = await c.initialize();
    assert.equal(init.serverInfo?.name, 'container-hardening-ls');
    assert.deepEqual(init.capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(init.capabilities.executeCommandProvider?.commands, ['containerHardening.harden']);
  });
  after(() => c.stop());

  it('reports a Dockerfile: final stage runs as root, ADD of a local file', async () => {
    const uri = await c.openFixture('Dockerfile', 'dockerfile');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const root = ds.find((d) => d.code === 'root-user');
    assert.ok(root, `root-user expected, got ${codes(ds)}`);
    // Points at the FROM line of the final stage (line 9, 0-based 8), not the build stage.
    assert.equal(root.range.start.line, 8);
    assert.equal(root.severity, 2);
    assert.equal(root.source, 'container-hardening');
    assert.match(root.codeDescription!.href, /rule-root-user$/);
    const add = ds.find((d) => d.code === 'add-instead-of-copy');
    assert.ok(add);
    assert.equal(add.range.start.line, 11);
    assert.equal(add.severity, 3);
    await c.close(uri);
  });

  it('reports a compose file per service, anchored at the service key', async () => {
    const uri = await c.openFixture('compose.yaml', 'yaml');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const priv = ds.find((d) => d.code === 'privileged');
    assert.ok(priv);
    assert.equal(priv.severity, 1);
    assert.deepEqual(priv.range.start, { line: 7, character: 4 });
    const sock = ds.find((d) => d.code === 'docker-socket-mount');
    assert.ok(sock);
    assert.equal(sock.range.start.line, 16);
    // Missing options of `api:` point at its key.
    const apiCapDrop = ds.find((d) => d.code === 'cap-drop-missing' && d.range.start.line === 11);
    assert.ok(apiCapDrop, 'cap-drop-missing on api:');
    assert.equal(readFixture('compose.yaml').split('\n')[11].trim(), 'api:');
    await c.close(uri);
  });

  it('reports docker run in a shell script, across line continuations', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(ds.some((d) => d.code === 'privileged' && d.range.start.line === 7));
    const mount = ds.find((d) => d.code === 'sensitive-mount');
    assert.ok(mount);
    assert.equal(mount.range.start.line, 8);
    assert.equal(mount.severity, 1);
    assert.ok(ds.some((d) => d.code === 'cap-drop-missing' && d.range.start.line === 6));
    await c.close(uri);
  });

  it('opening a document publishes its diagnostics once', async () => {
    const mark = c.published.length;
    const uri = await c.openFixture('Dockerfile', 'dockerfile');
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    // Longer than the debounce (50 ms here): a second analysis would have been published by now.
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(c.published.slice(mark).filter((p) => p.uri === uri).length, 1);
    await c.close(uri);
  });

  it('closing a document clears its diagnostics', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    await c.close(uri);
    const cleared = await c.waitFor('empty diagnostics after close', () => {
      const p = c.diagnostics.get(uri);
      return p && p.diagnostics.length === 0 ? p : undefined;
    });
    assert.equal(cleared.diagnostics.length, 0);
  });

  it('follows incremental edits and coalesces a burst of keystrokes', async () => {
    const uri = 'file:///tmp/ch-protocol/burst.sh';
    const text = '#!/bin/sh\ndocker run --rm \\\n  nginx:1.27\n';
    await c.open(uri, 'shellscript', text);
    const first = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(!first.some((d) => d.code === 'privileged'));
    assert.ok(first.some((d) => d.code === 'cap-drop-missing'));

    const mark = c.published.length;
    // Type "--privileged --cap-drop ALL " one character at a time after "--rm ".
    const typed = '--privileged --cap-drop ALL ';
    const line = 1;
    const col = 'docker run --rm '.length;
    for (let i = 0; i < typed.length; i++) {
      await c.change(uri, [{ range: { start: { line, character: col + i }, end: { line, character: col + i } }, newText: typed[i] }]);
    }
    assert.equal(c.text(uri), `#!/bin/sh\ndocker run --rm ${typed}\\\n  nginx:1.27\n`);
    const finalVersion = 1 + typed.length;
    const ds = await c.diagnosticsFor(uri, () => true);
    assert.equal(c.diagnostics.get(uri)!.version, finalVersion);
    assert.ok(ds.some((d) => d.code === 'privileged' && d.range.start.line === 1 && d.range.start.character === col));
    assert.ok(!ds.some((d) => d.code === 'cap-drop-missing'), 'cap-drop ALL typed in');
    // 28 changes in a burst: far fewer analyses than keystrokes.
    const published = c.published.slice(mark).filter((p) => p.uri === uri).map((p) => p.version);
    assert.ok(published.length >= 1 && published.length <= 3, `published for versions ${published}`);
    await c.close(uri);
  });

  it('uses the document version and kind given by the language id', async () => {
    // A compose file in plain YAML whose name does not say "compose": the language id decides.
    const uri = 'file:///tmp/ch-protocol/stack.yaml';
    await c.open(uri, 'dockercompose', 'services:\n  app:\n    image: alpine:3.20\n    network_mode: host\n');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(ds.some((d) => d.code === 'host-network' && d.range.start.line === 3));
    await c.close(uri);
    // The same text as an arbitrary YAML file is not ours.
    const other = 'file:///tmp/ch-protocol/values.yaml';
    await c.open(other, 'yaml', 'replicas: 3\nimage: nginx\n');
    const none = await c.diagnosticsFor(other);
    assert.deepEqual(none, []);
    await c.close(other);
  });

  it('works on documents of virtual workspaces (no file system)', async () => {
    const uri = 'vscode-vfs://github/acme/shop/deploy/compose.yaml';
    await c.open(uri, 'yaml', 'services:\n  db:\n    image: postgres:16\n    pid: host\n');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(ds.some((d) => d.code === 'host-pid'));
    await c.close(uri);
  });

  it('reads sibling documents for the engine (open documents first)', async () => {
    // The compose service builds the Dockerfile beside it, which has a HEALTHCHECK:
    // the service's healthcheck-missing finding goes away once that Dockerfile is known.
    const dir = 'file:///tmp/ch-protocol-siblings';
    const compose = `${dir}/compose.yaml`;
    const dockerfile = `${dir}/Dockerfile`;
    await c.open(compose, 'yaml', 'services:\n  app:\n    build: .\n');
    const alone = await c.diagnosticsFor(compose, (d) => d.length > 0);
    assert.ok(alone.some((d) => d.code === 'healthcheck-missing'), `got ${codes(alone)}`);
    // Opening the Dockerfile (it exists only in the editor) re-checks the compose file.
    await c.open(dockerfile, 'dockerfile', 'FROM alpine:3.20\nUSER 1000\nHEALTHCHECK CMD wget -q -O- http://localhost/ || exit 1\nCMD ["app"]\n');
    const ds = await c.diagnosticsFor(compose, (d) => d.length > 0 && !d.some((x) => x.code === 'healthcheck-missing'));
    assert.ok(ds.some((d) => d.code === 'cap-drop-missing'));
    // Editing the Dockerfile re-checks the compose file that read it.
    await c.change(dockerfile, [{ range: { start: { line: 2, character: 0 }, end: { line: 3, character: 0 } }, newText: '' }]);
    await c.diagnosticsFor(compose, (d) => d.some((x) => x.code === 'healthcheck-missing'));
    await c.close(dockerfile);
    await c.close(compose);
  });
});

describe('no debounce (debounceMs 0)', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient({ initializationOptions: { debounceMs: 0 } });
    await c.initialize();
  });
  after(() => c.stop());

  it('a burst of changes ends with the diagnostics of the last text', async () => {
    const uri = 'file:///tmp/ch-protocol/burst/run.sh';
    await c.open(uri, 'shellscript', 'docker run alpine:3.20 true\n');
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    const before = c.published.length;
    // Types ` --privileged` one character at a time, without waiting.
    const typed = ' --privileged';
    const sends: Array<Promise<void>> = [];
    for (let i = 0; i < typed.length; i++) sends.push(c.change(uri, [{ range: { start: { line: 0, character: 10 + i }, end: { line: 0, character: 10 + i } }, newText: typed[i] }]));
    await Promise.all(sends);
    assert.equal(c.text(uri), 'docker run --privileged alpine:3.20 true\n');
    const ds = await c.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'privileged'));
    assert.equal(ds.find((d) => d.code === 'privileged')!.range.start.character, 11);
    // Every publication for the burst is for a version that was sent, in order.
    const versions = c.published.slice(before).filter((p) => p.uri === uri).map((p) => p.version as number);
    assert.ok(versions.length >= 1 && versions.length <= typed.length, `published for versions ${versions}`);
    assert.deepEqual([...versions].sort((a, b) => a - b), versions);
    await c.close(uri);
  });
});

describe('start-up', () => {
  it('the first diagnostics are complete, even for a document opened before `initialized`', async () => {
    const c = new LspClient({ initializationOptions: { debounceMs: 0 } });
    try {
      await c.initialize({ initialized: false });
      // The engine loads after the answer to initialize; a document may come first.
      const uri = await c.openFixture('run-dev.sh', 'shellscript');
      const first = await c.waitFor('first diagnostics', () => c.published.find((p) => p.uri === uri));
      assert.ok(first.diagnostics.some((d) => d.code === 'privileged' && d.range.start.line === 7), `got ${codes(first.diagnostics)}`);
      assert.ok(first.diagnostics.some((d) => d.code === 'sensitive-mount'), `got ${codes(first.diagnostics)}`);
      await c.initialized();
      const df = await c.openFixture('Dockerfile', 'dockerfile');
      const dfFirst = await c.waitFor('Dockerfile diagnostics', () => c.published.find((p) => p.uri === df));
      assert.ok(dfFirst.diagnostics.some((d) => d.code === 'root-user'), `got ${codes(dfFirst.diagnostics)}`);
      assert.equal(c.published.filter((p) => p.uri === uri).length, 1, 'one publication: nothing was published before the engine was ready');
    } finally {
      await c.stop();
    }
  });
});
