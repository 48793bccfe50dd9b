/** What a rule module looks like, and the context it reports through. */
import type { Intent, Launch } from '../launch';
import type { DockerfileView, ShellScope } from '../model';
import { peersOf } from '../peerIds';
import type { RuleMeta, Settings, Severity, SourceKind, Span } from '../types';

export type { ShellScope };

/** A fix as a rule states it: what to change (intents), rendered by the launch's writer. */
export interface FixSpec {
  title: string;
  safe: boolean;
  intents: Intent[];
  launch: Launch;
}

export interface Report {
  span: Span;
  message: string;
  severity?: Severity;
  /** The fixes, or a function that works them out when they are first needed (for fixes that are costly to check). */
  fixes?: FixSpec[] | (() => FixSpec[]);
  related?: Array<{ span: Span; message: string }>;
  context?: string;
  /**
   * Markdown for the hover: what the fix does here and where that knowledge comes from. A function
   * when it is worth working out only if a hover asks (most findings are never hovered).
   */
  note?: string | (() => string | undefined);
}

export interface RuleContext {
  kind: SourceKind;
  text: string;
  settings: Settings;
  report(r: Report): void;
}

export interface Rule {
  meta: RuleMeta;
  /** Every container launch: shell command lines, compose services, a Dockerfile's final stage. */
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
  /** Dockerfile-only checks (instructions, stages). */
  dockerfile?(df: DockerfileView, ctx: RuleContext): void;
}

export const DOCS_BASE = 'https://github.com/container-hardening/container-hardening/blob/main/README.md#rule-';

/** A rule's metadata: its docs link, and the other tools' check ids it answers to (peerIds.ts). */
export function meta(m: Omit<RuleMeta, 'docsUrl' | 'peers'>): RuleMeta {
  const peers = peersOf(m.id);
  return { ...m, docsUrl: DOCS_BASE + m.id, ...(peers ? { peers } : {}) };
}
