/**
 * The analysis pipeline: text → reader → launch descriptions and source
 * models → rules → findings, suppressions and settings applied (results.ts
 * turns them into what callers get). Never throws on user input.
 */
import { detectKind } from './detect';
import { MISSING_HARDENING } from './group';
import { lookupImage } from './images';
import { t } from './i18n';
import { RULE_IDS, RULE_MODULES, getRule } from './rules';
import { bareWords } from './rules/util';
import type { Report, RuleContext, ShellScope } from './rules/rule';
import { resolveSettings } from './settings';
import { readCompose } from './sources/compose';
import { readDockerfile } from './sources/dockerfile';
import { isLaunchSource, readLaunchSource } from './sources/launchSources';
import { initShell, readShell, type WasmBinaries } from './sources/shell';
import { commentMarker, isSuppressed, readSuppressions } from './suppress';
import { peerSilencer, readPeerComments } from './peerComments';
import { resultOf, type AnalysisResultWithErrors, type Internal, type InternalFinding } from './results';
import { LineIndex } from './text';
import type { AnalyzeOptions, Finding, Settings, Span } from './types';

export { detectKind };

/** Larger texts are not analysed (a generated file, or not a config file at all). */
export const MAX_TEXT_LENGTH = 20 * 1024 * 1024;

/**
 * Loads the shell parser once: `wasmDir` is a folder holding tree-sitter.wasm and
 * tree-sitter-bash.wasm (default: the installed packages); `wasm` gives their bytes
 * instead, for hosts without a file system (the browser server fetches them).
 */
export async function initEngine(options: { wasmDir?: string; wasm?: () => Promise<WasmBinaries> } = {}): Promise<void> {
  await initShell(options.wasm ?? options.wasmDir);
}


function binaryReason(text: string): string | undefined {
  const sample = text.length > 65536 ? text.slice(0, 65536) : text;
  if (sample.includes('\u0000')) return 'binary file (contains NUL bytes)';
  if (sample.includes('\uFFFD')) {
    let bad = 0;
    for (const ch of sample) if (ch === '\uFFFD') bad++;
    if (bad > 8 && bad > sample.length / 100) return 'not valid UTF-8 text';
  }
  return undefined;
}

const CONTAINER_TOOL_WORDS = /docker|podman|nerdctl/i;

/**
 * Which Dockerfile RUNs are worth a shell parse under these settings: those
 * containing a container tool (launch rules) or a trigger of an enabled shell
 * rule, looked for with quotes, backslashes and continuations taken out (the
 * shell joins `"ch"mod` and `ch\mod` into `chmod` too). Every RUN when a shell
 * rule declares no triggers, or when JSON `\u` escapes could hide a word.
 */
function runFilter(settings: Settings): true | ((text: string) => boolean) {
  const triggers = [CONTAINER_TOOL_WORDS];
  for (const rule of RULE_MODULES) {
    if (!rule.shell || settings.rules[rule.meta.id] === 'off') continue;
    if (!rule.shellTriggers) return true;
    triggers.push(rule.shellTriggers);
  }
  return (s) => {
    if (s.includes('\\u')) return true;
    const bare = bareWords(s);
    return triggers.some((re) => re.test(bare));
  };
}

/**
 * Whether analysing this text can need the shell parser (initEngine): shell
 * scripts, workflows with `run:` steps, and Dockerfiles with a word that could
 * make a RUN (or a shell-form CMD) worth parsing. Lets a CLI run skip starting
 * tree-sitter (~50 ms) when no file needs it. Compose files, devcontainer.json
 * and Quadlet units never do.
 */
export function needsShellParser(text: string, options: AnalyzeOptions = {}): boolean {
  const kind = options.kind ?? detectKind(options.fileName, text);
  if (kind === 'shell') return true;
  if (kind === 'workflow') return /\brun\s*:/.test(text);
  if (kind !== 'dockerfile') return false;
  const filter = runFilter(resolveSettings(options.settings));
  return filter === true || filter(text);
}

/**
 * Options of analyze() for tests: `readAllRuns` reads every RUN as shell, bypassing the RUN filter;
 * `readAllStatements` reads every statement of a shell script, bypassing the same filter applied
 * to a script's statements.
 */
export type InternalAnalyzeOptions = AnalyzeOptions & { readAllRuns?: boolean; readAllStatements?: boolean };

export function runInternal(text: string, options: InternalAnalyzeOptions): Internal {
  const index = new LineIndex(text);
  const res: Internal = { findings: [], index, launches: [], errors: [] };
  res.kind = options.kind ?? detectKind(options.fileName, text);
  if (text.length > MAX_TEXT_LENGTH) {
    res.skipped = `file is larger than ${MAX_TEXT_LENGTH / 1024 / 1024} MiB`;
    return res;
  }
  const bin = binaryReason(text);
  if (bin) {
    res.skipped = bin;
    return res;
  }
  if (!res.kind) {
    res.skipped = 'not a Dockerfile, compose file, shell script, devcontainer.json, workflow or Quadlet unit';
    return res;
  }
  const settings = resolveSettings(options.settings);
  // A byte-order mark would be read as part of the first word; a space keeps every offset.
  // (yaml reads a BOM itself; a blank there would indent the first key.)
  const src = text.charCodeAt(0) === 0xfeff && res.kind !== 'compose' && res.kind !== 'workflow' ? ' ' + text.slice(1) : text;
  const fileName = options.fileName;
  const ctxFor = (ruleId: string, sink: InternalFinding[]): RuleContext => {
    const severity = getRule(ruleId)!.severity;
    return {
      kind: res.kind!,
      text,
      settings,
      report(r: Report) {
        sink.push({
          ruleId,
          severity: r.severity ?? severity,
          message: fromDefault(text, r.span) ? t('{0} (By default: the value is a variable\'s default.)', r.message) : r.message,
          span: clampSpan(r.span, text.length, text),
          fixes: r.fixes ?? [],
          related: r.related,
          context: r.context,
          note: r.note,
          lines: [index.lineAt(r.span.start)],
        });
      },
    };
  };

  let scope: ShellScope | undefined;
  try {
    if (res.kind === 'dockerfile') {
      const df = readDockerfile(src, { runShells: options.readAllRuns || runFilter(settings), index });
      res.dockerfile = df;
      if (df.image) res.launches.push(df.image);
      for (const run of df.runs) res.launches.push(...run.shell.launches);
      const commands = df.runs.flatMap((r) => r.shell.commands);
      // `VAR=value cmd` sets VAR for that command just as `export` does for the rest.
      scope = { commands, assigns: [...df.runs.flatMap((r) => r.shell.assigns), ...commands.flatMap((c) => c.assigns), ...df.assigns], inRun: true };
    } else if (res.kind === 'compose') {
      const c = readCompose(src, fileName, options.readFile);
      res.compose = c;
      if (c.error) {
        c.error.span = clampSpan(c.error.span, text.length, text);
        res.findings.push({
          ruleId: 'parse-error',
          severity: 'error',
          message: t('Invalid YAML: {0}. Nothing else in this file was checked.', c.error.message),
          span: c.error.span,
          fixes: [],
          lines: [index.positionAt(c.error.span.start).line],
        });
      }
      for (const s of c.services) res.launches.push(s.launch);
      for (const u of c.unresolved ?? []) {
        res.findings.push({ ruleId: 'unresolved-extends', severity: getRule('unresolved-extends')!.severity, message: u.message, span: clampSpan(u.span, text.length, text), fixes: [], lines: [index.lineAt(u.span.start)] });
      }
    } else if (isLaunchSource(res.kind)) {
      const filter = options.readAllStatements ? true : runFilter(settings);
      const r = readLaunchSource(res.kind, src, filter === true ? undefined : filter);
      if (r.error) {
        const span = clampSpan(r.error.span, text.length, text);
        const message =
          res.kind === 'devcontainer' ? t('Invalid JSON: {0}. Nothing else in this file was checked.', r.error.message)
          : res.kind === 'quadlet' ? t('Invalid unit file: {0}. Nothing else in this file was checked.', r.error.message)
          : t('Invalid YAML: {0}. Nothing else in this file was checked.', r.error.message);
        res.findings.push({ ruleId: 'parse-error', severity: 'error', message, span, fixes: [], lines: [index.lineAt(span.start)] });
      }
      res.launches.push(...r.launches);
      res.scripts = r.blocks;
      if (r.shell) {
        res.runCommands = r.shell.commands;
        scope = { commands: r.shell.commands, assigns: [...r.shell.assigns, ...r.shell.commands.flatMap((c) => c.assigns)], inRun: false };
      }
    } else {
      // A statement without a container tool or a trigger word gives no finding: not read (the
      // filter that skips RUNs, applied to each statement of the script).
      const filter = options.readAllStatements ? true : runFilter(settings);
      const sh = readShell(src, { source: 'shell', keep: filter === true ? undefined : filter });
      res.shell = sh;
      if (sh.timedOut) {
        res.findings.push({
          ruleId: 'parse-error',
          severity: 'error',
          message: t('This script is too convoluted for the shell parser to read in time; nothing in it was checked.'),
          span: { start: 0, end: index.lineEnd(0) },
          fixes: [],
          lines: [0],
        });
      }
      res.launches.push(...sh.launches);
      scope = { commands: sh.commands, assigns: [...sh.assigns, ...sh.commands.flatMap((c) => c.assigns)], inRun: false };
    }
  } catch (e) {
    res.errors.push(`reader: ${(e as Error).stack ?? e}`);
    res.findings.push({ ruleId: 'parse-error', severity: 'error', message: t('The file could not be read: {0}', (e as Error).message), span: { start: 0, end: Math.min(text.length, index.lineEnd(0)) }, fixes: [], lines: [0] });
    return finish(res, text, settings, index);
  }

  // What the image table knows about each launch's image (a compose service that builds its own is its own).
  for (const l of res.launches) {
    if (l.image && l.command !== 'image' && !l.options.some((o) => o.name === 'build' && !o.inherited)) l.known = lookupImage(l.image.shape);
  }
  // Per launch, once: the line of its anchor (suppressions there cover all its findings)
  // and whether any option came in through a merge key.
  // (Not for a Dockerfile's final stage: a comment above its FROM speaks of that line only.)
  const launchLines = res.launches.map((l) => (l.command === 'image' ? -1 : index.lineAt(l.anchor.start)));
  const launchVia = res.launches.map((l) => l.options.some((o) => o.via));
  // A final stage's CMD and ENTRYPOINT: where Semgrep reports a missing USER.
  const lastStage = res.dockerfile?.stages[res.dockerfile.stages.length - 1];
  const runLines = lastStage?.instructions.filter((i) => /^(CMD|ENTRYPOINT)$/i.test(i.keyword)).map((i) => index.lineAt(i.span.start));
  for (const rule of RULE_MODULES) {
    const id = rule.meta.id;
    if (settings.rules[id] === 'off') continue;
    const sink: InternalFinding[] = [];
    const ctx = ctxFor(id, sink);
    try {
      if (rule.launch) {
        const judges = JUDGES.get(rule)!;
        for (let li = 0; li < res.launches.length; li++) {
          const l = res.launches[li];
          // A Dockerfile's final stage, a compose service: only the rules whose sources name them judge them.
          if (l.command === 'image' ? !judges.image : l.command === 'service' && l.source === 'compose' && !judges.service) continue;
          const before = sink.length;
          rule.launch(l, ctx);
          if (sink.length === before) continue;
          const line = launchLines[li];
          for (let k = before; k < sink.length; k++) {
            const f = sink[k];
            if (f.span.start === l.anchor.start && f.span.end === l.anchor.end) {
              f.launch = l;
              if (l.command === 'image' && runLines?.length) f.peerLines = runLines;
            }
            if (line >= 0 && !f.lines.includes(line)) f.lines.push(line);
            if (!launchVia[li]) continue;
            // An option that came through a merge key: show where this service takes it in.
            const via = l.options.find((o) => o.via && o.span.start === f.span.start && o.span.end === f.span.end)?.via;
            if (via && !f.related) f.related = [{ span: via, message: t('{0} takes this setting from here', l.label) }];
          }
        }
      }
      if (rule.shell && scope) rule.shell(scope, ctx);
      if (rule.dockerfile && res.dockerfile) rule.dockerfile(res.dockerfile, ctx);
    } catch (e) {
      res.errors.push(`${id}: ${(e as Error).stack ?? e}`);
    }
    res.findings.push(...sink);
  }
  // A suppression comment before a multi-line RUN or command covers every line of it.
  coverByBlocks(res.findings, res.dockerfile ? res.dockerfile.instructions.map((i) => i.span) : (res.shell?.commands ?? res.runCommands ?? []).map((c) => c.span), index, 8);
  // …and one before a workflow's `run:` or `options:` key, or a unit entry, covers all of it (these do not nest).
  if (res.scripts) coverByBlocks(res.findings, res.scripts, index, 1);
  return finish(res, text, settings, index);
}

/**
 * Per rule, read once from its `sources` (`D, S (run, create), C`): whether it judges a Dockerfile's
 * final stage (D) and compose services (C). Its launch hook is not called for the others.
 */
const JUDGES = new Map(RULE_MODULES.map((r) => [r, { image: /(^|[\s,])D([\s,(]|$)/.test(r.meta.sources), service: /(^|[\s,])C([\s,(]|$)/.test(r.meta.sources) }]));

/**
 * Adds to each finding the first line of the blocks (instructions, commands, scripts) it lies in:
 * a suppression comment before that line covers it. `nesting`: how many blocks may enclose one
 * place (nested commands start later than outer ones).
 */
function coverByBlocks(findings: InternalFinding[], blocks: Span[], index: LineIndex, nesting: number): void {
  if (!blocks.length) return;
  blocks.sort((a, b) => a.start - b.start);
  for (const f of findings) {
    // The last blocks starting at or before the finding.
    let lo = 0;
    let hi = blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (blocks[mid].start <= f.span.start) lo = mid;
      else hi = mid - 1;
    }
    for (let k = lo; k >= 0 && k > lo - nesting; k--) {
      const b = blocks[k];
      if (b.start <= f.span.start && f.span.start <= b.end) {
        const line = index.lineAt(b.start);
        if (!f.lines.includes(line)) f.lines.push(line);
      }
    }
  }
}

/** A finding on a value written as a variable's default (`${PORT:-80}`, `${X-y}`): it holds only unless the environment says otherwise. */
function fromDefault(text: string, span: Span): boolean {
  if (span.end - span.start > 400) return false;
  return /\$\{[A-Za-z_][A-Za-z0-9_]*:?-/.test(text.slice(span.start, span.end));
}

function clampSpan(s: Span, len: number, text?: string): Span {
  let start = Math.max(0, Math.min(s.start, len));
  let end = Math.max(start, Math.min(s.end, len));
  // Never split a CRLF pair: a position between \r and \n is not on any line.
  if (text) {
    if (start > 0 && text[start - 1] === '\r' && text[start] === '\n') start--;
    if (end > start && text[end - 1] === '\r' && text[end] === '\n') end--;
  }
  return { start, end: Math.max(start, end) };
}

/** Document order: by span, then rule id. */
function byPlace(a: InternalFinding, b: InternalFinding): number {
  return a.span.start - b.span.start || a.span.end - b.span.end || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

function finish(res: Internal, text: string, settings: Settings, index: LineIndex): Internal {
  res.settings = settings;
  const sup = readSuppressions(text, index, commentMarker(res.kind));
  const stageLines = res.dockerfile?.stages.map((s) => index.lineAt(s.from.span.start));
  const peers = settings.peerComments ? readPeerComments(text, index, res.kind, { stageLines }) : [];
  const kept: InternalFinding[] = [];
  for (const f of res.findings) {
    const sev = settings.rules[f.ruleId];
    if (sev === 'off') continue;
    if (isSuppressed(sup, f.ruleId, f.lines)) continue;
    const by = peers.length ? peerSilencer(peers, { ruleId: f.ruleId, lines: f.lines, peerLines: f.peerLines, text: text.slice(f.span.start, f.span.end) }) : undefined;
    if (by) {
      (res.silenced ??= []).push({ finding: f, by });
      continue;
    }
    kept.push(sev ? { ...f, severity: sev } : f);
  }
  // The sort is stable: findings with the same rule, span and message sit in one run of equal
  // places, in report order; the first of them stays.
  kept.sort(byPlace);
  const out: InternalFinding[] = [];
  let run = 0;
  for (let k = 0; k < kept.length; k++) {
    const f = kept[k];
    if (k > 0 && byPlace(kept[k - 1], f) !== 0) run = out.length;
    let dup = false;
    for (let m = run; m < out.length; m++) {
      if (out[m].message === f.message) {
        dup = true;
        break;
      }
    }
    if (!dup) out.push(f);
  }
  const before = out.length;
  if (settings.rules['unknown-suppression'] !== 'off') {
    for (const s of sup.ids) {
      if (RULE_IDS.has(s.id) || s.id === 'all' || s.id === MISSING_HARDENING) continue;
      out.push({
        ruleId: 'unknown-suppression',
        severity: (settings.rules['unknown-suppression'] as Finding['severity'] | undefined) ?? 'info',
        message: t('`{0}` is not a rule id, so this comment silences nothing. Check the spelling (see --list-rules).', s.id),
        span: s.span,
        fixes: [],
        lines: [index.positionAt(s.span.start).line],
      });
    }
  }
  if (out.length > before) out.sort(byPlace);
  res.findings = out;
  return res;
}

export function analyze(text: string, options: InternalAnalyzeOptions = {}): AnalysisResultWithErrors {
  return resultOf(runInternal(text, options));
}
