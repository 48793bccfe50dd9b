/**
 * The normalized description of how a container is launched. Every reader
 * (shell command line, compose service, Dockerfile final stage) produces
 * Launches; launch rules are written once against this shape.
 */
import type { Span } from './types';

/** Stands for the unknown part of a value (a shell or compose variable). */
export const UNKNOWN = '\u241F';

export function isKnown(s: string | null | undefined): s is string {
  return typeof s === 'string' && !s.includes(UNKNOWN);
}

/** A value as written. `shape` is the value with every unknown part replaced by UNKNOWN. */
export interface Val {
  shape: string;
  span: Span;
}

export interface Mount {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'unknown';
  source: string | null;
  target: string | null;
  readonly: boolean;
  propagation?: string;
  /** How it was written: `-v` short syntax, `--mount`, compose short or long syntax. */
  style: 'short' | 'mount' | 'long';
}

export interface Port {
  hostIp: string | null;
  hostPort: string | null;
  containerPort: string | null;
  protocol?: string;
  /** `-P` / `--publish-all`. */
  all?: boolean;
}

export interface Option {
  /** Canonical docker long name without dashes: 'cap-add', 'security-opt', 'volume', 'privileged', … */
  name: string;
  /** Value shape ('true' for a bare boolean flag); may contain UNKNOWN. */
  value: string;
  /** The whole option as written (flag and value, or the compose item / pair). */
  span: Span;
  valueSpan?: Span;
  /** As written: '-v', '--volume', 'volumes', 'cap_add' … */
  spelled: string;
  mount?: Mount;
  port?: Port;
  /** Inherited from another file or an `extends` base: counts as present, is not reported here. */
  inherited?: boolean;
  /** Compose: the merge key (`<<: *base`) through which this option reached the service. */
  via?: Span;
  /** Writer-specific handle (shell words, YAML nodes). */
  ref?: unknown;
}

export type LaunchCommand = 'run' | 'create' | 'exec' | 'service' | 'dockerd' | 'other';

export interface Launch {
  source: 'shell' | 'compose' | 'dockerfile';
  tool: string;
  command: LaunchCommand;
  /** Subcommand as written, e.g. 'container run', 'pull', 'login'. */
  subcommand?: string;
  /** Where findings about a missing option point: the command words, the service key. */
  anchor: Span;
  /** Short label: 'docker run', 'service web'. */
  label: string;
  image?: Val;
  options: Option[];
  /** True when options may hide behind an expansion such as "$@" or $DOCKER_OPTS: missing-option rules stay quiet. */
  opaque?: boolean;
  /** The writer that renders fix intents for this launch. */
  writer?: LaunchWriter;
  /** Writer-specific handle. */
  ref?: unknown;
}

/** Fix intents, rendered by a source's writer into text edits. */
export type Intent =
  | { type: 'remove'; option: Option }
  | { type: 'add'; name: string; value?: string }
  | { type: 'mount-readonly'; option: Option }
  | { type: 'set-value'; option: Option; value: string }
  | { type: 'rename'; option: Option; name: string; value?: string }
  | { type: 'edits'; edits: { start: number; end: number; newText: string }[] };

export interface LaunchWriter {
  /** Renders intents (all for this launch) as edits; null when it cannot. */
  render(launch: Launch, intents: Intent[]): { start: number; end: number; newText: string }[] | null;
}

export function opts(launch: Launch, name: string): Option[] {
  return launch.options.filter((o) => o.name === name);
}

export function has(launch: Launch, name: string): boolean {
  return launch.options.some((o) => o.name === name);
}

/** Value of a boolean option: true unless written as false/0. Unknown counts as not true. */
export function isTrue(o: Option): boolean {
  const v = o.value.trim().toLowerCase();
  return v === 'true' || v === '1' || v === 'yes' || v === 'on';
}

export function lastOpt(launch: Launch, name: string): Option | undefined {
  const all = opts(launch, name);
  return all[all.length - 1];
}

/** Splits `key=value` / `key:value` (security-opt). */
export function splitKeyValue(s: string): { key: string; value: string | undefined; sep: string } {
  const eq = s.indexOf('=');
  const colon = s.indexOf(':');
  let i = -1;
  if (eq >= 0 && (colon < 0 || eq < colon)) i = eq;
  else if (colon >= 0) i = colon;
  if (i < 0) return { key: s.trim(), value: undefined, sep: '' };
  return { key: s.slice(0, i).trim(), value: s.slice(i + 1).trim(), sep: s[i] };
}
