/**
 * An analysis as the pipeline (analyze.ts) leaves it, and what callers get from it: findings
 * whose fixes are rendered, and notes worked out, on first read; a result whose
 * `missing-hardening` groups are formed on first read. The fixes are rendered by each launch's
 * writer, from the intents the rules reported.
 */
import type { ComposeModel } from './sources/compose';
import type { DockerfileModel } from './sources/dockerfile';
import type { Cmd, ShellModel } from './sources/shell';
import { groupMissing, launchName } from './group';
import { hoverSpotsOf } from './hoverSpots';
import { t } from './i18n';
import type { Intent, Launch } from './launch';
import type { PeerComment } from './peerComments';
import type { FixSpec } from './rules/rule';
import { SUPPRESSION_LINES } from './suppress';
import { LineIndex, plainText } from './text';
import type { AnalysisResult, Edit, Finding, FindingGroup, Fix, HoverSpot, Settings, SilencedFinding, SourceKind, Span } from './types';

export interface InternalFinding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  span: Span;
  fixes: FixSpec[] | (() => FixSpec[]);
  related?: Array<{ span: Span; message: string }>;
  context?: string;
  /** Lines a suppression comment may target: the finding's own line and its command's first line. */
  lines: number[];
  /** The launch whose missing setting this reports (the finding stands at its anchor). */
  launch?: Launch;
  note?: string | (() => string | undefined);
  /** Lines where other tools report the same thing (a final stage's CMD/ENTRYPOINT for a missing USER): their comments there count. */
  peerLines?: number[];
}

export interface Internal {
  kind?: SourceKind;
  skipped?: string;
  findings: InternalFinding[];
  index: LineIndex;
  launches: Launch[];
  dockerfile?: DockerfileModel;
  compose?: ComposeModel;
  shell?: ShellModel;
  /** A workflow's `run:` steps: their commands. */
  runCommands?: Cmd[];
  /** Strings a suppression comment before their key covers whole (`run:`, `options:` blocks; unit entries over several lines). */
  scripts?: Span[];
  errors: string[];
  settings?: Settings;
  /** Findings another tool's comment silenced, with the comment. */
  silenced?: Array<{ finding: InternalFinding; by: PeerComment }>;
}

/** Renders a fix with its launch's writer; a writer that throws is recorded in `errors` (a bug, like a rule's). */
export function renderFix(spec: FixSpec, errors: string[]): Edit[] | null {
  try {
    return spec.launch.writer.render(spec.launch, spec.intents);
  } catch (e) {
    errors.push(`writer (${spec.title}): ${(e as Error).stack ?? e}`);
    return null;
  }
}

/** A finding's fix specs, worked out now if the rule deferred them. */
export function specsOf(f: Pick<InternalFinding, 'fixes'>): FixSpec[] {
  if (typeof f.fixes === 'function') f.fixes = f.fixes();
  return f.fixes;
}

function renderFixes(specs: FixSpec[], errors: string[]): Fix[] {
  const fixes: Fix[] = [];
  for (const spec of specs) {
    const edits = renderFix(spec, errors);
    if (edits && edits.length) fixes.push({ title: plainText(spec.title), safe: spec.safe, edits });
  }
  fixes.sort((a, b) => Number(b.safe) - Number(a.safe));
  return fixes;
}

/**
 * A finding for callers. Its fixes are rendered on first read: diagnostics never need them,
 * code actions and `--fix` read them for a few findings. A class, so that the lazy `fixes` and
 * the hidden state cost no property definitions per finding (there are hundreds per file).
 * `fixes` lives on the prototype: copies and JSON that want it name it.
 */
class AnalyzedFinding implements Finding {
  ruleId: string;
  severity: Finding['severity'];
  message: string;
  span: Span;
  range: Finding['range'];
  // Declared only: set when present, so a finding has no `related: undefined`.
  declare related?: Finding['related'];
  declare context?: string;
  /** What the rule reported: the fix specs, the note, the lines a suppression may target. */
  #internal: InternalFinding;
  /** The fixes once rendered. */
  #fixes: Fix[] | undefined;
  /** The analysis's internal errors, where a failing writer is recorded. */
  #errors: string[];

  constructor(f: InternalFinding, index: LineIndex, errors: string[]) {
    this.ruleId = f.ruleId;
    this.severity = f.severity;
    this.message = plainText(f.message);
    this.span = f.span;
    this.range = index.rangeOf(f.span);
    if (f.related?.length) this.related = f.related.map((r) => ({ ...r, message: plainText(r.message), range: index.rangeOf(r.span) }));
    if (f.context) this.context = f.context;
    this.#internal = f;
    this.#errors = errors;
  }

  get fixes(): Fix[] {
    return (this.#fixes ??= renderFixes(specsOf(this.#internal), this.#errors));
  }

  set fixes(v: Fix[]) {
    this.#fixes = v;
  }

  /** Markdown for the hover (what the fix does for this image), worked out on first read. */
  get note(): string | undefined {
    const f = this.#internal;
    if (typeof f.note === 'function') f.note = f.note() || undefined;
    return f.note;
  }

  /** JSON shows the fixes and the note like any other field. */
  toJSON(): Finding {
    const note = this.note;
    return { ...this, fixes: this.fixes, ...(note ? { note } : {}) };
  }

  /** Where a suppression comment for it may go (suppressionEdit). */
  get [SUPPRESSION_LINES](): readonly number[] {
    return this.#internal.lines;
  }
}

export interface AnalysisResultWithErrors extends AnalysisResult {
  /** Internal errors caught while analysing (a rule or reader bug); empty in normal operation. */
  internalErrors: string[];
}


/** The public result of an internal analysis (for callers that also need the internal findings, such as harden). */
export function resultOf(r: Internal): AnalysisResultWithErrors {
  return new AnalyzedResult(r);
}

/**
 * A result whose groups are formed on first read: the editor and the CLI's text output show them;
 * JSON, SARIF, `--fix` and Harden never ask.
 */
class AnalyzedResult implements AnalysisResultWithErrors {
  kind: SourceKind | undefined;
  findings: Finding[];
  internalErrors: string[];
  declare skipped?: string;
  declare hoverSpots?: HoverSpot[];
  declare silenced?: SilencedFinding[];
  /** The analysis and its public findings as made (a caller may filter `findings` later), until the groups are formed; undefined when grouping is off. */
  #pending: { r: Internal; findings: Finding[] } | undefined;
  #groups: FindingGroup[] | undefined;

  constructor(r: Internal) {
    this.kind = r.kind;
    this.findings = r.findings.map((f) => new AnalyzedFinding(f, r.index, r.errors));
    this.internalErrors = r.errors;
    if (r.skipped) this.skipped = r.skipped;
    else this.hoverSpots = hoverSpotsOf(r);
    if (r.silenced?.length) {
      this.silenced = r.silenced.map(({ finding: f, by }) => ({ ruleId: f.ruleId, span: f.span, range: r.index.rangeOf(f.span), tool: by.tool, comment: by.text, line: by.line }));
    }
    if (r.settings?.group !== false) this.#pending = { r, findings: this.findings };
  }

  get groups(): FindingGroup[] | undefined {
    const p = this.#pending;
    if (p) {
      this.#pending = undefined;
      this.#groups = groupsOf(p.r, p.findings);
    }
    return this.#groups;
  }

  set groups(v: FindingGroup[] | undefined) {
    this.#pending = undefined;
    this.#groups = v;
  }

  /** JSON shows the groups like any other field. */
  toJSON(): AnalysisResultWithErrors {
    const groups = this.groups;
    return { ...this, ...(groups ? { groups } : {}) };
  }
}

/** The missing-hardening groups of an analysis; `findings` are the public findings, in the order of r.findings. */
function groupsOf(r: Internal, findings: Finding[]): FindingGroup[] {
  const candidates = [];
  for (let k = 0; k < r.findings.length; k++) {
    const l = r.findings[k].launch;
    if (l) candidates.push({ finding: findings[k], launch: l, label: l.label, command: l.command });
  }
  // The internal finding behind a public one, looked up only when a group's "Harden" fix is asked for.
  let internal: Map<Finding, InternalFinding> | undefined;
  const internalOf = (m: Finding) => (internal ??= new Map(r.findings.map((f, k) => [findings[k], f] as const))).get(m)!;
  return groupMissing(candidates, (members, launch) => hardenLaunch(members.map(internalOf), launch as Launch, r.errors));
}

/** Intents of several fixes rendered together, without repeats (two fixes may both set the image's own user). */
export function uniqueIntents(intents: Intent[]): Intent[] {
  const seen = new Set<string>();
  return intents.filter((it) => {
    if (it.type !== 'add') return true;
    const key = `${it.name}=${it.value ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** "Harden web": every safe fix of these findings of one launch, rendered together by its writer. */
function hardenLaunch(members: InternalFinding[], launch: Launch, errors: string[]): Fix[] {
  const intents = uniqueIntents(members.flatMap((f) => specsOf(f).find((s) => s.safe && s.launch === launch)?.intents ?? []));
  if (!intents.length) return [];
  const edits = renderFix({ title: '', safe: true, intents, launch }, errors);
  return edits?.length ? [{ title: t('Harden {0}', launchName(launch.label, launch.command)), safe: true, edits }] : [];
}

