/**
 * The analysis of each open document's current version, made on demand and
 * kept until the document, its settings or a file it read change.
 */
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult, AnalyzeOptions, Edit, SourceKind } from '../engine';
import type { EditorSettings } from './config';
import { engine } from './engine';
import type { RemoteFiles } from './remoteFiles';
import type { Session } from './session';
import { depKey, type Settings } from './settings';
import { MAX_EDITOR_TEXT } from './workspaceProtocol';


/** The web build: how many times an analysis waits for files from the client and starts again (an override → its base → an `extends` target…). */
const MAX_REMOTE_ROUNDS = 4;

/** Every safe fix applied, as edits against the analysed text. */
export interface Hardened {
  applied: number;
  remaining: number;
  appliedRules: string[];
  edits: Edit[];
  /** Per launch, the image-dependent settings left for a decision ("3 settings need a decision for myorg/app:1.0: …"). */
  decisions: Array<{ text: string; count: number }>;
}

/**
 * What is kept per open document: the findings of its current version (for
 * diagnostics, hover and code actions) and what was derived from them on
 * demand. No copy of the text: the document has it.
 */
export interface Analysis {
  version: number;
  generation: number;
  kind: SourceKind | undefined;
  result: AnalysisResult;
  opts: AnalyzeOptions;
  /** Sibling files the engine asked for (`scheme:path`), found or not: their changes re-analyse this document. */
  deps: Set<string>;
  /** "Harden this file" / fix-all for this version, computed on first request (see harden.ts). */
  hardened?: Hardened;
}

export interface Current {
  analysis: Analysis;
  editor: EditorSettings;
}

export class Analyses {
  private readonly byUri = new Map<string, Analysis>();
  /** Bumped when every analysis is stale (settings or config files changed). */
  private generation = 0;

  constructor(
    private readonly session: Session,
    private readonly settings: Settings,
    private readonly documents: TextDocuments<TextDocument>,
    /** The web build: sibling and config files come from the client (see remoteFiles.ts). */
    private readonly remote?: RemoteFiles,
  ) {}

  /**
   * The analysis of the document's current text, reusing the last one when nothing changed.
   * In the web build, an analysis that asked for files the client has not sent yet (or sent a
   * while ago) is made again once they are here and differ from what it saw.
   */
  async current(doc: TextDocument): Promise<Current | undefined> {
    for (let round = 0; ; round++) {
      const cur = await this.currentOnce(doc);
      if (!cur || !this.remote?.pending || round >= MAX_REMOTE_ROUNDS) return cur;
      if (!(await this.remote.settle())) return cur;
      this.settings.configFiles.clear();
      this.byUri.delete(doc.uri);
    }
  }

  private async currentOnce(doc: TextDocument): Promise<Current | undefined> {
    await this.session.startEngine();
    const gen = this.generation;
    const { editor, opts, deps } = await this.settings.optionsFor(doc);
    const cur = this.documents.get(doc.uri);
    if (!cur) return undefined;
    if (!editor.enable) {
      return { analysis: { version: cur.version, generation: gen, kind: opts.kind, result: { kind: opts.kind, findings: [] }, opts, deps }, editor };
    }
    const hit = this.byUri.get(cur.uri);
    if (hit && hit.version === cur.version && hit.generation === gen) return { analysis: hit, editor };
    return { analysis: this.analyze(cur, opts, deps, gen), editor };
  }

  private analyze(doc: TextDocument, opts: AnalyzeOptions, deps: Set<string>, generation: number): Analysis {
    const text = doc.getText();
    let result: AnalysisResult;
    if (text.length > MAX_EDITOR_TEXT) {
      result = { kind: opts.kind, findings: [], skipped: 'too large' };
    } else if (this.session.engineError) {
      result = { kind: opts.kind, findings: [], skipped: this.session.engineError };
    } else if (!opts.kind) {
      result = { kind: undefined, findings: [], skipped: 'not a supported file' };
    } else {
      const r = engine().analyze(text, opts);
      for (const e of r.internalErrors) this.session.logError(`analysis of ${doc.uri}`, e);
      // Only what diagnostics, hover and code actions use.
      result = { kind: r.kind, findings: r.findings, hoverSpots: r.hoverSpots, groups: r.groups };
      if (r.skipped) result.skipped = r.skipped;
      // Findings other tools' comments silenced: the hover names the comment.
      if (r.silenced) result.silenced = r.silenced;
    }
    const a: Analysis = { version: doc.version, generation, kind: result.kind ?? opts.kind, result, opts, deps };
    this.byUri.set(doc.uri, a);
    return a;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /** Every analysis is stale: settings or config files changed. */
  invalidateAll(): void {
    this.generation++;
    this.byUri.clear();
  }

  /** Forgets the analyses that read this document (a compose file → its Dockerfile, an override → its base); their URIs. */
  invalidateDependents(uri: string): string[] {
    const key = depKey(uri);
    if (!key) return [];
    const out: string[] = [];
    for (const [other, a] of this.byUri) {
      if (other === uri || !a.deps.has(key)) continue;
      this.byUri.delete(other);
      out.push(other);
    }
    return out;
  }
}
