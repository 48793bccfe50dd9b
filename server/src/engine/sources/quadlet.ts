/**
 * Podman Quadlet `.container` unit reader: systemd unit syntax read as Podman's own parser reads
 * it (pkg/systemd/parser/unitfile.go: lines trimmed, `#` and `;` comments, a trailing `\` joins
 * the next line and comment lines inside such a continuation are skipped, `[Section]` headers,
 * `Key=Value`), and the `[Container]` section turned into the `podman run` it generates
 * (podman-systemd.unit(5)). `PodmanArgs` is read by the option grammar; systemd specifiers
 * (`%h`, `%i`) and environment variables are unknown values. A deployed workload: missing
 * settings are judged (at the `[Container]` line) and fixes add keys to that section.
 */
import { UNKNOWN, type Launch, type Option } from '../launch';
import { parseMountSpec, parsePortSpec, parseShortVolume } from '../mounts';
import type { Span } from '../types';
import { readArgOptions, splitArgs, type ArgWords } from './argv';
import { fileSpan, MappedBuilder, sliceMapped, type MappedText } from './mapped';
import { quadletWriter, withEntry, type QuadletFile, type UnitEntry, type UnitSection } from './quadletWriter';

export type { QuadletFile, UnitEntry, UnitSection };

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f' || c === '\u00a0';

interface RawLine {
  start: number;
  /** After the line break (or the end of the text). */
  next: number;
  /** The line without its surrounding blanks. */
  ts: number;
  te: number;
}

function rawLines(text: string): RawLine[] {
  const out: RawLine[] = [];
  let s = 0;
  // As Podman: one final line break ends the last line rather than starting an empty one.
  const body = text.endsWith('\n') ? text.length - 1 : text.length;
  for (;;) {
    let e = text.indexOf('\n', s);
    if (e < 0 || e > body) e = body;
    let ts = s;
    let te = e;
    while (ts < te && isSpace(text[ts])) ts++;
    while (te > ts && isSpace(text[te - 1])) te--;
    out.push({ start: s, next: Math.min(e + 1, text.length), ts, te });
    if (e >= body) break;
    s = e + 1;
  }
  return out;
}

/** Reads the unit file's sections and entries, or the first line Podman would refuse. */
export function parseUnit(text: string): QuadletFile {
  const file: QuadletFile = { sections: [] };
  const lines = rawLines(text);
  let current: UnitSection | undefined;
  let pending: { b: MappedBuilder; first: RawLine } | undefined;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    const t = text.slice(line.ts, line.te);
    if (t === '' || t[0] === '#' || t[0] === ';') continue;
    const continued = t.endsWith('\\');
    const b = pending?.b ?? new MappedBuilder();
    b.same(continued ? t.slice(0, -1) : t, line.ts);
    if (continued && k !== lines.length - 1) {
      pending ??= { b, first: line };
      continue;
    }
    const first = pending?.first ?? line;
    pending = undefined;
    const m = b.finish(line.te);
    const lineSpan = { start: first.ts, end: line.te };
    const s = m.text;
    const close = s.indexOf(']');
    if (s[0] === '[' && close > 0 && s.slice(close + 1).trim() === '') {
      const name = s.slice(1, close);
      if (!name || /[[\]\p{Cc}]/u.test(name)) return { ...file, error: { span: lineSpan, message: `invalid section name “${name}”` } };
      current = { name, header: lineSpan, entries: [], lines: { start: first.start, end: line.next } };
      file.sections.push(current);
      continue;
    }
    const eq = s.indexOf('=');
    if (eq <= 0) return { ...file, error: { span: lineSpan, message: `line ${lines.indexOf(first) + 1} is not a key-value pair, section or comment` } };
    if (!current) return { ...file, error: { span: lineSpan, message: 'the file does not start with a section' } };
    let keyEnd = eq;
    while (keyEnd > 0 && isSpace(s[keyEnd - 1])) keyEnd--;
    let vs = eq + 1;
    while (vs < s.length && isSpace(s[vs])) vs++;
    const key = s.slice(0, keyEnd);
    current.entries.push({
      key,
      keySpan: fileSpan(m, 0, keyEnd),
      value: sliceMapped(m, vs, s.length),
      span: lineSpan,
      lines: { start: first.start, end: line.next },
    });
    current.lines.end = line.next;
  }
  return file;
}

/** Specifiers (`%h`, `%i`; `%%` is a percent sign) and `$VAR` / `${VAR}` are known when the unit runs. */
function masked(m: MappedText): MappedText {
  if (!/[%$]/.test(m.text)) return m;
  const text = m.text.replace(/%%|%[A-Za-z]|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, (s) => (s === '%%' ? s : UNKNOWN.repeat(s.length)));
  return { ...m, text };
}

/** A single value as Podman's Lookup reads it: trailing blanks gone, one pair of double quotes taken off. */
function single(m: MappedText): MappedText {
  let e = m.text.length;
  while (e > 0 && isSpace(m.text[e - 1])) e--;
  let s = 0;
  if (e - s >= 2 && m.text[s] === '"' && m.text[e - 1] === '"') {
    s++;
    e--;
  }
  return masked(sliceMapped(m, s, e));
}

const isTrue = (v: string) => /^(1|yes|true|on)$/i.test(v.trim());

/** Keys that set one docker option each, with the option's name. */
const SINGLE: Record<string, string> = {
  UserNS: 'userns', Network: 'network', PidsLimit: 'pids-limit', Memory: 'memory', PublishPort: 'publish', AddDevice: 'device',
  Tmpfs: 'tmpfs', LogDriver: 'log-driver', ExposeHostPort: 'expose', Exec: 'command', Volume: 'volume',
};

export interface QuadletModel {
  launch?: Launch;
  /** Entries written over several lines: a suppression comment before one covers all of it. */
  blocks?: Span[];
  error?: { span: Span; message: string };
}

export function readQuadlet(text: string): QuadletModel {
  const file = parseUnit(text);
  // Another tool's `.container` file (no [Container] section anywhere) is not a Quadlet unit: nothing to say.
  if (file.error) return /^[ \t]*\[Container\][ \t]*\r?$/m.test(text) ? { error: file.error } : {};
  const sections = file.sections.filter((s) => s.name === 'Container');
  if (!sections.length) return {};
  const options: Option[] = [];
  let image: Launch['image'];
  let opaque = false;
  const entries = sections.flatMap((s) => s.entries);
  const group = [...entries].reverse().find((e) => e.key === 'Group');
  const opt = (e: UnitEntry, name: string, v: MappedText, value = v.text): Option =>
    withEntry({ name, value, span: e.span, valueSpan: fileSpan(v, 0, v.text.length), spelled: e.key }, { kind: 'entry', entry: e });
  for (const e of entries) {
    const v = single(e.value);
    switch (e.key) {
      case 'Image':
        // `web.image` / `web.build` name another Quadlet unit that pulls or builds it.
        image = /\.(image|build)$/.test(v.text) ? undefined : { shape: v.text, span: fileSpan(v, 0, v.text.length) };
        break;
      case 'User':
        options.push(opt(e, 'user', v, group ? `${v.text}:${single(group.value).text}` : v.text));
        break;
      case 'NoNewPrivileges':
        options.push(opt(e, 'security-opt', v, isTrue(v.text) ? 'no-new-privileges' : 'no-new-privileges=false'));
        break;
      case 'ReadOnly':
        options.push(opt(e, 'read-only', v, isTrue(v.text) ? 'true' : 'false'));
        break;
      case 'SeccompProfile':
        options.push(opt(e, 'security-opt', v, `seccomp=${v.text}`));
        break;
      case 'AppArmor':
        options.push(opt(e, 'security-opt', v, `apparmor=${v.text}`));
        break;
      case 'SecurityLabelDisable':
        if (isTrue(v.text)) options.push(opt(e, 'security-opt', v, 'label=disable'));
        break;
      case 'AddCapability':
      case 'DropCapability':
      case 'Environment':
      case 'Mount': {
        const name = e.key === 'AddCapability' ? 'cap-add' : e.key === 'DropCapability' ? 'cap-drop' : e.key === 'Environment' ? 'env' : 'mount';
        const a = splitArgs(masked(e.value), text, { systemd: true });
        a.words.forEach((w, index) => options.push(wordOption(e, a, index, name, w.shape)));
        break;
      }
      case 'PodmanArgs': {
        const r = readArgOptions(splitArgs(masked(e.value), text, { systemd: true }));
        opaque ||= r.opaque;
        for (const o of r.options) options.push(withEntry(o, { kind: 'args', entry: e, args: r }));
        break;
      }
      default: {
        const name = SINGLE[e.key];
        if (!name) break;
        const value = name === 'device' ? v.text.replace(/^-/, '') : v.text;
        const o = opt(e, name, v, value);
        if (name === 'volume') o.mount = parseShortVolume(value);
        if (name === 'publish') o.port = parsePortSpec(value);
        options.push(o);
      }
    }
  }
  const launch: Launch = {
    source: 'quadlet',
    tool: 'podman',
    command: 'run',
    anchor: sections[0].header,
    label: 'Quadlet [Container]',
    image,
    options,
    opaque,
    judgeMissing: !opaque,
    writer: quadletWriter(text, file),
  };
  const blocks = entries.filter((e) => text.slice(e.span.start, e.span.end).includes('\n')).map((e) => e.span);
  return { launch, blocks };
}

/** One word of a list key (`AddCapability=SYS_ADMIN NET_ADMIN`, `Environment=A=1 B=2`) as an option of its own. */
function wordOption(e: UnitEntry, a: ArgWords, index: number, name: string, value: string): Option {
  const w = a.words[index];
  const o: Option = { name, value, span: w.span, valueSpan: a.exact[index] ? w.span : undefined, spelled: e.key };
  if (name === 'mount') o.mount = parseMountSpec(value);
  return withEntry(o, { kind: 'word', entry: e, args: a, index });
}
