/**
 * Suppression comments, read and written here (one definition of the syntax):
 *   # harden-ignore: id[, id…] [-- reason]       on the line before a finding, or at the end of its line
 *   # harden-ignore-file: id[, id…] [-- reason]  anywhere (by convention near the top): the whole file
 * written with the file's own comment marker: `#`, `//` in devcontainer.json, `#` or `;` in a unit file.
 */
import { expandGroupIds, MISSING_HARDENING } from './group';
import { RULE_IDS } from './rules';
import { LineIndex } from './text';
import type { Edit, SourceKind, Span } from './types';

export interface SuppressionId {
  id: string;
  span: Span;
}

export interface Suppressions {
  /** Line → ids silenced on that line. */
  byLine: Map<number, Set<string>>;
  file: Set<string>;
  /** Every id written, for the unknown-id check. */
  ids: SuppressionId[];
}

/** What an ignore comment covers: the line it stands before (or ends), or the whole file. */
export type SuppressionScope = 'line' | 'file';

const MARK = 'harden-ignore';
const FILE_SUFFIX = '-file';

/**
 * Per comment marker: an ignore comment (the marker, the mark, `-file` for the whole file, `:`,
 * and the id list with an optional reason to the end of the line), and a comment line. Literals,
 * as every regular expression of the engine.
 */
const MARKERS = {
  '#': { re: /#\s*harden-ignore(-file)?\s*:([^\r\n]*)/g, commentLine: /^\s*#/, write: '#' },
  '//': { re: /\/\/\s*harden-ignore(-file)?\s*:([^\r\n]*)/g, commentLine: /^\s*\/\//, write: '//' },
  '#;': { re: /[#;]\s*harden-ignore(-file)?\s*:([^\r\n]*)/g, commentLine: /^\s*[#;]/, write: '#' },
};
export type CommentMarker = keyof typeof MARKERS;

/** How comments start in a file of this kind: `//` in devcontainer.json, `#` or `;` in a unit file, `#` elsewhere. */
export function commentMarker(kind: SourceKind | undefined): CommentMarker {
  return kind === 'devcontainer' ? '//' : kind === 'quadlet' ? '#;' : '#';
}

/** The comment that silences `ids` in this scope. */
export function ignoreComment(scope: SuppressionScope, ids: string[], marker: CommentMarker = '#'): string {
  return `${MARKERS[marker].write} ${MARK}${scope === 'file' ? FILE_SUFFIX : ''}: ${ids.join(', ')}`;
}

/** The ids of a comment's body (after the colon, at `bodyStart`): up to the reason (`--`) or another comment. */
function idsOf(body: string, bodyStart: number): SuppressionId[] {
  const ends = [body.indexOf('--'), body.indexOf('#')].filter((i) => i >= 0);
  const list = ends.length ? body.slice(0, Math.min(...ends)) : body;
  const out: SuppressionId[] = [];
  const idRe = /[A-Za-z0-9_-]+/g;
  let im: RegExpExecArray | null;
  while ((im = idRe.exec(list))) out.push({ id: im[0], span: { start: bodyStart + im.index, end: bodyStart + im.index + im[0].length } });
  return out;
}

export function readSuppressions(text: string, index: LineIndex, marker: CommentMarker = '#'): Suppressions {
  const out: Suppressions = { byLine: new Map(), file: new Set(), ids: [] };
  if (!text.includes(MARK)) return out;
  const { re: RE, commentLine } = MARKERS[marker];
  RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RE.exec(text))) {
    const isFile = !!m[1];
    const body = m[2];
    const found = idsOf(body, m.index + m[0].length - body.length);
    out.ids.push(...found);
    // The group id stands for its members.
    const ids = expandGroupIds(found.map((s) => s.id));
    if (isFile) {
      for (const id of ids) out.file.add(id);
      continue;
    }
    const line = index.positionAt(m.index).line;
    const before = text.slice(index.lineStart(line), m.index);
    let target = line;
    if (before.trim() === '') {
      // A comment line of its own: it covers the next line that is not a comment. Other comment
      // lines may stand between; a blank line ends its reach.
      target = line + 1;
      while (target < index.lineCount && commentLine.test(index.lineText(target))) target++;
    }
    const set = out.byLine.get(target) ?? new Set<string>();
    for (const id of ids) set.add(id);
    out.byLine.set(target, set);
  }
  return out;
}

export function isSuppressed(s: Suppressions, id: string, lines: number[]): boolean {
  if (s.file.has(id) || s.file.has('all')) return true;
  return lines.some((l) => {
    const set = s.byLine.get(l);
    return !!set && (set.has(id) || set.has('all'));
  });
}

// ---------------------------------------------------------------- writing

/**
 * The lines a line comment may target to silence a finding (its own line, its
 * launch's and its command's first lines), as the analysis worked them out.
 * An analyzed finding answers it from its prototype (JSON and copies do not show it).
 */
export const SUPPRESSION_LINES = Symbol('suppression lines');
type WithLines = { readonly [SUPPRESSION_LINES]?: readonly number[] };

/** What suppressionEdit needs of a finding. */
export interface SuppressibleFinding {
  ruleId: string;
  span: Span;
  /** Lines a line comment may target; read from an analyzed finding when not given. */
  lines?: readonly number[];
}

/** Whether a rule's findings can be silenced with a comment (not parse errors or bad comments themselves). */
export function canSuppress(ruleId: string): boolean {
  return (RULE_IDS.has(ruleId) || ruleId === MISSING_HARDENING) && ruleId !== 'parse-error' && ruleId !== 'unknown-suppression';
}

/** A grouped finding as one to silence: the group id, where its first member may be silenced. */
export function groupSuppressible(member: SuppressibleFinding): SuppressibleFinding {
  return { ruleId: MISSING_HARDENING, span: member.span, lines: member.lines ?? (member as WithLines)[SUPPRESSION_LINES] };
}

function continues(line: string): boolean {
  return /\\\s*$/.test(line) && !/^\s*#/.test(line);
}

/**
 * The first line of the logical line `line` belongs to: in a shell script a
 * comment cannot go between the lines of a `\`-continued command (it would
 * end the command), so it goes before the command's first line.
 */
function statementStartLine(idx: LineIndex, kind: SourceKind | undefined, line: number): number {
  if (kind === 'compose') return line;
  let l = line;
  while (l > 0) {
    let p = l - 1;
    // Dockerfile: comment lines inside a continued instruction are dropped by the parser.
    if (kind === 'dockerfile') while (p > 0 && /^\s*#/.test(idx.lineText(p))) p--;
    if (!continues(idx.lineText(p))) break;
    l = p;
  }
  return kind === 'workflow' ? outsideBlockString(idx, l) : l;
}

/**
 * In a workflow, a comment line inside a block string (`options: >-`, `run: >`) would become part
 * of that string: the comment goes before the block's key instead (the reader lets it cover the
 * whole string). Inside a literal `run: |` script a comment line is a shell comment: it stays.
 */
function outsideBlockString(idx: LineIndex, line: number): number {
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const own = indentOf(idx.lineText(line));
  for (let p = line - 1; p >= 0; p--) {
    const t = idx.lineText(p);
    if (t.trim() === '' || indentOf(t) >= own) continue;
    const m = /(^|[\s-])([\w-]+)\s*:\s*([|>])[-+0-9]*\s*(#.*)?$/.exec(t);
    return m && !(m[2] === 'run' && m[3] === '|') ? p : line;
  }
  return line;
}

/** The ids of an ignore comment of this scope filling line `line`, and where a new id goes. */
function commentOnLine(idx: LineIndex, line: number, scope: SuppressionScope, marker: CommentMarker): { ids: string[]; listEnd: number } | undefined {
  const lt = idx.lineText(line);
  const RE = MARKERS[marker].re;
  RE.lastIndex = 0;
  const m = RE.exec(lt);
  // A comment line of its own, of this scope.
  if (!m || lt.slice(0, m.index).trim() !== '' || !!m[1] !== (scope === 'file')) return undefined;
  const bodyStart = lt.length - m[2].length;
  const ids = idsOf(m[2], bodyStart);
  const end = ids.length ? ids[ids.length - 1].span.end : bodyStart;
  return { ids: ids.map((s) => s.id), listEnd: idx.lineStart(line) + end };
}

/** The id added to an existing comment's list (undefined when it is there already). */
function appendId(found: { ids: string[]; listEnd: number }, ruleId: string): Edit | undefined {
  if (found.ids.includes(ruleId)) return undefined;
  return { start: found.listEnd, end: found.listEnd, newText: found.ids.length ? `, ${ruleId}` : ` ${ruleId}` };
}

/**
 * Another tool's suppression comment on a line of its own (hadolint, Checkov, Trivy, KICS,
 * Semgrep): several of them reach only the line right below, so a new comment goes above them.
 */
const PEER_LINE = /^\s*#\s*(?:hadolint\s|checkov:|bridgecrew:|trivy:|tfsec:|kics-scan\s|nosem)/i;

/** A `# harden-ignore: <id>` comment before line `target`, or the id appended to one already there. */
function commentBefore(idx: LineIndex, target: number, ruleId: string, marker: CommentMarker): Edit | undefined {
  // Above the other tools' comments right before the target: ours reaches past comment lines, theirs may not.
  let at = target;
  while (marker === '#' && at > 0 && PEER_LINE.test(idx.lineText(at - 1))) at--;
  const prev = at > 0 ? commentOnLine(idx, at - 1, 'line', marker) : undefined;
  if (prev) return appendId(prev, ruleId);
  const start = idx.lineStart(at);
  const indent = /^[ \t]*/.exec(idx.lineText(target))![0];
  return { start, end: start, newText: `${indent}${ignoreComment('line', [ruleId], marker)}${idx.eol}` };
}

function lineEdit(idx: LineIndex, kind: SourceKind | undefined, f: SuppressibleFinding): Edit | undefined {
  const line = idx.lineAt(f.span.start);
  const lines = f.lines ?? (f as WithLines)[SUPPRESSION_LINES];
  const start = statementStartLine(idx, kind, line);
  // Best first: before the whole statement; a Dockerfile may hold comment lines inside a
  // continued instruction, YAML anywhere: else before the finding's own line.
  const targets = kind !== 'shell' && kind !== 'workflow' && start !== line ? [start, line] : [start];
  for (const target of targets) {
    // A comment that would not cover one of the finding's lines silences nothing.
    if (lines && !lines.includes(target)) continue;
    const e = commentBefore(idx, target, f.ruleId, commentMarker(kind));
    if (e) return e;
  }
  return undefined;
}

/**
 * The `# harden-ignore-file:` comment at the top (after a shebang or
 * Dockerfile parser directives), or the id appended to such a comment already
 * there.
 */
function fileEdit(idx: LineIndex, kind: SourceKind | undefined, ruleId: string): Edit | undefined {
  const text = idx.text;
  for (let l = 0; l < Math.min(idx.lineCount, 30); l++) {
    const found = commentOnLine(idx, l, 'file', commentMarker(kind));
    if (found) return appendId(found, ruleId);
  }
  let line = 0;
  if (kind === 'shell' && idx.lineText(0).startsWith('#!')) line = 1;
  if (kind === 'dockerfile') {
    // Parser directives (# syntax=…, # escape=…) must stay first.
    while (line < idx.lineCount && /^\s*#\s*[A-Za-z][A-Za-z0-9_-]*\s*=/.test(idx.lineText(line))) line++;
  }
  const comment = ignoreComment('file', [ruleId], commentMarker(kind));
  if (line >= idx.lineCount) {
    return { start: text.length, end: text.length, newText: `${text.length && !/\n$/.test(text) ? idx.eol : ''}${comment}${idx.eol}` };
  }
  const start = idx.lineStart(line);
  return { start, end: start, newText: `${comment}${idx.eol}` };
}

/**
 * The edit that silences a finding with a comment in the source's syntax:
 * for `line`, a `# harden-ignore: <id>` before the finding's statement (never
 * inside a continued command) on a line the analysis says it covers, or the id
 * appended to the comment already there; for `file`, a `# harden-ignore-file:`
 * comment at the top. Undefined when the rule cannot be silenced, the id is
 * listed already, or no placement covers the finding.
 */
export function suppressionEdit(text: string, kind: SourceKind | undefined, finding: SuppressibleFinding, scope: SuppressionScope, index?: LineIndex): Edit | undefined {
  if (!canSuppress(finding.ruleId)) return undefined;
  const idx = index ?? new LineIndex(text);
  return scope === 'file' ? fileEdit(idx, kind, finding.ruleId) : lineEdit(idx, kind, finding);
}
