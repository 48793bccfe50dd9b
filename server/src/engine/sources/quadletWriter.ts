/**
 * Renders fix intents for a Quadlet `.container` unit in its own syntax: a missing setting is a
 * key added at the end of the `[Container]` section, written as the file writes its keys
 * (`Key=value` or `Key = value`), with the file's line breaks; a setting that goes takes its
 * lines (continuation lines included), or only its word from a list (`AddCapability=`) or from
 * `PodmanArgs`; a value is replaced in place. Settings Quadlet has no key for go into
 * `PodmanArgs=`.
 */
import { optionWords } from '../dockercli';
import type { Intent, Launch, LaunchWriter, Option } from '../launch';
import { bindPortEdit } from '../mounts';
import type { Edit, Span } from '../types';
import { plainOnly, readonlyEdit, removeWords, wordEdits, type ArgWords } from './argv';
import type { MappedText } from './mapped';
import { spellFlag } from './shellWriter';

export interface UnitEntry {
  key: string;
  keySpan: Span;
  /** The value, joined over its continuation lines, with each character's place. */
  value: MappedText;
  /** From the key to the end of the value (its continuation lines included). */
  span: Span;
  /** From the start of its first line to after its last line break. */
  lines: Span;
}

export interface UnitSection {
  name: string;
  header: Span;
  entries: UnitEntry[];
  /** From the header line's start to after the section's last entry line. */
  lines: Span;
}

export interface QuadletFile {
  sections: UnitSection[];
  error?: { span: Span; message: string };
}

export type EntryRef =
  | { kind: 'entry'; entry: UnitEntry }
  | { kind: 'word'; entry: UnitEntry; args: ArgWords; index: number }
  | { kind: 'args'; entry: UnitEntry; args: ArgWords };

// The reader links each option to its unit entry under this key; it is not exported, so only this
// writer reads the link. (A property, not a WeakMap: see dockercli.ts.)
const REFS = Symbol('unit entry');
type Linked = Option & { [REFS]?: EntryRef };

export function withEntry(o: Option, ref: EntryRef): Option {
  (o as Linked)[REFS] = ref;
  return o;
}

/** Docker option → Quadlet key, and how the key writes the option's value. */
const KEYS: Record<string, { key: string; value: (v: string) => string }> = {
  'cap-drop': { key: 'DropCapability', value: (v) => v.toLowerCase() },
  'security-opt': { key: 'NoNewPrivileges', value: () => 'true' },
  'read-only': { key: 'ReadOnly', value: () => 'true' },
  memory: { key: 'Memory', value: (v) => v },
  'pids-limit': { key: 'PidsLimit', value: (v) => v },
  tmpfs: { key: 'Tmpfs', value: (v) => v },
};

/** The lines that add one setting: `User=1000` and `Group=1000` for `--user 1000:1000`. */
function keyLines(name: string, value: string | undefined, eq: string): string[] | null {
  if (name === 'user') {
    if (value === undefined) return ['User'];
    const [uid, gid] = value.split(':');
    return gid ? [`User${eq}${uid}`, `Group${eq}${gid}`] : [`User${eq}${uid}`];
  }
  if (name === 'security-opt' && value !== 'no-new-privileges' && value !== undefined) return null;
  const k = KEYS[name];
  if (k) return [value === undefined ? k.key : `${k.key}${eq}${k.value(value)}`];
  const flag = spellFlag(name);
  return [`PodmanArgs${eq}${value === undefined || value === 'true' ? flag : `${flag}=${value}`}`];
}

/** How a Quadlet unit writes a setting: `DropCapability=all`, `NoNewPrivileges=true`, `User=`. */
export function spellKey(name: string, value?: string): string {
  const lines = keyLines(name, value, '=');
  if (!lines) return spellFlag(name, value);
  return value === undefined ? `${lines[0]}=` : lines.join(', ');
}

export function quadletWriter(text: string, file: QuadletFile): LaunchWriter {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const entries = file.sections.flatMap((s) => s.entries);
  // The file's style: `Key=value`, or `Key = value` when most of its keys are written so.
  const spaced = entries.filter((e) => /\s=\s/.test(text.slice(e.keySpan.start, e.value.from[0] ?? e.span.end))).length;
  const eq = spaced * 2 > entries.length ? ' = ' : '=';

  const removeEntry = (e: UnitEntry): Edit => ({ start: e.lines.start, end: e.lines.end, newText: '' });

  /** A new value for a key that holds one, written where the old one stands. */
  function setEntry(e: UnitEntry, value: string): Edit[] | null {
    const v = e.value;
    if (!v.text || !/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return null;
    const start = v.from[0];
    const end = v.to[v.text.trimEnd().length - 1];
    if (text.slice(start, end) !== v.text.trimEnd()) return null;
    return [{ start, end, newText: value }];
  }

  function setValue(o: Option, ref: EntryRef, value: string): Edit[] | null {
    if (ref.kind !== 'entry') return wordEdits(text, ref.args, { type: 'set-value', option: o, value }, plainOnly);
    const e = ref.entry;
    if (e.key === 'NoNewPrivileges' || e.key === 'ReadOnly') return setEntry(e, 'true');
    if (e.key !== 'User') return setEntry(e, value);
    const [uid, gid] = value.split(':');
    const edits = setEntry(e, uid);
    if (!edits || gid === undefined) return edits;
    const group = entries.filter((x) => x.key === 'Group').pop();
    if (group) {
      const g = setEntry(group, gid);
      return g ? [...edits, ...g] : null;
    }
    const at = e.lines.end;
    edits.push({ start: at, end: at, newText: `${text[at - 1] === '\n' ? '' : eol}Group${eq}${gid}${text[at - 1] === '\n' ? eol : ''}` });
    return edits;
  }

  function render(launch: Launch, intents: Intent[]): Edit[] | null {
    const edits: Edit[] = [];
    const adds: string[] = [];
    const removals = new Map<UnitEntry, { args: ArgWords; words: Set<number> }>();
    const removeWordsOf = (e: UnitEntry, args: ArgWords, ks: number[]) => {
      const r = removals.get(e) ?? { args, words: new Set<number>() };
      ks.forEach((k) => r.words.add(k));
      removals.set(e, r);
    };
    for (const it of intents) {
      if (it.type === 'add') {
        // A read-only root gets Podman's own tmpfs on /tmp (ReadOnlyTmpfs defaults to true).
        if (it.name === 'tmpfs' && !entries.some((e) => e.key === 'ReadOnlyTmpfs' && /^(0|no|false|off)$/i.test(e.value.text.trim()))) continue;
        const lines = keyLines(it.name, it.value ?? 'true', eq);
        if (!lines) return null;
        adds.push(...lines);
        continue;
      }
      if (it.type === 'use-dockerd' || it.type === 'set-keyword') return null;
      const o = it.option;
      const ref = (o as Linked)[REFS];
      if (!ref) return null;
      if (it.type === 'remove') {
        if (ref.kind === 'entry') edits.push(removeEntry(ref.entry));
        else if (ref.kind === 'word') removeWordsOf(ref.entry, ref.args, [ref.index]);
        else {
          const at = optionWords(o);
          if (!at) return null;
          removeWordsOf(ref.entry, ref.args, at.words);
        }
        continue;
      }
      let e: Edit[] | Edit | null = null;
      if (it.type === 'set-value') e = setValue(o, ref, it.value);
      else if (ref.kind === 'args') e = wordEdits(text, ref.args, it, plainOnly);
      else if (it.type === 'mount-readonly') e = o.valueSpan ? readonlyEdit(text, o) : null;
      else if (it.type === 'bind-port') e = bindPortEdit(text, o, it.address);
      if (!e) return null;
      edits.push(...(Array.isArray(e) ? e : [e]));
    }
    for (const [entry, r] of removals) {
      if (r.words.size >= r.args.words.length) {
        edits.push(removeEntry(entry));
        continue;
      }
      const sorted = [...r.words].sort((a, b) => a - b);
      for (let k = 0; k < sorted.length; ) {
        let j = k;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        const e = removeWords(text, r.args, sorted[k], sorted[j]);
        if (!e) return null;
        edits.push(e);
        k = j + 1;
      }
    }
    if (adds.length) {
      const sections = file.sections.filter((s) => s.name === 'Container');
      const last = sections[sections.length - 1];
      if (!last) return null;
      const at = last.lines.end;
      const broken = at > 0 && text[at - 1] === '\n';
      edits.push({ start: at, end: at, newText: (broken ? '' : eol) + adds.map((a) => a + eol).join('').slice(0, broken ? undefined : -eol.length) });
    }
    return edits;
  }
  return { render, spell: spellKey };
}
