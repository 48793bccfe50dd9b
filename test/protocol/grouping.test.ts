/**
 * The quiet editor: a container's missing settings as one diagnostic (missing-hardening), a
 * short quick-fix menu with "Harden <name>", a hover a person reads without scrolling.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { LspClient } from './lspClient';

describe('missing-hardening in the editor', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient({ grouped: true });
    await c.initialize();
  });
  after(() => c.stop());

  const cases = [
    { name: 'a bare compose service', uri: 'file:///tmp/ch-protocol/grouping/compose.yaml', lang: 'yaml', text: 'services:\n  web:\n    image: myorg/app:1.0\n', line: 1, at: 3, label: 'web' },
    { name: 'a bare docker run', uri: 'file:///tmp/ch-protocol/grouping/run.sh', lang: 'shellscript', text: '#!/bin/sh\ndocker run -d myorg/app:1.0\n', line: 1, at: 2, label: 'docker run' },
  ];
  for (const k of cases) {
    it(`${k.name}: at most 2 diagnostics on its line, at most 8 quick fixes, a hover under 200 words`, async () => {
      await c.open(k.uri, k.lang, k.text);
      const ds = await c.diagnosticsFor(k.uri, (d) => d.length > 0);
      const onLine = ds.filter((d) => d.range.start.line === k.line);
      assert.ok(onLine.length <= 2, onLine.map((d) => d.code).join(', '));
      const group = onLine.find((d) => d.code === 'missing-hardening')!;
      assert.match(String(group.message), new RegExp(`^${k.label} lacks \\d+ hardening settings: `));
      assert.doesNotMatch(String(group.message), /`/, 'plain text in the Problems list');
      const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: k.uri }, range: group.range, context: { diagnostics: onLine } });
      const quick = actions.filter((a) => a.kind === 'quickfix');
      assert.ok(quick.length <= 8, quick.map((a) => a.title).join(' | '));
      const harden = actions.find((a) => a.title === `Harden ${k.label}`);
      assert.ok(harden?.isPreferred, 'Harden <name> is the preferred fix');
      assert.ok(actions.some((a) => a.title === `Ignore missing hardening for ${k.label}`));
      assert.ok(actions.every((a) => !a.title.includes('`')), 'plain-text titles');
      // Applying "Harden" leaves only what needs a decision for an unknown image.
      c.applyWorkspaceEdit(harden!.edit!);
      const left = await c.diagnosticsFor(k.uri, (d) => !d.some((x) => x.code === 'no-new-privileges-missing' || (x.code === 'missing-hardening' && /no-new-privileges/.test(String(x.message)))));
      const rest = left.filter((d) => d.range.start.line === k.line);
      assert.ok(rest.length >= 1, 'the user, capability and read-only decisions stay');
      const h = await c.request<Hover | null>('textDocument/hover', { textDocument: { uri: k.uri }, position: { line: k.line, character: k.at } });
      const words = ((h?.contents as MarkupContent | undefined)?.value ?? '').split(/\s+/).filter(Boolean).length;
      assert.ok(words > 0 && words <= 200, `hover of ${words} words`);
      await c.close(k.uri);
    });
  }

  it('the ignore comment names the group and silences every member', async () => {
    const uri = 'file:///tmp/ch-protocol/grouping/ignore/compose.yaml';
    await c.open(uri, 'yaml', 'services:\n  web:\n    image: myorg/app:1.0\n');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const group = ds.find((d) => d.code === 'missing-hardening')!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: group.range, context: { diagnostics: [group] } });
    c.applyWorkspaceEdit(actions.find((a) => a.title === 'Ignore missing hardening for web')!.edit!);
    assert.match(c.text(uri), /# harden-ignore: missing-hardening\n  web:/);
    const after = await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'missing-hardening'));
    assert.ok(!after.some((d) => ['root-user', 'cap-drop-missing', 'memory-limit-missing'].includes(String(d.code))));
    await c.close(uri);
  });
});
