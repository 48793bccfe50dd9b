import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { hoverAt, initEngine } from '../../server/src/engine';
import { LspClient, offsetAt, readFixture } from './lspClient';

const value = (h: Hover | null) => (h?.contents as MarkupContent | undefined)?.value ?? '';

describe('hover', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize();
  });
  after(() => c.stop());

  const hover = (uri: string, line: number, character: number) =>
    c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character } });

  it('explains a finding: what, why, guide section, CIS id and a docs link', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    const h = await hover(uri, 7, 6); // inside `--privileged`
    assert.ok(h);
    assert.equal((h.contents as MarkupContent).kind, 'markdown');
    assert.match(value(h), /^\*\*Privileged container\.\*\* Remove/);
    assert.match(value(h), /§5/);
    assert.match(value(h), /CIS 5\.4/);
    // The problem line itself is in the Problems list: the hover does not repeat it.
    assert.doesNotMatch(value(h), /gives the container every capability and all host devices/);
    assert.ok(value(h).split(/\s+/).length <= 200, 'short enough to read without scrolling');
    assert.match(value(h), /README\.md#rule-privileged/);
    assert.deepEqual(h.range, { start: { line: 7, character: 2 }, end: { line: 7, character: 14 } });
    await c.close(uri);
  });

  it('explains a security-relevant option even when nothing is wrong', async () => {
    const uri = 'file:///tmp/ch-protocol/hover/limits.sh';
    const text = 'docker run --rm --pids-limit 100 --memory 256m --cap-drop ALL alpine:3.20 true\n';
    await c.open(uri, 'shellscript', text);
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.ok(!ds.some((d) => d.code === 'pids-limit-missing' || d.code === 'memory-limit-missing'));
    const at = text.indexOf('--pids-limit') + 3;
    const h = await hover(uri, 0, at);
    assert.ok(h, 'hover on --pids-limit');
    assert.match(value(h), /Process limit: 100\. Stops a fork bomb/);
    assert.match(value(h), /rule-pids-limit-missing/);
    await c.close(uri);
  });

  it('explains compose keys and Dockerfile instructions', async () => {
    const compose = 'file:///tmp/ch-protocol/hover/compose.yaml';
    await c.open(compose, 'yaml', 'services:\n  app:\n    image: alpine:3.20\n    read_only: true\n    pids_limit: 100\n');
    await c.diagnosticsFor(compose, (d) => d.length > 0);
    const h = await hover(compose, 4, 6);
    assert.match(value(h), /rule-pids-limit-missing/);
    await c.close(compose);

    const df = 'file:///tmp/ch-protocol/hover/Containerfile';
    await c.open(df, 'dockerfile', 'FROM alpine:3.20\nUSER 1000\nCMD ["sh"]\n');
    await c.diagnosticsFor(df);
    const hu = await hover(df, 1, 1);
    assert.match(value(hu), /Runs as 1000, not root/);
    assert.match(value(hu), /rule-root-user/);
    await c.close(df);
  });

  it('reflects the text after an edit, before its diagnostics are asked for', async () => {
    const uri = 'file:///tmp/ch-protocol/hover/edit.sh';
    await c.open(uri, 'shellscript', 'docker run --privileged alpine:3.20 true\n');
    await c.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'privileged'));
    assert.match(value(await hover(uri, 0, 14)), /\*\*Privileged container\.\*\*/);
    // `--privileged` becomes `--pids-limit 100`; the hover comes right after the change.
    await c.change(uri, [{ range: { start: { line: 0, character: 11 }, end: { line: 0, character: 23 } }, newText: '--pids-limit 100' }]);
    const h = await hover(uri, 0, 14);
    assert.doesNotMatch(value(h), /Privileged container/);
    assert.match(value(h), /rule-pids-limit-missing/);
    const ds = await c.diagnosticsFor(uri);
    assert.ok(!ds.some((d) => d.code === 'privileged' || d.code === 'pids-limit-missing'));
    await c.close(uri);
  });

  it('over findings, says exactly what the engine says (answered from the analysis it already has)', async () => {
    await initEngine();
    for (const [name, languageId] of [['run-dev.sh', 'shellscript'], ['compose.yaml', 'yaml'], ['Dockerfile', 'dockerfile']]) {
      const uri = await c.openFixture(name, languageId);
      const text = readFixture(name);
      const fileName = fileURLToPath(uri);
      const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
      let compared = 0;
      for (const d of ds) {
        for (const pos of [d.range.start, d.range.end]) {
          // As the test client's settings: grouping off.
          const want = hoverAt(text, offsetAt(text, pos), { fileName, settings: { group: false }, readFile: (p) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined) });
          const got = await hover(uri, pos.line, pos.character);
          assert.equal(value(got), want?.contents ?? '', `${name} ${d.code} at ${pos.line}:${pos.character}`);
          assert.deepEqual(got?.range, want?.range, `${name} ${d.code} at ${pos.line}:${pos.character}`);
          compared++;
        }
      }
      assert.ok(compared >= 4, name);
      await c.close(uri);
    }
  });

  it('returns null away from anything relevant', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    await c.diagnosticsFor(uri, (d) => d.length > 0);
    assert.equal(await hover(uri, 12, 2), null); // echo "started $NAME"
    await c.close(uri);
  });

  it("names the other tool's comment that silenced a finding, and the editor setting turns that off", async () => {
    const uri = 'file:///tmp/ch-protocol/hover/peers/Dockerfile';
    const text = 'FROM alpine:3.20\nHEALTHCHECK CMD true\n# hadolint ignore=DL3004\nRUN sudo apk add curl\nUSER 1000\n';
    await c.open(uri, 'dockerfile', text);
    const ds = await c.diagnosticsFor(uri, () => true);
    assert.ok(!ds.some((d) => d.code === 'sudo-in-dockerfile'));
    const h = await hover(uri, 3, 5);
    assert.match(value(h), /sudo in a Dockerfile: silenced by the hadolint comment `# hadolint ignore=DL3004` \(line 3\)/);
    await c.changeSettings({ peerComments: false });
    await c.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'sudo-in-dockerfile'));
    await c.changeSettings({});
    await c.close(uri);
  });
});

describe('hover and messages in Simplified Chinese', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient({ locale: 'zh-cn' });
    await c.initialize();
  });
  after(() => c.stop());

  it('translates diagnostics, hovers and quick-fix titles', async () => {
    const uri = await c.openFixture('compose.yaml', 'yaml');
    const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const priv = ds.find((d) => d.code === 'privileged')!;
    assert.match(priv.message as string, /[\u4e00-\u9fff]/, priv.message as string);
    const h = await c.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 6 } });
    assert.match(value(h as Hover), /[\u4e00-\u9fff]{4}/);
    assert.match(value(h as Hover), /CIS/);
    const actions = await c.request<Array<{ title: string }>>('textDocument/codeAction', {
      textDocument: { uri },
      range: priv.range,
      context: { diagnostics: [priv] },
    });
    assert.ok(actions.some((a) => a.title.startsWith('忽略') || a.title.includes('忽略')), actions.map((a) => a.title).join(' | '));
    await c.close(uri);
  });
});

describe('locale from VSCODE_NLS_CONFIG', () => {
  it('is used when the initialize params carry no locale', async () => {
    const c = new LspClient({ env: { VSCODE_NLS_CONFIG: JSON.stringify({ locale: 'zh-cn' }) } });
    try {
      await c.initialize();
      const uri = await c.openFixture('run-dev.sh', 'shellscript');
      const ds = await c.diagnosticsFor(uri, (d) => d.length > 0);
      assert.match(ds.find((d) => d.code === 'privileged')!.message as string, /[\u4e00-\u9fff]/);
    } finally {
      await c.stop();
    }
  });
});
