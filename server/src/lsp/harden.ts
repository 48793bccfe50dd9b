/** "Harden this file": the engine's safe fixes as one edit, for the command and for source.fixAll. */
import { MessageType, type ExecuteCommandParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyses, Analysis, Hardened } from './analyses';
import { engine } from './engine';
import { t, type Session } from './session';

export const HARDEN_COMMAND = 'containerHardening.harden';

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
  /** Settings left for a decision because the image is not known well enough, one sentence per container. */
  decisions?: string[];
  /** Set for dry runs. */
  text?: string;
  /** False when the client refused the edit. */
  edited?: boolean;
}

/** Every safe fix applied, as edits against the analysed text; kept with the analysis of the same version. */
export function hardened(session: Session, doc: TextDocument, a: Analysis): Hardened {
  if (a.hardened && a.version === doc.version) return a.hardened;
  const r = engine().harden(doc.getText(), a.opts);
  for (const e of r.internalErrors) session.logError(`harden ${doc.uri}`, e);
  const decisions = r.decisions.map((d) => ({ text: engine().decisionSentence(d), count: d.rules.length }));
  const h: Hardened = { applied: r.applied, remaining: r.remaining.length, appliedRules: r.appliedRules, edits: r.edits, decisions };
  if (a.version === doc.version) a.hardened = h;
  return h;
}

/** The document a command argument names: a URI string, or a URI object as clients pass it. */
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

/** workspace/executeCommand `containerHardening.harden` (uri, args?). */
export async function runHarden(params: ExecuteCommandParams, session: Session, documents: TextDocuments<TextDocument>, analyses: Analyses): Promise<HardenResponse | null> {
  const uri = uriArg(params.arguments?.[0]);
  const args = (params.arguments?.[1] ?? {}) as HardenArgs;
  if (!uri) throw new Error(`${HARDEN_COMMAND}: expected a document URI as the first argument`);
  const notify = (type: MessageType, message: string) => {
    if (args.notify !== false) session.show(type, message);
  };
  const doc = documents.get(uri);
  if (!doc) {
    const message = t('Container Hardening: {0} is not open.', uri);
    notify(MessageType.Warning, message);
    return { uri, applied: 0, remaining: 0, appliedRules: [], message, edited: false };
  }
  const res = await analyses.current(doc);
  const cur = documents.get(uri);
  if (!res || !cur) return null;
  if (!res.editor.enable || !res.analysis.kind || res.analysis.result.skipped) {
    const message = t('Container Hardening: nothing to harden in this file.');
    notify(MessageType.Info, message);
    return { uri, applied: 0, remaining: 0, appliedRules: [], message, edited: false, text: args.dryRun ? cur.getText() : undefined };
  }
  const h = hardened(session, cur, res.analysis);
  const fixes = h.applied === 1 ? t('1 safe fix') : t('{0} safe fixes', h.applied);
  // What was left out because the image is not known well enough, then how many other findings are left.
  const others = h.remaining - h.decisions.reduce((n, d) => n + d.count, 0);
  const manual = others <= 0 ? '' : h.decisions.length
    ? (others === 1 ? t('1 other finding needs a manual decision.') : t('{0} other findings need a manual decision.', others))
    : (others === 1 ? t('1 finding needs a manual decision.') : t('{0} findings need a manual decision.', others));
  const message = [t('Container Hardening: applied {0}.', fixes), ...h.decisions.map((d) => d.text), manual].filter(Boolean).join(' ');
  const out: HardenResponse = { uri, applied: h.applied, remaining: h.remaining, appliedRules: h.appliedRules, message, decisions: h.decisions.map((d) => d.text) };
  if (args.dryRun) return { ...out, text: engine().applyEdits(cur.getText(), h.edits) };
  if (h.edits.length) {
    const r = await session.connection.workspace.applyEdit({ label: t('Harden this file'), edit: session.workspaceEdit(cur, h.edits) });
    out.edited = r.applied;
    if (!r.applied) {
      out.message = t('Container Hardening: the editor did not apply the changes ({0}).', r.failureReason ?? t('the file changed'));
      notify(MessageType.Warning, out.message);
      return out;
    }
  } else {
    out.edited = false;
  }
  notify(MessageType.Info, out.message);
  return out;
}
