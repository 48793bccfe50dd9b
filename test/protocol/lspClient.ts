/**
 * A small LSP client for protocol tests: starts the real server as a child
 * process over stdio, answers the requests a server sends to its client
 * (workspace/configuration, client/registerCapability, workspace/applyEdit),
 * keeps the text of open documents and collects published diagnostics.
 * JSON-RPC comes from vscode-languageserver-protocol's own vscode-jsonrpc
 * (re-exported by it), the version the protocol types are built on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  ApplyWorkspaceEditRequest,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
  ConfigurationRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  type ApplyWorkspaceEditParams,
  type Diagnostic,
  type InitializeResult,
  type LogMessageParams,
  type PublishDiagnosticsParams,
  type ShowMessageParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'protocol');
/** The bundled server shipped in the .vsix; the bin runs the tsc build. */
export const BUNDLED_SERVER = path.join(ROOT, 'dist', 'server.js');
export const BIN = path.join(ROOT, 'server', 'bin', 'container-hardening-ls.js');

export function fixtureUri(name: string): string {
  return pathToFileURL(path.join(FIXTURES, name)).toString();
}

export function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

interface Doc {
  uri: string;
  languageId: string;
  version: number;
  text: string;
}

/** Offset of a 0-based line/character position in text. */
export function offsetAt(text: string, pos: { line: number; character: number }): number {
  let line = 0;
  let i = 0;
  while (line < pos.line && i < text.length) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) return text.length;
    i = nl + 1;
    line++;
  }
  return i + pos.character;
}

export function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g) ?? []).length;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Applies LSP text edits (all relative to the same text) and returns the new text. */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const abs = edits
    .map((e) => ({ start: offsetAt(text, e.range.start), end: offsetAt(text, e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of abs) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export interface StartOptions {
  serverPath?: string;
  /** Settings returned for workspace/configuration (section containerHardening). */
  settings?: Record<string, unknown>;
  locale?: string;
  workspaceFolder?: string;
  /** Client capability: answer workspace/configuration (true) or rely on didChangeConfiguration pushes. */
  configuration?: boolean;
  initializationOptions?: Record<string, unknown>;
  env?: NodeJS.ProcessEnv;
  /**
   * Show a container's missing settings as one diagnostic (the product's default). Most suites
   * test the rules one by one and turn it off; test/protocol/grouping.test.ts tests it on.
   */
  grouped?: boolean;
}

export class LspClient {
  readonly proc: ChildProcess;
  readonly conn: MessageConnection;
  readonly docs = new Map<string, Doc>();
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publishDiagnostics notification, in order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly logs: string[] = [];
  readonly applyEditRequests: ApplyWorkspaceEditParams[] = [];
  readonly configurationRequests: unknown[] = [];
  readonly registrations: Array<{ id: string; method: string; registerOptions?: unknown }> = [];
  stderr = '';
  settings: Record<string, unknown>;
  /** What the client answers to workspace/applyEdit. */
  acceptEdits = true;
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private waiters: Array<() => void> = [];

  constructor(private readonly opts: StartOptions = {}) {
    this.settings = { ...this.base(), ...opts.settings };
    const serverPath = opts.serverPath ?? BUNDLED_SERVER;
    this.proc = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    this.proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.proc.on('exit', (code, signal) => {
      this.exited = { code, signal };
      this.notify();
    });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.published.push(p);
      this.notify();
    });
    this.conn.onNotification(ShowMessageNotification.type, (p) => {
      this.messages.push(p);
      this.notify();
    });
    this.conn.onNotification('window/logMessage', (p: LogMessageParams) => {
      this.logs.push(p.message);
    });
    this.conn.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests.push(p);
      return p.items.map((it) => (it.section === 'containerHardening' ? this.settings : null));
    });
    this.conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
      this.notify();
    });
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
      this.applyEditRequests.push(p);
      this.notify();
      if (!this.acceptEdits) return { applied: false, failureReason: 'refused by the test' };
      this.applyWorkspaceEdit(p.edit);
      return { applied: true };
    });
    this.conn.listen();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `pred` holds, re-checking after every message from the server. */
  async waitFor<T>(what: string, pred: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = pred();
      if (v) return v;
      if (this.exited) throw new Error(`server exited (${JSON.stringify(this.exited)}) while waiting for ${what}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** `initialized: false` leaves out the `initialized` notification (send it with {@link initialized}). */
  async initialize(o: { initialized?: boolean } = {}): Promise<InitializeResult> {
    const folder = this.opts.workspaceFolder ?? FIXTURES;
    const folderUri = pathToFileURL(folder).toString();
    const res = await Promise.race([this.died(), this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folderUri,
      locale: this.opts.locale,
      workspaceFolders: [{ uri: folderUri, name: path.basename(folder) }],
      initializationOptions: { debounceMs: 50, ...this.opts.initializationOptions },
      capabilities: {
        workspace: {
          configuration: this.opts.configuration !== false,
          applyEdit: true,
          workspaceEdit: { documentChanges: true },
          didChangeConfiguration: { dynamicRegistration: true },
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
        },
        textDocument: {
          synchronization: { didSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: {
            isPreferredSupport: true,
            codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
          },
        },
      },
    })]);
    if (o.initialized !== false) await this.initialized();
    return res;
  }

  async initialized(): Promise<void> {
    await this.conn.sendNotification(InitializedNotification.type, {});
  }

  async open(uri: string, languageId: string, text: string): Promise<void> {
    const doc: Doc = { uri, languageId, version: 1, text };
    this.docs.set(uri, doc);
    this.diagnostics.delete(uri);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  async openFixture(name: string, languageId: string): Promise<string> {
    const uri = fixtureUri(name);
    await this.open(uri, languageId, readFixture(name));
    return uri;
  }

  /** Sends incremental changes (each relative to the text after the previous one). */
  async change(uri: string, edits: TextEdit[]): Promise<void> {
    const doc = this.docs.get(uri)!;
    doc.version++;
    for (const e of edits) doc.text = applyTextEdits(doc.text, [e]);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: doc.version },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
  }

  async close(uri: string): Promise<void> {
    this.docs.delete(uri);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** Applies a workspace edit to the client's documents and tells the server, like an editor would. */
  applyWorkspaceEdit(edit: WorkspaceEdit): void {
    const perDoc: Array<[string, TextEdit[], number | null | undefined]> = [];
    for (const dc of edit.documentChanges ?? []) {
      if ('textDocument' in dc) perDoc.push([dc.textDocument.uri, dc.edits as TextEdit[], dc.textDocument.version]);
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perDoc.push([uri, edits, undefined]);
    for (const [uri, edits, version] of perDoc) {
      const doc = this.docs.get(uri);
      if (!doc) throw new Error(`edit for a document that is not open: ${uri}`);
      if (typeof version === 'number' && version !== doc.version) throw new Error(`edit for version ${version}, document is at ${doc.version}`);
      doc.text = applyTextEdits(doc.text, edits);
      doc.version++;
      void this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: [{ text: doc.text }] });
    }
  }

  text(uri: string): string {
    return this.docs.get(uri)!.text;
  }

  /** Waits for diagnostics published for the document's current version that satisfy `pred`. */
  async diagnosticsFor(uri: string, pred: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    return this.waitFor(`diagnostics for ${uri}`, () => {
      const p = this.diagnostics.get(uri);
      const doc = this.docs.get(uri);
      if (!p || (doc && p.version !== undefined && p.version !== doc.version)) return undefined;
      return pred(p.diagnostics) ? p.diagnostics : undefined;
    }, timeoutMs);
  }

  /** Sends a request; fails (with the server's stderr) instead of hanging if the server dies. */
  async request<R>(method: string, params: unknown): Promise<R> {
    return Promise.race([this.conn.sendRequest(method, params) as Promise<R>, this.died()]);
  }

  private death: Promise<never> | undefined;

  /** Rejects when the server exits (one promise and one listener for all requests). */
  private died(): Promise<never> {
    if (!this.death) {
      this.death = new Promise((_, reject) => {
        const fail = () => reject(new Error(`server exited (${JSON.stringify(this.exited)})\n${this.stderr}`));
        if (this.exited) fail();
        else this.proc.once('exit', () => setImmediate(fail));
      });
      // Nobody may be waiting when it happens.
      this.death.catch(() => undefined);
    }
    return this.death;
  }

  private base(): Record<string, unknown> {
    return this.opts.grouped ? {} : { groupMissingHardening: false };
  }

  async changeSettings(settings: Record<string, unknown>): Promise<void> {
    this.settings = { ...this.base(), ...settings };
    await this.conn.sendNotification('workspace/didChangeConfiguration', { settings: { containerHardening: this.settings } });
  }

  async stop(): Promise<void> {
    try {
      if (!this.exited) {
        await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await this.conn.sendNotification('exit');
      }
    } catch {
      // already gone
    }
    await new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      const timer = setTimeout(() => {
        this.proc.kill();
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.conn.dispose();
  }
}
