/** Findings as LSP diagnostics, published for each document's current version. */
import { DiagnosticSeverity, type Diagnostic, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, FindingGroup } from '../engine';
import type { Analyses } from './analyses';
import { engine } from './engine';
import { SOURCE, type ClientCapabilities, type Session } from './session';

/** A finding, or a missing-hardening group shown as one diagnostic (code `missing-hardening`). */
export function toDiagnostic(f: Finding | FindingGroup, uri: string, caps: ClientCapabilities): Diagnostic {
  const group = engine().isGroup(f);
  const d: Diagnostic = {
    range: f.range,
    severity: f.severity === 'error' ? DiagnosticSeverity.Error : f.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information,
    code: group ? f.id : f.ruleId,
    source: SOURCE,
    message: f.message,
  };
  const rule = engine().getRule(group ? f.members[0].ruleId : f.ruleId);
  const href = group ? rule?.docsUrl.replace(/#rule-.*$/, '#missing-hardening') : rule?.docsUrl;
  if (caps.codeDescription && href && /^[a-z][a-z0-9+.-]*:/i.test(href)) d.codeDescription = { href };
  if (group) return d;
  if (caps.relatedInformation && f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  }
  return d;
}

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
