/**
 * A finding as an LSP diagnostic. Kept apart from diagnostics.ts (which
 * publishes) so the workspace check's worker can make diagnostics without
 * loading the LSP connection: types only from vscode-languageserver.
 */
import type { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import type { Finding, FindingGroup } from '../engine';
import { engine } from './engine';

/** The `source` of every diagnostic. */
export const SOURCE = 'container-hardening';

/** What the client said it can show in a diagnostic. */
export interface DiagnosticCapabilities {
  codeDescription: boolean;
  relatedInformation: boolean;
}

const SEVERITY: Record<string, DiagnosticSeverity> = { error: 1, warning: 2, info: 3 };

/** A finding, or a missing-hardening group shown as one diagnostic (code `missing-hardening`). */
export function toDiagnostic(f: Finding | FindingGroup, uri: string, caps: DiagnosticCapabilities): Diagnostic {
  const group = engine().isGroup(f);
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity] ?? 3,
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
