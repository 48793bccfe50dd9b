/**
 * The server's `.container-hardening.yaml` lookup (server/src/lsp/config.ts):
 * answers are remembered per folder, re-checked on file events while the
 * client watches config files, and after a while when it does not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { RULE_IDS } from '../../server/src/engine';
import { ConfigFiles } from '../../server/src/lsp/config';

describe('config file lookup (server)', () => {
  let dir: string;
  const uri = (...p: string[]) => pathToFileURL(path.join(dir, ...p)).toString();
  const write = (rel: string, text: string) => fs.writeFileSync(path.join(dir, rel), text);
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ch-config-cache-'));
    fs.mkdirSync(path.join(dir, 'a', 'b', 'c'), { recursive: true });
    write('.container-hardening.yaml', 'rules:\n  privileged: info\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the nearest file upward and asks the disk once per folder', () => {
    const cf = new ConfigFiles(() => new Set(RULE_IDS));
    const found = cf.find(uri('a', 'b', 'c', 'run.sh'));
    assert.equal(found?.path, path.join(dir, '.container-hardening.yaml'));
    assert.deepEqual(found?.settings.rules, { privileged: 'info' });
    const asked = cf.lookups;
    assert.ok(asked > 0);
    // Same folder, another file in it, and a folder on the way up: no new look-ups.
    cf.find(uri('a', 'b', 'c', 'run.sh'));
    cf.find(uri('a', 'b', 'c', 'Dockerfile'));
    cf.find(uri('a', 'b', 'compose.yaml'));
    assert.equal(cf.lookups, asked);
  });

  it('while watched: a change shows after clear() (a file event), not before', () => {
    const cf = new ConfigFiles(() => new Set(RULE_IDS));
    cf.watching = true;
    assert.deepEqual(cf.find(uri('a', 'run.sh'))?.settings.rules, { privileged: 'info' });
    write(path.join('a', '.container-hardening.yml'), 'rules:\n  privileged: off\n');
    try {
      assert.deepEqual(cf.find(uri('a', 'run.sh'))?.settings.rules, { privileged: 'info' }, 'remembered until the event');
      cf.clear();
      const found = cf.find(uri('a', 'run.sh'));
      assert.equal(found?.path, path.join(dir, 'a', '.container-hardening.yml'));
      assert.deepEqual(found?.settings.rules, { privileged: 'off' });
      // A deleted file is gone after its event too.
      fs.rmSync(path.join(dir, 'a', '.container-hardening.yml'));
      cf.clear();
      assert.equal(cf.find(uri('a', 'run.sh'))?.path, path.join(dir, '.container-hardening.yaml'));
    } finally {
      fs.rmSync(path.join(dir, 'a', '.container-hardening.yml'), { force: true });
    }
  });

  it('not watched: a change shows once the remembered answer is older than maxAgeMs', () => {
    let now = 1_000_000;
    const cf = new ConfigFiles(() => new Set(RULE_IDS), 3000, () => now);
    assert.deepEqual(cf.find(uri('a', 'b', 'x.sh'))?.settings.rules, { privileged: 'info' });
    const asked = cf.lookups;
    write('.container-hardening.yaml', 'rules:\n  privileged: error\n  root-user: off\n');
    // (A different size, so the change shows even where mtimes are coarse.)
    now += 1000;
    assert.deepEqual(cf.find(uri('a', 'b', 'x.sh'))?.settings.rules, { privileged: 'info' });
    assert.equal(cf.lookups, asked);
    now += 2500;
    assert.deepEqual(cf.find(uri('a', 'b', 'x.sh'))?.settings.rules, { privileged: 'error', 'root-user': 'off' });
    assert.ok(cf.lookups > asked);
    write('.container-hardening.yaml', 'rules:\n  privileged: info\n');
  });

  it('nothing for URIs that are not files', () => {
    const cf = new ConfigFiles(() => new Set(RULE_IDS));
    assert.equal(cf.find('untitled:Untitled-1'), undefined);
    assert.equal(cf.find('vscode-vfs://github/x/y/Dockerfile'), undefined);
    assert.equal(cf.lookups, 0);
  });
});
