import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LspClient, readFixture } from './lspClient';
import type { HardenResponse } from '../../server/src/lsp/service';


describe('containerHardening.harden command', () => {
  let c: LspClient;
  before(async () => {
    c = new LspClient();
    await c.initialize();
  });
  after(() => c.stop());

  const harden = (uri: string, opts?: object) =>
    c.request<HardenResponse>('workspace/executeCommand', { command: 'containerHardening.harden', arguments: opts ? [uri, opts] : [uri] });

  it('applies all safe fixes of a compose file as one workspace/applyEdit and reports the counts', async () => {
    const uri = await c.openFixture('compose.yaml', 'yaml');
    const before = await c.diagnosticsFor(uri, (d) => d.length > 0);
    const mark = c.applyEditRequests.length;
    const res = await harden(uri);
    assert.equal(c.applyEditRequests.length, mark + 1, 'exactly one applyEdit');
    const req = c.applyEditRequests[mark];
    const changes = req.edit.documentChanges!;
    assert.equal(changes.length, 1);
    assert.ok('textDocument' in changes[0] && changes[0].textDocument.uri === uri && changes[0].textDocument.version === 1);
    assert.equal(res.edited, true);
    assert.ok(res.applied >= 10, `applied ${res.applied}`);
    assert.ok(res.appliedRules.includes('privileged') && res.appliedRules.includes('cap-drop-missing'));
    assert.ok(res.remaining > 1);
    // What was applied, then per container what needs a decision because its image is not known well enough, then the rest.
    assert.match(res.message, new RegExp(`^Container Hardening: applied ${res.applied} safe fixes\\. `));
    assert.match(res.message, /3 settings need a decision for api: a non-root user, dropped capabilities, a read-only root filesystem\./);
    assert.match(res.message, /\d+ other findings? needs? a manual decision\.$/);
    await c.waitFor('summary message', () => c.messages.find((m) => m.message === res.message));
    const text = c.text(uri);
    assert.ok(!text.includes('privileged: true'));
    assert.match(text, /cap_drop:/);
    assert.match(text, /no-new-privileges/);
    // Comments and untouched lines survive; the file is still the same services.
    assert.match(text, /^ {2}web:$/m);
    assert.match(text, /^ {2}api:$/m);
    assert.match(text, /- \.\/site:\/usr\/share\/nginx\/html:ro/);
    const after = await c.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'privileged'));
    assert.equal(after.length, res.remaining);
    assert.ok(after.length < before.length);
    assert.ok(after.some((d) => d.code === 'docker-socket-mount'), 'manual finding stays');
    await c.close(uri);
  });

  it('hardens a shell script and a Dockerfile', async () => {
    for (const [name, lang, expect] of [
      ['run-dev.sh', 'shellscript', /--cap-drop ALL/],
      ['Dockerfile', 'dockerfile', /^USER 1000$/m],
    ] as const) {
      const uri = await c.openFixture(name, lang);
      await c.diagnosticsFor(uri, (d) => d.length > 0);
      const res = await harden(uri, { notify: false });
      assert.ok(res.applied > 0, name);
      assert.match(c.text(uri), expect);
      assert.notEqual(c.text(uri), readFixture(name));
      const again = await harden(uri, { notify: false });
      assert.equal(again.applied, 0, `${name}: hardening twice changes nothing`);
      assert.equal(again.remaining, res.remaining);
      await c.close(uri);
    }
  });

  it('a dry run returns the hardened text and edits nothing', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    const mark = c.applyEditRequests.length;
    const res = await harden(uri, { dryRun: true, notify: false });
    assert.equal(c.applyEditRequests.length, mark);
    assert.equal(c.text(uri), readFixture('run-dev.sh'));
    assert.ok(res.text && res.text.includes('--security-opt no-new-privileges'));
    assert.ok(!res.text.includes('--privileged'));
    await c.close(uri);
  });

  it('reports a refused edit instead of claiming success', async () => {
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    c.acceptEdits = false;
    try {
      const res = await harden(uri, { notify: false });
      assert.equal(res.edited, false);
      assert.match(res.message, /did not apply/);
      assert.equal(c.text(uri), readFixture('run-dev.sh'));
    } finally {
      c.acceptEdits = true;
    }
    await c.close(uri);
  });

  it('answers sensibly for a document that is not open or a bad argument', async () => {
    const res = await harden('file:///nowhere/compose.yaml', { notify: false });
    assert.equal(res.applied, 0);
    assert.equal(res.edited, false);
    const bad = await c.request<unknown>('workspace/executeCommand', { command: 'containerHardening.harden', arguments: [42] });
    assert.equal(bad, null);
    // Still serving.
    const uri = await c.openFixture('run-dev.sh', 'shellscript');
    assert.ok((await c.diagnosticsFor(uri, (d) => d.length > 0)).length > 0);
    await c.close(uri);
  });
});
