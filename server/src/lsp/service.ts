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
import {
  analyze,
  applyEdits,
  detectKind,
  getRule,
  harden,
  hoverAt,
  initEngine,
  resolveSettings,
  RULE_IDS,
  t,
  type AnalysisResult,
  type AnalyzeOptions,
  type Edit,
  type Finding,
  type HardenResult,
  type Settings,
  type SourceKind,
} from '../engine';
import { ConfigFiles, DEFAULT_EDITOR_SETTINGS, readEditorSettings, type EditorSettings } from './config';
import { diffEdits } from './diff';
import { ignoreCandidates, ignoreFileEdit } from './ignore';
import { installLocale, pickLocale } from './l10n';
import { fileNameOf, URI } from './uri';

export const SOURCE = 'container-hardening';
export const HARDEN_COMMAND = 'containerHardening.harden';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.containerHardening`;
const SECTION = 'containerHardening';
/** Documents larger than this are not analysed (generated files, logs opened by mistake). */
const MAX_TEXT = 4 * 1024 * 1024;
/** Findings per code-action request whose ignore comment is checked by re-analysis. */
const MAX_VERIFIED_IGNORES = 12;
/** Above this analysis time (ms) ignore comments are placed without re-analysing to check them. */
const SLOW_ANALYSIS_MS = 300;
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

interface Analysis {
  version: number;
  generation: number;
  kind: SourceKind | undefined;
  result: AnalysisResult;
  settings: Settings;
  opts: AnalyzeOptions;
  hardened?: Hardened;
}

type Hardened = HardenResult & { edits: Edit[] };

/** Language ids of VS Code, Neovim, Helix and Emacs (eglot) that say what a document is. Others: by file name. */
const LANGUAGE_KINDS: Record<string, SourceKind> = {
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
};

export interface ServerOptions {
  /** Folder holding tree-sitter.wasm and tree-sitter-bash.wasm (the bundled server passes its own). */
  wasmDir?: string;
}

export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const configFiles = new ConfigFiles(() => new Set(RULE_IDS));
  const settingsCache = new Map<string, Promise<EditorSettings>>();
  const analyses = new Map<string, Analysis>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Changes (and re-analysis requests) per document, to tell when a burst of them has been read. */
  const changeSeq = new Map<string, number>();
  const settling = new Set<string>();
  const generations = new Map<string, number>();
  /** How long the last analysis of a document took (ms): slow documents get ignore comments without verification. */
  const costs = new Map<string, number>();
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
  let engineReady: Promise<void> = Promise.resolve();
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

  // ---------------------------------------------------------------- settings

  function getEditorSettings(uri: string): Promise<EditorSettings> {
    let p = settingsCache.get(uri);
    if (!p) {
      p = (async () => {
        let raw: unknown = pushedSettings;
        if (hasConfiguration) {
          try {
            // A client with nothing under the section answers null: keep what it pushed or gave at initialize.
            raw = (await connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION })) ?? pushedSettings;
          } catch (e) {
            logError('workspace/configuration', e);
          }
        }
        return readEditorSettings(raw, new Set(RULE_IDS));
      })();
      settingsCache.set(uri, p);
    }
    return p;
  }

  async function optionsFor(doc: TextDocument): Promise<{ editor: EditorSettings; opts: AnalyzeOptions; settings: Settings }> {
    const editor = await getEditorSettings(doc.uri);
    for (const e of editor.errors) showOnce(e);
    const file = editor.configFile ? configFiles.find(doc.uri) : undefined;
    if (file) for (const e of file.errors) showOnce(e);
    // The workspace file wins over editor settings, so the editor agrees with CI.
    const settings = resolveSettings(editor.engine, file?.settings);
    const fileName = fileNameOf(doc.uri);
    const opts: AnalyzeOptions = { fileName, settings, readFile: siblingReader(doc.uri) };
    const kind = kindOf(doc, fileName);
    if (kind) opts.kind = kind;
    return { editor, opts, settings };
  }

  function kindOf(doc: TextDocument, fileName: string): SourceKind | undefined {
    const byLanguage = LANGUAGE_KINDS[doc.languageId];
    if (byLanguage) return byLanguage;
    try {
      return detectKind(fileName, doc.getText());
    } catch {
      return undefined;
    }
  }

  /** Reads sibling files for the engine: open documents first, then the disk for `file:` URIs. */
  function siblingReader(uri: string): (p: string) => string | undefined {
    const scheme = URI.parse(uri)?.scheme;
    const isFile = scheme === 'file';
    return (p: string) => {
      try {
        const want = path.resolve(p);
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

  function analyzeNow(doc: TextDocument, opts: AnalyzeOptions, settings: Settings, generation: number): Analysis {
    const text = doc.getText();
    let result: AnalysisResult;
    if (text.length > MAX_TEXT) {
      result = { kind: opts.kind, findings: [], skipped: 'too large' };
    } else if (engineError) {
      result = { kind: opts.kind, findings: [], skipped: engineError };
    } else if (!opts.kind) {
      result = { kind: undefined, findings: [], skipped: 'not a supported file' };
    } else {
      const t0 = Date.now();
      result = analyze(text, opts);
      costs.set(doc.uri, Date.now() - t0);
    }
    const a: Analysis = { version: doc.version, generation, kind: result.kind ?? opts.kind, result, settings, opts };
    analyses.set(doc.uri, a);
    return a;
  }

  /** The analysis of the document's current text, reusing the last one when nothing changed. */
  async function currentAnalysis(doc: TextDocument): Promise<{ analysis: Analysis; editor: EditorSettings } | undefined> {
    await engineReady;
    const gen = generationCounter;
    const { editor, opts, settings } = await optionsFor(doc);
    const cur = documents.get(doc.uri);
    if (!cur) return undefined;
    if (!editor.enable) return { analysis: { version: cur.version, generation: gen, kind: opts.kind, result: { kind: opts.kind, findings: [] }, settings, opts }, editor };
    const hit = analyses.get(cur.uri);
    if (hit && hit.version === cur.version && hit.generation === gen) return { analysis: hit, editor };
    return { analysis: analyzeNow(cur, opts, settings, gen), editor };
  }

  function toDiagnostic(f: Finding, uri: string): Diagnostic {
    const d: Diagnostic = {
      range: f.range,
      severity: f.severity === 'error' ? DiagnosticSeverity.Error : f.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
      code: f.ruleId,
      source: SOURCE,
      message: f.message,
    };
    const rule = getRule(f.ruleId);
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

  /** Other open documents in the same folder may read this one (compose → Dockerfile). */
  function scheduleSiblings(uri: string): void {
    const dir = path.posix.dirname(URI.parse(uri)?.path ?? '');
    for (const d of documents.all()) {
      if (d.uri === uri) continue;
      if (path.posix.dirname(URI.parse(d.uri)?.path ?? '') === dir) {
        analyses.delete(d.uri);
        schedule(d.uri, debounceMs * 2);
      }
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

  /** Counts findings per rule. */
  function countByRule(findings: Finding[]): Map<string, number> {
    const m = new Map<string, number>();
    for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
    return m;
  }

  /**
   * The first suppression-comment placement after which the engine no longer
   * reports the finding and reports nothing new (a comment that broke a
   * continued command would change the other findings).
   */
  function verifiedIgnore(text: string, a: Analysis, f: Finding): Edit | undefined {
    const before = countByRule(a.result.findings);
    for (const e of ignoreCandidates(text, a.kind, f.range.start.line, f.ruleId)) {
      try {
        const r = analyze(applyEdits(text, [e]), a.opts);
        if (r.skipped) continue;
        const shift = e.newText.length - (e.end - e.start);
        const at = f.span.start >= e.start ? f.span.start + shift : f.span.start;
        if (r.findings.some((g) => g.ruleId === f.ruleId && g.span.start === at && g.message === f.message)) continue;
        const after = countByRule(r.findings);
        let ok = (after.get(f.ruleId) ?? 0) < (before.get(f.ruleId) ?? 0);
        for (const [id, n] of after) if (id !== f.ruleId && n > (before.get(id) ?? 0)) ok = false;
        if (ok) return e;
      } catch {
        // try the next placement
      }
    }
    return undefined;
  }

  /** Every safe fix applied, as minimal edits; cached with the analysis of the same version. */
  function hardenText(doc: TextDocument, a: Analysis): Hardened {
    if (a.hardened && a.version === doc.version) return a.hardened;
    const text = doc.getText();
    const r = harden(text, a.opts);
    const h = { ...r, edits: diffEdits(text, r.text) };
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
    const locale = pickLocale(init.locale, params.locale);
    const bundle = installLocale(locale);
    if (bundle) log(`Container Hardening: messages in ${locale} (${bundle})`);

    engineReady = (options.wasmDir ? initEngine({ wasmDir: options.wasmDir }) : initEngine()).catch((e: unknown) => {
      engineError = `engine failed to start: ${(e as Error)?.message ?? e}`;
      showOnce(t('Container Hardening could not start its shell parser: {0}', String((e as Error)?.message ?? e)));
      logError('initEngine', e);
    });

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
    if (hasDynamicConfigRegistration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: SECTION }).catch((e) => logError('register', e));
    }
    if (hasDynamicWatchRegistration) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.container-hardening.{yaml,yml}' }] })
        .catch((e) => logError('register', e));
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
    scheduleSiblings(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    if (justOpened.delete(e.document.uri)) return;
    // The user's debounce (0: at once); a burst of changes is analysed once, at its end.
    schedule(e.document.uri, debounceMs);
    scheduleSiblings(e.document.uri);
  });
  documents.onDidClose((e) => {
    const uri = e.document.uri;
    const timer = timers.get(uri);
    if (timer) clearTimeout(timer);
    timers.delete(uri);
    changeSeq.delete(uri);
    generations.set(uri, (generations.get(uri) ?? 0) + 1);
    analyses.delete(uri);
    costs.delete(uri);
    settingsCache.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
    scheduleSiblings(uri);
  });

  // ---------------------------------------------------------------- hover

  connection.onHover(
    guard('hover', null, async (params: HoverParams): Promise<Hover | null> => {
      const doc = documents.get(params.textDocument.uri);
      if (!doc) return null;
      const res = await currentAnalysis(doc);
      if (!res || !res.editor.enable || res.analysis.result.skipped || !res.analysis.kind) return null;
      const cur = documents.get(doc.uri) ?? doc;
      const h = hoverAt(cur.getText(), cur.offsetAt(params.position), res.analysis.opts);
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
          if (ignored.has(key) || !RULE_IDS.has(f.ruleId) || f.ruleId === 'parse-error' || f.ruleId === 'unknown-suppression') continue;
          ignored.add(key);
          // Verifying costs one analysis per placement: cap it for huge selections.
          const verify = ignored.size <= MAX_VERIFIED_IGNORES && (costs.get(doc.uri) ?? 0) < SLOW_ANALYSIS_MS;
          const edit = verify ? verifiedIgnore(doc.getText(), a, f) : ignoreCandidates(doc.getText(), a.kind, f.range.start.line, f.ruleId)[0];
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
            const fileEdit = ignoreFileEdit(doc.getText(), a.kind, f.ruleId);
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
    const message = t('Container Hardening: applied {0} fixes, {1} findings need a manual decision.', h.applied, h.remaining.length);
    const out: HardenResponse = { uri, applied: h.applied, remaining: h.remaining.length, appliedRules: h.appliedRules, message };
    if (args.dryRun) return { ...out, text: h.text };
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
