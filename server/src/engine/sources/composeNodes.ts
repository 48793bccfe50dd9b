/**
 * Reading compose YAML nodes: aliases resolved, merge keys (`<<: *base`) applied, scalars as
 * value shapes (interpolation), source spans; and the named volumes that are bind mounts.
 */
import type { Document, Node as YNode, Pair, YAMLMap } from 'yaml';
import { isAlias, isMap, isScalar, isSeq, yaml } from '../lazy';
import { placeholderShape, UNKNOWN } from '../launch';
import type { Span } from '../types';

/**
 * Compose interpolation as a shape: `${VAR:-default}` and `${VAR-default}` are their default (what
 * runs unless the environment says otherwise), other variables (`${VAR}`, `$VAR`, `${VAR:?err}`)
 * and template placeholders (`{{ … }}`) are UNKNOWN; `$$` is a literal dollar.
 */
export function interpolationShape(s: string): string {
  if (!s.includes('$') && !s.includes('{{')) return s;
  return placeholderShape(s).replace(/\$\$|\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, (m) => {
    if (m === '$$') return '$';
    const d = /^\$\{[A-Za-z_][A-Za-z0-9_]*:?-(.*)\}$/s.exec(m);
    return d ? interpolationShape(d[1]) : UNKNOWN;
  });
}

export function spanOf(n: { range?: [number, number, number] | null } | null | undefined): Span | undefined {
  if (!n?.range) return undefined;
  return { start: n.range[0], end: n.range[1] };
}

export function pairSpan(p: Pair): Span {
  const k = spanOf(p.key as YNode);
  const v = spanOf(p.value as YNode);
  const start = k?.start ?? v?.start ?? 0;
  return { start, end: v?.end ?? k?.end ?? start };
}

export function scalarText(n: unknown, doc: Document): string | undefined {
  const r = resolve(n, doc);
  if (isScalar(r)) {
    if (r.value === null || r.value === undefined) return '';
    return interpolationShape(String(r.value));
  }
  return undefined;
}

export function resolve(n: unknown, doc: Document, depth = 0): unknown {
  if (isAlias(n) && depth < 20) {
    try {
      return resolve(n.resolve(doc), doc, depth + 1);
    } catch {
      return undefined;
    }
  }
  return n;
}

export function keyName(p: Pair): string {
  const k = p.key;
  if (isScalar(k)) return String(k.value);
  return String(k);
}

/** The pairs of a mapping, with merge keys (`<<: *base`) expanded; explicit keys win. */
export function effectivePairs(map: YAMLMap, doc: Document, depth = 0): readonly Pair[] {
  // Most maps have no merge key: their own pairs, as they are (callers only read the list).
  if (!map.items.some(isMergeKey)) return map.items as Pair[];
  const explicit = map.items.filter((p) => !isMergeKey(p));
  const names = new Set(explicit.map(keyName));
  const merged: Pair[] = [];
  for (const p of map.items) {
    if (!isMergeKey(p) || depth > 10) continue;
    const v = resolve(p.value, doc);
    const sources = isSeq(v) ? v.items.map((i) => resolve(i, doc)) : [v];
    for (const s of sources) {
      if (!isMap(s)) continue;
      for (const q of effectivePairs(s, doc, depth + 1)) {
        const n = keyName(q);
        if (!names.has(n)) {
          names.add(n);
          merged.push(q);
        }
      }
    }
  }
  return [...explicit, ...merged];
}

export function isMergeKey(p: Pair): boolean {
  return keyName(p) === '<<';
}

export function get(map: unknown, key: string, doc: Document): Pair | undefined {
  const m = resolve(map, doc);
  if (!isMap(m)) return undefined;
  return effectivePairs(m, doc).find((p) => keyName(p) === key);
}

const NAMED_BINDS = new WeakMap<Document, Map<string, string>>();

/** Top-level named volumes that are bind mounts (`driver_opts: {type: none, o: bind, device: /path}`): name → host path. */
export function namedBinds(doc: Document): Map<string, string> {
  let out = NAMED_BINDS.get(doc);
  if (out) return out;
  out = new Map();
  const root = resolve(doc.contents, doc);
  const vols = get(root, 'volumes', doc);
  const vm = vols ? resolve(vols.value, doc) : undefined;
  if (isMap(vm)) {
    for (const p of vm.items) {
      const opts = get(get(p.value, 'driver_opts', doc)?.value, 'device', doc) ? resolve(get(p.value, 'driver_opts', doc)!.value, doc) : undefined;
      if (!isMap(opts)) continue;
      const val = (k: string) => {
        const q = get(opts, k, doc);
        return q ? scalarText(q.value, doc) : undefined;
      };
      const o = (val('o') ?? '').split(',').map((s) => s.trim());
      if (o.includes('bind') || o.includes('rbind')) {
        const device = val('device');
        if (device) out.set(keyName(p), device);
      }
    }
  }
  NAMED_BINDS.set(doc, out);
  return out;
}

