import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { LspClient, readFixture } from './lspClient';

describe('settings', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize();
  });
  after(() => c.stop());

  it('reads workspace/configuration per document and reacts to didChangeConfiguration live', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    const first = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(first.some((d) => d.code === 'root-user'));
    assert.ok(c.configurationRequests.some((r) => JSON.stringify(r).includes(uri) && JSON.stringify(r).includes('containerHardening')));

    await c.changeSettings({ rules: { 'root-user': 'off', 'port-all-interfaces': 'error' } });
    const second = await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'root-user'));
    assert.equal(second.length, first.length - 1);
    assert.equal(second.find((d) => d.code === 'port-all-interfaces')!.severity, 1);

    await c.changeSettings({ enable: false });
    await c.diagnosticsFor(uri, (d) => d.length === 0);
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 7, character: 0 }, end: { line: 7, character: 5 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);

    await c.changeSettings({});
    await c.diagnosticsFor(uri, (d) => d.length === first.length);
    await c.close(uri);
  });

  it('fix defaults from settings shape the fixes', async () => {
    await c.changeSettings({ fix: { user: 'app', memory: '1g', cpus: '0.5', pidsLimit: 64 } });
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    const res = await c.request<{ text: string }>('workspace/executeCommand', {
      command: 'containerHardening.harden',
      arguments: [uri, { dryRun: true, notify: false }],
    });
    assert.match(res.text, /--memory 1g/);
    assert.match(res.text, /--cpus 0\.5/);
    assert.match(res.text, /--pids-limit 64/);
    // nginx starts as root and drops to its own user: Harden leaves the user alone (the image table).
    assert.doesNotMatch(res.text, /--user/);
    await c.close(uri);
    await c.changeSettings({});
  });

  it('reports invalid editor settings once and keeps working', async () => {
    await c.changeSettings({ rules: { 'no-such-rule': 'off', privileged: 'loud' }, fix: { memory: 'lots' } });
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(ds.some((d) => d.code === 'privileged' && d.severity === 1), 'bad severity ignored');
    const msgs = await c.waitFor('setting errors', () => {
      const m = c.messages.filter((x) => /no-such-rule|fix\.memory|privileged/.test(x.message));
      return m.length >= 3 ? m : undefined;
    });
    assert.ok(msgs.some((m) => m.message.includes("unknown rule id 'no-such-rule'")));
    // Re-analysis does not repeat the same message.
    const count = c.messages.length;
    await c.change(uri, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: '# touched\n' }]);
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(c.messages.length, count);
    await c.close(uri);
    await c.changeSettings({});
  });
});

describe('.container-hardening.yaml', () => {
  let dir: string;
  let c: LspClient;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-ws-'));
    fs.mkdirSync(path.join(dir, 'deploy'));
    fs.writeFileSync(path.join(dir, '.container-hardening.yaml'), 'rules:\n  root-user: off\n  privileged: info\nfix:\n  memory: 2g\n');
    fs.writeFileSync(path.join(dir, 'deploy', 'run.sh'), readFixture('run-dev.sh'));
    c = new LspClient({ workspaceFolder: dir, settings: { rules: { privileged: 'warning' } } });
    await c.initialize();
  });
  after(async () => {
    await c.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is found from the file folder upward and wins over editor settings', async () => {
    const uri = pathToFileURL(path.join(dir, 'deploy', 'run.sh')).toString();
    await c.open(uri, 'shellscript', fs.readFileSync(path.join(dir, 'deploy', 'run.sh'), 'utf8'));
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(!ds.some((d) => d.code === 'root-user'));
    assert.equal(ds.find((d) => d.code === 'privileged')!.severity, 3);
    const res = await c.request<{ text: string }>('workspace/executeCommand', { command: 'containerHardening.harden', arguments: [uri, { dryRun: true }] });
    assert.match(res.text, /--memory 2g/);
    assert.ok(!/--user/.test(res.text), 'root-user is off, so no user is added');
    await c.close(uri);
  });

  it('the server asks the client to watch config files', async () => {
    const reg = await c.waitFor('watcher registration', () => c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    assert.deepEqual(reg.registerOptions, { watchers: [{ globPattern: '**/.container-hardening.{yaml,yml}' }] });
    assert.ok(c.registrations.some((r) => r.method === 'workspace/didChangeConfiguration'));
  });

  it('changes are picked up through didChangeWatchedFiles; errors are shown', async () => {
    const uri = pathToFileURL(path.join(dir, 'deploy', 'run.sh')).toString();
    await c.open(uri, 'shellscript', readFixture('run-dev.sh'));
    await c.diagnosticsFor(uri, (d) => d.length > 0 && !d.some((x) => x.code === 'root-user'));
    fs.writeFileSync(path.join(dir, '.container-hardening.yaml'), 'rules:\n  sensitive-mount: off\n  typo-rule: off\n');
    const cfgUri = pathToFileURL(path.join(dir, '.container-hardening.yaml')).toString();
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: cfgUri, type: 2 }] });
    const ds = await c.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'root-user') && !d.some((x) => x.code === 'sensitive-mount'));
    assert.equal(ds.find((d) => d.code === 'privileged')!.severity, 2, 'editor setting applies again');
    await c.waitFor('config error message', () => c.messages.find((m) => m.message.includes("unknown rule id 'typo-rule'") && m.message.includes('.container-hardening.yaml')));
    // Broken YAML in the config: defaults, a message, no crash.
    fs.writeFileSync(path.join(dir, '.container-hardening.yaml'), 'rules: [\n');
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: cfgUri, type: 2 }] });
    await c.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'sensitive-mount'));
    await c.waitFor('invalid YAML message', () => c.messages.find((m) => /invalid YAML/.test(m.message)));
    await c.close(uri);
  });
});

describe('clients without workspace/configuration', () => {
  it('use settings pushed with didChangeConfiguration or given at initialize', async () => {
    const c = new LspClient({ configuration: false, initializationOptions: { settings: { containerHardening: { rules: { 'cap-drop-missing': 'off' } } } } });
    try {
      await c.initialize();
      const uri = await c.openFixture('run-dev.sh', 'shellscript');
      const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
      assert.ok(!ds.some((d) => d.code === 'cap-drop-missing'));
      assert.equal(c.configurationRequests.length, 0);
      await c.changeSettings({ rules: { 'memory-limit-missing': 'off' } });
      await c.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'cap-drop-missing') && !d.some((x) => x.code === 'memory-limit-missing'));
    } finally {
      await c.stop();
    }
  });
});

describe('other editors', () => {
  it('Helix-style: settings as initializationOptions, workspace/configuration answered with null, its language ids', async () => {
    const c = new LspClient({ initializationOptions: { containerHardening: { rules: { 'host-pid': 'off' }, groupMissingHardening: false } } });
    c.settings = null as unknown as Record<string, unknown>;
    try {
      await c.initialize();
      const compose = 'file:///tmp/ch-protocol/helix/stack.yml';
      await c.open(compose, 'docker-compose', 'services:\n  db:\n    image: postgres:16\n    pid: host\n    ipc: host\n');
      const ds = await c.diagnosticsFor(compose, (d) => d.length > 0);
      assert.ok(ds.some((d) => d.code === 'host-ipc'), 'analysed as compose although the name does not say so');
      assert.ok(!ds.some((d) => d.code === 'host-pid'), 'rule turned off at initialize');
      assert.ok(c.configurationRequests.length > 0);
      const script = 'file:///tmp/ch-protocol/helix/deploy';
      await c.open(script, 'bash', 'docker run --pid host alpine:3.20\n');
      const sd = await c.diagnosticsFor(script, (d) => d.length > 0);
      assert.ok(sd.some((d) => d.code === 'cap-drop-missing'));
    } finally {
      await c.stop();
    }
  });
});
