/** What a rule module looks like, and the context it reports through. */
import type { Intent, Launch } from '../launch';
import type { ComposeModel } from '../sources/compose';
import type { DockerfileModel } from '../sources/dockerfile';
import type { Assign, Cmd } from '../sources/shell';
import type { Edit, RuleMeta, Severity, SourceKind, Span } from '../types';

export interface FixSpec {
  title: string;
  safe: boolean;
  /** Intents rendered by the launch's writer… */
  intents?: Intent[];
  launch?: Launch;
  /** …or edits computed by the rule itself. */
  edits?: Edit[];
}

export interface Report {
  span: Span;
  message: string;
  severity?: Severity;
  /** The fixes, or a function that works them out when they are first needed (for fixes that are costly to check). */
  fixes?: FixSpec[] | (() => FixSpec[]);
  related?: Array<{ span: Span; message: string }>;
  context?: string;
}

export interface RuleContext {
  kind: SourceKind;
  text: string;
  fileName?: string;
  settings: import('../types').Settings;
  readFile?: (p: string) => string | undefined;
  report(r: Report): void;
}

/** Shell commands of a script, or of all RUN instructions of a Dockerfile. */
export interface ShellScope {
  commands: Cmd[];
  assigns: Assign[];
  /** True for commands inside Dockerfile RUN instructions. */
  inRun: boolean;
}

export interface Rule {
  meta: RuleMeta;
  /** Every container launch: shell command lines, compose services. */
  launch?(l: Launch, ctx: RuleContext): void;
  /** Shell commands (scripts and Dockerfile RUN). */
  shell?(s: ShellScope, ctx: RuleContext): void;
  /**
   * Words without which `shell` can find nothing (command names, option or
   * variable names it looks for), matched case-insensitively against a RUN's
   * text with quotes, backslashes and line continuations taken out. A Dockerfile
   * RUN that contains none of the enabled rules' triggers (nor a container
   * tool) is not parsed as shell at all. A rule with a `shell` hook and no
   * triggers turns this off: every RUN is parsed.
   */
  shellTriggers?: RegExp;
  dockerfile?(df: DockerfileModel, ctx: RuleContext): void;
  compose?(c: ComposeModel, ctx: RuleContext): void;
}

export const DOCS_BASE = 'https://github.com/container-hardening/container-hardening/blob/main/README.md#rule-';

export function meta(m: Omit<RuleMeta, 'docsUrl'>): RuleMeta {
  return { ...m, docsUrl: DOCS_BASE + m.id };
}
