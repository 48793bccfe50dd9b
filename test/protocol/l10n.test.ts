import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { RULES } from '../../server/src/engine';
import { ROOT } from './lspClient';

const CJK = /[\u4e00-\u9fff]/;
const readJson = (p: string) => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(',');

describe('localization', () => {
  const zh = readJson('server/l10n/bundle.l10n.zh-cn.json');

  it('every rule has a Simplified Chinese title, summary and hover text', () => {
    assert.ok(RULES.length >= 40);
    for (const r of RULES) {
      for (const [field, text] of [['title', r.title], ['short', r.short], ['long', r.long]] as const) {
        const tr = zh[text];
        assert.equal(typeof tr, 'string', `${r.id}.${field} has no zh-cn text`);
        assert.match(tr, CJK, `${r.id}.${field} is not translated`);
        assert.equal(placeholders(tr), placeholders(text), `${r.id}.${field} placeholders`);
        // Code spans stay code spans.
        assert.equal((tr.match(/`/g) ?? []).length, (text.match(/`/g) ?? []).length, `${r.id}.${field} backticks`);
      }
    }
  });

  it('the server bundle covers every message of the engine and the server (server/scripts/l10n.mjs --check)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'server', 'scripts', 'l10n.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /bundle\.l10n\.zh-cn\.json: (\d+)\/\1 strings/);
  });

  it('the manifest strings exist in English and Chinese, and the client bundle covers vscode.l10n.t', () => {
    const pkg = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const en = readJson('package.nls.json');
    const zhNls = readJson('package.nls.zh-cn.json');
    const keys = [...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length >= 8);
    for (const k of keys) {
      assert.ok(en[k], `package.nls.json: ${k}`);
      assert.match(zhNls[k], CJK, `package.nls.zh-cn.json: ${k}`);
    }
    assert.deepEqual(Object.keys(zhNls).sort(), Object.keys(en).sort());
    // Every client module (extension.ts, browser.ts and the common.ts they share).
    const clientSrc = path.join(ROOT, 'client', 'src');
    const src = fs.readdirSync(clientSrc).filter((f) => f.endsWith('.ts')).map((f) => fs.readFileSync(path.join(clientSrc, f), 'utf8')).join('\n');
    const calls = [...src.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]);
    assert.ok(calls.length >= 8);
    const client = readJson('client/l10n/bundle.l10n.zh-cn.json');
    for (const c of calls) {
      assert.match(client[c] ?? '', CJK, `client/l10n: ${c}`);
      assert.equal(placeholders(client[c]), placeholders(c));
    }
  });
});
