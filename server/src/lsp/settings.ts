/**
 * What an analysis of a document is run with: the editor's settings for it,
 * the workspace's `.container-hardening.yaml`, its kind, and a reader for the
 * sibling files the engine asks for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions, SourceKind } from '../engine';
import { lookupTable } from '../engine/table';
import { ConfigFiles, readEditorSettings, type EditorSettings } from './config';
import { engine } from './engine';
import { MAX_SIBLING_FILE, rootOf, uriAt, type RemoteFiles } from './remoteFiles';
import { SECTION, type Session } from './session';
import { fileNameOf, URI } from './uri';


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

export interface DocumentOptions {
  editor: EditorSettings;
  opts: AnalyzeOptions;
  /** Sibling files the engine asks for while analysing with `opts` (see {@link depKey}). */
  deps: Set<string>;
}

/** Editor settings per document (asked for once until they change) and config files. */
export class Settings {
  /** Settings pushed by clients without workspace/configuration (or given at initialize). */
  pushed: unknown;
  readonly configFiles: ConfigFiles;
  private readonly cache = new Map<string, Promise<EditorSettings>>();
  private ruleIds: Set<string> | undefined;

  constructor(
    private readonly session: Session,
    private readonly documents: TextDocuments<TextDocument>,
    /** The web build: files are read through the client (there is no disk). */
    private readonly remote?: RemoteFiles,
  ) {
    this.configFiles = new ConfigFiles(() => this.knownRules(), undefined, undefined, remote);
  }

  knownRules(): Set<string> {
    return (this.ruleIds ??= new Set(engine().RULE_IDS));
  }

  /** Settings under the section in a didChangeConfiguration notification replace the pushed ones. */
  push(settings: unknown): void {
    const s = settings as Record<string, unknown> | undefined;
    if (s && typeof s === 'object' && s[SECTION] !== undefined) this.pushed = s[SECTION];
  }

  /** Forgets every document's settings (they changed, or the workspace folders did). */
  clear(): void {
    this.cache.clear();
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  editorSettings(uri: string): Promise<EditorSettings> {
    let p = this.cache.get(uri);
    if (!p) {
      p = this.ask(uri);
      this.cache.set(uri, p);
    }
    return p;
  }

  private async ask(uri: string): Promise<EditorSettings> {
    await this.session.startEngine();
    let raw: unknown = this.pushed;
    if (this.session.caps.configuration) {
      try {
        // A client with nothing under the section answers null: keep what it pushed or gave at initialize.
        raw = (await this.session.connection.workspace.getConfiguration({ scopeUri: uri, section: SECTION })) ?? this.pushed;
      } catch (e) {
        this.session.logError('workspace/configuration', e);
      }
    }
    return readEditorSettings(raw, this.knownRules());
  }

  /** The options to analyse the document with; problems with the settings are shown once. */
  async optionsFor(doc: TextDocument): Promise<DocumentOptions> {
    const editor = await this.editorSettings(doc.uri);
    for (const e of editor.errors) this.session.showOnce(e);
    const file = editor.configFile ? this.configFiles.find(doc.uri) : undefined;
    if (file) for (const e of file.errors) this.session.showOnce(e);
    // The workspace file wins over editor settings, so the editor agrees with CI.
    const settings = engine().resolveSettings(editor.engine, file?.settings);
    const fileName = fileNameOf(doc.uri);
    const deps = new Set<string>();
    const opts: AnalyzeOptions = { fileName, settings, readFile: this.siblingReader(doc.uri, deps) };
    const kind = this.kindOf(doc, fileName);
    if (kind) opts.kind = kind;
    return { editor, opts, deps };
  }

  private kindOf(doc: TextDocument, fileName: string): SourceKind | undefined {
    const byLanguage = LANGUAGE_KINDS[doc.languageId];
    if (byLanguage) return byLanguage;
    try {
      return engine().detectKind(fileName, doc.getText());
    } catch (e) {
      this.session.logError(`detectKind ${doc.uri}`, e);
      return undefined;
    }
  }

  /**
   * Reads sibling files for the engine: open documents first, then the disk for `file:` URIs
   * (or the client, in the web build). Every path asked for goes into `deps`, found or not.
   */
  private siblingReader(uri: string, deps: Set<string>): (p: string) => string | undefined {
    const scheme = URI.parse(uri)?.scheme;
    const isFile = scheme === 'file';
    const root = this.remote && !isFile ? rootOf(uri) : undefined;
    return (p: string) => {
      const want = path.resolve(p);
      deps.add(`${scheme}:${want}`);
      for (const d of this.documents.all()) {
        const u = URI.parse(d.uri);
        // Same scheme only: a preview or diff document of the same path is not the file.
        if (!u || u.scheme !== scheme) continue;
        const name = u.scheme === 'file' ? u.fsPath : u.path;
        if (name === p || path.resolve(name) === want) return d.getText();
      }
      if (root) return this.remote?.read(uriAt(root, want));
      return isFile ? this.readSibling(want) : undefined;
    };
  }

  private readSibling(file: string): string | undefined {
    let text: string;
    try {
      const st = fs.statSync(file);
      if (!st.isFile() || st.size > MAX_SIBLING_FILE) return undefined;
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      // No such file is an answer (the engine goes without it); anything else is worth a log line.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') this.session.logError(`reading ${file}`, e);
      return undefined;
    }
    return text.includes('\u0000') ? undefined : text;
  }
}

/** The key a document is known by in {@link DocumentOptions.deps}. */
export function depKey(uri: string): string | undefined {
  const u = URI.parse(uri);
  if (!u) return undefined;
  return `${u.scheme}:${path.resolve(u.scheme === 'file' ? u.fsPath : u.path)}`;
}
