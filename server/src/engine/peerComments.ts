/**
 * Other tools' suppression comments, read as those tools read them, for the rules their ids map
 * to (peerIds.ts). A comment silences a rule only where the peer's own comment would silence
 * the peer's check, and never a rule none of its ids maps to:
 *
 *   hadolint  `# hadolint ignore=DL3002,DL3004` the next line (the instruction right below);
 *             `# hadolint global ignore=…` the file                      (Dockerfile)
 *   Checkov   `#checkov:skip=CKV_DOCKER_3:reason` anywhere: the file     (Dockerfile)
 *   Trivy     `#trivy:ignore:DS002` (any alias; `*`; `:exp:yyyy-mm-dd`) the line itself and the
 *             next; stacked ignore lines all reach the line below the last (Dockerfile)
 *   KICS      `# kics-scan ignore-line` the line itself and the next (in a Dockerfile, all of
 *             the instruction); `ignore-block` the block below (a Dockerfile's stage, a YAML
 *             mapping); at the file's start `ignore`, `disable=<uuid>,…`, `enable=<uuid>,…`
 *             (Dockerfile, compose)
 *   Semgrep   `# nosemgrep` / `# nosemgrep: rule-id, …` (a full id or a dotted suffix of it) on
 *             the first line of the match or alone on the line before (Dockerfile, compose)
 *   BuildKit  `# check=skip=SecretsUsedInArgOrEnv,…` / `skip=all`, a parser directive at the top
 *             of a Dockerfile: the file
 *
 * Comments that name no id (`# nosemgrep`, KICS `ignore-line`) silence every rule that answers to
 * one of that tool's ids for this kind of file.
 */
import { PEER_NAMES, peerChecks, type PeerTool } from './peerIds';
import type { LineIndex } from './text';
import type { SourceKind } from './types';

export type PeerScope =
  | { kind: 'file' }
  /** Lines a finding may stand on (`own`: only the finding's own line counts, not its block's first). */
  | { kind: 'lines'; lines: number[]; own?: boolean }
  | { kind: 'range'; from: number; to: number };

export interface PeerComment {
  tool: PeerTool;
  /** The comment as written, for hovers. */
  text: string;
  /** 0-based line of the comment. */
  line: number;
  /** The rules it silences: rule id → unconditionally (undefined), or only findings whose text matches one of these. */
  rules: Map<string, RegExp[] | undefined>;
  scope: PeerScope;
}

export interface PeerContext {
  /** 0-based lines of a Dockerfile's FROM instructions. */
  stageLines?: number[];
  /** Today, `yyyy-mm-dd`, for Trivy's expiry dates (default: the clock's). */
  today?: string;
}

/** The rules that answer to these ids of a tool (all its mapped rules for `*`). */
function rulesFor(tool: PeerTool, kind: SourceKind, ids: string[] | '*', match: (checkId: string, aliases: string[], id: string) => boolean): PeerComment['rules'] {
  const out: PeerComment['rules'] = new Map();
  for (const p of peerChecks(tool, kind)) {
    if (ids !== '*' && !ids.some((id) => match(p.id, p.aliases ?? [], id))) continue;
    for (const r of p.rules) {
      const had = out.get(r);
      // Unconditional once any id that maps to the rule is (or when every id of the tool is named).
      if (ids === '*' || !p.only || (out.has(r) && !had)) out.set(r, undefined);
      else out.set(r, [...(had ?? []), p.only]);
    }
  }
  return out;
}

/** Rules of `all` that `kept` does not silence unconditionally (KICS `enable=`: the queries not listed). */
function without(all: PeerComment['rules'], kept: PeerComment['rules']): PeerComment['rules'] {
  return new Map([...all].filter(([r]) => !kept.has(r)));
}

const exact = (checkId: string, _aliases: string[], id: string) => checkId === id;
const anyCase = (checkId: string, aliases: string[], id: string) => [checkId, ...aliases].some((a) => a.toLowerCase() === id.toLowerCase());
/** Semgrep: the rule's full id, or a suffix of it that starts after a dot (`missing-user.missing-user`). */
const suffix = (checkId: string, _aliases: string[], id: string) => checkId === id || checkId.endsWith(`.${id}`);

/** hadolint's pragma: the id list (checked by hadolintIds) up to an optional `# comment`. */
const HADOLINT = /^[ \t]*hadolint[ \t]+(global[ \t]+)?ignore[ \t]*=([^#\r\n]*)(?:#.*)?$/;
const CHECKOV = /(?:checkov|bridgecrew|cortex):skip= *([A-Za-z_\d,-]+)/g;
const KICS = /^[ \t]*kics-scan[ \t]+(ignore-line|ignore-block|ignore|disable|enable)\b[ \t]*(?:=[ \t]*([^\s#]*))?/;
// Semgrep's id list (`[:=]\s?` then ids and separators to the end of the line), split by semgrepIds.
const SEMGREP_ALONE = /^[^a-zA-Z0-9]* *nosem(?:grep)?(?:[:=]\s?([^,\s].*))?/i;
const SEMGREP_INLINE = / nosem(?:grep)?(?:[:=]\s?([^,\s].*))?/i;
const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;

/** Where a `#` comment starts on a line: a comment line, or (YAML) `#` after a blank outside quotes. */
function commentStart(line: string, kind: SourceKind): number {
  const lead = /^\s*#/.exec(line);
  if (lead) return lead[0].length - 1;
  if (kind !== 'compose') return -1;
  let quote = '';
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && /\s/.test(line[i - 1])) return i;
  }
  return -1;
}

/** hadolint's rule list: codes of D, L, S, C and digits separated by commas; undefined when it is not one (hadolint then reads no pragma). */
function hadolintIds(list: string): string[] | undefined {
  const ids = list.split(',').map((s) => s.trim());
  return ids.every((id) => /^[DLSC0-9]+$/.test(id)) ? ids : undefined;
}

function semgrepIds(list: string | undefined): string[] | '*' {
  if (!list) return '*';
  // As Semgrep reads them: split at commas, each id is the first word of its part.
  const ids = list.split(',').map((s) => s.trim().split(' ')[0].replace(/^"|"$/g, '')).filter(Boolean);
  return ids.length ? ids : '*';
}

/** The lines of the YAML block that starts at `start`: it and the lines indented deeper below it. */
function yamlBlockEnd(index: LineIndex, start: number): number {
  const indent = (s: string) => s.length - s.trimStart().length;
  const own = indent(index.lineText(start));
  let end = start;
  for (let l = start + 1; l < index.lineCount; l++) {
    const s = index.lineText(l);
    if (s.trim() === '' || /^\s*#/.test(s)) continue;
    if (indent(s) <= own) break;
    end = l;
  }
  return end;
}

/** Reads the other tools' suppression comments of a Dockerfile or compose file. */
export function readPeerComments(text: string, index: LineIndex, kind: SourceKind | undefined, ctx: PeerContext = {}): PeerComment[] {
  if (kind !== 'dockerfile' && kind !== 'compose') return [];
  if (!/hadolint|checkov|bridgecrew|cortex|trivy|kics-scan|nosem|check\s*=/i.test(text)) return [];
  const out: PeerComment[] = [];
  const add = (tool: PeerTool, text: string, line: number, rules: PeerComment['rules'], scope: PeerScope) => {
    if (rules.size) out.push({ tool, text: text.trim(), line, rules, scope });
  };
  const today = ctx.today ?? new Date().toISOString().slice(0, 10);
  const df = kind === 'dockerfile';
  let header = true;
  let directives = df;
  /** Trivy ignore lines waiting for the line below the last of them. */
  let trivyRun: Array<{ text: string; line: number; rules: PeerComment['rules'] }> = [];
  const flushTrivy = (next: number) => {
    for (const r of trivyRun) add('trivy', r.text, r.line, r.rules, { kind: 'lines', lines: [next - 1, next] });
    trivyRun = [];
  };
  for (let l = 0; l < index.lineCount; l++) {
    const line = index.lineText(l);
    const at = commentStart(line, kind);
    const alone = at >= 0 && line.slice(0, at).trim() === '';
    if (!alone) {
      if (trivyRun.length) flushTrivy(l);
      if (line.trim() !== '' && line.trim() !== '---') header = false;
      directives = false;
    }
    if (at < 0) continue;
    const comment = line.slice(at);
    const body = comment.slice(1);
    // BuildKit: parser directives stand first, one a line, until anything else.
    if (directives) {
      const d = DIRECTIVE.exec(comment);
      if (!d) directives = false;
      else if (d[1].toLowerCase() === 'check') {
        for (const part of d[2].split(';')) {
          const [k, v = ''] = part.split('=').map((s) => s.trim());
          if (k !== 'skip') continue;
          const ids = v === 'all' ? '*' : v.split(',').map((s) => s.trim());
          add('buildkit', comment, l, rulesFor('buildkit', kind, ids, exact), { kind: 'file' });
        }
        continue;
      }
    }
    if (df && alone) {
      const h = HADOLINT.exec(body);
      const ids = h && hadolintIds(h[2]);
      if (h && ids) {
        add('hadolint', comment, l, rulesFor('hadolint', kind, ids, exact), h[1] ? { kind: 'file' } : { kind: 'lines', lines: [l + 1] });
      }
      CHECKOV.lastIndex = 0;
      for (let m = CHECKOV.exec(body); m; m = CHECKOV.exec(body)) {
        add('checkov', comment, l, rulesFor('checkov', kind, m[1].split(',').filter(Boolean), exact), { kind: 'file' });
      }
      const trivy = trivyRules(body, kind, today);
      if (trivy) trivyRun.push({ text: comment, line: l, rules: trivy });
      else if (trivyRun.length) flushTrivy(l);
    }
    if (alone) {
      const k = KICS.exec(body);
      if (k) {
        const cmd = k[1];
        const ids = (k[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        if (cmd === 'ignore-line') add('kics', comment, l, rulesFor('kics', kind, '*', anyCase), { kind: 'lines', lines: [l, l + 1], own: !df });
        else if (cmd === 'ignore-block') {
          const scope = df ? stageRange(l, ctx.stageLines ?? []) : blockBelow(index, l);
          if (scope) add('kics', comment, l, rulesFor('kics', kind, '*', anyCase), scope);
        } else if (header) {
          if (cmd === 'ignore') add('kics', comment, l, rulesFor('kics', kind, '*', anyCase), { kind: 'file' });
          else if (cmd === 'disable' && ids.length) add('kics', comment, l, rulesFor('kics', kind, ids, anyCase), { kind: 'file' });
          else if (cmd === 'enable' && ids.length) {
            add('kics', comment, l, without(rulesFor('kics', kind, '*', anyCase), rulesFor('kics', kind, ids, anyCase)), { kind: 'file' });
          }
        }
      }
    }
    // Semgrep reads an end-of-line `nosemgrep` only after a blank (`# nosemgrep`, not `#nosemgrep`).
    const s = (alone ? SEMGREP_ALONE : SEMGREP_INLINE).exec(body);
    if (s) add('semgrep', comment, l, rulesFor('semgrep', kind, semgrepIds(s[1]), suffix), { kind: 'lines', lines: alone ? [l, l + 1] : [l] });
  }
  if (trivyRun.length) flushTrivy(index.lineCount);
  return out;
}

/** The rules of a `trivy:ignore:<id>[:exp:yyyy-mm-dd]` comment that is still in force; undefined when there is none. */
function trivyRules(body: string, kind: SourceKind, today: string): PeerComment['rules'] | undefined {
  let rules: PeerComment['rules'] | undefined;
  for (let part of body.split(' ')) {
    part = part.trim().replace(/^[#/*]+/, '');
    if (!part.startsWith('trivy:')) continue;
    const sections = part.slice('trivy:'.length).split(':');
    let id: string | undefined;
    let expired = false;
    for (let i = 0; i + 1 < sections.length; i += 2) {
      if (sections[i] === 'ignore') id = sections[i + 1].replace(/\[.*$/, '');
      // An unreadable date counts as expired, as in Trivy.
      if (sections[i] === 'exp') expired = !/^\d{4}-\d{2}-\d{2}$/.test(sections[i + 1]) || sections[i + 1] <= today;
    }
    if (!id || expired) continue;
    rules ??= new Map();
    for (const [r, only] of rulesFor('trivy', kind, id === '*' ? '*' : [id], anyCase)) rules.set(r, rules.has(r) && !rules.get(r) ? undefined : only && [...(rules.get(r) ?? []), ...only]);
  }
  return rules;
}

/** KICS `ignore-block` in a Dockerfile: the stage whose FROM follows the comment, to the next FROM. */
function stageRange(line: number, stageLines: number[]): PeerScope | undefined {
  const k = stageLines.findIndex((s) => s > line);
  if (k < 0) return undefined;
  const next = stageLines[k + 1];
  return { kind: 'range', from: line, to: next === undefined ? Number.MAX_SAFE_INTEGER : next - 1 };
}

/** KICS `ignore-block` in YAML: the comment and the block right below it. */
function blockBelow(index: LineIndex, line: number): PeerScope | undefined {
  let start = line + 1;
  while (start < index.lineCount && /^\s*#/.test(index.lineText(start))) start++;
  if (start >= index.lineCount || index.lineText(start).trim() === '') return undefined;
  return { kind: 'range', from: line, to: yamlBlockEnd(index, start) };
}

/** What peerSilencer needs of a finding. */
export interface PeerTarget {
  ruleId: string;
  /** `lines[0]` its own line, then the first lines of the blocks it lies in. */
  lines: readonly number[];
  /** Where peers report it besides (a final stage's CMD for a missing USER). */
  peerLines?: readonly number[];
  /** The finding's text (its span), for peer checks that cover part of a rule. */
  text: string;
}

/** The peer comment that silences this finding, if any. */
export function peerSilencer(comments: PeerComment[], f: PeerTarget): PeerComment | undefined {
  const { lines, peerLines } = f;
  for (const c of comments) {
    if (!c.rules.has(f.ruleId)) continue;
    const only = c.rules.get(f.ruleId);
    if (only && !only.some((re) => re.test(f.text.trim()))) continue;
    const s = c.scope;
    if (s.kind === 'file') return c;
    if (s.kind === 'range' && lines.some((l) => l >= s.from && l <= s.to)) return c;
    if (s.kind === 'lines') {
      const mine = s.own ? [lines[0]] : peerLines ? [...lines, ...peerLines] : lines;
      if (mine.some((l) => s.lines.includes(l))) return c;
    }
  }
  return undefined;
}

/** The tool's name as users know it. */
export function peerName(tool: PeerTool): string {
  return PEER_NAMES[tool];
}
