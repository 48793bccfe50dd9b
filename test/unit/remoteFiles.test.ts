/** The web build's file reads through the client (server/src/lsp/remoteFiles.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RemoteFiles, rootOf, uriAt } from '../../server/src/lsp/remoteFiles';

describe('RemoteFiles (the web build reads files through the client)', () => {
  const disk: Record<string, string> = { 'vscode-vfs://github/o/r/compose.override.yaml': 'services: {}\n' };
  const client = (asked: string[][]) => async (uris: string[]) => {
    asked.push(uris);
    return uris.map((u) => disk[u] ?? null);
  };

  it('answers what it knows, asks for the rest in one request, and says when an answer differs', async () => {
    const asked: string[][] = [];
    const files = new RemoteFiles(client(asked));
    assert.equal(files.read('vscode-vfs://github/o/r/compose.override.yaml'), undefined);
    assert.equal(files.read('vscode-vfs://github/o/r/compose.yaml'), undefined);
    assert.ok(files.pending);
    assert.equal(await files.settle(), true, 'the override exists: analyse again');
    assert.deepEqual(asked, [['vscode-vfs://github/o/r/compose.override.yaml', 'vscode-vfs://github/o/r/compose.yaml']]);
    assert.equal(files.read('vscode-vfs://github/o/r/compose.override.yaml'), 'services: {}\n');
    assert.equal(files.read('vscode-vfs://github/o/r/compose.yaml'), undefined);
    assert.ok(!files.pending, 'fresh answers are not asked again');
    assert.equal(await files.settle(), false);
  });

  it('asks again after maxAgeMs, and an absent file stays absent without a new analysis', async () => {
    let now = 0;
    const asked: string[][] = [];
    const files = new RemoteFiles(client(asked), 3000, () => now);
    files.read('vscode-vfs://github/o/r/missing.yml');
    assert.equal(await files.settle(), false, 'absent, as the analysis assumed');
    now = 5000;
    files.read('vscode-vfs://github/o/r/missing.yml');
    assert.ok(files.pending);
    assert.equal(await files.settle(), false);
    assert.equal(asked.length, 2);
  });

  it('a client that fails the request: the files are absent', async () => {
    const files = new RemoteFiles(async () => {
      throw new Error('unknown request');
    });
    files.read('vscode-vfs://github/o/r/a.yml');
    assert.equal(await files.settle(), false);
  });

  it('waits for a request on its way (it may carry this analysis\'s reads)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const files = new RemoteFiles(async (uris) => {
      await gate;
      return uris.map((u) => disk[u] ?? null);
    });
    files.read('vscode-vfs://github/o/r/compose.override.yaml');
    const first = files.settle();
    assert.ok(files.pending, 'in flight');
    const second = files.settle();
    release();
    assert.deepEqual(await Promise.all([first, second]), [true, true]);
  });

  it('config files: a file system over the same answers, per root', async () => {
    const files = new RemoteFiles(async (uris) => uris.map((u) => (u === 'vscode-remote://h:1/w/a%20b/.container-hardening.yaml' ? 'rules: {}\n' : null)));
    const fsys = files.configFileSystem('vscode-remote://h:1');
    assert.equal(fsys.exists('/w/a b/.container-hardening.yaml'), false, 'not known yet');
    await files.settle();
    assert.equal(fsys.exists('/w/a b/.container-hardening.yaml'), true);
    assert.equal(fsys.readFile('/w/a b/.container-hardening.yaml'), 'rules: {}\n');
    assert.throws(() => fsys.readFile('/w/other.yaml'));
  });

  it('URIs beside a document', () => {
    assert.equal(rootOf('vscode-vfs://github/o/r/compose.yaml'), 'vscode-vfs://github');
    assert.equal(rootOf('untitled:Untitled-1'), 'untitled:');
    assert.equal(uriAt('vscode-remote://h:1', '/w/a b/#x.yml'), 'vscode-remote://h:1/w/a%20b/%23x.yml');
  });
});
