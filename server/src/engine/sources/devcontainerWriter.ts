/**
 * Renders fix intents for a devcontainer.json as minimal edits that keep its comments, trailing
 * commas and layout: a property or array item standing on lines of its own goes with its lines
 * (and the comma before it when it was the last one), one written inline goes with its comma;
 * values are replaced through jsonc-parser's `modify`; inside a `runArgs` string only the
 * characters that change are touched. What a feature adds has no text here: no fix.
 */
import type { Node } from 'jsonc-parser';
import { optionWords } from '../dockercli';
import { jsonc } from '../lazy';
import type { Intent, Launch, LaunchWriter, Option } from '../launch';
import { bindPortEdit } from '../mounts';
import type { Edit } from '../types';
import { readonlyEdit, wordEdits, type ArgWords } from './argv';
import { spellFlag } from './shellWriter';

/** Where an option stands in the JSON tree: what this writer needs to edit it. */
export type OptionRef =
  | { kind: 'member'; node: Node }
  | { kind: 'item'; array: Node; index: number }
  | { kind: 'args'; array: Node; args: ArgWords }
  | { kind: 'feature' };

// The reader links each option to its place in the JSON under this key; it is not exported, so only this
// writer reads the link. (A property, not a WeakMap: see dockercli.ts.)
const REFS = Symbol('place in the JSON');
type Linked = Option & { [REFS]?: OptionRef };

export function withRef(o: Option, ref: OptionRef): Option {
  (o as Linked)[REFS] = ref;
  return o;
}

const KEYS: Record<string, string> = { privileged: 'privileged', 'cap-add': 'capAdd', 'security-opt': 'securityOpt', user: 'containerUser' };

/** How devcontainer.json writes a setting: `"privileged": true`, `"capAdd": ["SYS_PTRACE"]`, `"runArgs": ["--memory", "512m"]`. */
export function spellJson(name: string, value?: string): string {
  const key = KEYS[name];
  if (!key) {
    const flag = spellFlag(name);
    return value === undefined || value === 'true' ? `"runArgs": ["${flag}"]` : `"runArgs": ["${flag}", ${JSON.stringify(value)}]`;
  }
  if (value === undefined) return `"${key}"`;
  if (name === 'privileged') return `"privileged": ${value}`;
  if (name === 'user') return `"containerUser": ${JSON.stringify(value)}`;
  return `"${key}": [${JSON.stringify(value)}]`;
}

const end = (n: Node) => n.offset + n.length;

function lineStart(text: string, pos: number): number {
  let i = pos;
  while (i > 0 && text[i - 1] !== '\n') i--;
  return i;
}

/** Skips blanks and comments from pos; stops at anything else (or a line break when `line`). */
function skipTrivia(text: string, pos: number, line: boolean): number {
  let i = pos;
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || (!line && (text[i] === '\n' || text[i] === '\r')))) i++;
    if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else if (text.startsWith('/*', i)) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || (line && text.slice(i, close).includes('\n'))) return i;
      i = close + 2;
    } else return i;
  }
}

/** The comma after a node, if one follows it (past blanks and comments). */
function commaAfter(text: string, n: Node): number | undefined {
  const i = skipTrivia(text, end(n), false);
  return text[i] === ',' ? i : undefined;
}

export function devcontainerWriter(text: string): LaunchWriter {
  /** Removes the children of an object or array at these indexes (not all of them). */
  function removeChildren(container: Node, indexes: Set<number>): Edit[] | null {
    const kids = container.children ?? [];
    if (indexes.size >= kids.length) return null;
    const edits: Edit[] = [];
    const sorted = [...indexes].sort((a, b) => a - b);
    for (let k = 0; k < sorted.length; ) {
      let j = k;
      while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
      const first = kids[sorted[k]];
      const last = kids[sorted[j]];
      const prev = kids[sorted[k] - 1];
      const next = kids[sorted[j] + 1];
      const ls = lineStart(text, first.offset);
      const afterLast = commaAfter(text, last);
      let lineEnd = skipTrivia(text, afterLast !== undefined ? afterLast + 1 : end(last), true);
      const ownLines = text.slice(ls, first.offset).trim() === '' && (lineEnd >= text.length || text[lineEnd] === '\n' || text[lineEnd] === '\r');
      if (ownLines) {
        if (text[lineEnd] === '\r') lineEnd++;
        if (text[lineEnd] === '\n') lineEnd++;
        edits.push({ start: ls, end: lineEnd, newText: '' });
        // The last ones gone: the comma before them would now trail (unless the file trails commas).
        if (!next && prev && afterLast === undefined) {
          const c = commaAfter(text, prev);
          if (c !== undefined && c < ls) edits.push({ start: c, end: c + 1, newText: '' });
        }
      } else if (next) {
        edits.push({ start: first.offset, end: next.offset, newText: '' });
      } else if (prev) {
        edits.push({ start: end(prev), end: end(last), newText: '' });
      } else return null;
      k = j + 1;
    }
    return edits;
  }

  /** Removes a property (by its property node), or the property holding an array that would be left empty. */
  function removeMember(prop: Node): Edit[] | null {
    const parent = prop.parent;
    if (!parent) return null;
    const index = (parent.children ?? []).indexOf(prop);
    if (index < 0) return null;
    if ((parent.children ?? []).length === 1) {
      // The only property: empty the object, keeping its braces.
      return [{ start: parent.offset + 1, end: end(parent) - 1, newText: '' }];
    }
    return removeChildren(parent, new Set([index]));
  }

  /** A value replaced through jsonc-parser's modify (the node's path), which keeps everything else. */
  function setValue(node: Node, value: unknown): Edit[] | null {
    const path = jsonc().getNodePath(node);
    const res = jsonc().modify(text, path, value, {});
    return res.map((e) => ({ start: e.offset, end: e.offset + e.length, newText: e.content }));
  }

  /** The mount-object item as a `--mount` string, which can say `readonly` (the object form cannot). */
  function readonlyObject(o: Option, item: Node): Edit[] | null {
    const m = o.mount;
    if (!m || !m.source || !m.target || m.type === 'unknown' || item.type !== 'object') return null;
    return [{ start: item.offset, end: end(item), newText: JSON.stringify(`type=${m.type},source=${m.source},target=${m.target},readonly`) }];
  }

  function render(launch: Launch, intents: Intent[]): Edit[] | null {
    const edits: Edit[] = [];
    // Removals per container, rendered together so neighbouring items do not fight over a comma.
    const removals = new Map<Node, Set<number>>();
    const remove = (container: Node, index: number) => {
      const set = removals.get(container) ?? new Set<number>();
      set.add(index);
      removals.set(container, set);
    };
    for (const it of intents) {
      if (it.type === 'add' || it.type === 'use-dockerd' || it.type === 'set-keyword') return null;
      const o = it.option;
      const ref = (o as Linked)[REFS];
      if (!ref || ref.kind === 'feature') return null;
      if (it.type === 'remove') {
        if (ref.kind === 'member') {
          const parent = ref.node.parent;
          const i = parent?.children?.indexOf(ref.node) ?? -1;
          if (!parent || i < 0) return null;
          remove(parent, i);
        } else if (ref.kind === 'item') remove(ref.array, ref.index);
        else {
          const at = optionWords(o);
          if (!at) return null;
          for (const k of at.words) remove(ref.array, k);
        }
        continue;
      }
      if (ref.kind === 'args') {
        const e = wordEdits(text, ref.args, it, (v) => JSON.stringify(v).slice(1, -1));
        if (!e) return null;
        edits.push(...e);
        continue;
      }
      const node = ref.kind === 'member' ? ref.node.children?.[1] : ref.array.children?.[ref.index];
      if (!node) return null;
      let e: Edit[] | Edit | null = null;
      if (it.type === 'set-value') e = node.type === 'string' ? setValue(node, it.value) : null;
      else if (it.type === 'mount-readonly') e = node.type === 'object' ? readonlyObject(o, node) : o.valueSpan && o.valueSpan.start > node.offset ? readonlyEdit(text, o) : null;
      else if (it.type === 'bind-port') e = o.valueSpan && o.valueSpan.start > node.offset ? bindPortEdit(text, o, it.address) : null;
      if (!e) return null;
      edits.push(...(Array.isArray(e) ? e : [e]));
    }
    for (const [container, set] of removals) {
      // An array left empty goes with its property; an object left empty keeps its braces.
      const all = set.size >= (container.children ?? []).length;
      const e = all && container.type === 'array' && container.parent?.type === 'property' ? removeMember(container.parent) : all ? [{ start: container.offset + 1, end: end(container) - 1, newText: '' }] : removeChildren(container, set);
      if (!e) return null;
      edits.push(...e);
    }
    return edits;
  }
  return { render, spell: spellJson };
}
