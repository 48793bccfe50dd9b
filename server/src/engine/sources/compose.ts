/**
 * Compose reader: `yaml`'s document AST with exact source ranges turns every
 * service into a Launch. Short and long syntax of volumes, ports and
 * security_opt, list and mapping environment, anchors/aliases/merge keys,
 * `extends` (same file or another), `x-` fields, deploy.resources and the
 * service-level limits; a base file and its override are judged merged, as
 * Compose does.
 */
import * as path from 'path';
import type { Document, Node as YNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { isMap, isScalar, isSeq, yaml } from '../lazy';
import { detectKind } from '../detect';
import type { BuiltImage, Launch, Option } from '../launch';
import { parseMountSpec, parsePortSpec, parseShortVolume } from '../mounts';
import { t } from '../i18n';
import { LineIndex } from '../text';
import type { Span } from '../types';
import { errorSpan } from './yamlErrors';
import { effectivePairs, get, keyName, namedBinds, pairSpan, resolve, scalarText, spanOf } from './composeNodes';
import { composeWriter, copyOption, detachedOption, nodeOption, withNode, withServiceNode, type OptionNode } from './composeWriter';
import { builtImage } from './dockerfile';
import { lookupTable } from '../table';

export interface ComposeService {
  name: string;
  keySpan: Span;
  map: YAMLMap | undefined;
  launch: Launch;
}

export interface ComposeModel {
  doc?: Document;
  services: ComposeService[];
  error?: { span: Span; message: string };
  /** `extends` that name a service or file that cannot be read. */
  unresolved?: Array<{ span: Span; message: string }>;
}

export type ReadFile = (p: string) => string | undefined;

function seqItems(p: Pair, doc: Document): Array<{ node: YNode; text: string | undefined; seq: YAMLSeq | undefined }> {
  const v = resolve(p.value, doc);
  if (isSeq(v)) {
    return v.items.map((i) => {
      const r = resolve(i, doc) as YNode;
      return { node: r, text: scalarText(r, doc), seq: v };
    });
  }
  if (isScalar(v) && v.value !== null && v.value !== undefined) {
    return [{ node: v as YNode, text: scalarText(v, doc), seq: undefined }];
  }
  return [];
}

function pairOption(name: string, p: Pair, doc: Document, map: YAMLMap): Option | undefined {
  const v = resolve(p.value, doc);
  const value = scalarText(v, doc);
  if (value === undefined) return undefined;
  return nodeOption(name, value, pairSpan(p), spanOf(v as YNode), keyName(p), { kind: 'pair', pair: p, map });
}

/** The options of a sequence's items, with each item's node. */
function itemNodes(name: string, p: Pair, doc: Document): Array<{ o: Option; node: YNode }> {
  const out: Array<{ o: Option; node: YNode }> = [];
  for (const it of seqItems(p, doc)) {
    const span = spanOf(it.node);
    if (!span) continue;
    const at: OptionNode = { kind: 'item', item: it.node, seq: it.seq, parentPair: p };
    if (it.text !== undefined) out.push({ o: nodeOption(name, it.text, span, span, keyName(p), at), node: it.node });
    else if (isMap(it.node)) out.push({ o: nodeOption(name, '', span, undefined, keyName(p), at), node: it.node });
  }
  return out;
}

function itemOptions(name: string, p: Pair, doc: Document): Option[] {
  return itemNodes(name, p, doc).map((x) => x.o);
}

function longVolume(n: YAMLMap, doc: Document): Option['mount'] {
  const s = (k: string) => {
    const p = get(n, k, doc);
    return p ? scalarText(p.value, doc) : undefined;
  };
  const type = s('type') ?? 'volume';
  const ro = (s('read_only') ?? 'false').toLowerCase();
  const bind = get(n, 'bind', doc);
  const prop = bind ? get(bind.value, 'propagation', doc) : undefined;
  return {
    type: type === 'bind' || type === 'volume' || type === 'tmpfs' || type === 'npipe' ? type : 'unknown',
    source: s('source') ?? null,
    target: s('target') ?? null,
    readonly: ro === 'true' || ro === 'yes' || ro === '1',
    propagation: prop ? scalarText(prop.value, doc) : undefined,
    style: 'long',
  };
}

function longPort(n: YAMLMap, doc: Document): Option['port'] {
  const s = (k: string) => {
    const p = get(n, k, doc);
    return p ? scalarText(p.value, doc) ?? null : null;
  };
  return { hostIp: s('host_ip'), hostPort: s('published'), containerPort: s('target'), protocol: s('protocol') ?? undefined };
}

const SCALAR_KEYS: Record<string, string> = lookupTable({
  privileged: 'privileged',
  user: 'user',
  mem_limit: 'memory',
  memswap_limit: 'memory-swap',
  cpus: 'cpus',
  cpu_quota: 'cpu-quota',
  cpuset: 'cpuset-cpus',
  cpu_shares: 'cpu-shares',
  pids_limit: 'pids-limit',
  read_only: 'read-only',
  network_mode: 'network',
  pid: 'pid',
  ipc: 'ipc',
  uts: 'uts',
  userns_mode: 'userns',
  restart: 'restart',
  cgroup_parent: 'cgroup-parent',
  runtime: 'runtime',
  use_api_socket: 'use-api-socket',
});

const LIST_KEYS: Record<string, string> = lookupTable({
  cap_add: 'cap-add',
  cap_drop: 'cap-drop',
  security_opt: 'security-opt',
  devices: 'device',
  device_cgroup_rules: 'device-cgroup-rule',
  expose: 'expose',
  tmpfs: 'tmpfs',
});

/** Build context and Dockerfile, when the service builds its image. */
interface Build {
  context: string;
  dockerfile: string;
}

/** Reads one service mapping into launch options. */
function serviceOptions(map: YAMLMap, doc: Document): { options: Option[]; image?: { shape: string; span: Span }; build?: Build; extendsRef?: { service: string; file?: string }; extendsSpan?: Span } {
  const options: Option[] = [];
  let image: { shape: string; span: Span } | undefined;
  let build: Build | undefined;
  let extendsRef: { service: string; file?: string } | undefined;
  let extendsSpan: Span | undefined;
  const mergeKey = map.items.find((p) => keyName(p) === '<<');
  const merged: Array<[number, number]> = [];
  let pending: number | undefined;
  for (const p of effectivePairs(map, doc)) {
    if (pending !== undefined) merged.push([pending, options.length]);
    pending = mergeKey && !map.items.includes(p) ? options.length : undefined;
    const key = keyName(p);
    const v = resolve(p.value, doc);
    if (SCALAR_KEYS[key]) {
      const o = pairOption(SCALAR_KEYS[key], p, doc, map);
      if (o) options.push(o);
      continue;
    }
    if (LIST_KEYS[key]) {
      for (const o of itemOptions(LIST_KEYS[key], p, doc)) {
        if (key === 'cap_add' || key === 'cap_drop') {
          for (const part of o.value.split(',')) options.push(copyOption(o, { value: part.trim() }));
        } else options.push(o);
      }
      continue;
    }
    switch (key) {
      case 'image': {
        const s = scalarText(v, doc);
        const sp = spanOf(v as YNode);
        if (s !== undefined && sp) image = { shape: s, span: sp };
        break;
      }
      case 'build': {
        if (isScalar(v)) build = { context: String(v.value ?? '.'), dockerfile: 'Dockerfile' };
        else if (isMap(v)) {
          const ctx = get(v, 'context', doc);
          const df = get(v, 'dockerfile', doc);
          build = { context: (ctx && scalarText(ctx.value, doc)) || '.', dockerfile: (df && scalarText(df.value, doc)) || 'Dockerfile' };
        }
        options.push(withNode({ name: 'build', value: 'true', span: pairSpan(p), spelled: key }, { kind: 'pair', pair: p, map }));
        break;
      }
      case 'volumes': {
        const binds = namedBinds(doc);
        for (const { o, node } of itemNodes('volume', p, doc)) {
          const m = isMap(node) ? longVolume(node, doc) : { ...parseShortVolume(o.value), style: 'short' as const };
          // A named volume declared with `driver_opts: {type: none, o: bind, device: X}` is a bind mount of X.
          const device = m?.type === 'volume' && m.source ? binds.get(m.source) : undefined;
          o.mount = device !== undefined && m ? { ...m, type: 'bind', source: device } : m;
          options.push(o);
        }
        break;
      }
      case 'ports':
        for (const { o, node } of itemNodes('publish', p, doc)) {
          o.port = isMap(node) ? longPort(node, doc) : parsePortSpec(o.value);
          options.push(o);
        }
        break;
      case 'logging': {
        const d = get(v, 'driver', doc);
        if (d) {
          const o = pairOption('log-driver', d, doc, resolve(v, doc) as YAMLMap);
          if (o) {
            // Removing the driver removes the whole logging block when it holds nothing else.
            const lm = resolve(v, doc);
            if (isMap(lm) && lm.items.length === 1) withNode(o, { kind: 'pair', pair: p, map });
            options.push(o);
          }
        }
        break;
      }
      case 'deploy': {
        const limits = get(get(v, 'resources', doc)?.value, 'limits', doc);
        if (limits) {
          const lm = resolve(limits.value, doc) as YAMLMap;
          for (const [k, name] of [['memory', 'memory'], ['cpus', 'cpus'], ['pids', 'pids-limit']] as const) {
            const q = get(lm, k, doc);
            if (q) {
              const o = pairOption(name, q, doc, lm);
              if (o) options.push(copyOption(o, { spelled: `deploy.resources.limits.${k}` }));
            }
          }
        }
        const rp = get(get(v, 'restart_policy', doc)?.value, 'condition', doc);
        if (rp) {
          const o = pairOption('restart', rp, doc, map);
          if (o) options.push(copyOption(o, { spelled: 'deploy.restart_policy.condition' }));
        }
        break;
      }
      case 'links':
        options.push(withNode({ name: 'link', value: 'true', span: pairSpan(p), spelled: key }, { kind: 'pair', pair: p, map }));
        break;
      case 'environment': {
        if (isSeq(v)) {
          for (const o of itemOptions('env', p, doc)) options.push(o);
        } else if (isMap(v)) {
          for (const q of effectivePairs(v, doc)) {
            const val = resolve(q.value, doc);
            const text = isScalar(val) && val.value !== null && val.value !== undefined ? scalarText(val, doc) : undefined;
            const k = keyName(q);
            options.push(withNode({ name: 'env', value: text === undefined ? k : `${k}=${text}`, span: pairSpan(q), valueSpan: spanOf(val as YNode), spelled: 'environment' }, { kind: 'pair', pair: q, map: v }));
          }
        }
        break;
      }
      case 'healthcheck': {
        // `disable: true` or a test of NONE switch the image's health check off.
        const dis = get(v, 'disable', doc);
        const test = get(v, 'test', doc);
        const testVal = test ? resolve(test.value, doc) : undefined;
        const first = isSeq(testVal) ? scalarText(testVal.items[0], doc) : testVal !== undefined ? scalarText(testVal, doc) : undefined;
        const off = (dis && /^(true|yes|on|1)$/i.test(scalarText(dis.value, doc) ?? '')) || (first ?? '').toUpperCase() === 'NONE';
        options.push(withNode({ name: 'healthcheck', value: off ? 'false' : 'true', span: pairSpan(p), spelled: key }, { kind: 'pair', pair: p, map }));
        break;
      }
      case 'command':
      case 'entrypoint': {
        const parts = isSeq(v) ? v.items.map((i) => scalarText(i, doc) ?? '') : [scalarText(v, doc) ?? ''];
        options.push(withNode({ name: key, value: parts.join(' '), span: pairSpan(p), spelled: key }, { kind: 'pair', pair: p, map }));
        break;
      }
      case 'extends': {
        extendsSpan = pairSpan(p);
        if (isScalar(v)) extendsRef = { service: String(v.value) };
        else if (isMap(v)) {
          const s = get(v, 'service', doc);
          const f = get(v, 'file', doc);
          if (s) extendsRef = { service: scalarText(s.value, doc) ?? '', file: f ? scalarText(f.value, doc) : undefined };
        }
        break;
      }
    }
  }
  if (pending !== undefined) merged.push([pending, options.length]);
  // Options a merge key (`<<: *base`) brings remember where they came in.
  if (mergeKey) for (const [a, b] of merged) for (let k = a; k < b; k++) options[k].via = pairSpan(mergeKey);
  return { options, image, build, extendsRef, extendsSpan };
}

/** Options Compose appends when files or `extends` are merged; the others are replaced. */
const APPENDED = new Set(['cap-add', 'cap-drop', 'security-opt', 'volume', 'publish', 'expose', 'device', 'device-cgroup-rule', 'tmpfs', 'link']);

function envName(v: string): string {
  const eq = v.indexOf('=');
  return eq < 0 ? v : v.slice(0, eq);
}

/** Merges a service's options over a lower layer (an `extends` base, the other file of a base/override pair). */
export function mergeOptions(lower: Option[], upper: Option[]): Option[] {
  const names = new Set(upper.map((o) => o.name));
  const env = new Set(upper.filter((o) => o.name === 'env').map((o) => envName(o.value)));
  const kept = lower.filter((o) => {
    if (o.name === 'env') return !env.has(envName(o.value));
    if (APPENDED.has(o.name)) return true;
    return !names.has(o.name);
  });
  return [...upper, ...kept];
}


const OVERRIDE_RE = /^(docker-)?compose\.override\.ya?ml$/i;

function siblingNames(fileName: string): { isOverride: boolean; others: string[] } {
  const base = path.basename(fileName);
  const m = OVERRIDE_RE.exec(base);
  if (m) {
    const prefix = m[1] ? 'docker-compose' : 'compose';
    return { isOverride: true, others: [`${prefix}.yaml`, `${prefix}.yml`] };
  }
  const b = /^(docker-)?compose\.ya?ml$/i.exec(base);
  if (b) {
    const prefix = b[1] ? 'docker-compose' : 'compose';
    return { isOverride: false, others: [`${prefix}.override.yaml`, `${prefix}.override.yml`] };
  }
  return { isOverride: false, others: [] };
}

function servicesMap(doc: Document): YAMLMap | undefined {
  const root = resolve(doc.contents, doc);
  if (!isMap(root)) return undefined;
  const s = get(root, 'services', doc);
  if (s) {
    const v = resolve(s.value, doc);
    return isMap(v) ? v : undefined;
  }
  // Compose file format 1: services at the top level.
  const items = root.items.filter((p) => !keyName(p).startsWith('x-') && keyName(p) !== 'version');
  if (items.length && items.every((p) => {
    const v = resolve(p.value, doc);
    return isMap(v) && (get(v, 'image', doc) || get(v, 'build', doc));
  })) return root;
  return undefined;
}

function parseCompose(text: string): Document {
  return yaml().parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: false, maxAliasCount: 1000 } as never);
}

/** Options of one service in another compose file (for extends and overrides): all inherited. */
function foreignServiceOptions(file: string, service: string, readFile: ReadFile | undefined, seen: Set<string>): Option[] | undefined {
  if (!readFile || seen.has(`${file}#${service}`) || seen.size > 10) return undefined;
  seen.add(`${file}#${service}`);
  const text = readFile(file);
  if (text === undefined) return undefined;
  const index = new LineIndex(text);
  const doc = parseCompose(text);
  if (doc.errors.length) return undefined;
  const services = servicesMap(doc);
  const pair = services?.items.find((p) => keyName(p) === service);
  const map = pair ? resolve(pair.value, doc) : undefined;
  if (!isMap(map)) return undefined;
  const r = serviceOptions(map, doc);
  let opts = r.options;
  if (r.extendsRef) {
    const f = r.extendsRef.file ? path.resolve(path.dirname(file), r.extendsRef.file) : file;
    const more = foreignServiceOptions(f, r.extendsRef.service, readFile, seen);
    if (more) opts = mergeOptions(more, opts);
  }
  // Where each option is written in that file, for findings reported at the `extends` key.
  return opts.map((o) => copyOption(o, { inherited: true, origin: o.origin ?? { file, text: text.slice(o.span.start, o.span.end).trim(), range: index.rangeOf(o.span) } }));
}

/** Trailing blanks and line breaks are not part of what a finding points at. */
function trimSpans(text: string, options: Option[]): void {
  for (const o of options) {
    while (o.span.end > o.span.start && /\s/.test(text[o.span.end - 1])) o.span = { start: o.span.start, end: o.span.end - 1 };
  }
}

export function readCompose(text: string, fileName: string | undefined, readFile: ReadFile | undefined): ComposeModel {
  try {
    return readComposeUnsafe(text, fileName, readFile);
  } catch (e) {
    if (e instanceof RangeError) {
      // The parser recurses per nesting level: absurdly deep documents run out of stack.
      return { services: [], error: { span: { start: 0, end: Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')) }, message: 'the document is nested too deeply to read' } };
    }
    throw e;
  }
}

function readComposeUnsafe(text: string, fileName: string | undefined, readFile: ReadFile | undefined): ComposeModel {
  const doc = parseCompose(text);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const message = /Maximum call stack/.test(e.message) ? 'the document is nested too deeply to read' : e.message.split('\n')[0];
    return { services: [], error: { span: errorSpan(text, e.pos[0], e.pos[1]), message } };
  }
  const services = servicesMap(doc);
  const out: ComposeService[] = [];
  if (!services) return { doc, services: out };
  const writer = composeWriter(text, doc);
  const file = fileName ? path.resolve(fileName) : undefined;
  const siblings = file ? siblingNames(file) : { isOverride: false, others: [] };
  let sibling: { doc: Document; services: YAMLMap | undefined; file: string } | undefined;
  if (file && readFile) {
    for (const n of siblings.others) {
      const f = path.join(path.dirname(file), n);
      const t = readFile(f);
      if (t === undefined) continue;
      const d = parseCompose(t);
      if (!d.errors.length) sibling = { doc: d, services: servicesMap(d), file: f };
      break;
    }
  }
  const byName = new Map<string, Pair>();
  for (const p of services.items) byName.set(keyName(p), p);

  // Each service mapping is read once, though a service is asked for again by those that extend it.
  const read = new Map<YAMLMap, ReturnType<typeof serviceOptions>>();
  const readService = (map: YAMLMap) => {
    let r = read.get(map);
    if (!r) read.set(map, (r = serviceOptions(map, doc)));
    return r;
  };
  const unresolvedExtends = new Set<string>();
  const unresolved = new Map<number, { span: Span; message: string }>();
  const optionsOf = (name: string, seen: Set<string>): Option[] | undefined => {
    const p = byName.get(name);
    const map = p ? resolve(p.value, doc) : undefined;
    if (!isMap(map) || seen.has(name) || seen.size > 10) return undefined;
    seen.add(name);
    const r = readService(map);
    let options = r.options;
    if (r.extendsRef) {
      let inherited: Option[] | undefined;
      if (r.extendsRef.file) {
        const other = file ? path.resolve(path.dirname(file), r.extendsRef.file) : undefined;
        if (other) inherited = foreignServiceOptions(other, r.extendsRef.service, readFile, new Set());
        if (!inherited && other && readFile && r.extendsSpan) {
          unresolved.set(r.extendsSpan.start, { span: r.extendsSpan, message: t('`extends` names service `{0}` in {1}, which could not be read; the settings it would bring are not checked.', r.extendsRef.service, r.extendsRef.file) });
        }
        // A file that is not itself a compose file is never checked on its own: what this service
        // takes from it is reported at the `extends` key (with no fix: the text is elsewhere).
        if (inherited && other && detectKind(other) !== 'compose' && r.extendsSpan) {
          const at = r.extendsSpan;
          inherited = inherited.map((o) => detachedOption(o, { inherited: false, span: at, valueSpan: undefined }));
        }
      } else {
        inherited = optionsOf(r.extendsRef.service, seen)?.map((o) => copyOption(o, { inherited: true }));
        if (!byName.has(r.extendsRef.service) && r.extendsSpan) {
          unresolved.set(r.extendsSpan.start, { span: r.extendsSpan, message: t('`extends` names service `{0}`, which this file does not define; the settings it would bring are not checked.', r.extendsRef.service) });
        }
      }
      if (inherited) options = mergeOptions(inherited, options);
      else unresolvedExtends.add(name);
    }
    return options;
  };

  for (const p of services.items) {
    const name = keyName(p);
    if ((name.startsWith('x-') || name === 'version') && services === resolve(doc.contents, doc)) continue;
    const map = resolve(p.value, doc);
    const keySpan = spanOf(p.key as YNode) ?? { start: 0, end: 0 };
    const r = isMap(map) ? readService(map) : { options: [] as Option[], image: undefined, build: undefined, extendsRef: undefined };
    let options = optionsOf(name, new Set()) ?? r.options;
    // A service extending one we cannot read may get any option from it: missing-option rules stay quiet.
    let skipMissing = unresolvedExtends.has(name);
    // A fragment (an override read without its base, say) names no image, build or extends: it is
    // judged only for the settings it has.
    let complete = !!(r.image || r.build || r.extendsRef);
    if (sibling?.services) {
      const sp = sibling.services.items.find((q) => keyName(q) === name);
      const smap = sp ? resolve(sp.value, sibling.doc) : undefined;
      if (isMap(smap)) {
        const s = serviceOptions(smap, sibling.doc);
        complete ||= !!(s.image || s.build || s.extendsRef);
        const other = s.options.map((o) => copyOption(o, { inherited: true }));
        // Judged merged, as Compose does: the override file is the upper layer.
        options = siblings.isOverride ? mergeOptions(other, options) : mergeOptions(options, other);
        // A service the base file defines is judged there, merged with this override.
        if (siblings.isOverride) skipMissing = true;
      }
    }
    trimSpans(text, options);
    const launch: Launch = {
      source: 'compose',
      tool: 'compose',
      command: 'service',
      anchor: keySpan,
      label: `service ${name}`,
      image: r.image,
      options,
      judgeMissing: complete && !skipMissing,
      built: r.build && file && readFile ? readBuiltImage(path.resolve(path.dirname(file), r.build.context, r.build.dockerfile), readFile) : undefined,
      writer,
    };
    withServiceNode(launch, { pair: p, map: isMap(map) ? map : undefined });
    out.push({ name, keySpan, map: isMap(map) ? map : undefined, launch });
  }
  return { doc, services: out, unresolved: [...unresolved.values()] };
}

/** What the Dockerfile a service builds says (its USER, its HEALTHCHECK). */
function readBuiltImage(file: string, readFile: ReadFile): BuiltImage | undefined {
  const text = readFile(file);
  if (text === undefined) return undefined;
  try {
    return builtImage(text);
  } catch {
    // An unreadable Dockerfile: the service is judged alone.
    return undefined;
  }
}

export { parseMountSpec };
