/** Findings as LSP diagnostics, published for each document's current version. */
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyses } from './analyses';
import { engine } from './engine';
import type { Session } from './session';
import { toDiagnostic } from './toDiagnostic';

export { toDiagnostic } from './toDiagnostic';

export class Diagnostics {
  /** Validations per document: an answer for an older one (or one before a close) is not sent. */
  private readonly generations = new Map<string, number>();

  constructor(
    private readonly session: Session,
    private readonly analyses: Analyses,
    private readonly documents: TextDocuments<TextDocument>,
  ) {}

  /** Analyses the document (if needed) and publishes its diagnostics. */
  async validate(uri: string): Promise<void> {
    const gen = this.bump(uri);
    const doc = this.documents.get(uri);
    if (!doc) return;
    try {
      const res = await this.analyses.current(doc);
      // A newer validation, or a close, happened while waiting for settings.
      if (this.generations.get(uri) !== gen || !res) return;
      if (!this.documents.get(uri)) return;
      const r = res.analysis.result;
      const diagnostics = engine().presented(r.findings, r.groups).map((f) => toDiagnostic(f, uri, this.session.caps));
      await this.session.connection.sendDiagnostics({ uri, version: res.analysis.version, diagnostics });
    } catch (e) {
      this.session.logError(`analysis of ${uri}`, e);
    }
  }

  /** The document closed: its diagnostics go, and a validation under way sends nothing. */
  clear(uri: string): void {
    this.bump(uri);
    void this.session.connection.sendDiagnostics({ uri, diagnostics: [] }).catch((e) => this.session.logError('publishDiagnostics', e));
  }

  private bump(uri: string): number {
    const gen = (this.generations.get(uri) ?? 0) + 1;
    this.generations.set(uri, gen);
    return gen;
  }
}
