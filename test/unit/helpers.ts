/**
 * Test helpers. Fixtures carry their expectations as comments:
 *
 *   # checks: privileged, cap-drop-missing    rules judged exactly in this file (no misses, no false alarms)
 *   # expect: privileged                      a finding of that rule starts on the next line that is not a comment
 *   # expect+2: privileged                    … two lines further down (continuation lines)
 *   docker run --privileged x  # expect: privileged   … or on this very line (shell and YAML)
 *   # settings: image-digest-missing=info              rule severities for this fixture (opt-in rules)
 *
 * Rules a fixture does not list under `checks` are not judged there. JSON files (devcontainer.json)
 * write the same annotations as `//` comments.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze, AnalyzeOptions, applyEdits, Finding, initEngine, SeveritySetting } from '../../server/src/engine';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const CORPUS = path.join(ROOT, 'test', 'corpus');

let ready: Promise<void> | undefined;
export function ready_(): Promise<void> {
  ready ??= initEngine();
  return ready;
}
export { ready_ as init };

export function readSibling(p: string): string | undefined {
  try {
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

export interface Expectations {
  checks: Set<string>;
  /** rule id → 1-based lines where a finding must start (one entry per expected finding). */
  expected: Map<string, number[]>;
}

export function readExpectations(text: string): Expectations {
  const lines = text.split(/\r?\n/);
  const checks = new Set<string>();
  const expected = new Map<string, number[]>();
  const add = (ids: string, line: number) => {
    for (const id of ids.split(/[\s,]+/).filter(Boolean)) {
      expected.set(id, [...(expected.get(id) ?? []), line]);
      checks.add(id);
    }
  };
  lines.forEach((l, i) => {
    const c = /(?:#|\/\/)\s*checks:\s*(.*)$/.exec(l);
    if (c) for (const id of c[1].split(/[\s,]+/).filter(Boolean)) checks.add(id);
    const m = /(?:#|\/\/)\s*expect(?:\+(\d+))?:\s*([A-Za-z0-9_,\s-]+)$/.exec(l);
    if (!m) return;
    const offset = m[1] ? Number(m[1]) : 0;
    if (/^\s*(?:#|\/\/)/.test(l)) {
      let j = i + 1;
      while (j < lines.length && /^\s*((?:#|\/\/).*)?$/.test(lines[j])) j++;
      add(m[2], j + 1 + offset);
    } else add(m[2], i + 1 + offset);
  });
  return { checks, expected };
}

/** Rule severities a fixture asks for: `# settings: image-digest-missing=info, privileged=off`. */
export function fixtureSettings(text: string): AnalyzeOptions['settings'] {
  const m = /#\s*settings:\s*(.*)$/m.exec(text);
  if (!m) return undefined;
  const rules: Record<string, SeveritySetting> = {};
  for (const pair of m[1].split(/[\s,]+/).filter(Boolean)) {
    const [id, sev] = pair.split('=');
    rules[id] = sev as SeveritySetting;
  }
  return { rules };
}

export function analyzeFile(file: string, extra: AnalyzeOptions = {}) {
  const text = fs.readFileSync(file, 'utf8');
  const r = analyze(text, { fileName: file, readFile: readSibling, settings: fixtureSettings(text), ...extra });
  return { text, result: r };
}

/** Compares findings with a fixture's annotations; returns a readable list of differences. */
export function diffExpectations(text: string, findings: Finding[]): string[] {
  const exp = readExpectations(text);
  const problems: string[] = [];
  for (const id of exp.checks) {
    const want = [...(exp.expected.get(id) ?? [])].sort((a, b) => a - b);
    const got = findings.filter((f) => f.ruleId === id).map((f) => f.range.start.line + 1).sort((a, b) => a - b);
    const missing = [...want];
    const extra: number[] = [];
    for (const g of got) {
      const k = missing.indexOf(g);
      if (k >= 0) missing.splice(k, 1);
      else extra.push(g);
    }
    for (const m of missing) problems.push(`missed ${id} on line ${m}`);
    for (const e of extra) problems.push(`false alarm ${id} on line ${e}: ${findings.find((f) => f.ruleId === id && f.range.start.line + 1 === e)?.message}`);
  }
  return problems;
}

/** Every file under `dir`, sorted; golden outputs (`<fixture>.fixed`, see golden.test.ts) and .gitignore files are no fixtures. */
export function listFixtures(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) rec(p);
      else if (!e.name.endsWith('.fixed') && e.name !== '.gitignore') out.push(p);
    }
  };
  if (fs.existsSync(dir)) rec(dir);
  return out.sort();
}

export function applyFix(text: string, f: Finding, which = 0): string {
  return applyEdits(text, f.fixes[which].edits);
}
