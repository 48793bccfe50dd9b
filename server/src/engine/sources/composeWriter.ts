/**
 * Renders fix intents for a compose service as minimal text edits that keep
 * the file's layout: its indentation unit, block or flow sequences, quoting,
 * line breaks and comments. Additions for one service are merged (memory, cpus
 * and pids land in one `deploy.resources.limits` block).
 */
import type { Document, Node as YNode, Pair, YAMLMap, YAMLSeq } from 'yaml';
import { isMap, isScalar, isSeq, yaml } from '../lazy';
import type { Intent, Launch, LaunchWriter, Option } from '../launch';
import { bindPortEdit } from '../mounts';
import type { Edit, Span } from '../types';

/** Where a compose option stands in the YAML document: what the writer needs to edit it. */
export interface OptionNode {
  kind: 'pair' | 'item';
  pair?: Pair;
  item?: YNode;
  seq?: YAMLSeq;
  /** The pair holding the sequence (for removing it when it empties). */
  parentPair?: Pair;
  map?: YAMLMap;
}

/** Where a service stands: its key's pair and its mapping. */
export interface ServiceNode {
  pair: Pair;
  map: YAMLMap | undefined;
}

// The reader links options and services to their nodes under these keys; they are not exported,
// so only this writer reads the links. (Properties, not WeakMaps: a compose file has hundreds of
// options, and a WeakMap entry costs far more to set and to collect.)
const NODE = Symbol('compose node');
type Linked = Option & { [NODE]?: OptionNode };
type LinkedLaunch = Launch & { [NODE]?: ServiceNode };

export function withNode(o: Option, n: OptionNode): Option {
  (o as Linked)[NODE] = n;
  return o;
}

/** An option read from a node, linked to it in the literal (one shape; no property added later). */
export function nodeOption(name: string, value: string, span: Span, valueSpan: Span | undefined, spelled: string, n: OptionNode): Option {
  const o: Linked = { name, value, span, valueSpan, spelled, [NODE]: n };
  return o;
}

/** A copy of an option (another value, spelling or inheritance) that stands at the same node. */
export function copyOption(o: Option, patch: Partial<Option>): Option {
  return { ...o, ...patch };
}

/** A copy of an option that stands nowhere in this file (its text is elsewhere): no fix can edit it. */
export function detachedOption(o: Option, patch: Partial<Option>): Option {
  const c: Linked = { ...o, ...patch };
  c[NODE] = undefined;
  return c;
}

function nodeOf(o: Option): OptionNode | undefined {
  return (o as Linked)[NODE];
}

export function withServiceNode(l: Launch, n: ServiceNode): Launch {
  (l as LinkedLaunch)[NODE] = n;
  return l;
}

const COMPOSE_KEYS: Record<string, string> = {
  'cap-drop': 'cap_drop',
  'cap-add': 'cap_add',
  'security-opt': 'security_opt',
  'read-only': 'read_only',
  memory: 'deploy.resources.limits.memory',
  cpus: 'deploy.resources.limits.cpus',
  'pids-limit': 'deploy.resources.limits.pids',
};
const LIST_VALUED = new Set(['cap-drop', 'cap-add', 'security-opt', 'tmpfs']);
const STRING_VALUED = new Set(['user', 'restart']);

/** Compose spells `no-new-privileges` with its value (`no-new-privileges:true`). */
function composeValue(name: string, value: string): string {
  return name === 'security-opt' && value === 'no-new-privileges' ? 'no-new-privileges:true' : value;
}

/** How a compose file spells a setting: `cap_drop: [ALL]`, `user:`, `deploy.resources.limits.cpus: '1'`. */
export function spellKey(name: string, value?: string): string {
  const key = COMPOSE_KEYS[name] ?? name.replace(/-/g, '_');
  if (value === undefined) return `${key}:`;
  const v = composeValue(name, value);
  if (LIST_VALUED.has(name)) return `${key}: [${v}]`;
  return `${key}: ${name === 'cpus' ? `'${v}'` : v}`;
}

type Tree = { [key: string]: Tree | { scalar: string } | { items: string[] } };

function lineStart(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

function lineEnd(text: string, pos: number): number {
  let i = pos;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** End of the line holding the last character of a node's value (trailing comment included). */
function endOfLastLine(text: string, n: { range?: [number, number, number] | null } | null | undefined, fallback: number): number {
  let e = n?.range ? n.range[1] : fallback;
  while (e > 0 && /\s/.test(text[e - 1])) e--;
  return lineEnd(text, Math.max(0, e - 1));
}

function column(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

export function composeWriter(text: string, doc: Document): LaunchWriter {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  // File style (indentation unit, sequence indentation, flow or block sequences, quote
  // character): read from the whole document on the first render only, since most
  // analyses render no fix at all.
  let style: { unit: number; seqIndented: boolean; useFlow: boolean; q: string } | undefined;
  function fileStyle(): NonNullable<typeof style> {
    if (style) return style;
    let seqIndented = true;
    let flowSeqs = 0;
    let blockSeqs = 0;
    let dq = 0;
    let sq = 0;
    const units: number[] = [];
    yaml().visit(doc, {
      Pair(_k, p) {
        if (isMap(p.value) && !p.value.flow && p.value.items.length && p.key && (p.key as YNode).range) {
          const kc = column(text, (p.key as YNode).range![0]);
          const first = p.value.items[0].key as YNode | null;
          if (first?.range) {
            const d = column(text, first.range[0]) - kc;
            if (d > 0) units.push(d);
          }
        }
        if (isSeq(p.value) && p.key && (p.key as YNode).range) {
          if (p.value.flow) flowSeqs++;
          else if (p.value.items.length) {
            blockSeqs++;
            const it = p.value.items[0] as YNode;
            if (it?.range) {
              const dash = text.lastIndexOf('-', it.range[0]);
              seqIndented = column(text, dash) > column(text, (p.key as YNode).range![0]);
            }
          }
        }
      },
      Scalar(_k, s) {
        if (s.type === 'QUOTE_DOUBLE') dq++;
        else if (s.type === 'QUOTE_SINGLE') sq++;
      },
    });
    units.sort((a, b) => a - b);
    style = { unit: units.length ? units[Math.floor(units.length / 2)] : 2, seqIndented, useFlow: flowSeqs > blockSeqs, q: sq > dq ? "'" : '"' };
    return style;
  }
  const quote = (s: string) => (/^[A-Za-z0-9_./-]+$/.test(s) && !/^(true|false|yes|no|null|on|off|~|[0-9.]+)$/i.test(s) ? s : `${fileStyle().q}${s}${fileStyle().q}`);

  const pad = (n: number) => ' '.repeat(n);

  function renderTree(tree: Tree, indent: number): string[] {
    const lines: string[] = [];
    for (const [k, v] of Object.entries(tree)) {
      if ('scalar' in v && typeof (v as { scalar: string }).scalar === 'string') lines.push(`${pad(indent)}${k}: ${(v as { scalar: string }).scalar}`);
      else if ('items' in v && Array.isArray((v as { items: string[] }).items)) {
        const items = (v as { items: string[] }).items;
        if (fileStyle().useFlow) lines.push(`${pad(indent)}${k}: [${items.join(', ')}]`);
        else {
          lines.push(`${pad(indent)}${k}:`);
          for (const it of items) lines.push(`${pad(fileStyle().seqIndented ? indent + fileStyle().unit : indent)}- ${it}`);
        }
      } else {
        lines.push(`${pad(indent)}${k}:`);
        lines.push(...renderTree(v as Tree, indent + fileStyle().unit));
      }
    }
    return lines;
  }

  /** Inserts a tree of missing keys into an existing block mapping. */
  function insertIntoMap(map: YAMLMap, tree: Tree, edits: Edit[], keyCol: number): boolean {
    if (map.flow) return false;
    const pairs = map.items;
    const childCol = pairs.length && (pairs[0].key as YNode)?.range ? column(text, (pairs[0].key as YNode).range![0]) : keyCol + fileStyle().unit;
    // Descend into keys that exist already.
    const rest: Tree = {};
    for (const [k, v] of Object.entries(tree)) {
      const existing = pairs.find((p) => isScalar(p.key) && String(p.key.value) === k);
      if (existing && !('scalar' in v) && !('items' in v) && isMap(existing.value)) {
        if (!insertIntoMap(existing.value, v as Tree, edits, childCol)) return false;
      } else if (existing && 'items' in v && isSeq(existing.value)) {
        if (!appendToSeq(existing.value, (v as { items: string[] }).items, edits)) return false;
      } else if (existing) {
        if (isScalar(existing.value) && (existing.value.value === null || existing.value.value === undefined) && !('scalar' in v)) {
          // `deploy:` with nothing under it yet.
          const at = endOfLastLine(text, existing.key as YNode, 0);
          const lines = 'items' in v ? renderTree({ [k]: v }, childCol).slice(1) : renderTree(v as Tree, childCol + fileStyle().unit);
          if ('items' in v && fileStyle().useFlow) {
            edits.push({ start: at, end: at, newText: ` [${(v as { items: string[] }).items.join(', ')}]` });
          } else edits.push({ start: at, end: at, newText: eol + lines.join(eol) });
        } else return false;
      } else rest[k] = v;
    }
    if (Object.keys(rest).length) {
      const last = pairs[pairs.length - 1];
      const at = last ? endOfLastLine(text, (last.value as YNode) ?? (last.key as YNode), 0) : undefined;
      if (at === undefined) return false;
      edits.push({ start: at, end: at, newText: eol + renderTree(rest, childCol).join(eol) });
    }
    return true;
  }

  function appendToSeq(seq: YAMLSeq, items: string[], edits: Edit[]): boolean {
    if (!seq.range) return false;
    if (seq.flow) {
      const close = text.lastIndexOf(']', seq.range[1]);
      if (close < 0) return false;
      let b = close;
      while (b > seq.range[0] && /\s/.test(text[b - 1])) b--;
      const empty = text[b - 1] === '[';
      edits.push({ start: b, end: b, newText: (empty ? '' : ', ') + items.join(', ') });
      return true;
    }
    const last = seq.items[seq.items.length - 1] as YNode | undefined;
    if (!last?.range) return false;
    const dash = text.lastIndexOf('-', last.range[0]);
    const col = column(text, dash);
    const at = endOfLastLine(text, last, last.range[1]);
    edits.push({ start: at, end: at, newText: items.map((i) => eol + pad(col) + '- ' + i).join('') });
    return true;
  }

  function removeLines(start: number, end: number): Edit {
    const ls = lineStart(text, start);
    let e = lineEnd(text, Math.max(start, end - 1));
    if (text[e] === '\r') e++;
    if (text[e] === '\n') e++;
    return { start: ls, end: e, newText: '' };
  }

  function removeOption(o: Option): Edit | null {
    const ref = nodeOf(o);
    return ref ? removeNode(ref) : null;
  }

  function removeNode(ref: OptionNode): Edit | null {
    if (ref.kind === 'pair' && ref.pair) {
      if (ref.map?.flow) return null;
      const k = ref.pair.key as YNode;
      const v = ref.pair.value as YNode | null;
      if (!k?.range) return null;
      if (text.slice(lineStart(text, k.range[0]), k.range[0]).trim() !== '') return null;
      return removeLines(k.range[0], v?.range ? v.range[1] : k.range[1]);
    }
    if (ref.kind === 'item' && ref.item?.range) {
      const seq = ref.seq;
      if (seq && seq.items.length === 1 && ref.parentPair) {
        return removeNode({ kind: 'pair', pair: ref.parentPair });
      }
      if (seq?.flow) {
        const [s, e] = ref.item.range;
        let a = e;
        while (/\s/.test(text[a] ?? '')) a++;
        if (text[a] === ',') {
          a++;
          while (text[a] === ' ') a++;
          return { start: s, end: a, newText: '' };
        }
        let b = s;
        while (b > 0 && /\s/.test(text[b - 1])) b--;
        if (text[b - 1] === ',') b--;
        return { start: b, end: e, newText: '' };
      }
      const dash = text.lastIndexOf('-', ref.item.range[0]);
      if (text.slice(lineStart(text, dash), dash).trim() !== '') return null;
      return removeLines(dash, ref.item.range[1]);
    }
    return null;
  }

  function makeReadonly(o: Option): Edit[] | null {
    const ref = nodeOf(o);
    const item = ref?.item;
    if (!item?.range) return null;
    if (isScalar(item)) {
      const raw = text.slice(item.range[0], item.range[1]);
      const m = /:rw(?=$|,|["'])/.exec(raw);
      if (m) return [{ start: item.range[0] + m.index + 1, end: item.range[0] + m.index + 3, newText: 'ro' }];
      let end = item.range[1];
      if (item.type === 'QUOTE_DOUBLE' || item.type === 'QUOTE_SINGLE') end--;
      const parts = String(item.value).split(':').length;
      return [{ start: end, end, newText: parts >= 3 ? ',ro' : ':ro' }];
    }
    if (isMap(item)) {
      const ro = item.items.find((p) => isScalar(p.key) && p.key.value === 'read_only');
      if (ro && isScalar(ro.value) && ro.value.range) return [{ start: ro.value.range[0], end: ro.value.range[1], newText: 'true' }];
      const edits: Edit[] = [];
      const first = item.items[0]?.key as YNode | undefined;
      const col = first?.range ? column(text, first.range[0]) : 0;
      if (item.flow) {
        const close = text.lastIndexOf('}', item.range[1]);
        if (close < 0) return null;
        let b = close;
        while (b > item.range[0] && /\s/.test(text[b - 1])) b--;
        return [{ start: b, end: b, newText: ', read_only: true' }];
      }
      return insertIntoMap(item, { read_only: { scalar: 'true' } }, edits, col - fileStyle().unit) ? edits : null;
    }
    return null;
  }

  const SERVICE_LEVEL: Record<string, string> = { memory: 'mem_limit', cpus: 'cpus', 'pids-limit': 'pids_limit' };
  const DEPLOY: Record<string, string> = { memory: 'memory', cpus: 'cpus', 'pids-limit': 'pids' };

  function render(launch: Launch, intents: Intent[]): Edit[] | null {
    const ref = (launch as LinkedLaunch)[NODE];
    const edits: Edit[] = [];
    const tree: Tree = {};
    const serviceLevel = launch.options.some((o) => !o.inherited && ['mem_limit', 'cpus', 'pids_limit', 'cpu_quota', 'cpu_shares', 'cpuset'].includes(o.spelled));
    const hasDeployLimits = launch.options.some((o) => !o.inherited && o.spelled.startsWith('deploy.resources.limits'));
    // A `deploy` that comes through a merge key would be replaced whole by a new one (merges are shallow):
    // add service-level limits instead.
    const explicitDeploy = !!ref?.map?.items.some((p) => isScalar(p.key) && p.key.value === 'deploy');
    const mergedDeploy = !explicitDeploy && launch.options.some((o) => !o.inherited && o.spelled.startsWith('deploy.'));
    const useServiceLevel = (serviceLevel && !hasDeployLimits) || mergedDeploy;
    const addItem = (key: string, item: string) => {
      const cur = tree[key] as { items: string[] } | undefined;
      if (cur && 'items' in cur) cur.items.push(item);
      else tree[key] = { items: [item] };
    };
    for (const it of intents) {
      switch (it.type) {
        case 'add': {
          const v = it.value ?? 'true';
          switch (it.name) {
            case 'cap-drop':
              addItem('cap_drop', v);
              break;
            case 'cap-add':
              addItem('cap_add', v);
              break;
            case 'security-opt':
              addItem('security_opt', composeValue(it.name, v));
              break;
            case 'tmpfs':
              addItem('tmpfs', v);
              break;
            case 'user':
              tree.user = { scalar: quote(v) };
              break;
            case 'read-only':
              tree.read_only = { scalar: 'true' };
              break;
            case 'memory':
            case 'cpus':
            case 'pids-limit': {
              const val = it.name === 'cpus' ? `${fileStyle().q}${v}${fileStyle().q}` : v;
              if (useServiceLevel) tree[SERVICE_LEVEL[it.name]] = { scalar: val };
              else {
                const deploy = (tree.deploy ??= {}) as Tree;
                const res = (deploy.resources ??= {}) as Tree;
                const limits = (res.limits ??= {}) as Tree;
                limits[DEPLOY[it.name]] = { scalar: val };
              }
              break;
            }
            default:
              return null;
          }
          break;
        }
        case 'remove': {
          const e = removeOption(it.option);
          if (!e) return null;
          edits.push(e);
          break;
        }
        case 'mount-readonly': {
          const e = makeReadonly(it.option);
          if (!e) return null;
          edits.push(...e);
          break;
        }
        case 'set-value': {
          const vs = it.option.valueSpan;
          if (!vs) return null;
          const v = composeValue(it.option.name, it.value);
          // Compose wants strings for `user` and `restart`; YAML would read `1000` as a number and
          // `1000:1000` as one in base 60 (YAML 1.1), so such values are quoted.
          const quoted = STRING_VALUED.has(it.option.name) && /^[0-9]|:/.test(v) ? `"${v}"` : v;
          edits.push({ start: vs.start, end: vs.end, newText: quoted });
          break;
        }
        case 'bind-port': {
          const e = bindPortEdit(text, it.option, it.address);
          if (!e) return null;
          edits.push(e);
          break;
        }
        default:
          return null;
      }
    }
    if (Object.keys(tree).length) {
      const map = ref?.map;
      const keyNode = ref?.pair?.key as YNode | undefined;
      if (!map || !keyNode?.range) return null;
      // Keys that an existing mapping of this service already holds are merged into it.
      if (!insertIntoMap(map, tree, edits, column(text, keyNode.range[0]))) return null;
    }
    return edits;
  }
  return { render, spell: spellKey };
}
