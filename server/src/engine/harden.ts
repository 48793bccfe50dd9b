/**
 * "Harden this file": every safe fix, applied in passes until nothing changes.
 */
import type { Launch } from './launch';
import { runInternal } from './analyze';
import { renderFix, resultOf, specsOf, uniqueIntents, type Internal } from './results';
import { decisionOf, IMAGE_DEPENDENT, launchName, type Decision } from './group';
import type { FixSpec } from './rules/rule';
import { readCompose } from './sources/compose';
import { isLaunchSource, launchSourceParses } from './sources/launchSources';
import { applyEdits, editsOverlap } from './text';
import type { AnalyzeOptions, Edit, HardenResult, SourceKind } from './types';

export interface HardenResultWithEdits extends HardenResult {
  /** Per launch, the image-dependent settings left out because the image is not known well enough. */
  decisions: Decision[];
  /** The changes as edits against the text given: `applyEdits(text, edits) === result.text`. */
  edits: Edit[];
  /** Internal errors caught while hardening (a fix or reader bug); empty in normal operation. */
  internalErrors: string[];
}

/** True when the text still parses as the kind it was (so a fix did not break it). */
function stillParses(text: string, kind: SourceKind, options: AnalyzeOptions, errors: string[]): boolean {
  try {
    if (kind === 'compose') return !readCompose(text, options.fileName, undefined).error;
    if (isLaunchSource(kind)) return launchSourceParses(kind, text);
    return true;
  } catch (e) {
    errors.push(`harden: re-reading the fixed text: ${(e as Error).stack ?? e}`);
    return false;
  }
}

/** A piece of the hardened text: a stretch of the original text, or text a fix wrote. */
type Piece = { from: number; to: number } | string;

const pieceLength = (p: Piece) => (typeof p === 'string' ? p.length : p.to - p.from);

/** The pieces after applying `edits` (offsets into the text the pieces make up). */
function editPieces(pieces: Piece[], edits: Edit[]): Piece[] {
  const out: Piece[] = [];
  let k = 0;
  let inPiece = 0;
  let at = 0;
  const advance = (to: number, keep: boolean) => {
    while (at < to) {
      if (k >= pieces.length) throw new Error(`edit beyond the end of the text (${to})`);
      const p = pieces[k];
      const n = Math.min(pieceLength(p) - inPiece, to - at);
      if (keep && n > 0) out.push(typeof p === 'string' ? p.slice(inPiece, inPiece + n) : { from: p.from + inPiece, to: p.from + inPiece + n });
      inPiece += n;
      at += n;
      if (inPiece === pieceLength(p)) {
        k++;
        inPiece = 0;
      }
    }
  };
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    advance(e.start, true);
    advance(e.end, false);
    if (e.newText) out.push(e.newText);
  }
  advance(pieces.reduce((n, p) => n + pieceLength(p), 0), true);
  return out;
}

/** The pieces as edits against the original text: what lies between two kept stretches is replaced. */
function piecesToEdits(original: string, pieces: Piece[]): Edit[] {
  const edits: Edit[] = [];
  let pos = 0;
  let written = '';
  const flush = (end: number) => {
    if ((end > pos || written) && original.slice(pos, end) !== written) edits.push({ start: pos, end, newText: written });
    written = '';
  };
  for (const p of pieces) {
    if (typeof p === 'string') {
      written += p;
      continue;
    }
    flush(p.from);
    pos = p.to;
  }
  flush(original.length);
  return edits;
}

/**
 * Applies every safe fix. Fixes of one launch are rendered together (so
 * memory, cpus and pids land in one block); fixes that would overlap wait for
 * the next pass, which re-analyses the new text.
 */
export function harden(text: string, options: AnalyzeOptions = {}): HardenResultWithEdits {
  let current = text;
  // The current text as pieces of the original, so the passes' edits add up to edits of the original.
  let pieces: Piece[] = text.length ? [{ from: 0, to: text.length }] : [];
  const internalErrors: string[] = [];
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
      const spec = specsOf(f).find((s) => s.safe && renderFix(s, internalErrors) !== null);
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
        const all: FixSpec = { title: 'harden', safe: true, intents: uniqueIntents(g.specs.flatMap((s) => s.intents)), launch };
        if (take(renderFix(all, internalErrors), g.rules, g.keys)) continue;
      }
      // One at a time; what does not fit now is picked up by the next pass.
      g.specs.forEach((spec, k) => take(renderFix(spec, internalErrors), [g.rules[k]], [g.keys[k]]));
    }
    if (!chosen.length) break;
    let next: string;
    let nextPieces: Piece[];
    try {
      next = applyEdits(current, chosen);
      nextPieces = editPieces(pieces, chosen);
    } catch (e) {
      internalErrors.push(`harden: applying fixes: ${(e as Error).stack ?? e}`);
      break;
    }
    if (next === current || !stillParses(next, r.kind, options, internalErrors)) break;
    current = next;
    pieces = nextPieces;
    applied += rules.length;
    appliedRules.push(...rules);
  }
  const last = runInternal(current, options);
  const final = resultOf(last);
  internalErrors.push(...final.internalErrors);
  return { text: current, applied, remaining: final.findings, appliedRules, edits: piecesToEdits(text, pieces), internalErrors, decisions: decisionsIn(last) };
}

/** The image-dependent missing settings left in the hardened text (their fixes are offered, not safe), per launch. */
function decisionsIn(r: Internal): Decision[] {
  const byLaunch = new Map<Launch, string[]>();
  for (const f of r.findings) {
    if (!f.launch || !IMAGE_DEPENDENT.has(f.ruleId)) continue;
    const specs = specsOf(f);
    if (!specs.length || specs.some((s) => s.safe)) continue;
    byLaunch.set(f.launch, [...(byLaunch.get(f.launch) ?? []), f.ruleId]);
  }
  return [...byLaunch].map(([l, rules]) => decisionOf(launchName(l.label, l.command), l.image?.shape, rules));
}
