/**
 * The engine's config look-up (engine/config.ts), over an in-memory file
 * system: what the CLI and the language server both use.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigLookup, RULE_IDS, type ConfigFileSystem } from '../../server/src/engine';

function memoryFs(files: Record<string, string>): ConfigFileSystem & { reads: string[]; files: Record<string, string> } {
  const reads: string[] = [];
  return {
    files,
    reads,
    exists: (p) => p in files,
    readFile: (p) => {
      reads.push(p);
      if (!(p in files)) throw Object.assign(new Error(`ENOENT: no such file, open '${p}'`), { code: 'ENOENT' });
      return files[p];
    },
  };
}

const root = path.resolve('/project');
const at = (...p: string[]) => path.join(root, ...p);

describe('config look-up (engine)', () => {
  it('takes the nearest file upward, .yaml before .yml, and reads each file once', () => {
    const fsys = memoryFs({
      [at('.container-hardening.yaml')]: 'rules:\n  privileged: info\n',
      [at('a', '.container-hardening.yml')]: 'rules:\n  privileged: off\n',
      [at('a', '.container-hardening.yaml')]: 'rules:\n  privileged: error\n',
    });
    const lookup = new ConfigLookup(fsys, () => RULE_IDS);
    assert.deepEqual(lookup.forDir(at('a', 'b', 'c'))?.settings.rules, { privileged: 'error' });
    assert.equal(lookup.forDir(at('a', 'b'))?.path, at('a', '.container-hardening.yaml'));
    assert.deepEqual(lookup.forDir(at('x'))?.settings.rules, { privileged: 'info' });
    assert.equal(lookup.forDir(path.parse(root).root), undefined);
    assert.deepEqual(fsys.reads, [at('a', '.container-hardening.yaml'), at('.container-hardening.yaml')]);
  });

  it('reports problems with the file and falls back to the defaults', () => {
    const fsys = memoryFs({ [at('.container-hardening.yaml')]: 'rules:\n  no-such-rule: off\n' });
    const found = new ConfigLookup(fsys, () => RULE_IDS).forDir(root)!;
    assert.deepEqual(found.settings, { rules: {} });
    assert.equal(found.errors.length, 1);
    assert.match(found.errors[0], /no-such-rule/);
    const missing = new ConfigLookup(fsys, () => RULE_IDS).load(at('nope.yaml'));
    assert.equal(missing.readError?.code, 'ENOENT');
    assert.match(missing.errors[0], /ENOENT.*; using defaults$/);
  });

  it('re-checks once an answer is no longer fresh, and after clear()', () => {
    let now = 0;
    const fsys = memoryFs({ [at('.container-hardening.yaml')]: 'rules:\n  privileged: info\n' });
    const lookup = new ConfigLookup(fsys, () => RULE_IDS, { fresh: (t) => now - t < 10, now: () => now });
    assert.deepEqual(lookup.forDir(at('a'))?.settings.rules, { privileged: 'info' });
    fsys.files[at('a', '.container-hardening.yaml')] = 'rules:\n  privileged: off\n';
    now = 5;
    assert.deepEqual(lookup.forDir(at('a'))?.settings.rules, { privileged: 'info' }, 'remembered');
    now = 20;
    assert.deepEqual(lookup.forDir(at('a'))?.settings.rules, { privileged: 'off' });
    delete fsys.files[at('a', '.container-hardening.yaml')];
    assert.deepEqual(lookup.forDir(at('a'))?.settings.rules, { privileged: 'off' }, 'remembered');
    lookup.clear();
    assert.deepEqual(lookup.forDir(at('a'))?.settings.rules, { privileged: 'info' });
  });
});
