/**
 * Code actions: each finding's fixes, "ignore on this line / in this file"
 * (the engine writes the comments), and source.fixAll (Harden's edits).
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Edit, Finding } from '../engine';
import type { Analyses, Analysis } from './analyses';
import { toDiagnostic } from './diagnostics';
import { engine } from './engine';
import { hardened } from './harden';
import { t, type Session } from './session';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.containerHardening`;

export async function codeActions(params: CodeActionParams, session: Session, documents: TextDocuments<TextDocument>, analyses: Analyses): Promise<CodeAction[]> {
  const doc0 = documents.get(params.textDocument.uri);
  if (!doc0) return [];
  const res = await analyses.current(doc0);
  const doc = documents.get(params.textDocument.uri);
  if (!res || !doc || doc.version !== res.analysis.version || !res.editor.enable) return [];
  const a = res.analysis;
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const actions: CodeAction[] = [];
  if (wants(CodeActionKind.QuickFix)) actions.push(...quickFixes(session, doc, a, doc.offsetAt(params.range.start), doc.offsetAt(params.range.end)));
  if (wants(FIX_ALL_KIND) && a.kind && !a.result.skipped && a.result.findings.some((f) => f.fixes.some((x) => x.safe))) {
    const h = hardened(session, doc, a);
    if (h.applied > 0 && h.edits.length) {
      actions.push({
        title: t('Apply all safe Container Hardening fixes ({0})', h.applied),
        kind: FIX_ALL_KIND,
        edit: session.workspaceEdit(doc, h.edits),
      });
    }
  }
  return actions;
}

/** The fixes of the findings in [start, end], then the ignore comments for them (once per rule and line, and per rule for the file). */
function quickFixes(session: Session, doc: TextDocument, a: Analysis, start: number, end: number): CodeAction[] {
  const actions: CodeAction[] = [];
  const ignored = new Set<string>();
  const ignoredFile = new Set<string>();
  const text = doc.getText();
  for (const f of a.result.findings) {
    if (f.span.end < start || f.span.start > end) continue;
    const diagnostic = toDiagnostic(f, doc.uri, session.caps);
    const action = (title: string, edits: Edit[], isPreferred?: boolean): CodeAction => {
      const out: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic] };
      if (isPreferred !== undefined) out.isPreferred = isPreferred;
      out.edit = session.workspaceEdit(doc, edits);
      return out;
    };
    f.fixes.forEach((fix, i) => {
      if (fix.edits.length) actions.push(action(fix.title, fix.edits, i === 0 && fix.safe));
    });
    const key = `${f.ruleId}@${f.range.start.line}`;
    if (ignored.has(key) || !engine().canSuppress(f.ruleId)) continue;
    ignored.add(key);
    actions.push(...ignoreActions(text, a, f, !ignoredFile.has(f.ruleId), action));
    ignoredFile.add(f.ruleId);
  }
  return actions;
}

function ignoreActions(text: string, a: Analysis, f: Finding, withFile: boolean, action: (title: string, edits: Edit[]) => CodeAction): CodeAction[] {
  const out: CodeAction[] = [];
  // Where the analysis says a comment covers the finding, never inside a continued command.
  const line = engine().suppressionEdit(text, a.kind, f, 'line');
  if (line) out.push(action(t('Ignore {0} on this line', f.ruleId), [line]));
  const file = withFile ? engine().suppressionEdit(text, a.kind, f, 'file') : undefined;
  if (file) out.push(action(t('Ignore {0} in this file', f.ruleId), [file]));
  return out;
}
