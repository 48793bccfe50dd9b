/**
 * Shared machinery of the robustness properties (test/unit/robustness) and the
 * long fuzz campaign (test/fuzz/run.ts): corpus loading, input generators
 * (arbitrary text, docker-flavoured token soup, mutated corpus files, deep
 * nesting), and property checkers that return a list of problems instead of
 * throwing, so one runner can report many at once.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { parseTree, type ParseError } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { parseUnit } from '../../server/src/engine/sources/quadlet';
import { analyze, AnalyzeOptions, applyEdits, detectKind, Finding, harden, hoverAt, LineIndex, RULE_IDS, SourceKind } from '../../server/src/engine';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const CORPUS = path.join(ROOT, 'test', 'corpus');
/** The kinds fuzzed here (devcontainer.json, workflows and Quadlet units are not yet). */
export type FuzzKind = Extract<SourceKind, 'dockerfile' | 'compose' | 'shell'>;
export const KINDS: FuzzKind[] = ['dockerfile', 'compose', 'shell'];
export const NAME_FOR: Record<FuzzKind, string> = { dockerfile: 'Dockerfile', compose: 'compose.yaml', shell: 'script.sh' };

export interface Sample {
  file: string;
  text: string;
  kind: SourceKind;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const rec = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) rec(p);
      else if (e.isFile()) out.push(p);
    }
  };
  if (fs.existsSync(dir)) rec(dir);
  return out.sort();
}

/** Every file of a folder that the engine recognises, with its kind. */
export function loadSamples(dir: string): Sample[] {
  const out: Sample[] = [];
  for (const file of listFiles(dir)) {
    // Notes, licences and golden outputs (<fixture>.fixed, see test/unit/golden.test.ts) are not inputs; JSON only as devcontainer.json.
    if (/\.(md|expected|txt|fixed)$/i.test(file) || /LICENSE/.test(file) || (/\.json$/i.test(file) && detectKind(file) !== 'devcontainer')) continue;
    const text = fs.readFileSync(file, 'utf8');
    const kind = detectKind(file, text);
    if (kind) out.push({ file, text, kind });
  }
  return out;
}

export const corpusSamples = (): Sample[] => loadSamples(CORPUS);
export const fixtureSamples = (): Sample[] => loadSamples(FIXTURES);

export function readSibling(p: string): string | undefined {
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > 1024 * 1024) return undefined;
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- generators

/** Tokens that steer random text towards the constructs the readers care about. */
export const TOKENS = [
  'docker run', 'docker', 'podman run', 'docker-compose', 'dockerd', ' run ', 'exec ', 'sudo ', 'env ', 'sh -c ', 'bash -c ',
  ' --privileged', ' --cap-add=ALL', ' --cap-add', ' SYS_ADMIN', ' --cap-drop ALL', ' -v /:/host', ' -v', ' /var/run/docker.sock:/var/run/docker.sock',
  ' --net=host', ' --pid host', ' -u 0', ' --user root', ' --security-opt', ' seccomp=unconfined', ' apparmor:unconfined', ' -p 2375:2375',
  ' --memory', ' 512m', ' --read-only', ' -e', ' PASSWORD=x', ' -it', ' ubuntu', ' alpine:latest', ' ', '  ', '\t', '\n', '\r\n', '\r', '\\\n', '\\\r\n',
  '"', "'", '`', '$(', ')', '${', '}', '{', '((', '))', '[[', ']]', ';', '&&', '||', '|', '&', '<<EOF\n', '\nEOF\n', "<<'X'\n", '<<-', '#', '# harden-ignore ', '# harden-ignore: privileged',
  'FROM ', 'FROM scratch', 'FROM ubuntu AS b\n', 'RUN ', 'USER ', 'USER root', 'ADD ', 'COPY --from=b ', 'ARG ', 'ENV ', 'EXPOSE 22', 'HEALTHCHECK NONE', '# escape=`\n', 'CMD ["sh","-c"]', '["', '",', '"]',
  'chmod u+s ', 'chmod 777 ', 'curl -s http://x | sh', 'wget -O- x | bash', 'DOCKER_HOST=tcp://0.0.0.0:2375', 'export ', '=', ':',
  'services:', 'version: "3"', '  web:', '    image: x', '    privileged: true', '    cap_add:', '      - ALL', '    volumes:', '      - /:/host', '    network_mode: host',
  '    user: root', '    security_opt: [seccomp:unconfined]', '    environment:', '      PASSWORD: x', '    build: .', '    deploy:', '      resources:', 'x-a: &a', '  <<: *a', '*a', '&a ', '- ', '? ', '!!binary ', '!tag ', '[', ']', ',', '|', '>-',
  '\uFEFF', '\u0000', '\u00e9', '\u{1F600}', '\uD800', '\u2028', '\u00a0',
];

/** Random text: raw UTF-16 units (lone surrogates included), or a soup of tokens. */
export function textArb(maxLength = 300): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'binary-ascii', maxLength }),
    fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })), { maxLength: maxLength / 4 }).map((a) => a.join('')),
  );
}

export type Mutation =
  | { op: 'delete'; at: number }
  | { op: 'duplicate'; at: number }
  | { op: 'swap'; a: number; b: number }
  | { op: 'truncate'; at: number }
  | { op: 'flipChar'; at: number; ch: number }
  | { op: 'flipByte'; at: number; bit: number }
  | { op: 'indent'; from: number; to: number; by: number; tab: boolean }
  | { op: 'eol'; style: 'crlf' | 'cr' | 'mixed'; seed: number }
  | { op: 'bom' }
  | { op: 'nul'; at: number }
  | { op: 'longLine'; at: number; len: number; ch: string }
  | { op: 'insert'; at: number; token: string }
  | { op: 'nest'; at: number; depth: number; style: 'yamlMap' | 'yamlSeq' | 'yamlFlow' | 'subst' | 'brace' | 'subshell' | 'backtick' | 'quotes' };

const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const at = (f: number, n: number) => Math.min(n, Math.max(0, Math.floor(f * (n + 1))));

export function mutationArb(maxLong = 20000, maxDepth = 300): fc.Arbitrary<Mutation> {
  return fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: frac }),
    fc.record({ op: fc.constant('duplicate' as const), at: frac }),
    fc.record({ op: fc.constant('swap' as const), a: frac, b: frac }),
    fc.record({ op: fc.constant('truncate' as const), at: frac }),
    fc.record({ op: fc.constant('flipChar' as const), at: frac, ch: fc.integer({ min: 0, max: 0xffff }) }),
    fc.record({ op: fc.constant('flipByte' as const), at: frac, bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ op: fc.constant('indent' as const), from: frac, to: frac, by: fc.integer({ min: -8, max: 8 }), tab: fc.boolean() }),
    fc.record({ op: fc.constant('eol' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const), seed: fc.integer() }),
    fc.record({ op: fc.constant('bom' as const) }),
    fc.record({ op: fc.constant('nul' as const), at: frac }),
    fc.record({ op: fc.constant('longLine' as const), at: frac, len: fc.integer({ min: 1000, max: maxLong }), ch: fc.constantFrom('a', ' ', '\\', '$', '-', '"', 'x ', '-v ', '$(', '{') }),
    fc.record({ op: fc.constant('insert' as const), at: frac, token: fc.constantFrom(...TOKENS) }),
    fc.record({
      op: fc.constant('nest' as const),
      at: frac,
      depth: fc.integer({ min: 1, max: maxDepth }),
      style: fc.constantFrom('yamlMap' as const, 'yamlSeq' as const, 'yamlFlow' as const, 'subst' as const, 'brace' as const, 'subshell' as const, 'backtick' as const, 'quotes' as const),
    }),
  );
}

function nest(style: Extract<Mutation, { op: 'nest' }>['style'], depth: number): string {
  switch (style) {
    case 'yamlMap':
      return Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' x\n';
    case 'yamlSeq':
      return Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2)}-`).join('\n') + ' x\n';
    case 'yamlFlow':
      return 'x: ' + '['.repeat(depth) + '{a: 1}' + ']'.repeat(depth) + '\n';
    case 'subst':
      return 'echo ' + '$(echo '.repeat(depth) + 'docker run --privileged x' + ')'.repeat(depth) + '\n';
    case 'brace':
      return '{ '.repeat(depth) + 'docker run --privileged x; ' + '}; '.repeat(depth) + '\n';
    case 'subshell':
      return '('.repeat(depth) + 'docker run -v /:/h x' + ')'.repeat(depth) + '\n';
    case 'backtick':
      return 'echo ' + '`echo '.repeat(Math.min(depth, 30)) + 'x' + '`'.repeat(Math.min(depth, 30)) + '\n';
    case 'quotes':
      return 'sh -c "' + 'sh -c \\"'.repeat(Math.min(depth, 30)) + 'docker run --privileged x' + '\\"'.repeat(Math.min(depth, 30)) + '"\n';
  }
}

export function mutate(text: string, m: Mutation): string {
  const lines = text.split(/(?<=\n)/);
  switch (m.op) {
    case 'delete':
      if (!lines.length) return text;
      lines.splice(Math.min(lines.length - 1, at(m.at, lines.length - 1)), 1);
      return lines.join('');
    case 'duplicate': {
      if (!lines.length) return text;
      const i = Math.min(lines.length - 1, at(m.at, lines.length - 1));
      const l = lines[i].endsWith('\n') ? lines[i] : lines[i] + '\n';
      lines.splice(i, 0, l);
      return lines.join('');
    }
    case 'swap': {
      if (lines.length < 2) return text;
      const a = Math.min(lines.length - 1, at(m.a, lines.length - 1));
      const b = Math.min(lines.length - 1, at(m.b, lines.length - 1));
      const norm = (s: string) => (s.endsWith('\n') ? s : s + '\n');
      [lines[a], lines[b]] = [norm(lines[b]), norm(lines[a])];
      return lines.join('');
    }
    case 'truncate':
      return text.slice(0, at(m.at, text.length));
    case 'flipChar': {
      const i = Math.min(text.length - 1, at(m.at, text.length - 1));
      if (i < 0) return String.fromCharCode(m.ch);
      return text.slice(0, i) + String.fromCharCode(m.ch) + text.slice(i + 1);
    }
    case 'flipByte': {
      // What an editor shows for a corrupted UTF-8 file: replacement characters.
      const buf = Buffer.from(text, 'utf8');
      if (!buf.length) return text;
      const i = Math.min(buf.length - 1, at(m.at, buf.length - 1));
      buf[i] ^= 1 << m.bit;
      return new TextDecoder('utf-8').decode(buf);
    }
    case 'indent': {
      const a = Math.min(at(m.from, lines.length - 1), at(m.to, lines.length - 1));
      const b = Math.max(at(m.from, lines.length - 1), at(m.to, lines.length - 1));
      for (let i = a; i <= b && i < lines.length; i++) {
        if (m.by >= 0) lines[i] = (m.tab ? '\t' : ' ').repeat(m.by) + lines[i];
        else lines[i] = lines[i].replace(new RegExp(`^[ \\t]{0,${-m.by}}`), '');
      }
      return lines.join('');
    }
    case 'eol': {
      let k = m.seed;
      return text.replace(/\r?\n/g, () => {
        if (m.style === 'crlf') return '\r\n';
        if (m.style === 'cr') return '\r';
        k = (k * 1103515245 + 12345) & 0x7fffffff;
        return ['\n', '\r\n', '\r'][k % 3];
      });
    }
    case 'bom':
      return '\uFEFF' + text;
    case 'nul': {
      const i = at(m.at, text.length);
      return text.slice(0, i) + '\u0000' + text.slice(i);
    }
    case 'longLine': {
      const i = at(m.at, text.length);
      return text.slice(0, i) + m.ch.repeat(Math.ceil(m.len / m.ch.length)) + text.slice(i);
    }
    case 'insert': {
      const i = at(m.at, text.length);
      return text.slice(0, i) + m.token + text.slice(i);
    }
    case 'nest': {
      const i = lines.length ? at(m.at, lines.length) : 0;
      lines.splice(i, 0, nest(m.style, m.depth));
      if (i > 0 && !lines[i - 1].endsWith('\n')) lines[i - 1] += '\n';
      return lines.join('');
    }
  }
}

export function applyMutations(text: string, ms: Mutation[]): string {
  return ms.reduce(mutate, text);
}

/** A corpus (or fixture) file and the mutations applied to it. */
export function mutantArb(samples: Sample[], maxMutations = 4, maxLong?: number, maxDepth?: number) {
  return fc.record({
    sample: fc.integer({ min: 0, max: samples.length - 1 }),
    mutations: fc.array(mutationArb(maxLong, maxDepth), { minLength: 1, maxLength: maxMutations }),
  });
}

// ---------------------------------------------------------------- properties

export interface Timed {
  ms: number;
  chars: number;
  label: string;
}

/** Checks one analysis result for shape problems; returns them as strings. */
export function checkResult(text: string, r: ReturnType<typeof analyze>): string[] {
  const problems: string[] = [];
  if (r.internalErrors.length) problems.push(`internal errors: ${r.internalErrors.map((e) => e.split('\n').slice(0, 4).join(' | ')).join(' || ')}`);
  const index = new LineIndex(text);
  const inside = (s: { start: number; end: number }) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= text.length;
  const samePos = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line === b.line && a.character === b.character;
  for (const f of r.findings) {
    const id = `${f.ruleId}@${f.span.start}-${f.span.end}`;
    if (!RULE_IDS.has(f.ruleId) && f.ruleId !== 'parse-error' && f.ruleId !== 'unknown-suppression') problems.push(`${id}: unknown rule id`);
    if (!inside(f.span)) problems.push(`${id}: span outside the text (length ${text.length})`);
    const want = index.rangeOf(f.span);
    if (!samePos(want.start, f.range.start) || !samePos(want.end, f.range.end)) problems.push(`${id}: range ${JSON.stringify(f.range)} does not match its span (${JSON.stringify(want)})`);
    for (const p of [f.range.start, f.range.end]) {
      if (p.line < 0 || p.line >= index.lineCount || p.character < 0 || p.character > index.lineEnd(p.line) - index.lineStart(p.line)) problems.push(`${id}: position ${JSON.stringify(p)} outside its line`);
    }
    for (const rel of f.related ?? []) if (!inside(rel.span)) problems.push(`${id}: related span ${JSON.stringify(rel.span)} outside the text`);
    if (typeof f.message !== 'string' || !f.message) problems.push(`${id}: empty message`);
    for (const fix of f.fixes) {
      if (!fix.edits.length) problems.push(`${id} fix "${fix.title}": no edits`);
      for (const e of fix.edits) if (!inside(e) || typeof e.newText !== 'string') problems.push(`${id} fix "${fix.title}": edit ${JSON.stringify(e)} outside the text`);
      const sorted = [...fix.edits].sort((a, b) => a.start - b.start || a.end - b.end);
      for (let k = 1; k < sorted.length; k++) if (sorted[k].start < sorted[k - 1].end) problems.push(`${id} fix "${fix.title}": overlapping edits ${JSON.stringify(sorted[k - 1])} / ${JSON.stringify(sorted[k])}`);
    }
  }
  return problems;
}

/** analyze() must not throw and must return a well-formed result. Also pokes hoverAt. */
export function checkAnalyze(text: string, opts: AnalyzeOptions, timing?: Timed[], hover = true): string[] {
  let r: ReturnType<typeof analyze>;
  const t0 = performance.now();
  try {
    r = analyze(text, opts);
  } catch (e) {
    return [`analyze threw: ${(e as Error).stack ?? e}`];
  }
  const ms = performance.now() - t0;
  timing?.push({ ms, chars: text.length, label: `${opts.kind ?? opts.fileName}` });
  const problems = checkResult(text, r);
  const offsets = hover ? [0, text.length >> 1, text.length, ...r.findings.slice(0, 2).map((f) => f.span.start)] : [];
  for (const off of offsets) {
    try {
      const h = hoverAt(text, off, opts);
      if (h && !(h.span.start >= 0 && h.span.end <= text.length && h.span.start <= h.span.end)) problems.push(`hover at ${off}: span outside the text`);
    } catch (e) {
      problems.push(`hoverAt(${off}) threw: ${(e as Error).stack ?? e}`);
    }
  }
  return problems;
}

function counts(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

/** Per rule, its findings weighted by severity: a fix must lower its own rule's weight and raise no other. */
const WEIGHT = { error: 100, warning: 10, info: 1 };
function weights(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + WEIGHT[f.severity]);
  return m;
}

const keyOf = (f: Finding) => `${f.ruleId}|${f.severity}|${f.message}`;
function countKeys(findings: Finding[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(keyOf(f), (m.get(keyOf(f)) ?? 0) + 1);
  return m;
}

/** Parser-level acceptance, independent of the engine's findings. */
export type Parses = (text: string, kind: SourceKind) => number;

/** Number of syntax errors the kind's own parser reports (YAML errors for compose; 0 for others unless a checker is given). */
export function yamlErrors(text: string): number {
  try {
    return parseDocument(text, { prettyErrors: false, uniqueKeys: false }).errors.length;
  } catch {
    return 1_000_000;
  }
}

/**
 * Fix safety of one file: every fix of every finding applies (edits do not
 * overlap), the result still parses, the finding is gone, no other finding
 * appears, and no other rule's findings get more severe; harden leaves no
 * safe-fixable finding and is idempotent.
 */
export function checkFixSafety(
  text: string,
  opts: AnalyzeOptions,
  syntaxErrors: (text: string) => number,
  options: { fixes?: boolean; maxFixes?: number; stats?: { fixes: number } } = {},
): string[] {
  const problems: string[] = [];
  let before: ReturnType<typeof analyze>;
  try {
    before = analyze(text, opts);
  } catch (e) {
    return [`analyze threw: ${(e as Error).stack ?? e}`];
  }
  const base = counts(before.findings);
  const baseWeights = weights(before.findings);
  const baseKeys = countKeys(before.findings);
  const baseErrors = syntaxErrors(text);
  if (options.fixes !== false) {
    // Every distinct (rule, fix title) is tried; beyond that, an even sample up to maxFixes.
    const all = before.findings.flatMap((f) => f.fixes.map((fix) => ({ f, fix })));
    const max = options.maxFixes ?? Infinity;
    const seen = new Set<string>();
    const stride = Math.max(1, Math.ceil(all.length / Math.max(1, max)));
    const picked = all.filter(({ f, fix }, i) => {
      const k = `${f.ruleId}|${fix.title}`;
      const first = !seen.has(k);
      seen.add(k);
      return first || i % stride === 0;
    });
    for (const { f, fix } of picked) {
      {
        if (options.stats) options.stats.fixes++;
        const where = `line ${f.range.start.line + 1} ${f.ruleId} "${fix.title}"${fix.safe ? ' (safe)' : ''}`;
        let out: string;
        try {
          out = applyEdits(text, fix.edits);
        } catch (e) {
          problems.push(`${where}: edits overlap (${(e as Error).message})`);
          continue;
        }
        const after = analyze(out, opts);
        if (after.internalErrors.length) problems.push(`${where}: internal error after the fix`);
        if (after.findings.some((x) => x.ruleId === 'parse-error') && !before.findings.some((x) => x.ruleId === 'parse-error')) problems.push(`${where}: the fixed text no longer parses`);
        const errs = syntaxErrors(out);
        if (errs > baseErrors) problems.push(`${where}: the parser reports ${errs} syntax errors after the fix, ${baseErrors} before`);
        const now = counts(after.findings);
        // Gone, or at least changed (a writable sensitive mount made read-only still warns, in other words).
        const k = keyOf(f);
        if ((countKeys(after.findings).get(k) ?? 0) >= (baseKeys.get(k) ?? 0)) problems.push(`${where}: the finding is still there`);
        for (const [id, n] of now) if (n > (base.get(id) ?? 0)) problems.push(`${where}: the fix introduced ${id}`);
        // Counted by severity: the rule's findings weigh less than before (one gone, or made milder),
        // and no other rule's findings got more or more severe.
        const w = weights(after.findings);
        if ((w.get(f.ruleId) ?? 0) >= (baseWeights.get(f.ruleId) ?? 0)) problems.push(`${where}: the rule's findings are as many and as severe as before`);
        for (const [id, n] of w) if (id !== f.ruleId && n > (baseWeights.get(id) ?? 0) && (now.get(id) ?? 0) <= (base.get(id) ?? 0)) problems.push(`${where}: the fix made ${id} more severe`);
      }
    }
  }
  try {
    const once = harden(text, opts);
    const left = once.remaining.filter((f) => f.fixes.some((x) => x.safe));
    if (left.length) problems.push(`after harden, safe fixes remain: ${left.map((f) => `${f.ruleId}@${f.range.start.line + 1}`).join(', ')}`);
    const errs = syntaxErrors(once.text);
    if (errs > baseErrors) problems.push(`harden: the parser reports ${errs} syntax errors after, ${baseErrors} before`);
    const twice = harden(once.text, opts);
    if (twice.text !== once.text || twice.applied !== 0) problems.push(`harden is not idempotent (second pass applied ${twice.applied}: ${twice.appliedRules.join(', ')})`);
    // Nothing lost: every line that was not touched must still be there, in order.
    const kept = commonLines(text, once.text);
    if (kept < text.split(/\r?\n|\r/).filter((l) => l.trim()).length - 2 * once.applied - 2) problems.push(`harden dropped lines of the file (${kept} kept)`);
    if (/\r\n/.test(text) && !/(^|[^\r])\n/.test(text) && /(^|[^\r])\n/.test(once.text)) problems.push('harden mixed LF into a CRLF file');
  } catch (e) {
    problems.push(`harden threw: ${(e as Error).stack ?? e}`);
  }
  return problems;
}

/** Length of the longest common subsequence of non-blank lines (bounded, cheap enough for corpus files). */
function commonLines(a: string, b: string): number {
  const x = a.split(/\r?\n|\r/).filter((l) => l.trim());
  const y = new Set(b.split(/\r?\n|\r/).map((l) => l.trim()));
  // Cheap proxy: count lines whose (trimmed) text survives somewhere.
  return x.filter((l) => y.has(l.trim())).length;
}

// ---------------------------------------------------------------- work counting

/**
 * Counts the characters scanned by regular expressions while `fn` runs: every
 * RegExp match (test, exec, match, replace, split, …) goes through
 * RegExp.prototype.exec once it is patched; each call adds the characters
 * between where the search started and where it ended. A linear analysis scans
 * each character a bounded number of times, so this count grows linearly with
 * the input; scanning the whole text once per command makes it quadratic.
 */
export function regexWork<T>(fn: () => T): { value: T; work: number; bySource: Map<string, number> } {
  const orig = RegExp.prototype.exec;
  let work = 0;
  const bySource = new Map<string, number>();
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const str = String(s);
    const start = this.global || this.sticky ? this.lastIndex : 0;
    const r = orig.call(this, str);
    const w = r ? r.index + r[0].length - start : Math.max(0, str.length - start);
    work += w;
    bySource.set(this.source, (bySource.get(this.source) ?? 0) + w);
    return r;
  };
  try {
    const value = fn();
    return { value, work, bySource };
  } finally {
    RegExp.prototype.exec = orig;
  }
}

/** Inputs of growing size for each kind, built by repeating a valid unit. */
export function scaledInput(kind: SourceKind, unit: string, k: number): string {
  if (kind === 'compose') {
    const services = Array.from({ length: k }, (_, i) => unit.replace(/__N__/g, String(i))).join('');
    return `services:\n${services}`;
  }
  return unit.repeat(k);
}

export const COMPOSE_UNIT = `  svc__N__:
    image: nginx:latest
    privileged: true
    user: root
    network_mode: host
    cap_add: [SYS_ADMIN]
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - ./data:/data
    environment:
      DOCKER_HOST: tcp://0.0.0.0:2375
      PASSWORD: hunter2
    ports:
      - "2375:2375"
`;

export const SHELL_UNIT = `docker run -d --privileged --net=host -v /:/host -e PASSWORD=x \\
  --security-opt seccomp=unconfined --cap-add SYS_ADMIN -p 2375:2375 ubuntu:latest sh -c "curl -s http://x | sh"
DOCKER_HOST=tcp://0.0.0.0:2375 docker ps
`;

export const DOCKERFILE_UNIT = `FROM ubuntu:latest AS s
ADD http://example.com/x.tgz /x
RUN chmod u+s /bin/x && curl -s http://x | sh && docker run --privileged x
USER root
EXPOSE 22
`;

export const UNITS: Record<FuzzKind, string> = { compose: COMPOSE_UNIT, shell: SHELL_UNIT, dockerfile: DOCKERFILE_UNIT };

// ---------------------------------------------------------------- parsers

let bash: { parse(text: string): { rootNode: { hasError: boolean; descendantsOfType?: unknown }; delete(): void } | null } | undefined;

/** Loads an independent tree-sitter-bash parser (after initEngine, which initialises the runtime). */
export async function initParsers(): Promise<void> {
  if (bash) return;
  const ts = require('web-tree-sitter') as typeof import('web-tree-sitter');
  await ts.Parser.init({ locateFile: () => require.resolve('web-tree-sitter/tree-sitter.wasm') });
  const lang = await ts.Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm'));
  const p = new ts.Parser();
  p.setLanguage(lang);
  bash = p as unknown as typeof bash;
}

function countErrorNodes(text: string): number {
  if (!bash) throw new Error('initParsers() first');
  const tree = bash.parse(text.replace(/\r(?=\n)/g, ' '));
  if (!tree) return 1_000_000;
  let n = 0;
  // Walk with a cursor: count ERROR and MISSING nodes.
  const cursor = (tree.rootNode as any).walk();
  let more = true;
  while (more) {
    const node = cursor.currentNode;
    if (node.type === 'ERROR' || node.isMissing) n++;
    if (node.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
  }
  cursor.delete?.();
  tree.delete();
  return n;
}

/** Dockerfile: instructions dockerfile-utils flags as unknown or malformed, plus shell errors in RUN. */
function dockerfileErrors(text: string): number {
  const utils = require('dockerfile-utils') as typeof import('dockerfile-utils');
  try {
    return utils.validate(text, {}).filter((d) => d.severity === 1).length;
  } catch {
    // dockerfile-ast itself can throw on odd line ends (see lone-cr-continuation.md): count as rejected.
    return 1_000_000;
  }
}

/**
 * How many syntax errors the kind's own parser reports: yaml for compose files and workflows,
 * tree-sitter-bash for shell, dockerfile-utils for Dockerfiles, jsonc-parser for devcontainer.json,
 * Podman's unit-file rules (the engine's reader follows them) for Quadlet units.
 */
export function syntaxErrorsFor(kind: SourceKind): (text: string) => number {
  if (kind === 'compose' || kind === 'workflow') return yamlErrors;
  if (kind === 'shell') return countErrorNodes;
  if (kind === 'devcontainer') return jsoncErrors;
  if (kind === 'quadlet') return (text) => (parseUnit(text).error ? 1 : 0);
  return dockerfileErrors;
}

function jsoncErrors(text: string): number {
  const errors: ParseError[] = [];
  parseTree(text, errors, { allowTrailingComma: true });
  return errors.length;
}

// ---------------------------------------------------------------- known bugs

/**
 * Problems that match a bug already reported and not fixed yet: the unit
 * properties and the campaign count them apart instead of failing on them,
 * so that they can still find new bugs. Remove an entry when its bug is fixed.
 */
export const KNOWN_PROBLEMS: Array<{ bug: string; matches: (text: string, problem: string) => boolean }> = [
  // Empty: the CRLF-split spans, deep YAML and lone-CR bugs found so far were fixed in 2635b9e.
];

/** Splits problems into new ones and hits of known bugs (by bug name). */
export function triage(text: string, problems: string[]): { fresh: string[]; known: string[] } {
  const fresh: string[] = [];
  const known: string[] = [];
  for (const p of problems) {
    const k = KNOWN_PROBLEMS.find((b) => b.matches(text, p));
    if (k) known.push(k.bug);
    else fresh.push(p);
  }
  return { fresh, known };
}
