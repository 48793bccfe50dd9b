/**
 * devcontainer.json reader: JSON with comments and trailing commas (jsonc-parser, with the offset
 * of every node) turned into the launch the devcontainers CLI makes of it (`docker run` with
 * `-u containerUser`, `-e` per `containerEnv`, `--mount` per `mounts` and `workspaceMount`,
 * `runArgs`, then `--privileged`, `--cap-add`, `--security-opt`), plus what the official features
 * it names add. A config built from a compose file takes no `runArgs`, `image` or `workspaceMount`:
 * its compose service is checked in the compose file itself, and a Dockerfile it builds in the
 * Dockerfile. A developer's own container: judged neither for missing settings nor for running as
 * root (the catalog's J).
 */
import type { Node } from 'jsonc-parser';
import type { Word } from '../dockercli';
import { jsonc } from '../lazy';
import { UNKNOWN, type Launch, type Option } from '../launch';
import { parseMountSpec, parsePortSpec } from '../mounts';
import type { Span } from '../types';
import { readArgOptions, type ArgWords } from './argv';
import { devcontainerWriter, withRef } from './devcontainerWriter';
import { jsonStringText, maskUnknown, type MappedText } from './mapped';

export interface DevcontainerModel {
  launch?: Launch;
  error?: { span: Span; message: string };
}

/** `${localEnv:HOME}`, `${localWorkspaceFolder}`, `${devcontainerId}`: known when the container is made. */
const VARIABLE = /\$\{[^}]*\}/g;

/** Where a string value stands: its text (variables as UNKNOWN) and the offsets of its characters. */
function stringText(text: string, n: Node): MappedText {
  return maskUnknown(jsonStringText(text, n.offset, n.offset + n.length), VARIABLE, (k) => UNKNOWN.repeat(k));
}

const spanOf = (n: Node): Span => ({ start: n.offset, end: n.offset + n.length });

/** The last property of that name (JSON keeps the last of duplicate keys). */
function member(obj: Node | undefined, name: string): Node | undefined {
  if (obj?.type !== 'object') return undefined;
  let found: Node | undefined;
  for (const p of obj.children ?? []) if (p.children?.[0]?.value === name) found = p;
  return found;
}

const valueOf = (p: Node | undefined): Node | undefined => p?.children?.[1];

/** A scalar's value shape: strings with variables as UNKNOWN, booleans and numbers as written. */
function scalarShape(text: string, n: Node): string | undefined {
  if (n.type === 'string') return stringText(text, n).text;
  if (n.type === 'boolean' || n.type === 'number') return String(n.value);
  return undefined;
}

/**
 * The parse error jsonc-parser reports first, in words: `CommaExpected` → "comma expected".
 * Trailing commas and comments are allowed (VS Code reads devcontainer.json as JSON with comments).
 */
function parseError(text: string, errors: Array<{ error: number; offset: number; length: number }>): DevcontainerModel['error'] {
  const e = errors[0];
  const name = jsonc().printParseErrorCode(e.error);
  const message = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const start = Math.min(e.offset, text.length);
  return { span: { start, end: Math.min(text.length, start + Math.max(1, e.length)) }, message };
}

/** Parses the text; the root node, or the first syntax error. */
export function parseDevcontainer(text: string): { root?: Node; error?: DevcontainerModel['error'] } {
  const errors: Array<{ error: number; offset: number; length: number }> = [];
  let root: Node | undefined;
  try {
    root = jsonc().parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch (e) {
    // The parser recurses per nesting level: absurdly deep documents run out of stack.
    if (!(e instanceof RangeError)) throw e;
    const nl = text.indexOf('\n');
    return { error: { span: { start: 0, end: nl < 0 ? text.length : nl }, message: 'the document is nested too deeply to read' } };
  }
  if (errors.length) return { error: parseError(text, errors) };
  return { root };
}

export function readDevcontainer(text: string): DevcontainerModel {
  const { root, error } = parseDevcontainer(text);
  if (error) return { error };
  if (root?.type !== 'object') return {};
  const writer = devcontainerWriter(text);
  const options: Option[] = [];
  const compose = !!member(root, 'dockerComposeFile');
  const push = (o: Option, ref: Parameters<typeof withRef>[1]) => options.push(withRef(o, ref));

  // `-u containerUser` (not remoteUser: that only picks the user VS Code logs in as).
  const user = member(root, 'containerUser');
  if (user && valueOf(user)?.type === 'string') {
    const v = valueOf(user)!;
    push({ name: 'user', value: stringText(text, v).text, span: spanOf(user), valueSpan: spanOf(v), spelled: 'containerUser' }, { kind: 'member', node: user });
  }
  const env = valueOf(member(root, 'containerEnv'));
  if (env?.type === 'object') {
    for (const p of env.children ?? []) {
      const k = p.children?.[0]?.value;
      const v = valueOf(p);
      const shape = v ? scalarShape(text, v) : undefined;
      if (typeof k !== 'string' || shape === undefined || !v) continue;
      push({ name: 'env', value: `${k}=${shape}`, span: spanOf(p), valueSpan: spanOf(v), spelled: 'containerEnv' }, { kind: 'member', node: p });
    }
  }
  const mounts = valueOf(member(root, 'mounts'));
  if (mounts?.type === 'array') {
    (mounts.children ?? []).forEach((item, index) => {
      const o = mountItem(text, item);
      if (o) push(o, { kind: 'item', array: mounts, index });
    });
  }
  if (!compose) {
    const wm = member(root, 'workspaceMount');
    const v = valueOf(wm);
    if (wm && v?.type === 'string') {
      const m = stringText(text, v);
      push({ name: 'mount', value: m.text, span: spanOf(wm), valueSpan: contentSpan(text, v, m), spelled: 'workspaceMount', mount: parseMountSpec(m.text) }, { kind: 'member', node: wm });
    }
    readAppPort(text, root, push);
    const args = valueOf(member(root, 'runArgs'));
    if (args?.type === 'array') options.push(...runArgs(text, args));
  }
  // The CLI passes these after runArgs: `--privileged`, `--cap-add`, `--security-opt`.
  const priv = member(root, 'privileged');
  const pv = valueOf(priv);
  if (priv && pv && (pv.type === 'boolean' || pv.type === 'string')) {
    push({ name: 'privileged', value: String(pv.value), span: spanOf(priv), valueSpan: spanOf(pv), spelled: 'privileged' }, { kind: 'member', node: priv });
  }
  for (const [key, name] of [['capAdd', 'cap-add'], ['securityOpt', 'security-opt']] as const) {
    const arr = valueOf(member(root, key));
    if (arr?.type !== 'array') continue;
    (arr.children ?? []).forEach((item, index) => {
      if (item.type !== 'string') return;
      push({ name, value: stringText(text, item).text, span: spanOf(item), valueSpan: spanOf(item), spelled: key }, { kind: 'item', array: arr, index });
    });
  }
  options.push(...featureOptions(text, valueOf(member(root, 'features'))));

  let image: Launch['image'];
  const img = valueOf(member(root, 'image'));
  if (!compose && img?.type === 'string') image = { shape: stringText(text, img).text, span: spanOf(img) };
  const launch: Launch = {
    source: 'devcontainer',
    tool: 'docker',
    command: 'run',
    anchor: { start: root.offset, end: root.offset + 1 },
    label: 'devcontainer',
    image,
    options,
    judgeMissing: false,
    purpose: 'dev',
    writer,
  };
  return { launch };
}

/** The characters of a string node's value in the file, when it is written as it reads; else the whole string. */
function contentSpan(text: string, n: Node, m: MappedText): Span {
  const inner = { start: n.offset + 1, end: n.offset + n.length - 1 };
  return text.slice(inner.start, inner.end) === m.text ? inner : spanOf(n);
}

/** A `mounts` item: a string in `--mount` syntax, or `{ type, source, target }`. */
function mountItem(text: string, item: Node): Option | undefined {
  if (item.type === 'string') {
    const m = stringText(text, item);
    return { name: 'mount', value: m.text, span: spanOf(item), valueSpan: contentSpan(text, item, m), spelled: 'mounts', mount: parseMountSpec(m.text) };
  }
  if (item.type !== 'object') return undefined;
  const field = (k: string) => {
    const v = valueOf(member(item, k));
    return v?.type === 'string' ? stringText(text, v).text : undefined;
  };
  const type = field('type');
  const source = field('source') ?? null;
  const target = field('target') ?? null;
  const value = [`type=${type ?? ''}`, source !== null ? `source=${source}` : '', target !== null ? `target=${target}` : ''].filter(Boolean).join(',');
  return {
    name: 'mount',
    value,
    span: spanOf(item),
    spelled: 'mounts',
    mount: { type: type === 'bind' || type === 'volume' ? type : 'unknown', source, target, readonly: false, style: 'long' },
  };
}

/** `appPort`: a number is published on 127.0.0.1 by the CLI; a string is passed to `-p` as written. */
function readAppPort(text: string, root: Node, push: (o: Option, ref: Parameters<typeof withRef>[1]) => void): void {
  const p = member(root, 'appPort');
  const v = valueOf(p);
  if (!p || !v) return;
  const one = (n: Node): Option | undefined => {
    if (n.type === 'number') return { name: 'publish', value: `127.0.0.1:${n.value}:${n.value}`, span: spanOf(n), spelled: 'appPort', port: parsePortSpec(`127.0.0.1:${n.value}:${n.value}`) };
    if (n.type !== 'string') return undefined;
    const m = stringText(text, n);
    return { name: 'publish', value: m.text, span: spanOf(n), valueSpan: contentSpan(text, n, m), spelled: 'appPort', port: parsePortSpec(m.text) };
  };
  if (v.type === 'array') {
    (v.children ?? []).forEach((n, index) => {
      const o = one(n);
      if (o) push(o, { kind: 'item', array: v, index });
    });
  } else {
    const o = one(v);
    if (o) push({ ...o, span: spanOf(p) }, { kind: 'member', node: p });
  }
}

/**
 * `runArgs`: each item is one word of `docker run` (an option and its value may be two items).
 * Words are located at the string's characters, so `--cap-add=X` finds X; an option's span then
 * takes in its items' quotes.
 */
function runArgs(text: string, arr: Node): Option[] {
  const items = arr.children ?? [];
  const words: Word[] = [];
  const exact: boolean[] = [];
  const whole: Span[] = [];
  for (const item of items) {
    const m = item.type === 'string' ? stringText(text, item) : undefined;
    const shape = m ? m.text : String(item.value ?? UNKNOWN);
    const span = m ? contentSpan(text, item, m) : spanOf(item);
    const isExact = !!m && span.start > item.offset && !shape.includes(UNKNOWN);
    words.push({ shape, span, splat: false });
    exact.push(isExact);
    whole.push(spanOf(item));
  }
  const a: ArgWords = { words, exact };
  const read = readArgOptions(a);
  const ref = { kind: 'args' as const, array: arr, args: a };
  for (const o of read.options) {
    // The finding takes in the quotes of the items it starts and ends in.
    let { start, end } = o.span;
    const first = words.findIndex((w) => w.span.start === start);
    if (first >= 0) start = whole[first].start;
    const last = words.findIndex((w) => w.span.end === end);
    if (last >= 0) end = whole[last].end;
    o.span = { start, end };
    withRef(o, ref);
  }
  return read.options;
}

/**
 * Official features that change how the container runs, with what their own
 * devcontainer-feature.json adds (devcontainers/features, commit 765e8ebd, July 2026). A finding
 * about one points at the feature's key. Legacy short ids are mapped as the devcontainers CLI
 * maps them (src/spec-configuration/containerFeaturesConfiguration.ts,
 * getBackwardCompatibleFeatureId: `docker-from-docker`, `golang` → `go`).
 */
const FEATURES: Record<string, Array<{ name: string; value: string }>> = {
  // src/docker-in-docker/devcontainer-feature.json (4.0.0): "privileged": true
  'docker-in-docker': [{ name: 'privileged', value: 'true' }],
  // src/docker-outside-of-docker/devcontainer-feature.json (1.10.0): "mounts": [{ "source": "/var/run/docker.sock",
  // "target": "/var/run/docker-host.sock", "type": "bind" }], "securityOpt": ["label=disable"]
  'docker-outside-of-docker': [
    { name: 'mount', value: 'type=bind,source=/var/run/docker.sock,target=/var/run/docker-host.sock' },
    { name: 'security-opt', value: 'label=disable' },
  ],
  // src/docker-from-docker/devcontainer-feature.json (1.0.8, before its rename in eef35a43): the same socket mount
  'docker-from-docker': [{ name: 'mount', value: 'type=bind,source=/var/run/docker.sock,target=/var/run/docker-host.sock' }],
  // src/go/devcontainer-feature.json (1.3.4): "capAdd": ["SYS_PTRACE"], "securityOpt": ["seccomp=unconfined"]
  go: [{ name: 'cap-add', value: 'SYS_PTRACE' }, { name: 'security-opt', value: 'seccomp=unconfined' }],
  // src/rust/devcontainer-feature.json (1.5.1): "capAdd": ["SYS_PTRACE"], "securityOpt": ["seccomp=unconfined"]
  rust: [{ name: 'cap-add', value: 'SYS_PTRACE' }, { name: 'security-opt', value: 'seccomp=unconfined' }],
};
const LEGACY: Record<string, string> = { golang: 'go' };
const LEGACY_IDS = new Set(['docker-in-docker', 'docker-from-docker', 'rust', 'golang']);

/** The official feature a `features` key names: `ghcr.io/devcontainers/features/go:1`, or a legacy short id. */
function officialFeature(key: string): string | undefined {
  const bare = key.replace(/@sha256:[0-9a-f]+$/i, '').replace(/:[^/:]*$/, '');
  const m = /^ghcr\.io\/devcontainers\/features\/([a-z0-9-]+)$/i.exec(bare);
  if (m) return m[1].toLowerCase();
  if (LEGACY_IDS.has(bare)) return LEGACY[bare] ?? bare;
  return undefined;
}

function featureOptions(text: string, features: Node | undefined): Option[] {
  if (features?.type !== 'object') return [];
  const out: Option[] = [];
  for (const p of features.children ?? []) {
    const keyNode = p.children?.[0];
    const key = keyNode?.value;
    const v = valueOf(p);
    if (typeof key !== 'string' || !keyNode || v?.value === false) continue;
    const id = officialFeature(key);
    for (const f of (id && FEATURES[id]) || []) {
      const o: Option = { name: f.name, value: f.value, span: spanOf(keyNode), spelled: `features.${id}` };
      if (f.name === 'mount') o.mount = parseMountSpec(f.value);
      out.push(withRef(o, { kind: 'feature' }));
    }
  }
  return out;
}
