/**
 * The language server under stress, over real stdio: malformed JSON, unknown
 * methods, bad params, requests for documents that were never opened, a 10 MB
 * document, 1,000 rapid incremental didChange notifications, and cancelled
 * requests. Through all of it the server stays up and keeps answering, and
 * the diagnostics it finally publishes match what the engine says about the
 * final text.
 */
import * as assert from 'assert/strict';
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { after, before, describe, it } from 'node:test';
import {
  CancellationTokenSource,
  createMessageConnection,
  ErrorCodes,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { analyze, initEngine, isGroup, presented } from '../../../server/src/engine';
import { ROOT } from '../../fuzz/lib';

const BIN = path.join(ROOT, 'server', 'bin', 'container-hardening-ls.js');
const SERVER_JS = path.join(ROOT, 'out', 'server', 'src', 'server.js');

class Client {
  proc: ChildProcess;
  conn: MessageConnection;
  diags = new Map<string, PublishDiagnosticsParams>();
  stderr = '';
  exited: number | null | undefined;
  private waiters: Array<() => void> = [];
  constructor() {
    this.proc = spawn(process.execPath, [BIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d) => (this.stderr += d));
    this.proc.on('exit', (code) => {
      this.exited = code;
      this.wake();
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/applyEdit', () => ({ applied: false }));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diags.set(p.uri, p);
      this.wake();
    });
    this.conn.onNotification(() => undefined);
    this.conn.onError(() => undefined);
    this.conn.listen();
  }
  private wake() {
    const w = this.waiters;
    this.waiters = [];
    w.forEach((f) => f());
  }
  /** Resolves when pred() holds (checked after every diagnostics message), rejects after ms. */
  waitFor(pred: () => boolean, ms: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      const check = () => {
        if (pred()) {
          clearTimeout(timer);
          resolve();
        } else if (this.exited !== undefined) {
          clearTimeout(timer);
          reject(new Error(`server exited (${this.exited}) while waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`));
        } else this.waiters.push(check);
      };
      check();
    });
  }
  async init(rootDir: string) {
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(rootDir).href,
      workspaceFolders: [{ uri: pathToFileURL(rootDir).href, name: 'w' }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } }, workspace: { configuration: true } },
      initializationOptions: { debounceMs: 30 },
    });
    this.conn.sendNotification('initialized', {});
    return r;
  }
  open(uri: string, text: string, languageId = 'dockerfile', version = 1) {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }
  /** Proves the server is alive: a request it must answer. */
  async ping(uri: string): Promise<void> {
    await this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  }
  async close() {
    if (this.exited === undefined) {
      try {
        await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
        this.conn.sendNotification('exit');
      } catch {
        /* already gone */
      }
      await Promise.race([new Promise((r) => this.proc.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
    }
    if (this.exited === undefined) this.proc.kill();
    this.conn.dispose();
  }
}

function expectedDiagnostics(text: string, file: string) {
  // As the server shows them: a container's missing settings as one missing-hardening diagnostic.
  const r = analyze(text, { fileName: file });
  return presented(r.findings, r.groups)
    .map((f) => `${isGroup(f) ? f.id : f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`)
    .sort();
}
function publishedDiagnostics(p: PublishDiagnosticsParams | undefined) {
  return (p?.diagnostics ?? []).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();
}

const built = fs.existsSync(SERVER_JS);

describe('language server under stress', { skip: built ? false : 'server not built (out/server/src/server.js missing): run `npx tsc -p .`' }, () => {
  let c: Client;
  let dir: string;
  let realpathDir: string;
  const uriOf = (name: string) => pathToFileURL(path.join(realpathDir, name)).href;
  before(async () => {
    await initEngine();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-lsp-stress-'));
    realpathDir = fs.realpathSync(dir);
    c = new Client();
    const r = (await c.init(realpathDir)) as { capabilities: unknown };
    assert.ok(r.capabilities);
  });
  after(async () => {
    await c?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers a simple document', async () => {
    const uri = uriOf('Dockerfile');
    c.open(uri, 'FROM ubuntu:latest\nUSER root\n');
    await c.waitFor(() => (c.diags.get(uri)?.diagnostics.length ?? 0) > 0, 20000, 'first diagnostics');
    assert.deepEqual(publishedDiagnostics(c.diags.get(uri)), expectedDiagnostics('FROM ubuntu:latest\nUSER root\n', path.join(realpathDir, 'Dockerfile')));
  });

  it('malformed JSON on the wire: the server stays up and answers', async () => {
    const bad = ['{not json', '{"jsonrpc":"2.0","id":', '[]', '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","id":99,"method":7}', '\u0000\u0001'];
    for (const body of bad) {
      const b = Buffer.from(body, 'utf8');
      c.proc.stdin!.write(`Content-Length: ${b.length}\r\n\r\n`);
      c.proc.stdin!.write(b);
    }
    await c.ping(uriOf('Dockerfile'));
    assert.equal(c.exited, undefined);
  });

  it('unknown methods: MethodNotFound for requests, notifications ignored', async () => {
    await assert.rejects(c.conn.sendRequest('container/doesNotExist', { a: 1 }), (e: { code: number }) => e.code === ErrorCodes.MethodNotFound);
    c.conn.sendNotification('container/nothing', { a: 1 });
    c.conn.sendNotification('$/setTrace', { value: 'verbose' });
    await c.ping(uriOf('Dockerfile'));
  });

  it('bad params and unknown documents: errors or empty answers, never a crash', async () => {
    const ghost = uriOf('never-opened/Dockerfile');
    const calls: Array<[string, unknown]> = [
      ['textDocument/hover', { textDocument: { uri: ghost }, position: { line: 0, character: 0 } }],
      ['textDocument/hover', { textDocument: { uri: uriOf('Dockerfile') }, position: { line: 1e9, character: -5 } }],
      ['textDocument/hover', null],
      ['textDocument/hover', { textDocument: 42 }],
      ['textDocument/codeAction', { textDocument: { uri: ghost }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }],
      ['textDocument/codeAction', { textDocument: { uri: uriOf('Dockerfile') }, range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [{ code: 'nope', range: null }] } }],
      ['workspace/executeCommand', { command: 'containerHardening.harden', arguments: [ghost] }],
      ['workspace/executeCommand', { command: 'containerHardening.harden', arguments: [{ uri: 5 }, 'x', null] }],
      ['workspace/executeCommand', { command: 'no.such.command', arguments: [] }],
      ['workspace/executeCommand', {}],
    ];
    for (const [method, params] of calls) {
      try {
        await c.conn.sendRequest(method, params);
      } catch (e) {
        assert.equal(typeof (e as { code: unknown }).code, 'number', `${method}: a JSON-RPC error, not a crash`);
      }
    }
    c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: ghost, version: 2 }, contentChanges: [{ text: 'x' }] });
    c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: ghost } });
    c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'not a uri at all', languageId: 'dockerfile', version: 1, text: 'FROM x' } });
    c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'shellscript', version: 1, text: 'docker run --privileged x\n' } });
    c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///', languageId: 'yaml', version: 1, text: 'services: {' } });
    c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { containerHardening: { rules: { privileged: 'bogus', nope: 'error' }, fix: { user: '$(reboot)' }, enable: 'yes' } } });
    await c.ping(uriOf('Dockerfile'));
    assert.equal(c.exited, undefined, c.stderr.slice(-2000));
  });

  it('a 10 MB document: the server answers, publishes for it, and keeps serving others', async () => {
    const uri = uriOf('big/compose.yaml');
    const unit = 'services:\n' + Array.from({ length: 100 }, (_, i) => `  s${i}:\n    image: nginx:latest\n    privileged: true\n`).join('');
    const big = unit + '# ' + 'x'.repeat(10 * 1024 * 1024 - unit.length) + '\n';
    c.open(uri, big, 'dockercompose');
    await c.ping(uri);
    await c.waitFor(() => c.diags.has(uri), 60000, 'diagnostics of the 10 MB document');
    // Then edit it down to something small: the diagnostics follow the text.
    const small = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';
    c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: small }] });
    await c.waitFor(() => c.diags.get(uri)?.version === 2 || publishedDiagnostics(c.diags.get(uri)).join() === expectedDiagnostics(small, path.join(realpathDir, 'big/compose.yaml')).join(), 30000, 'diagnostics after shrinking');
    assert.deepEqual(publishedDiagnostics(c.diags.get(uri)), expectedDiagnostics(small, path.join(realpathDir, 'big/compose.yaml')));
    c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('1,000 rapid incremental didChange: final diagnostics match the final text', async () => {
    const file = path.join(realpathDir, 'typing.sh');
    const uri = pathToFileURL(file).href;
    let text = '#!/bin/sh\n';
    c.open(uri, text, 'shellscript');
    let version = 1;
    const script = 'docker run -d --privileged -v /:/host --net=host -p 2375:2375 ubuntu:latest\n';
    // Type the script character by character, with backspaces and line edits mixed in (deterministic).
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    let k = 0;
    for (let n = 0; n < 1000; n++) {
      const lines = text.split('\n');
      const endLine = lines.length - 1;
      const endChar = lines[endLine].length;
      let change: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string };
      if (rnd() < 0.1 && endChar > 0) {
        change = { range: { start: { line: endLine, character: endChar - 1 }, end: { line: endLine, character: endChar } }, text: '' };
        text = text.slice(0, -1);
      } else {
        const ch = script[k++ % script.length];
        change = { range: { start: { line: endLine, character: endChar }, end: { line: endLine, character: endChar } }, text: ch };
        text += ch;
      }
      version++;
      c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    }
    await c.waitFor(() => c.diags.get(uri)?.version === version, 60000, `diagnostics for version ${version}`);
    // Nothing newer may follow for an older version: wait a moment and compare again.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(c.diags.get(uri)?.version, version);
    assert.deepEqual(publishedDiagnostics(c.diags.get(uri)), expectedDiagnostics(text, file));
    assert.ok(c.diags.get(uri)!.diagnostics.length > 5);
  });

  it('cancelled requests: answered or cancelled, and the server keeps serving', async () => {
    const uri = uriOf('Dockerfile');
    const outcomes = { answered: 0, cancelled: 0 };
    const pending: Array<Promise<void>> = [];
    for (let i = 0; i < 200; i++) {
      const src = new CancellationTokenSource();
      const method = i % 2 ? 'textDocument/hover' : 'textDocument/codeAction';
      const params =
        method === 'textDocument/hover'
          ? { textDocument: { uri }, position: { line: 1, character: 2 } }
          : { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } }, context: { diagnostics: [] } };
      pending.push(
        c.conn.sendRequest(method, params, src.token).then(
          () => void outcomes.answered++,
          (e: { code: number }) => {
            assert.equal(e.code, -32800 /* RequestCancelled */);
            outcomes.cancelled++;
          },
        ),
      );
      if (i % 3 !== 2) src.cancel();
    }
    await Promise.all(pending);
    assert.equal(outcomes.answered + outcomes.cancelled, 200);
    await c.ping(uri);
  });

  it('shuts down cleanly after all that', async () => {
    assert.equal(c.exited, undefined, c.stderr.slice(-2000));
    await c.conn.sendRequest('shutdown');
    c.conn.sendNotification('exit');
    await c.waitFor(() => c.exited !== undefined, 5000, 'exit');
    assert.equal(c.exited, 0);
  });
});
