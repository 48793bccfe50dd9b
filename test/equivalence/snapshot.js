#!/usr/bin/env node
/**
 * Equivalence snapshot: for every corpus and fixture file, what the engine says —
 * findings (with their rendered fixes, related information and hover notes), the
 * missing-hardening groups, hover spots, and the text Harden makes. Run it on two
 * builds and compare the outputs:
 *
 *   node test/equivalence/snapshot.js [engineDir] > after.jsonl
 *   node test/equivalence/compare.js before.jsonl after.jsonl
 *
 * engineDir is a compiled engine folder (default: this checkout's out/server/src/engine).
 * Refactors check their outputs identical with it; intended changes are listed in the
 * CHANGELOG.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const engineDir = path.resolve(process.argv[2] ?? path.join(ROOT, 'out', 'server', 'src', 'engine'));
const engine = require(engineDir);

function list(dir) {
  const out = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...list(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

const roots = [path.join(ROOT, 'test', 'corpus'), path.join(ROOT, 'test', 'fixtures')];
const files = roots.flatMap(list).filter((f) => !/\.(md|fixed|png|json)$/i.test(f) && !/LICENSE$/.test(f)).sort();

function readFile(p) {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

(async () => {
  await engine.initEngine();
  for (const file of files) {
    const rel = path.relative(ROOT, file);
    const text = fs.readFileSync(file, 'utf8');
    const opts = { fileName: file, readFile };
    let rec;
    try {
      const a = engine.analyze(text, opts);
      const kind = a.kind;
      if (!kind) continue;
      rec = {
        file: rel,
        kind,
        skipped: a.skipped,
        findings: a.findings.map((f) => ({
          rule: f.ruleId, sev: f.severity, msg: f.message, span: [f.span.start, f.span.end], ctx: f.context,
          related: f.related?.map((r) => [r.span.start, r.span.end, r.message]),
          fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe, edits: x.edits.map((e) => [e.start, e.end, e.newText]) })),
          ...(f.note ? { note: f.note } : {}),
        })),
        groups: (a.groups ?? []).map((g) => ({
          name: g.name, sev: g.severity, msg: g.message, span: [g.span.start, g.span.end], members: g.members.map((m) => m.ruleId),
          fixes: g.fixes.map((x) => ({ title: x.title, safe: x.safe, edits: x.edits.map((e) => [e.start, e.end, e.newText]) })),
        })),
        hover: (a.hoverSpots ?? []).map((h) => [h.span.start, h.span.end, h.ruleId, h.kind]).sort((x, y) => x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0)),
      };
      const h = engine.harden(text, opts);
      rec.harden = { text: h.text === text ? null : h.text, applied: h.applied, rules: h.appliedRules, remaining: h.remaining.length };
    } catch (e) {
      rec = { file: rel, error: String(e && e.stack || e) };
    }
    process.stdout.write(JSON.stringify(rec) + '\n');
  }
})();
