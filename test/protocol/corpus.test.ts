import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { LspClient, ROOT, applyTextEdits } from './lspClient';

const CORPUS = path.join(ROOT, 'test', 'corpus');
const LANG: Record<string, string> = { dockerfiles: 'dockerfile', compose: 'yaml', shell: 'shellscript' };

function corpusFiles(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const dir of Object.keys(LANG)) {
    for (const f of fs.readdirSync(path.join(CORPUS, dir)).sort()) {
      if (f === 'LICENSE') continue;
      out.push([path.join(CORPUS, dir, f), LANG[dir]]);
    }
  }
  return out;
}

describe('real-world corpus over LSP', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient({ workspaceFolder: CORPUS });
    await c.initialize();
  });
  after(async () => {
    await c.stop();
  });

  it('every file is diagnosed, its quick fixes apply cleanly, fix-all leaves no safe fix behind', async () => {
    const files = corpusFiles();
    assert.ok(files.length > 250);
    let withFindings = 0;
    let fixAlls = 0;
    for (const [file, lang] of files) {
      const uri = pathToFileURL(file).toString();
      const text = fs.readFileSync(file, 'utf8');
      await c.open(uri, lang, text);
      const ds = await c.diagnosticsFor(uri, () => true, 20_000);
      if (ds.length) withFindings++;
      for (const d of ds) assert.equal(d.source, 'container-hardening', file);
      const lines = text.split('\n').length;
      const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } },
        context: { diagnostics: ds },
      });
      for (const a of actions) {
        const dc = a.edit!.documentChanges![0];
        assert.ok('edits' in dc);
        // Every edit of every action applies to the text as it is.
        applyTextEdits(text, dc.edits as never);
      }
      const fixAll = actions.find((a) => a.kind === 'source.fixAll.containerHardening');
      if (fixAll) {
        fixAlls++;
        c.applyWorkspaceEdit(fixAll.edit!);
        await c.diagnosticsFor(uri, () => true, 20_000);
        const again = await c.request<CodeAction[]>('textDocument/codeAction', {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          context: { diagnostics: [], only: ['source.fixAll'] },
        });
        assert.deepEqual(again.map((a) => a.title), [], `${path.basename(file)}: fix-all is complete in one go`);
      }
      await c.close(uri);
    }
    assert.ok(withFindings > files.length / 2, `${withFindings} files with findings`);
    assert.ok(fixAlls > 50, `${fixAlls} files with fix-all`);
  });
});
