import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol';
import { LspClient, applyTextEdits, readFixture } from './lspClient';

function editsOf(a: CodeAction, uri: string): TextEdit[] {
  const dc = a.edit?.documentChanges?.find((d) => 'textDocument' in d && d.textDocument.uri === uri);
  assert.ok(dc && 'edits' in dc, `action "${a.title}" edits ${uri}`);
  return dc.edits as TextEdit[];
}

describe('code actions', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize();
  });
  after(() => c.stop());

  async function actionsAt(uri: string, d: Diagnostic, only?: string[]): Promise<CodeAction[]> {
    return c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only } });
  }

  it('offers the safe fix first and preferred; applying it removes the finding (compose)', async () => {
    const uri = await c.openFixture('compose.yaml', 'yaml');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const priv = ds.find((d) => d.code === 'privileged')!;
    const actions = await actionsAt(uri, priv, ['quickfix']);
    const fix = actions[0];
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.match(fix.title, /privileged/);
    assert.deepEqual(fix.diagnostics?.map((d) => d.code), ['privileged']);
    assert.ok(!actions.some((a) => a.kind === 'source.fixAll.containerHardening'), 'only quickfix asked for');
    c.applyWorkspaceEdit(fix.edit!);
    assert.ok(!c.text(uri).includes('privileged: true'));
    assert.equal(c.text(uri), readFixture('compose.yaml').replace('    privileged: true\n', ''));
    const after = await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'privileged'));
    assert.ok(after.some((d) => d.code === 'docker-socket-mount'), 'other findings stay');
    await c.close(uri);
  });

  it('manual-only findings get no preferred fix but can be ignored', async () => {
    const uri = await c.openFixture('compose.yaml', 'yaml');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const sock = ds.find((d) => d.code === 'docker-socket-mount')!;
    const actions = await actionsAt(uri, sock);
    assert.ok(!actions.some((a) => a.isPreferred));
    const ignore = actions.find((a) => a.title === 'Ignore docker-socket-mount on this line');
    assert.ok(ignore, actions.map((a) => a.title).join(' | '));
    const edits = editsOf(ignore, uri);
    assert.deepEqual(edits, [{ range: { start: { line: 16, character: 0 }, end: { line: 16, character: 0 } }, newText: '      # harden-ignore: docker-socket-mount\n' }]);
    c.applyWorkspaceEdit(ignore.edit!);
    const after = await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'docker-socket-mount'));
    // Silencing one finding leaves the rest of the service's findings alone.
    assert.equal(after.length, ds.length - 1);
    await c.close(uri);
  });

  it('asked again (the cursor moves back), gives the same actions; after an edit, actions for the new text', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const priv = ds.find((d) => d.code === 'privileged')!;
    const first = await actionsAt(uri, priv);
    assert.ok(first.some((a) => a.title === 'Ignore privileged on this line'));
    assert.deepEqual(await actionsAt(uri, priv), first);
    // Two lines inserted at the top: the same finding, two lines further down, with edits that say so.
    await c.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# a\n# b\n' }]);
    const moved = (await c.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'privileged' && x.range.start.line === priv.range.start.line + 2))).find((d) => d.code === 'privileged')!;
    const again = await actionsAt(uri, moved);
    const ignore = again.find((a) => a.title === 'Ignore privileged on this line')!;
    const before = first.find((a) => a.title === 'Ignore privileged on this line')!;
    assert.equal(editsOf(ignore, uri)[0].range.start.line, editsOf(before, uri)[0].range.start.line + 2);
    c.applyWorkspaceEdit(ignore.edit!);
    await c.diagnosticsFor(uri, (d) => d.length > 0 && !d.some((x) => x.code === 'privileged'));
    await c.close(uri);
  });

  it('puts the ignore comment before a continued shell command, not inside it', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const mount = ds.find((d) => d.code === 'sensitive-mount')!;
    assert.equal(mount.range.start.line, 8);
    const ignore = (await actionsAt(uri, mount)).find((a) => a.title === 'Ignore sensitive-mount on this line');
    assert.ok(ignore);
    c.applyWorkspaceEdit(ignore.edit!);
    const lines = c.text(uri).split('\n');
    assert.equal(lines[6], '# harden-ignore: sensitive-mount');
    assert.equal(lines[7], 'docker run -d --name "$NAME" \\');
    const after = await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'sensitive-mount'));
    assert.deepEqual(
      after.map((d) => d.code).sort(),
      ds.filter((d) => d.code !== 'sensitive-mount').map((d) => d.code).sort(),
    );
    // A second ignore on the same command extends the existing comment.
    const priv = after.find((d) => d.code === 'privileged')!;
    const again = (await actionsAt(uri, priv)).find((a) => a.title === 'Ignore privileged on this line')!;
    c.applyWorkspaceEdit(again.edit!);
    assert.equal(c.text(uri).split('\n')[6], '# harden-ignore: sensitive-mount, privileged');
    await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'privileged'));
    await c.close(uri);
  });

  it('ignores a rule for the whole file below the shebang', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const port = ds.find((d) => d.code === 'port-all-interfaces')!;
    // A source action (the Source Action menu), not in the quick-fix list.
    assert.ok(!(await actionsAt(uri, port)).some((a) => a.title === 'Ignore port-all-interfaces in this file'));
    const action = (await actionsAt(uri, port, ['source'])).find((a) => a.title === 'Ignore port-all-interfaces in this file')!;
    assert.equal(action.kind, 'source.containerHardening.ignoreInFile');
    c.applyWorkspaceEdit(action.edit!);
    assert.equal(c.text(uri).split('\n')[1], '# harden-ignore-file: port-all-interfaces');
    assert.equal(c.text(uri).split('\n')[0], '#!/usr/bin/env bash');
    await c.diagnosticsFor(uri, (d) => d.length > 0 && !d.some((x) => x.code === 'port-all-interfaces'));
    await c.close(uri);
  });

  it('source.fixAll.containerHardening applies every safe fix in one edit (Dockerfile)', async () => {
    const uri = await c.openFixture('Dockerfile', 'dockerfile');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(ds.some((d) => d.code === 'root-user') && ds.some((d) => d.code === 'add-instead-of-copy'));
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.containerHardening');
    assert.equal(actions[0].edit?.documentChanges?.length, 1);
    c.applyWorkspaceEdit(actions[0].edit!);
    const text = c.text(uri);
    assert.match(text, /^USER 1000$/m);
    assert.match(text, /^COPY package\.json \.\/$/m);
    assert.ok(text.indexOf('USER 1000') < text.indexOf('CMD ["node"'), 'USER before CMD');
    const after = await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'root-user'));
    assert.ok(!after.some((d) => d.code === 'add-instead-of-copy'));
    // What is left needs a person: no action offers a safe fix any more.
    const left = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
      context: { diagnostics: after, only: ['source.fixAll'] },
    });
    assert.deepEqual(left, []);
    await c.close(uri);
  });

  it('every finding with a safe fix in the fixtures has a preferred quick fix', async () => {
    for (const [name, lang] of [['Dockerfile', 'dockerfile'], ['compose.yaml', 'yaml'], ['run-dev.sh', 'shellscript']] as const) {
      const uri = await c.openFixture(name, lang);
      const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
      let preferred = 0;
      for (const d of ds) {
        const actions = await actionsAt(uri, d, ['quickfix']);
        const mine = actions.filter((a) => a.diagnostics?.some((x) => x.code === d.code && x.range.start.line === d.range.start.line));
        assert.ok(mine.length >= 1, `${name}: ${d.code} has at least the ignore action`);
        const p = mine.find((a) => a.isPreferred);
        if (p) {
          preferred++;
          // The preferred fix, applied alone, makes that finding go away (checked by the server itself).
          const text = applyTextEdits(c.text(uri), editsOf(p, uri));
          const probe = `file:///tmp/ch-protocol/probe-${preferred}-${name}/${name}`;
          await c.open(probe, lang, text);
          const fixed = await c.diagnosticsFor(probe);
          // Gone, or weaker: a read-only mount of /etc is still a warning where the writable one was an error.
          const count = (xs: Diagnostic[]) => xs.filter((x) => x.code === d.code && (x.severity ?? 1) <= (d.severity ?? 1)).length;
          assert.ok(count(fixed) < count(ds), `${name}: preferred fix for ${d.code} at line ${d.range.start.line}`);
          await c.close(probe);
        }
      }
      assert.ok(preferred > 0, `${name}: some preferred fixes`);
      await c.close(uri);
    }
  });
});
