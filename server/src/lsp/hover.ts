/** Hover: the engine's explanation of the setting or finding under the cursor. */
import type { Hover, HoverParams, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyses } from './analyses';
import { engine } from './engine';

export async function hover(params: HoverParams, documents: TextDocuments<TextDocument>, analyses: Analyses): Promise<Hover | null> {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const res = await analyses.current(doc);
  if (!res || !res.editor.enable || res.analysis.result.skipped || !res.analysis.kind) return null;
  const cur = documents.get(doc.uri) ?? doc;
  const offset = cur.offsetAt(params.position);
  const a = res.analysis;
  // From the analysis of this version when there is one; else the engine analyses the text.
  const h = engine().hoverAt(cur.getText(), offset, a.opts, a.version === cur.version ? a.result : undefined);
  if (!h) return null;
  return { contents: { kind: 'markdown', value: h.contents }, range: h.range };
}
