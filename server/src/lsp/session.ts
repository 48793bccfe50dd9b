/**
 * The connection to one client: what it can do, logging, messages to the
 * user, edits in its format, and loading the engine once.
 */
import {
  MessageType,
  ShowMessageNotification,
  type Connection,
  type InitializeParams,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Edit, WasmBinaries } from '../engine';
import { engine } from './engine';
import { installLocale, type BundleReader } from './l10n';

export { SOURCE } from './toDiagnostic';
/** The settings section. */
export const SECTION = 'containerHardening';

/** What the client said it supports, at initialize. */
export interface ClientCapabilities {
  configuration: boolean;
  dynamicConfigRegistration: boolean;
  dynamicWatchRegistration: boolean;
  documentChanges: boolean;
  codeDescription: boolean;
  relatedInformation: boolean;
  workspaceFolders: boolean;
}

export function readCapabilities(params: InitializeParams): ClientCapabilities {
  const caps = params.capabilities;
  return {
    configuration: !!caps.workspace?.configuration,
    dynamicConfigRegistration: !!caps.workspace?.didChangeConfiguration?.dynamicRegistration,
    dynamicWatchRegistration: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    documentChanges: !!caps.workspace?.workspaceEdit?.documentChanges,
    codeDescription: caps.textDocument?.publishDiagnostics?.codeDescriptionSupport !== false,
    relatedInformation: caps.textDocument?.publishDiagnostics?.relatedInformation !== false,
    workspaceFolders: !!caps.workspace?.workspaceFolders,
  };
}

/** The engine's translator (messages in the client's language once the engine is loaded). */
export function t(message: string, ...args: Array<string | number>): string {
  return engine().t(message, ...args);
}

/** Where the engine's grammars and message bundles come from: the installed packages by default. */
export interface EngineHost {
  /** Folder holding tree-sitter.wasm and tree-sitter-bash.wasm (the bundled server passes its own). */
  wasmDir?: string;
  /** The grammars' bytes, for a server without a file system (the web build fetches them). */
  wasm?: () => Promise<WasmBinaries>;
  /** Message bundles by file name, for a server without a file system. */
  l10nBundle?: BundleReader;
}

export class Session {
  /** Until initialize says otherwise: what a client that says nothing gets. */
  caps: ClientCapabilities = {
    configuration: false,
    dynamicConfigRegistration: false,
    dynamicWatchRegistration: false,
    documentChanges: false,
    codeDescription: true,
    relatedInformation: true,
    workspaceFolders: false,
  };
  /** The client's language, for the engine's messages. */
  locale: string | undefined;
  /** Why the engine cannot analyse (it failed to load or start); shown instead of findings. */
  engineError: string | undefined;
  private engineReady: Promise<void> | undefined;
  private readonly shown = new Set<string>();

  constructor(
    readonly connection: Connection,
    private readonly host: EngineHost = {},
  ) {}

  log(msg: string): void {
    try {
      this.connection.console.log(msg);
    } catch {
      // The connection is gone: there is nowhere left to say it.
    }
  }

  logError(where: string, e: unknown): void {
    const stack = e instanceof Error ? e.stack ?? e.message : String(e);
    try {
      this.connection.console.error(`${where}: ${stack}`);
    } catch {
      // The connection is gone: there is nowhere left to say it.
    }
  }

  /** Wraps a request handler: an exception becomes a logged error and a neutral answer. */
  guard<P, R>(where: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
    return async (p: P) => {
      try {
        return await fn(p);
      } catch (e) {
        this.logError(where, e);
        return fallback;
      }
    };
  }

  /** window/showMessage: a notification, so clients without message boxes just log it. */
  show(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message }).catch((e) => this.logError('showMessage', e));
  }

  /** A warning shown once (until {@link forgetShown}: the settings changed). */
  showOnce(message: string): void {
    if (this.shown.has(message)) return;
    this.shown.add(message);
    this.show(MessageType.Warning, message);
  }

  forgetShown(): void {
    this.shown.clear();
  }

  /**
   * Loads the engine, its messages in the client's language and the shell
   * parser, once. Started when the client says `initialized` (so the answer to
   * `initialize` does not wait for it) or by the first thing that needs it;
   * everything that analyses awaits it, so the first diagnostics are complete.
   */
  startEngine(): Promise<void> {
    this.engineReady ??= this.loadEngine();
    return this.engineReady;
  }

  private async loadEngine(): Promise<void> {
    let e: ReturnType<typeof engine>;
    try {
      e = engine();
    } catch (err) {
      this.engineError = `engine failed to load: ${messageOf(err)}`;
      this.logError('engine', err);
      return;
    }
    try {
      const bundle = installLocale(this.locale, (where, e) => this.logError(where, e), this.host.l10nBundle);
      if (bundle) this.log(`Container Hardening: messages in ${this.locale} (${bundle})`);
    } catch (err) {
      this.logError('l10n', err);
    }
    try {
      const { wasmDir, wasm } = this.host;
      await (wasm ? e.initEngine({ wasm }) : wasmDir ? e.initEngine({ wasmDir }) : e.initEngine());
    } catch (err) {
      this.engineError = `engine failed to start: ${messageOf(err)}`;
      this.showOnce(t('Container Hardening could not start its shell parser: {0}', messageOf(err)));
      this.logError('initEngine', err);
    }
  }

  /** Engine edits as a workspace edit of one document (versioned when the client supports it). */
  workspaceEdit(doc: TextDocument, edits: Edit[]): WorkspaceEdit {
    const textEdits: TextEdit[] = edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
    if (this.caps.documentChanges) {
      return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: textEdits }] };
    }
    return { changes: { [doc.uri]: textEdits } };
  }
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
