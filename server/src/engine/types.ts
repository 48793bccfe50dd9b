/**
 * Public types of the analysis engine. The engine is pure: no vscode or LSP
 * imports. Offsets are UTF-16 code units into the analysed text (the same unit
 * JavaScript strings and LSP positions use); positions are 0-based.
 */

export type SourceKind = 'dockerfile' | 'compose' | 'shell' | 'devcontainer' | 'workflow' | 'quadlet';
export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';
export type FixSafety = 'safe' | 'manual';

export interface Span {
  start: number;
  end: number;
}

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A text replacement: offsets refer to the text the analysis ran on. */
export interface Edit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  /** Safe fixes are applied by "Harden this file" and `--fix`. */
  safe: boolean;
  edits: Edit[];
}

export interface RelatedInfo {
  span: Span;
  range: Range;
  message: string;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  range: Range;
  /** Rendered fixes, the preferred (safe) one first. */
  fixes: Fix[];
  related?: RelatedInfo[];
  /** Compose service, or the command words of a shell launch, the finding belongs to. */
  context?: string;
  /** Markdown for hovers: what the fix does for this image, with sources. */
  note?: string;
}

export interface FixDefaults {
  /** User for `-u` / compose `user:`. */
  user: string;
  /** User for the Dockerfile `USER` instruction. */
  dockerfileUser: string;
  memory: string;
  cpus: string;
  pidsLimit: number;
}

export interface Settings {
  /** Per-rule severity or 'off'. Missing rules use their default severity. */
  rules: Record<string, SeveritySetting>;
  fix: FixDefaults;
  /** Show the `missing-hardening` members of a launch as one finding (editor, CLI text). */
  group: boolean;
  /** Honour other tools' suppression comments (hadolint, Checkov, Trivy, KICS, Semgrep, BuildKit) for the rules their ids map to. */
  peerComments: boolean;
}

/** Partial settings, as a config file or the editor gives them. */
export interface SettingsInput {
  rules?: Record<string, SeveritySetting>;
  fix?: Partial<FixDefaults>;
  group?: boolean;
  peerComments?: boolean;
}

export interface AnalyzeOptions {
  /** File name or path; used to detect the kind and to find sibling files. */
  fileName?: string;
  /** Overrides detection. */
  kind?: SourceKind;
  settings?: SettingsInput;
  /**
   * Reads a sibling file (compose base/override files, the Dockerfile a compose
   * service builds). Returns undefined when it cannot be read. The engine never
   * touches the file system itself.
   */
  readFile?: (path: string) => string | undefined;
}

export interface AnalysisResult {
  kind: SourceKind | undefined;
  findings: Finding[];
  /** Set when the text was not analysed at all (binary, not a supported file). */
  skipped?: string;
  /**
   * Security-relevant options and instruction keywords with nothing wrong, for
   * hovers (hoverAt answers from them and the findings without re-analysing).
   */
  hoverSpots?: HoverSpot[];
  /**
   * The `missing-hardening` findings of one launch shown as one (editor, CLI text): each
   * group stands for its members, which are also in `findings`. Empty when grouping is off.
   */
  groups?: FindingGroup[];
  /** Findings another tool's suppression comment silenced, with that comment (for hovers). */
  silenced?: SilencedFinding[];
}

/** A finding that another tool's suppression comment silenced. */
export interface SilencedFinding {
  ruleId: string;
  span: Span;
  range: Range;
  tool: PeerTool;
  /** The comment as written (`# hadolint ignore=DL3002`). */
  comment: string;
  /** 0-based line of the comment. */
  line: number;
}

/** Tools whose suppression comments are honoured for the rules their check ids map to. */
export type PeerTool = 'hadolint' | 'checkov' | 'trivy' | 'kics' | 'semgrep' | 'buildkit';

/** What a rule's metadata says about those tools: tool → the check ids the rule answers to. */
export type PeerIds = Partial<Record<PeerTool, string[]>>;

/** Several findings about settings one launch lacks, presented as one. */
export interface FindingGroup {
  id: 'missing-hardening';
  /** The launch: `web` for a compose service, `docker run`, `final stage`. */
  name: string;
  /** The highest of the members'. */
  severity: Severity;
  /** The launch's anchor, where every member points. */
  span: Span;
  range: Range;
  /** Plain text: "web lacks 6 hardening settings: …". */
  message: string;
  members: Finding[];
  /** One fix with every safe member fix ("Harden web"), when there is any. */
  readonly fixes: Fix[];
}

export interface HoverSpot {
  span: Span;
  /** The rule that explains what this setting protects against. */
  ruleId: string;
  /** An option (shown as written) or an instruction keyword. */
  kind: 'option' | 'instruction';
  /** The setting there, for hovers that say what it protects (`pids-limit` = `100`). */
  setting?: { name: string; value: string };
}

export interface RuleMeta {
  id: string;
  title: string;
  /** Section of the hardening guide. */
  guide: number[];
  cis?: string;
  severity: Severity;
  /** Opt-in: the rule runs only when a setting gives it a severity. */
  off?: boolean;
  fix: FixSafety;
  sources: string;
  /** One line: what is wrong. */
  short: string;
  /** Why it matters and what to do instead (Markdown). */
  long: string;
  /** Where the rule is documented. */
  docsUrl: string;
  /** Other tools' check ids this rule answers to (their suppression comments silence it). */
  peers?: PeerIds;
}

export interface HoverInfo {
  span: Span;
  range: Range;
  /** Markdown. */
  contents: string;
}

export interface HardenResult {
  text: string;
  applied: number;
  /** Findings left after hardening (need a manual decision). */
  remaining: Finding[];
  /** Ids of the rules whose fixes were applied, one entry per fix. */
  appliedRules: string[];
}
