'use strict';
/**
 * A minimal LSP client for the benchmark: spawns a language server over
 * stdio, answers what servers ask their client (workspace/configuration,
 * client/registerCapability, progress), and waits for publishDiagnostics.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  ConfigurationRequest,
  RegistrationRequest,
  WorkDoneProgressCreateRequest,
  DidOpenTextDocumentNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  ShutdownRequest,
  ExitNotification,
} = require('vscode-languageserver-protocol/node');
const { now } = require('./timing');

const CAPABILITIES = {
  workspace: { configuration: true, workspaceFolders: false, didChangeConfiguration: { dynamicRegistration: false } },
  textDocument: {
    synchronization: { didSave: false, dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } } },
  },
  window: { workDoneProgress: false },
};

class LspClient {
  /** @param {string} command @param {string[]} args */
  constructor(command, args, { cwd, env } = {}) {
    this.spawnedAt = now();
    this.proc = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => {
      if (this.stderr.length < 20000) this.stderr += d;
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', (code, signal) => resolve({ code, signal })));
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    this.waiters = new Map(); // uri → [{ version, resolve }]
    this.lastDiagnostics = new Map();
    this.conn.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => null));
    this.conn.onRequest(RegistrationRequest.type, () => null);
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onNotification('window/showMessage', () => undefined);
    this.conn.onNotification('telemetry/event', () => undefined);
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const t = now();
      this.lastDiagnostics.set(p.uri, p);
      const list = this.waiters.get(p.uri);
      if (!list) return;
      const keep = [];
      for (const w of list) {
        // Servers that do not send a version: any diagnostics after the change count.
        if (p.version === undefined || p.version === null || w.version === undefined || p.version >= w.version) w.resolve({ at: t, params: p });
        else keep.push(w);
      }
      if (keep.length) this.waiters.set(p.uri, keep);
      else this.waiters.delete(p.uri);
    });
    this.conn.onError(() => undefined);
    this.conn.listen();
  }

  get pid() {
    return this.proc.pid;
  }

  async initialize(initializationOptions) {
    const t0 = this.spawnedAt;
    const res = await this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: CAPABILITIES,
      initializationOptions,
      workspaceFolders: null,
    });
    const readyMs = now() - t0;
    await this.conn.sendNotification(InitializedNotification.type, {});
    this.capabilities = res.capabilities;
    return { result: res, readyMs };
  }

  /** Resolves with the next diagnostics for uri (at or after version, when the server sends versions). */
  nextDiagnostics(uri, version, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiters.get(uri) ?? [];
      list.push({
        version,
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v);
        },
      });
      this.waiters.set(uri, list);
    });
  }

  async open(uri, languageId, text, version = 1) {
    const p = this.nextDiagnostics(uri, version);
    await this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    return p;
  }

  /** Sends one incremental change; resolves with the time until its diagnostics (ms). */
  async change(uri, version, range, text) {
    const p = this.nextDiagnostics(uri, version);
    const t0 = now();
    await this.conn.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ range, text }],
    });
    const { at, params } = await p;
    return { ms: at - t0, params };
  }

  async close(uri) {
    await this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  rssKb() {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  async stop() {
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    const done = await Promise.race([this.exited, new Promise((r) => setTimeout(() => r(undefined), 2000))]);
    if (!done) this.proc.kill('SIGKILL');
    this.conn.dispose();
  }
}

module.exports = { LspClient };
