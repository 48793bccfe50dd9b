#!/usr/bin/env node
// Collects every English source string the language server can show — the
// t('…') calls of the engine and the server, and the rule metadata texts
// (title, short, long) — into server/l10n/bundle.l10n.json, and checks that
// each translation bundle (bundle.l10n.<locale>.json) covers all of them with
// the same {n} placeholders.
//   node server/scripts/l10n.mjs           write bundle.l10n.json, report gaps
//   node server/scripts/l10n.mjs --check   only check; exit 1 on a missing entry or changed placeholders
// Needs the tsc build (out/) for the rule metadata.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const l10nDir = join(root, 'server', 'l10n');

function walk(dir, out = []) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** First-argument string literals of t(…) calls ('…', "…" or `…` without ${}). */
export function extractCalls(src) {
  const out = [];
  const re = /(?<![\w.$])t\(\s*(['"`])/g;
  let m;
  while ((m = re.exec(src))) {
    const q = m[1];
    let i = re.lastIndex;
    let s = '';
    for (; i < src.length; i++) {
      const ch = src[i];
      if (ch === '\\') {
        const n = src[++i];
        s += n === 'n' ? '\n' : n === 't' ? '\t' : n;
        continue;
      }
      if (ch === q) break;
      if (q === '`' && ch === '$' && src[i + 1] === '{') {
        s = null;
        break;
      }
      s += ch;
    }
    if (s !== null) {
      // A literal followed by "+": concatenated text, not extractable.
      const rest = src.slice(i + 1).trimStart();
      if (!rest.startsWith('+')) out.push(s);
    }
    re.lastIndex = i + 1;
  }
  return out;
}

/**
 * Sentence-like literals of rule modules that reach t() indirectly (message
 * constants, per-capability reasons, messages handed to shared helpers).
 * Concatenated literals (the `long` texts) come from the metadata instead.
 */
export function extractSentences(src) {
  const out = [];
  const re = /(\+\s*)?(?<!\w)'((?:[^'\\\n]|\\.)*)'(\s*\+)?/g;
  let m;
  while ((m = re.exec(src))) {
    if (m[1] || m[3]) continue;
    const before = src.slice(Math.max(0, m.index - 12), m.index);
    if (/(sources|id|cis|fix|severity|docsUrl):\s*$/.test(before)) continue;
    const s = m[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    if ((s.match(/ /g) ?? []).length >= 3) out.push(s);
  }
  return out;
}

export function sourceStrings() {
  const keys = new Set();
  for (const f of walk(join(root, 'server', 'src'))) {
    if (/[\\/]cli\.ts$/.test(f)) continue;
    const src = readFileSync(f, 'utf8');
    for (const k of extractCalls(src)) keys.add(k);
    if (/[\\/]engine[\\/]rules[\\/]/.test(f)) for (const k of extractSentences(src)) keys.add(k);
  }
  const { RULES } = require(join(root, 'out', 'server', 'src', 'engine'));
  for (const r of RULES) for (const k of [r.title, r.short, r.long]) keys.add(k);
  for (const k of ['error', 'warning', 'info']) keys.add(k);
  return [...keys];
}

const placeholders = (s) => (s.match(/\{\d+\}/g) ?? []).sort().join(',');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const keys = sourceStrings();
  const source = Object.fromEntries(keys.map((k) => [k, k]));
  const check = process.argv.includes('--check');
  if (!check) writeFileSync(join(l10nDir, 'bundle.l10n.json'), JSON.stringify(source, null, 2) + '\n');
  let bad = 0;
  for (const f of readdirSync(l10nDir)) {
    const m = /^bundle\.l10n\.(.+)\.json$/.exec(f);
    if (!m) continue;
    const bundle = JSON.parse(readFileSync(join(l10nDir, f), 'utf8'));
    const missing = keys.filter((k) => typeof bundle[k] !== 'string');
    const stale = Object.keys(bundle).filter((k) => !(k in source));
    const holes = keys.filter((k) => typeof bundle[k] === 'string' && placeholders(bundle[k]) !== placeholders(k));
    for (const k of missing) console.log(`${f}: missing ${JSON.stringify(k)}`);
    for (const k of stale) console.log(`${f}: stale ${JSON.stringify(k)}`);
    for (const k of holes) console.log(`${f}: placeholders differ for ${JSON.stringify(k)}`);
    // Stale entries (texts the engine no longer uses) are harmless: reported, not fatal.
    bad += missing.length + holes.length;
    console.log(`${f}: ${keys.length - missing.length}/${keys.length} strings`);
  }
  if (check && bad) process.exit(1);
}
