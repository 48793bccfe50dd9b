/**
 * The language server: a thin LSP layer over the engine. Documents, settings,
 * diagnostics, hover, code actions and the "harden" command. Everything shown
 * is derived from the document text; the only state kept is caches.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CodeActionKind,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type ExecuteCommandParams,
  type Hover,
  type HoverParams,
  type InitializeParams,
  type InitializeResult,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult, AnalyzeOptions, Edit, Finding, SourceKind } from '../engine';
import { ConfigFiles, readEditorSettings, type EditorSettings } from './config';
import { engine } from './engine';
import { installLocale, pickLocale } from './l10n';
import { fileNameOf, URI } from './uri';
import { lookupTable } from '../engine/table';

export const SOURCE = 'container-hardening';
export const HARDEN_COMMAND = 'containerHardening.harden';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.containerHardening`;
const SECTION = 'containerHardening';
/** Documents larger than this are not analysed (generated files, logs opened by mistake). */
const MAX_TEXT = 4 * 1024 * 1024;
/** Sibling files read for the engine (compose base files, a service's Dockerfile). */
const MAX_SIBLING = 1024 * 1024;

export interface HardenArgs {
  /** Only compute: return the hardened text, do not edit. */
  dryRun?: boolean;
  /** Show the summary with window/showMessage (default true; the VS Code client shows its own). */
  notify?: boolean;
}

export interface HardenResponse {
  uri: string;
  applied: number;
  remaining: number;
  appliedRules: string[];
  message: string;
  /** Set for dry runs. */
  text?: string;
  /** False when the client refused the edit. */
  edited?: boolean;
}

/**
 * What is kept per open document: the findings of its current version (for
 * diagnostics, hover and code actions) and what was derived from them on
 * demand. No copy of the text: the document has it.
 */
interface Analysis {
  version: number;
  generation: number;
  kind: SourceKind | undefined;
  result: AnalysisResult;
  opts: AnalyzeOptions;
  /** Sibling files the engine asked for (`scheme:path`), found or not: their changes re-analyse this document. */
  deps: Set<string>;
  /** "Harden this file" / fix-all for this version, computed on first request. */
  hardened?: Hardened;
}

/** Every safe fix applied, as minimal edits against the analysed text. */
interface Hardened {
  applied: number;
  remaining: number;
  appliedRules: string[];
  edits: Edit[];
}

/** The engine's translator (messages in the client's language once the engine is loaded). */
function t(message: string, ...args: Array<string | number>): string {
  return engine().t(message, ...args);
}

/** Language ids of VS Code, Neovim, Helix and Emacs (eglot) that say what a document is. Others: by file name. */
const LANGUAGE_KINDS: Record<string, SourceKind> = lookupTable({
  dockerfile: 'dockerfile',
  'dockerfile-ts': 'dockerfile',
  containerfile: 'dockerfile',
  dockercompose: 'compose',
  'docker-compose': 'compose',
  'yaml.docker-compose': 'compose',
  shellscript: 'shell',
  sh: 'shell',
  bash: 'shell',
  'bash-ts': 'shell',
  zsh: 'shell',
});

export interface ServerOptions {
  /** Folder holding tree-sitter.wasm and tree-sitter-bash.wasm (the bundled server passes its own). */
  wasmDir?: string;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  let ruleIds: Set<string> | undefined;
  const knownRules = () => (ruleIds ??= new Set(engine().RULE_IDS));
  const configFiles = new ConfigFiles(knownRules);
  const settingsCache = new Map<string, Promise<EditorSettings>>();
  const analyses = new Map<string, Analysis>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Changes (and re-analysis requests) per document, to tell when a burst of them has been read. */
  const changeSeq = new Map<string, number>();
  const settling = new Set<string>();
  const generations = new Map<string, number>();
  const shownErrors = new Set<string>();

  let hasConfiguration = false;
  let hasDynamicConfigRegistration = false;
  let hasDynamicWatchRegistration = false;
  let hasDocumentChanges = false;
  let hasCodeDescription = true;
  let hasRelated = true;
  let workspaceFoldersSupported = false;
  /** Settings pushed by clients without workspace/configuration (or given at initialize). */
  let pushedSettings: unknown;
  let debounceMs = 200;
  let generationCounter = 0;
  let locale: string | undefined;
  let engineReady: Promise<void> | undefined;
  let engineError: string | undefined;

  const log = (msg: string) => {
    try {
      connection.console.log(msg);
    } catch {
      // the connection may be gone
    }
  };
  const logError = (where: string, e: unknown) => {
    const err = e as Error;
    try {
      connection.console.error(`${where}: ${err?.stack ?? String(e)}`);
    } catch {
      // ignore
    }
  };

  /** Runs a request handler, turning any exception into a logged error and a neutral answer. */
  function guard<P, R>(where: string, fallback: R, fn: (p: P) => R | Promise<R>): (p: P) => Promise<R> {
    return async (p: P) => {
      try {
        return await fn(p);
      } catch (e) {
        logError(where, e);
        return fallback;
      }
    };
  }

  /** window/showMessage: a notification, so clients without message boxes just log it. */
  function show(type: MessageType, message: string): void {
    void connection.sendNotification(ShowMessageNotification.type, { type, message }).catch(() => undefined);
  }

  function showOnce(message: string): void {
    if (shownErrors.has(message)) return;
    shownErrors.add(message);
    show(MessageType.Warning, message);
  }

  // ---------------------------------------------------------------- engine

  /**
   * Loads the engine, its messages in the client's language and the shell
   * parser, once. Started when the client says `initialized` (so the answer to
   * `initialize` does not wait for it) or by the first thing that needs it;
   * everything that analyses awaits it, so the first diagnostics are complete.
   */
  function startEngine(): Promise<void> {
    engineReady ??= (async () => {
      let e: ReturnType<typeof engine>;
      try {
        e = engine();
      } catch (err) {
        engineError = `engine failed to load: ${(err as Error)?.message ?? err}`;
        logError('engine', err);
        return;
      }
      try {
        const bundle = installLocale(locale);
        if (bundle) log(`Container Hardening: messages in ${locale} (${bundle})`);
      } catch (err) {
        logError('l10n', err);
      }
      try {
        await (options.wasmDir ? e.initEngine({ wasmDir: options.wasmDir }) : e.initEngine());
      } catch (err) {
        engineError = `engine failed to start: ${(err as Error)?.message ?? err}`;
        showOnce(t('Container Hardening could not start its shell parser: {0}', String((err as Error)?.message ?? err)));
        logError('initEngine', err);
      }
    })();
    return engineReady;
  }

  // ---------------------------------------------------------------- settings

  function getEditorSettings(uri: string): Promise<EditorSettings> {
    let p = settingsCache.get(uri);
    if (!p) {
      p = (async () => {
        await startEngine();
        let raw: unknown = pushedSettings;
        if (hasConfiguration) {
          try {
            // A client with nothing under the section answers null: keep what it pushed or gave at initialize.
            raw = (await connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION })) ?? pushedSettings;
          } catch (e) {
            logError('workspace/configuration', e);
          }
        }
        return readEditorSettings(raw, knownRules());
      })();
      settingsCache.set(uri, p);
    }
    return p;
  }

  async function optionsFor(doc: TextDocument): Promise<{ editor: EditorSettings; opts: AnalyzeOptions; deps: Set<string> }> {
    const editor = await getEditorSettings(doc.uri);
    for (const e of editor.errors) showOnce(e);
    const file = editor.configFile ? configFiles.find(doc.uri) : undefined;
    if (file) for (const e of file.errors) showOnce(e);
    // The workspace file wins over editor settings, so the editor agrees with CI.
    const settings = engine().resolveSettings(editor.engine, file?.settings);
    const fileName = fileNameOf(doc.uri);
    const deps = new Set<string>();
    const opts: AnalyzeOptions = { fileName, settings, readFile: siblingReader(doc.uri, deps) };
    const kind = kindOf(doc, fileName);
    if (kind) opts.kind = kind;
    return { editor, opts, deps };
  }

  function kindOf(doc: TextDocument, fileName: string): SourceKind | undefined {
    const byLanguage = LANGUAGE_KINDS[doc.languageId];
    if (byLanguage) return byLanguage;
    try {
      return engine().detectKind(fileName, doc.getText());
    } catch {
      return undefined;
    }
  }

  /** The key a document is known by in {@link Analysis.deps}. */
  function depKey(uri: string): string | undefined {
    const u = URI.parse(uri);
    if (!u) return undefined;
    return `${u.scheme}:${path.resolve(u.scheme === 'file' ? u.fsPath : u.path)}`;
  }

  /**
   * Reads sibling files for the engine: open documents first, then the disk for `file:` URIs.
   * Every path asked for goes into `deps`, found or not.
   */
  function siblingReader(uri: string, deps: Set<string>): (p: string) => string | undefined {
    const scheme = URI.parse(uri)?.scheme;
    const isFile = scheme === 'file';
    return (p: string) => {
      try {
        const want = path.resolve(p);
        deps.add(`${scheme}:${want}`);
        for (const d of documents.all()) {
          const u = URI.parse(d.uri);
          // Same scheme only: a preview or diff document of the same path is not the file.
          if (!u || u.scheme !== scheme) continue;
          const name = u.scheme === 'file' ? u.fsPath : u.path;
          if (name === p || path.resolve(name) === want) return d.getText();
        }
        if (!isFile) return undefined;
        const st = fs.statSync(want);
        if (!st.isFile() || st.size > MAX_SIBLING) return undefined;
        const text = fs.readFileSync(want, 'utf8');
        return text.includes('\u0000') ? undefined : text;
      } catch {
        return undefined;
      }
    };
  }

  // ---------------------------------------------------------------- analysis

  function analyzeNow(doc: TextDocument, opts: AnalyzeOptions, deps: Set<string>, generation: number): Analysis {
    const text = doc.getText();
    let result: AnalysisResult;
    if (text.length > MAX_TEXT) {
      result = { kind: opts.kind, findings: [], skipped: 'too large' };
    } else if (engineError) {
      result = { kind: opts.kind, findings: [], skipped: engineError };
    } else if (!opts.kind) {
      result = { kind: undefined, findings: [], skipped: 'not a supported file' };
    } else {
      const r = engine().analyze(text, opts);
      // Only what diagnostics, hover and code actions use (not the engine's internal error list).
      result = { kind: r.kind, findings: r.findings, hoverSpots: r.hoverSpots };
      if (r.skipped) result.skipped = r.skipped;
    }
    const a: Analysis = { version: doc.version, generation, kind: result.kind ?? opts.kind, result, opts, deps };
    analyses.set(doc.uri, a);
    return a;
  }

  /** The analysis of the document's current text, reusing the last one when nothing changed. */
  async function currentAnalysis(doc: TextDocument): Promise<{ analysis: Analysis; editor: EditorSettings } | undefined> {
    await startEngine();
    const gen = generationCounter;
    const { editor, opts, deps } = await optionsFor(doc);
    const cur = documents.get(doc.uri);
    if (!cur) return undefined;
    if (!editor.enable) return { analysis: { version: cur.version, generation: gen, kind: opts.kind, result: { kind: opts.kind, findings: [] }, opts, deps }, editor };
    const hit = analyses.get(cur.uri);
    if (hit && hit.version === cur.version && hit.generation === gen) return { analysis: hit, editor };
    return { analysis: analyzeNow(cur, opts, deps, gen), editor };
  }

  function toDiagnostic(f: Finding, uri: string): Diagnostic {
    const d: Diagnostic = {
      range: f.range,
      severity: f.severity === 'error' ? DiagnosticSeverity.Error : f.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
      code: f.ruleId,
      source: SOURCE,
      message: f.message,
    };
    const rule = engine().getRule(f.ruleId);
    if (hasCodeDescription && rule?.docsUrl && /^[a-z][a-z0-9+.-]*:/i.test(rule.docsUrl)) d.codeDescription = { href: rule.docsUrl };
    if (hasRelated && f.related?.length) {
      d.relatedInformation = f.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
    }
    return d;
  }

  async function validate(uri: string): Promise<void> {
    const gen = (generations.get(uri) ?? 0) + 1;
    generations.set(uri, gen);
    const doc = documents.get(uri);
    if (!doc) return;
    try {
      const res = await currentAnalysis(doc);
      // A newer validation, or a close, happened while waiting for settings.
      if (generations.get(uri) !== gen || !res) return;
      const cur = documents.get(uri);
      if (!cur) return;
      const diagnostics = res.analysis.result.findings.map((f) => toDiagnostic(f, uri));
      await connection.sendDiagnostics({ uri, version: res.analysis.version, diagnostics });
    } catch (e) {
      logError(`analysis of ${uri}`, e);
    }
  }

  /**
   * Asks for an analysis of the document after `delay` ms (the user's debounce
   * after a change; 0 for opens and setting changes). A change restarts the
   * delay. With no delay the analysis starts as soon as the messages already
   * received have been read: one edit is analysed at once, and a burst of
   * edits that queued up while an analysis was running is analysed once, at
   * its last version.
   */
  function schedule(uri: string, delay: number): void {
    changeSeq.set(uri, (changeSeq.get(uri) ?? 0) + 1);
    const old = timers.get(uri);
    if (old) clearTimeout(old);
    timers.delete(uri);
    if (delay <= 0) {
      settle(uri);
      return;
    }
    timers.set(
      uri,
      setTimeout(() => {
        timers.delete(uri);
        settle(uri);
      }, delay),
    );
  }

  /**
   * Validates once the messages already waiting have been handled. The
   * connection handles one message per event-loop turn (setImmediate), so two
   * turns without a new change for the document mean none is queued.
   */
  function settle(uri: string): void {
    if (settling.has(uri)) return;
    settling.add(uri);
    const wait = (seen: number | undefined) =>
      setImmediate(() =>
        setImmediate(() => {
          const seq = changeSeq.get(uri);
          if (seq !== seen) {
            wait(seq);
            return;
          }
          settling.delete(uri);
          // A change came in with a debounce: its timer validates.
          if (timers.has(uri)) return;
          void validate(uri);
        }),
      );
    wait(changeSeq.get(uri));
  }

  function revalidateAll(): void {
    generationCounter++;
    analyses.clear();
    for (const d of documents.all()) schedule(d.uri, 0);
  }

  /** Open documents whose analysis read this one (a compose file → its Dockerfile, an override → its base). */
  function scheduleDependents(uri: string): void {
    const key = depKey(uri);
    if (!key) return;
    for (const [other, a] of analyses) {
      if (other === uri || !a.deps.has(key)) continue;
      analyses.delete(other);
      if (documents.get(other)) schedule(other, debounceMs * 2);
    }
  }

  // ---------------------------------------------------------------- edits

  function toTextEdits(doc: TextDocument, edits: Edit[]): TextEdit[] {
    return edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
  }

  function workspaceEdit(doc: TextDocument, edits: Edit[]): WorkspaceEdit {
    const textEdits = toTextEdits(doc, edits);
    if (hasDocumentChanges) {
      return { documentChanges: [{ textDocument: { uri: doc.uri, version: doc.version }, edits: textEdits }] };
    }
    return { changes: { [doc.uri]: textEdits } };
  }

  /** Every safe fix applied, as minimal edits; cached with the analysis of the same version. */
  function hardenText(doc: TextDocument, a: Analysis): Hardened {
    if (a.hardened && a.version === doc.version) return a.hardened;
    const r = engine().harden(doc.getText(), a.opts);
    for (const e of r.internalErrors) logError('harden', e);
    const h: Hardened = { applied: r.applied, remaining: r.remaining.length, appliedRules: r.appliedRules, edits: r.edits };
    if (a.version === doc.version) a.hardened = h;
    return h;
  }

  // ---------------------------------------------------------------- lifecycle

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    hasConfiguration = !!caps.workspace?.configuration;
    hasDynamicConfigRegistration = !!caps.workspace?.didChangeConfiguration?.dynamicRegistration;
    hasDynamicWatchRegistration = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    hasDocumentChanges = !!caps.workspace?.workspaceEdit?.documentChanges;
    hasCodeDescription = caps.textDocument?.publishDiagnostics?.codeDescriptionSupport !== false;
    hasRelated = caps.textDocument?.publishDiagnostics?.relatedInformation !== false;
    workspaceFoldersSupported = !!caps.workspace?.workspaceFolders;
    const init = (params.initializationOptions ?? {}) as { locale?: unknown; settings?: unknown; debounceMs?: unknown; containerHardening?: unknown };
    // Settings at initialize: { settings: { containerHardening: {…} } }, { settings: {…} } or
    // { containerHardening: {…} } (Helix sends its `config` table as initializationOptions).
    if (init.settings && typeof init.settings === 'object') {
      const s = init.settings as Record<string, unknown>;
      pushedSettings = s[SECTION] ?? s;
    } else if (init.containerHardening && typeof init.containerHardening === 'object') {
      pushedSettings = init.containerHardening;
    }
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0 && init.debounceMs < 10_000) debounceMs = init.debounceMs;
    // The engine (and the messages in this locale) load after the answer: see startEngine.
    locale = pickLocale(init.locale, params.locale);

    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND],
          resolveProvider: false,
        },
        executeCommandProvider: { commands: [HARDEN_COMMAND] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'container-hardening-ls', version: serverVersion() },
    };
  });

  connection.onInitialized(() => {
    void startEngine();
    if (hasDynamicConfigRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch((e) => logError('register', e));
    }
    if (hasDynamicWatchRegistration) {
      // While the client watches config files, the config lookup is remembered until a file event.
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.container-hardening.{yaml,yml}' }] })
        .then(
          () => {
            configFiles.watching = true;
          },
          (e) => logError('register', e),
        );
    }
    if (workspaceFoldersSupported) {
      connection.workspace.onDidChangeWorkspaceFolders(() => {
        // Folder-scoped settings may differ now.
        settingsCache.clear();
        configFiles.clear();
        revalidateAll();
      });
    }
  });

  connection.onDidChangeConfiguration((change) => {
    try {
      const s = change?.settings as Record<string, unknown> | undefined;
      if (s && typeof s === 'object' && s[SECTION] !== undefined) pushedSettings = s[SECTION];
      settingsCache.clear();
      shownErrors.clear();
      revalidateAll();
    } catch (e) {
      logError('didChangeConfiguration', e);
    }
  });

  connection.onDidChangeWatchedFiles(() => {
    configFiles.clear();
    revalidateAll();
  });

  // TextDocuments fires onDidChangeContent right after onDidOpen: analyse a newly
  // opened document at once, not after the typing debounce.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    schedule(e.document.uri, 0);
    scheduleDependents(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    if (justOpened.delete(e.document.uri)) return;
    // The user's debounce (0: at once); a burst of changes is analysed once, at its end.
    schedule(e.document.uri, debounceMs);
    scheduleDependents(e.document.uri);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const timer = timers.get(uri);
    if (timer) clearTimeout(timer);
    timers.delete(uri);
    changeSeq.delete(uri);
    generations.set(uri, (generations.get(uri) ?? 0) + 1);
    analyses.delete(uri);
    settingsCache.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    scheduleDependents(uri);
  });

  // ---------------------------------------------------------------- hover

  connection.onHover(
    guard('hover', null, async (params: HoverParams): Promise<Hover | null> => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      const res = await currentAnalysis(doc);
      if (!res || !res.editor.enable || res.analysis.result.skipped || !res.analysis.kind) return null;
      const cur = documents.get(doc.uri) ?? doc;
      const offset = cur.offsetAt(params.position);
      const a = res.analysis;
      // From the analysis of this version when there is one; else the engine analyses the text.
      const h = engine().hoverAt(cur.getText(), offset, a.opts, a.version === cur.version ? a.result : undefined);
      if (!h) return null;
      return { contents: { kind: 'markdown', value: h.contents }, range: h.range };
    }),
  );

  // ---------------------------------------------------------------- code actions

  connection.onCodeAction(
    guard('codeAction', [] as CodeAction[], async (params: CodeActionParams): Promise<CodeAction[]> => {
      const doc0 = documents.get(params.textDocument.uri);
      if (!doc0) return [];
      const res = await currentAnalysis(doc0);
      const doc = documents.get(params.textDocument.uri);
      if (!res || !doc || doc.version !== res.analysis.version || !res.editor.enable) return [];
      const a = res.analysis;
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
      const actions: CodeAction[] = [];

      if (wants(CodeActionKind.QuickFix)) {
        const r = params.range;
        const start = doc.offsetAt(r.start);
        const end = doc.offsetAt(r.end);
        const ignored = new Set<string>();
        const ignoredFile = new Set<string>();
        for (const f of a.result.findings) {
          if (f.span.end < start || f.span.start > end) continue;
          const diagnostic = toDiagnostic(f, doc.uri);
          f.fixes.forEach((fix, i) => {
            if (!fix.edits.length) return;
            actions.push({
              title: fix.title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              isPreferred: i === 0 && fix.safe,
              edit: workspaceEdit(doc, fix.edits),
            });
          });
          const key = `${f.ruleId}@${f.range.start.line}`;
          if (ignored.has(key) || !engine().canSuppress(f.ruleId)) continue;
          ignored.add(key);
          // Placed where the analysis says a comment covers the finding, outside continued commands.
          const edit = engine().suppressionEdit(doc.getText(), a.kind, f, 'line');
          if (edit) {
            actions.push({
              title: t('Ignore {0} on this line', f.ruleId),
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              edit: workspaceEdit(doc, [edit]),
            });
          }
          if (!ignoredFile.has(f.ruleId)) {
            ignoredFile.add(f.ruleId);
            const fileEdit = engine().suppressionEdit(doc.getText(), a.kind, f, 'file');
            if (fileEdit) {
              actions.push({
                title: t('Ignore {0} in this file', f.ruleId),
                kind: CodeActionKind.QuickFix,
                diagnostics: [diagnostic],
                edit: workspaceEdit(doc, [fileEdit]),
              });
            }
          }
        }
      }

      if (wants(FIX_ALL_KIND) && a.kind && !a.result.skipped && a.result.findings.some((f) => f.fixes.some((x) => x.safe))) {
        const h = hardenText(doc, a);
        if (h.applied > 0 && h.edits.length) {
          actions.push({
            title: t('Apply all safe Container Hardening fixes ({0})', h.applied),
            kind: FIX_ALL_KIND,
            edit: workspaceEdit(doc, h.edits),
          });
        }
      }
      return actions;
    }),
  );

  // ---------------------------------------------------------------- harden command

  function uriArg(arg: unknown): string | undefined {
    if (typeof arg === 'string') return arg;
    if (arg && typeof arg === 'object') {
      const o = arg as Record<string, unknown>;
      if (typeof o.uri === 'string') return o.uri;
      if (typeof o.external === 'string') return o.external;
      if (typeof o.scheme === 'string' && typeof o.path === 'string') return `${o.scheme}://${typeof o.authority === 'string' ? o.authority : ''}${o.path}`;
    }
    return undefined;
  }

  async function runHarden(params: ExecuteCommandParams): Promise<HardenResponse | null> {
    const uri = uriArg(params.arguments?.[0]);
    const args = (params.arguments?.[1] ?? {}) as HardenArgs;
    if (!uri) throw new Error(`${HARDEN_COMMAND}: expected a document URI as the first argument`);
    const doc = documents.get(uri);
    if (!doc) {
      const message = t('Container Hardening: {0} is not open.', uri);
      if (args.notify !== false) show(MessageType.Warning, message);
      return { uri, applied: 0, remaining: 0, appliedRules: [], message, edited: false };
    }
    const res = await currentAnalysis(doc);
    const cur = documents.get(uri);
    if (!res || !cur) return null;
    if (!res.editor.enable || !res.analysis.kind || res.analysis.result.skipped) {
      const message = t('Container Hardening: nothing to harden in this file.');
      if (args.notify !== false) show(MessageType.Info, message);
      return { uri, applied: 0, remaining: 0, appliedRules: [], message, edited: false, text: args.dryRun ? cur.getText() : undefined };
    }
    const h = hardenText(cur, res.analysis);
    const fixes = h.applied === 1 ? t('1 safe fix') : t('{0} safe fixes', h.applied);
    const manual = h.remaining === 0 ? '' : h.remaining === 1 ? t('1 finding needs a manual decision.') : t('{0} findings need a manual decision.', h.remaining);
    const message = [t('Container Hardening: applied {0}.', fixes), manual].filter(Boolean).join(' ');
    const out: HardenResponse = { uri, applied: h.applied, remaining: h.remaining, appliedRules: h.appliedRules, message };
    if (args.dryRun) return { ...out, text: engine().applyEdits(cur.getText(), h.edits) };
    if (h.edits.length) {
      const r = await connection.workspace.applyEdit({ label: t('Harden this file'), edit: workspaceEdit(cur, h.edits) });
      out.edited = r.applied;
      if (!r.applied) {
        out.message = t('Container Hardening: the editor did not apply the changes ({0}).', r.failureReason ?? t('the file changed'));
        if (args.notify !== false) show(MessageType.Warning, out.message);
        return out;
      }
    } else {
      out.edited = false;
    }
    if (args.notify !== false) show(MessageType.Info, out.message);
    return out;
  }

  connection.onExecuteCommand(
    guard('executeCommand', null, async (params: ExecuteCommandParams) => {
      if (params.command === HARDEN_COMMAND) return runHarden(params);
      return null;
    }),
  );

  connection.onShutdown(() => {
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  });

  documents.listen(connection);
  connection.listen();
}

function serverVersion(): string {
  for (const p of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json'), path.join(__dirname, '..', '..', '..', '..', 'package.json')]) {
    try {
      const j = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (j.name === 'container-hardening' && j.version) return j.version;
    } catch {
      // next
    }
  }
  return '0.0.0';
}
