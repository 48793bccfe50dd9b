/**
 * The normalized description of how a container is launched. Every reader
 * (shell command line, compose service, Dockerfile final stage) produces
 * Launches; launch rules are written once against this shape.
 */
import type { ImageInfo } from './images';
import type { Edit, Range, Span } from './types';

/** Stands for the unknown part of a value (a shell or compose variable). */
export const UNKNOWN = '\u241F';

export function isKnown(s: string | null | undefined): s is string {
  return typeof s === 'string' && !s.includes(UNKNOWN);
}

/** Go/Jinja template placeholders (`{{ .Tag }}`, `{{ env.variant }}`) are unknown values, like variables. */
export function placeholderShape(s: string): string {
  return s.includes('{{') ? s.replace(/\{\{[^{}]*\}\}/g, UNKNOWN) : s;
}

/** Replaces Dockerfile variables (`$X`, `${X}`) and template placeholders by UNKNOWN; `${X:-y}` is its default y. */
export function variableShape(s: string, escape = '\\'): string {
  s = placeholderShape(s);
  if (!s.includes('$')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === escape && s[i + 1] === '$') {
      out += '$';
      i++;
    } else if (c === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i);
      // `${X:-default}` / `${X-default}` is its default unless the build says otherwise.
      const d = close < 0 ? null : /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$/s.exec(s.slice(i, close + 1));
      out += d ? variableShape(d[1], escape) : UNKNOWN;
      i = close < 0 ? s.length : close;
    } else if (c === '$' && /[A-Za-z_]/.test(s[i + 1] ?? '')) {
      out += UNKNOWN;
      i++;
      while (i + 1 < s.length && /[A-Za-z0-9_]/.test(s[i + 1])) i++;
    } else out += c;
  }
  return out;
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
  /** Taken from another file (`extends: {file: …}`) and reported here: where it is written there. */
  origin?: { file: string; text: string; range: Range };
}

/**
 * `image` is the final stage of a Dockerfile: the defaults every container of
 * that image starts with (its USER, its HEALTHCHECK).
 */
export type LaunchCommand = 'run' | 'create' | 'exec' | 'service' | 'dockerd' | 'image' | 'other';

/** What the Dockerfile a compose service builds says about the image, when the reader could read it. */
export interface BuiltImage {
  /** Shape of the final stage's last USER (through the stages it builds on); undefined when none is set. */
  user?: string;
  /** The final stage's HEALTHCHECK: 'set', 'none' (`HEALTHCHECK NONE`), or undefined when there is none. */
  healthcheck?: 'set' | 'none';
}

export interface Launch {
  source: 'shell' | 'compose' | 'dockerfile' | 'devcontainer' | 'workflow' | 'quadlet';
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
  /** True when options may hide behind an expansion such as "$@" or $DOCKER_OPTS. */
  opaque?: boolean;
  /**
   * Whether rules about a missing setting (no user, no cap_drop, no limits…) judge this launch:
   * a complete `run`/`create` command line, a compose service that is not a fragment of one
   * defined elsewhere, a Dockerfile's final stage. False when options may hide behind an
   * expansion or an unreadable `extends`.
   */
  judgeMissing: boolean;
  /** Compose `build:`: what the Dockerfile it builds says, when that file could be read. */
  built?: BuiltImage;
  /** What the image table knows about `image` (its user, the capabilities it needs, what it writes); undefined for an unknown image. */
  known?: ImageInfo;
  /**
   * A developer's own environment (`dev`: a devcontainer) or a CI job's throwaway container (`ci`:
   * a workflow's job and service containers, and what its `run:` steps start). Such containers run
   * as root by design: neither missing settings (judgeMissing is false) nor a root user are judged.
   */
  purpose?: 'dev' | 'ci';
  /** Renders fix intents for this launch and spells settings in this source's syntax. */
  writer: LaunchWriter;
}

/**
 * Fix intents: what a rule wants changed, in the launch description's terms.
 * Option names are the canonical docker long names (`cap-drop`, `user`…).
 */
export type Intent =
  | { type: 'remove'; option: Option }
  /** Add a setting the launch lacks. */
  | { type: 'add'; name: string; value?: string }
  | { type: 'mount-readonly'; option: Option }
  | { type: 'set-value'; option: Option; value: string }
  /** Write the option under another name (`--cpuset` → `--cpuset-cpus`, `-v /dev/x:/dev/x` → `--device`). */
  | { type: 'rename'; option: Option; name: string; value?: string }
  /** Publish the port on this host address only. */
  | { type: 'bind-port'; option: Option; address: string }
  /** `docker -d` / `docker daemon` → `dockerd`. */
  | { type: 'use-dockerd' }
  /** Dockerfile: write this instruction with another keyword (ADD → COPY), in the keyword's case. */
  | { type: 'set-keyword'; span: Span; keyword: string };

export interface LaunchWriter {
  /** Renders intents (all for this launch) as edits; null when it cannot. */
  render(launch: Launch, intents: Intent[]): Edit[] | null;
  /**
   * How this source writes a setting, for messages: `--cap-drop ALL`, `cap_drop: [ALL]`,
   * `USER 1000`. Without a value, the option's name as written there (`--user`, `user:`).
   */
  spell(name: string, value?: string): string;
}

/** Value of a boolean option: true unless written as false/0. Unknown counts as not true. */
export function isTrue(o: Option): boolean {
  const v = o.value.trim().toLowerCase();
  return v === 'true' || v === '1' || v === 'yes' || v === 'on';
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
