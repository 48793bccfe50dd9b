/**
 * "Harden this file": every safe fix, applied in passes until nothing changes.
 */
import type { Launch } from './launch';
import { analyze, renderFix, runInternal, specsOf } from './analyze';
import type { FixSpec } from './rules/rule';
import { readCompose } from './sources/compose';
import { isLaunchSource, launchSourceParses } from './sources/launchSources';
import { applyEdits, editsOverlap } from './text';
import type { AnalyzeOptions, Edit, HardenResult, SourceKind } from './types';

/** True when the text still parses as the kind it was (so a fix did not break it). */
function stillParses(text: string, kind: SourceKind, options: AnalyzeOptions): boolean {
  try {
    if (kind === 'compose') return !readCompose(text, options.fileName, undefined).error;
    if (isLaunchSource(kind)) return launchSourceParses(kind, text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Applies every safe fix. Fixes of one launch are rendered together (so
 * memory, cpus and pids land in one block); fixes that would overlap wait for
 * the next pass, which re-analyses the new text.
 */
export function harden(text: string, options: AnalyzeOptions = {}): HardenResult {
  let current = text;
  let applied = 0;
  const appliedRules: string[] = [];
  // A fix whose finding comes back at the same place did not work: never apply it twice.
  const tried = new Set<string>();
  for (let pass = 0; pass < 8; pass++) {
    const r = runInternal(current, options);
    if (r.skipped || !r.kind) break;
    if (r.findings.some((f) => f.ruleId === 'parse-error')) break;
    // Group safe fixes per launch: its writer renders them together.
    const groups = new Map<Launch, { specs: FixSpec[]; rules: string[]; keys: string[] }>();
    for (const f of r.findings) {
      // The safe fix, if its writer can render it here (a compose file has no `--device`, say).
      const spec = specsOf(f).find((s) => s.safe && renderFix(s, r.errors) !== null);
      if (!spec) continue;
      if (tried.has(`${f.ruleId}@${f.span.start}:${f.message}`)) continue;
      const key = spec.launch;
      const g = groups.get(key) ?? { specs: [], rules: [], keys: [] };
      g.specs.push(spec);
      g.rules.push(f.ruleId);
      g.keys.push(`${f.ruleId}@${f.span.start}:${f.message}`);
      groups.set(key, g);
    }
    if (!groups.size) break;
    const chosen: Edit[] = [];
    const rules: string[] = [];
    const take = (edits: Edit[] | null, ids: string[], keys: string[]): boolean => {
      if (!edits || !edits.length) return false;
      const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
      for (let k = 1; k < sorted.length; k++) if (sorted[k].start < sorted[k - 1].end) return false;
      if (editsOverlap(chosen, edits)) return false;
      chosen.push(...edits);
      rules.push(...ids);
      keys.forEach((k) => tried.add(k));
      return true;
    };
    for (const [launch, g] of groups) {
      if (g.specs.length > 1) {
        const all: FixSpec = { title: 'harden', safe: true, intents: g.specs.flatMap((s) => s.intents), launch };
        if (take(renderFix(all, r.errors), g.rules, g.keys)) continue;
      }
      // One at a time; what does not fit now is picked up by the next pass.
      g.specs.forEach((spec, k) => take(renderFix(spec, r.errors), [g.rules[k]], [g.keys[k]]));
    }
    if (!chosen.length) break;
    let next: string;
    try {
      next = applyEdits(current, chosen);
    } catch {
      break;
    }
    if (next === current || !stillParses(next, r.kind, options)) break;
    current = next;
    applied += rules.length;
    appliedRules.push(...rules);
  }
  const final = analyze(current, options);
  return { text: current, applied, remaining: final.findings, appliedRules };
}
