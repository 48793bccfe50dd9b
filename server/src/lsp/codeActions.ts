/**
 * Code actions: each finding's fixes, "ignore on this line / in this file"
 * (the engine writes the comments), and source.fixAll (Harden's edits).
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Edit, SuppressibleFinding } from '../engine';
import type { Analyses, Analysis } from './analyses';
import { toDiagnostic } from './diagnostics';
import { engine } from './engine';
import { hardened } from './harden';
import { t, type Session } from './session';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.containerHardening`;
/** "Ignore <id> in this file": a source action, so that the quick-fix menu stays short. */
export const IGNORE_FILE_KIND = `${CodeActionKind.Source}.containerHardening.ignoreInFile`;

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
  // The file-wide ignores only where a source action is asked for by name (the Source Action menu).
  const fileIgnores = !!only?.some((o) => IGNORE_FILE_KIND === o || IGNORE_FILE_KIND.startsWith(`${o}.`));
  if (wants(CodeActionKind.QuickFix) || fileIgnores) {
    // The actions of the diagnostics the client names (all it shows at the cursor), else of everything in the range.
    const asked = new Set(params.context.diagnostics.map((d) => `${d.code}@${d.range.start.line}`));
    const fixes = quickFixes(session, doc, a, doc.offsetAt(params.range.start), doc.offsetAt(params.range.end), fileIgnores, asked);
    actions.push(...fixes.filter((x) => wants(x.kind!)));
  }
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

/** At most this many quick fixes at one spot: a menu a person can read. */
const MAX_QUICK_FIXES = 8;

/**
 * The quick fixes at [start, end], for what the editor shows there (a missing-hardening group
 * stands for its members): each item's preferred fix first, then one "Ignore" per finding kind,
 * then the other fixes, at most MAX_QUICK_FIXES in all. "Ignore … in this file" is a source
 * action (the Source Action menu), not a quick fix.
 */
function quickFixes(session: Session, doc: TextDocument, a: Analysis, start: number, end: number, fileIgnores: boolean, asked: Set<string>): CodeAction[] {
  const text = doc.getText();
  const first: CodeAction[] = [];
  const ignores: CodeAction[] = [];
  const more: CodeAction[] = [];
  const files: CodeAction[] = [];
  const seen = new Set<string>();
  const e = engine();
  for (const item of e.presented(a.result.findings, a.result.groups)) {
    if (item.span.end < start || item.span.start > end) continue;
    const diagnostic = toDiagnostic(item, doc.uri, session.caps);
    if (asked.size && !asked.has(`${diagnostic.code}@${diagnostic.range.start.line}`)) continue;
    const action = (title: string, edits: Edit[], kind: string = CodeActionKind.QuickFix, isPreferred?: boolean): CodeAction => {
      const out: CodeAction = { title, kind, diagnostics: [diagnostic] };
      if (isPreferred !== undefined) out.isPreferred = isPreferred;
      out.edit = session.workspaceEdit(doc, edits);
      return out;
    };
    const fixes = e.isGroup(item) ? [...item.fixes, ...item.members.flatMap((m) => m.fixes.slice(0, 1))] : item.fixes;
    fixes.forEach((fix, i) => {
      if (!fix.edits.length) return;
      (i === 0 ? first : more).push(action(fix.title, fix.edits, CodeActionKind.QuickFix, i === 0 && fix.safe));
    });
    // One ignore per finding kind and line (several findings of one rule on a line share it).
    const target: SuppressibleFinding = e.isGroup(item) ? e.groupSuppressible(item.members[0]) : item;
    const key = `${target.ruleId}@${item.range.start.line}`;
    if (seen.has(key) || !e.canSuppress(target.ruleId)) continue;
    seen.add(key);
    const label = e.isGroup(item) ? t('Ignore missing hardening for {0}', item.name) : t('Ignore {0} on this line', target.ruleId);
    const line = e.suppressionEdit(text, a.kind, target, 'line');
    if (line) ignores.push(action(label, [line]));
    if (fileIgnores && !seen.has(`file:${target.ruleId}`)) {
      seen.add(`file:${target.ruleId}`);
      const file = e.suppressionEdit(text, a.kind, target, 'file');
      if (file) files.push(action(t('Ignore {0} in this file', target.ruleId), [file], IGNORE_FILE_KIND));
    }
  }
  return [...first, ...ignores, ...more].slice(0, MAX_QUICK_FIXES).concat(files);
}
