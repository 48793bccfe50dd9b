/**
 * The language server: a thin LSP layer over the engine. This file wires the
 * parts together and answers the lifecycle messages:
 *
 *   session.ts      the client: capabilities, logging, messages, edits, loading the engine
 *   settings.ts     editor settings, config files, sibling files → analysis options
 *   analyses.ts     the analysis of each open document's current version
 *   documents.ts    open/change/close, and when to analyse (scheduler.ts)
 *   diagnostics.ts  findings → published diagnostics
 *   hover.ts, codeActions.ts, harden.ts   the requests
 *   workspaceCheck.ts   "Check Workspace": files that are not open, off this thread
 *
 * Everything shown is derived from the document text; the only state kept is caches.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyses } from './analyses';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { Diagnostics } from './diagnostics';
import { Documents } from './documents';
import { HARDEN_COMMAND, runHarden } from './harden';
import { hover } from './hover';
import { READ_FILES_REQUEST, RemoteFiles, type ReadFilesResult } from './remoteFiles';
import { pickLocale } from './l10n';
import { readCapabilities, SECTION, Session, type EngineHost } from './session';
import { Settings } from './settings';
import { WorkspaceCheck } from './workspaceCheck';
import type { RunnerFactory } from './workspaceTypes';

export { SOURCE } from './session';
export { FIX_ALL_KIND } from './codeActions';
export { HARDEN_COMMAND, type HardenArgs, type HardenResponse } from './harden';

export interface ServerOptions extends EngineHost {
  /** Read files that are not open documents through the client (`containerHardening/readFiles`): the web build has no disk. */
  remoteFiles?: boolean;
  /** The version in serverInfo (default: from the package.json beside the server). */
  version?: string;
  /** Sees the initialize parameters first (the web build reads where its grammars are). */
  onInitialize?: (params: InitializeParams) => void;
  /** Who analyses a workspace check's files (worker threads in Node); without one, the server's own thread. */
  workspaceRunner?: RunnerFactory;
}

/** What the client may pass as initializationOptions. */
interface InitOptions {
  locale?: unknown;
  settings?: unknown;
  debounceMs?: unknown;
  containerHardening?: unknown;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const session = new Session(connection, options);
  const textDocuments = new TextDocuments(TextDocument);
  const remote = options.remoteFiles ? new RemoteFiles((uris) => connection.sendRequest<ReadFilesResult>(READ_FILES_REQUEST, { uris })) : undefined;
  const settings = new Settings(session, textDocuments, remote);
  const analyses = new Analyses(session, settings, textDocuments, remote);
  const diagnostics = new Diagnostics(session, analyses, textDocuments);
  const documents = new Documents(textDocuments, settings, analyses, diagnostics);
  const workspace = new WorkspaceCheck(session, textDocuments, settings, options.workspaceRunner, options.wasmDir);

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    options.onInitialize?.(params);
    session.caps = readCapabilities(params);
    const init = (params.initializationOptions ?? {}) as InitOptions;
    // Settings at initialize: { settings: { containerHardening: {…} } }, { settings: {…} } or
    // { containerHardening: {…} } (Helix sends its `config` table as initializationOptions).
    if (init.settings && typeof init.settings === 'object') {
      const s = init.settings as Record<string, unknown>;
      settings.pushed = s[SECTION] ?? s;
    } else if (init.containerHardening && typeof init.containerHardening === 'object') {
      settings.pushed = init.containerHardening;
    }
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0 && init.debounceMs < 10_000) documents.debounceMs = init.debounceMs;
    // The engine (and the messages in this locale) load after the answer: see Session.startEngine.
    session.locale = pickLocale(init.locale, params.locale);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [HARDEN_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'container-hardening-ls', version: options.version ?? serverVersion(session) },
    };
  });

  connection.onInitialized(() => {
    void session.startEngine();
    const caps = session.caps;
    if (caps.dynamicConfigRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch((e) => session.logError('register', e));
    }
    if (caps.dynamicWatchRegistration) {
      // While the client watches config files, the config lookup is remembered until a file event.
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.container-hardening.{yaml,yml}' }] }).then(
        () => {
          settings.configFiles.watching = true;
        },
        (e) => session.logError('register', e),
      );
    }
    if (caps.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(() => {
        // Folder-scoped settings may differ now.
        settings.clear();
        settings.configFiles.clear();
        documents.revalidateAll();
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    try {
      settings.push(change?.settings);
      settings.clear();
      session.forgetShown();
      documents.revalidateAll();
      workspace.settingsChanged();
    } catch (e) {
      session.logError('didChangeConfiguration', e);
    }
  });

  connection.onDidChangeWatchedFiles(() => {
    remote?.clear();
    settings.configFiles.clear();
    documents.revalidateAll();
    workspace.settingsChanged();
  });

  connection.onHover(session.guard('hover', null, (p) => hover(p, textDocuments, analyses)));
  connection.onCodeAction(session.guard('codeAction', [] as CodeAction[], (p) => codeActions(p, session, textDocuments, analyses)));
  connection.onExecuteCommand(
    session.guard('executeCommand', null, async (p) => (p.command === HARDEN_COMMAND ? runHarden(p, session, textDocuments, analyses) : null)),
  );
  connection.onShutdown(() => {
    documents.dispose();
    workspace.dispose();
  });

  documents.listen();
  workspace.listen(connection);
  textDocuments.listen(connection);
  connection.listen();
}

/** This package's version, from its package.json (beside dist/, or above out/server/src/lsp/). */
function serverVersion(session: Session): string {
  for (const p of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json'), path.join(__dirname, '..', '..', '..', '..', 'package.json')]) {
    let text: string;
    try {
      text = fs.readFileSync(p, 'utf8');
    } catch {
      continue; // not in this folder: the next one
    }
    try {
      const j = JSON.parse(text) as { name?: string; version?: string };
      if (j.name === 'container-hardening' && j.version) return j.version;
    } catch (e) {
      session.logError(`reading ${p}`, e);
    }
  }
  return '0.0.0';
}
