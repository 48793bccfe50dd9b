/**
 * Baselines, so that a team can turn the check on without failing on yesterday's findings:
 * `--write-baseline FILE` records every finding's fingerprint, `--baseline FILE` (that file, or
 * an earlier JSON or SARIF report) reports only findings whose fingerprint is not in it.
 *
 * A fingerprint survives unrelated line shifts: it hashes the file, the rule, the text of the
 * finding's line (trimmed) and its message, plus how many identical findings came before it in
 * the file (two identical lines stay two findings). SARIF carries it in `partialFingerprints`.
 */
import type * as Crypto from 'crypto';
import * as fs from 'fs';
import { LineIndex, type Finding } from '../engine';
import type { FileResult } from './results';

let crypto: typeof Crypto | undefined;

/** Loaded on first use: most runs print text and need no fingerprint (loading it cost every run ~10 ms). */
function sha256(s: string): string {
  crypto ??= require('crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(s).digest('hex');
}

export const FINGERPRINT_KEY = 'containerHardening/v1';

/** Fingerprints of a file's findings, in the order of `r.result.findings`. */
export function fingerprintsOf(r: FileResult): string[] {
  const findings = r.result?.findings ?? [];
  if (!findings.length || r.text === undefined) return [];
  const index = new LineIndex(r.text);
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const line = index.lineText(f.range.start.line).trim();
    const key = `${r.displayPath.replace(/\\/g, '/')}\0${f.ruleId}\0${line}\0${f.message}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return sha256(`${key}\0${n}`).slice(0, 32);
  });
}

/** The fingerprints a baseline file holds: our JSON report (`fingerprint` per finding) or SARIF (`partialFingerprints`). */
export function readBaseline(file: string): Set<string> {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    files?: Array<{ findings?: Array<{ fingerprint?: string }> }>;
    runs?: Array<{ results?: Array<{ partialFingerprints?: Record<string, string> }> }>;
  };
  const out = new Set<string>();
  for (const f of data.files ?? []) for (const x of f.findings ?? []) if (typeof x.fingerprint === 'string') out.add(x.fingerprint);
  for (const run of data.runs ?? []) for (const x of run.results ?? []) {
    const fp = x.partialFingerprints?.[FINGERPRINT_KEY];
    if (typeof fp === 'string') out.add(fp);
  }
  if (!data.files && !data.runs) throw new Error('not a container-hardening JSON or SARIF report');
  return out;
}

/**
 * Leaves out the findings the baseline knows; returns how many. A container's group keeps only
 * its new members (shown one by one when some were known).
 */
export function applyBaseline(results: FileResult[], known: Set<string>): number {
  let dropped = 0;
  for (const r of results) {
    if (!r.result) continue;
    const fps = fingerprintsOf(r);
    const gone = new Set<Finding>();
    r.result.findings.forEach((f, i) => {
      if (known.has(fps[i])) gone.add(f);
    });
    if (!gone.size) continue;
    dropped += gone.size;
    r.result.findings = r.result.findings.filter((f) => !gone.has(f));
    r.result.groups = r.result.groups?.filter((g) => !g.members.some((m) => gone.has(m)));
  }
  return dropped;
}
