/**
 * `container-hardening`: the engine for terminals and CI.
 *
 *   container-hardening check [paths…] [--format text|json|sarif] [--fix] [--fail-on LEVEL]
 *                             [--disable id[,id…]] [--config FILE] [--stdin-filename NAME]
 *   container-hardening --list-rules | --version | --help
 *
 * Exit codes: 0 nothing at or above the --fail-on level, 1 findings at or
 * above it, 2 usage or I/O errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Ignore } from 'ignore';
import * as v8 from 'v8';
import {
  analyze, AnalysisResult, CONFIG_FILE_NAMES, detectKind, Finding, harden, initEngine, LineIndex, needsShellParser, parseConfigText, RULE_IDS, RULES,
  SettingsInput, Severity,
} from './engine';

let version: string | undefined;
/** This package's version, from its package.json (above out/server/src/ in the tsc build, above dist/ in the bundle). */
function VERSION(): string {
  if (version === undefined) {
    version = '0.0.0';
    let dir = __dirname;
    for (let i = 0; i < 4; i++) {
      try {
        const j = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (j.name === 'container-hardening' && j.version) {
          version = j.version;
          break;
        }
      } catch {
        // not here
      }
      dir = path.dirname(dir);
    }
  }
  return version;
}

let shellStarted: Promise<void> | undefined;
/**
 * Starts the shell parser (tree-sitter-bash), once, when the first file is
 * about to be checked. A CLI run is short: V8's baseline wasm compiler
 * (Liftoff) alone is much faster for it than also optimising the 1.4 MB
 * grammar with TurboFan, whose background compilation the process even waits
 * for on exit (~1 s). The flag only affects wasm compiled after it is set.
 */
function startShellParser(): Promise<void> {
  if (!shellStarted) {
    v8.setFlagsFromString('--liftoff-only');
    // The bundled CLI (dist/cli.js) ships the grammars next to itself.
    const wasmDir = fs.existsSync(path.join(__dirname, 'tree-sitter-bash.wasm')) ? __dirname : undefined;
    shellStarted = wasmDir ? initEngine({ wasmDir }) : initEngine();
  }
  return shellStarted;
}

function helpText(): string {
  return `container-hardening ${VERSION()}: flags insecure Docker settings in Dockerfiles, compose files and shell scripts.

Usage:
  container-hardening check [paths…] [options]    check files and folders (default: .)
  container-hardening check - --stdin-filename F   check standard input as file F
  container-hardening --list-rules                 list the rules
  container-hardening --version | --help

Options:
  --format text|json|sarif   output format (default: text)
  --fix                      apply every safe fix in place and report what changed
  --fail-on LEVEL            exit 1 when a finding is at or above LEVEL: error, warning, info, none (default: warning)
  --disable ID[,ID…]         turn rules off (repeatable)
  --config FILE              use this config file instead of looking up .container-hardening.yaml
  --stdin-filename NAME      the name (and kind) of the text read from -
  --output FILE, -o FILE     write the report to FILE instead of standard output
  --no-color                 no colours (also when NO_COLOR is set or output is not a terminal)

Folders are searched recursively; .git, node_modules and what .gitignore ignores are skipped.
Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or I/O errors.`;
}

class UsageError extends Error {}

interface Options {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  failOn: Severity | 'none';
  disable: string[];
  config?: string;
  stdinFilename?: string;
  output?: string;
  color: boolean;
  listRules: boolean;
  version: boolean;
  help: boolean;
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { paths: [], format: 'text', fix: false, failOn: 'warning', disable: [], color: true, listRules: false, version: false, help: false };
  let sawCommand = false;
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const take = (name: string): string => {
      if (inline !== undefined) return inline;
      const v = value(i, name);
      i++;
      return v;
    };
    switch (a) {
      case 'check':
        if (sawCommand || o.paths.length) o.paths.push(a);
        sawCommand = true;
        break;
      case '--format':
      case '-f': {
        const f = take('--format');
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format '${f}' (use text, json or sarif)`);
        o.format = f;
        break;
      }
      case '--fix':
        o.fix = true;
        break;
      case '--fail-on': {
        const f = take('--fail-on');
        if (!['error', 'warning', 'info', 'none'].includes(f)) throw new UsageError(`--fail-on takes error, warning, info or none, not '${f}'`);
        o.failOn = f as Options['failOn'];
        break;
      }
      case '--disable':
        for (const id of take('--disable').split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!RULE_IDS.has(id)) throw new UsageError(`unknown rule id '${id}' (see --list-rules)`);
          o.disable.push(id);
        }
        break;
      case '--config':
        o.config = take('--config');
        break;
      case '--stdin-filename':
        o.stdinFilename = take('--stdin-filename');
        break;
      case '--output':
      case '-o':
        o.output = take('--output');
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--list-rules':
        o.listRules = true;
        break;
      case '--version':
      case '-V':
        o.version = true;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        if (!sawCommand) throw new UsageError(`unknown command '${a}' (try: container-hardening check ${a})`);
        o.paths.push(a);
    }
  }
  if (!sawCommand && !o.listRules && !o.version && !o.help) throw new UsageError('missing command (try: container-hardening check .)');
  if (o.fix && o.paths.includes('-')) throw new UsageError('--fix cannot write to standard input');
  return o;
}

interface FileResult {
  path: string;
  displayPath: string;
  text?: string;
  result?: AnalysisResult;
  skipped?: string;
  fixed?: number;
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
const MAX_FILE = 20 * 1024 * 1024;

/** Decodes a file: UTF-8 (BOM allowed) or UTF-16 with a BOM; anything else is reported. */
export function decode(buf: Buffer): { text?: string; problem?: string } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)) };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)) };
  if (buf.includes(0)) return { problem: 'binary file (contains NUL bytes)' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf) };
  } catch {
    return { problem: 'not valid UTF-8 (or UTF-16 with a byte-order mark)' };
  }
}

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(256);
    const n = fs.readSync(fd, b, 0, 256, 0);
    return b.subarray(0, n).toString('latin1');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

interface Walker {
  files: string[];
  errors: string[];
}

function walk(root: string, w: Walker): void {
  const visited = new Set<string>();
  const rec = (dir: string, ig: Array<{ base: string; ig: Ignore }>) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (e) {
      w.errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      w.errors.push(`${dir}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    let rules = ig;
    const gi = path.join(dir, '.gitignore');
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        // Loaded only when a folder has a .gitignore.
        const ignore = require('ignore') as typeof import('ignore');
        rules = [...ig, { base: dir, ig: ignore().add(fs.readFileSync(gi, 'utf8')) }];
      } catch {
        /* unreadable .gitignore: ignore nothing more */
      }
    }
    const ignored = (p: string, isDir: boolean) =>
      rules.some((r) => {
        const rel = path.relative(r.base, p).split(path.sep).join('/');
        return rel && !rel.startsWith('..') && r.ig.ignores(isDir ? rel + '/' : rel);
      });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignored(p, true)) continue;
        rec(p, rules);
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (e.isSymbolicLink()) {
          try {
            if (!fs.statSync(p).isFile()) continue;
          } catch {
            continue; // dangling link or loop
          }
        }
        if (ignored(p, false)) continue;
        if (detectKind(p) || (!path.extname(e.name) && detectKind(e.name, readHead(p)))) w.files.push(p);
      }
    }
  };
  rec(root, []);
}

/** Finds and parses the config file for a folder (nearest `.container-hardening.yaml` upward). */
class ConfigCache {
  private readonly cache = new Map<string, SettingsInput>();
  readonly messages: string[] = [];
  constructor(private readonly explicit?: string) {}
  forFile(file: string): SettingsInput {
    if (this.explicit) return this.load(path.resolve(this.explicit), true);
    return this.forDir(path.dirname(path.resolve(file)));
  }
  private forDir(dir: string): SettingsInput {
    const hit = this.cache.get(dir);
    if (hit) return hit;
    let found: SettingsInput | undefined;
    for (const n of CONFIG_FILE_NAMES) {
      const p = path.join(dir, n);
      if (fs.existsSync(p)) {
        found = this.load(p, false);
        break;
      }
    }
    if (!found) {
      const parent = path.dirname(dir);
      found = parent === dir ? {} : this.forDir(parent);
    }
    this.cache.set(dir, found);
    return found;
  }
  private load(p: string, required: boolean): SettingsInput {
    const hit = this.cache.get('file:' + p);
    if (hit) return hit;
    let text: string | undefined;
    try {
      const st = fs.statSync(p);
      if (!st.isFile()) this.messages.push(`${p}: not a regular file; using defaults`);
      else if (st.size > 256 * 1024) this.messages.push(`${p}: config file is larger than 256 KiB; using defaults`);
      else {
        // Read at most the limit, even if the file grows between stat and read.
        const fd = fs.openSync(p, 'r');
        try {
          const buf = Buffer.alloc(256 * 1024 + 1);
          const n = fs.readSync(fd, buf, 0, buf.length, 0);
          if (n > 256 * 1024) this.messages.push(`${p}: config file is larger than 256 KiB; using defaults`);
          else text = buf.subarray(0, n).toString('utf8');
        } finally {
          fs.closeSync(fd);
        }
      }
    } catch (e) {
      if (required) throw new UsageError(`cannot read config ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    const r = text === undefined ? { settings: {}, errors: [] } : parseConfigText(text, RULE_IDS, p);
    this.messages.push(...r.errors);
    this.cache.set('file:' + p, r.settings);
    return r.settings;
  }
}

const SEV_RANK: Record<string, number> = { info: 1, warning: 2, error: 3 };

function colorize(on: boolean) {
  const c = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: c('31'), yellow: c('33'), blue: c('34'), dim: c('2'), bold: c('1'), green: c('32') };
}

function textReport(results: FileResult[], color: boolean, fixing: boolean): string {
  const c = colorize(color);
  const lines: string[] = [];
  const count = { error: 0, warning: 0, info: 0 };
  let files = 0;
  for (const r of results) {
    if (r.skipped) continue;
    files++;
    if (r.fixed) lines.push(c.green(`${r.displayPath}: fixed ${r.fixed} finding${r.fixed === 1 ? '' : 's'}`));
    for (const f of r.result?.findings ?? []) {
      count[f.severity]++;
      const sev = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
      const pos = `${r.displayPath}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const fixable = f.fixes.some((x) => x.safe) ? c.dim(' [fixable]') : '';
      lines.push(`${pos}  ${sev}  ${c.bold(f.ruleId)}  ${f.message}${fixable}`);
    }
  }
  const total = count.error + count.warning + count.info;
  const fixedTotal = results.reduce((n, r) => n + (r.fixed ?? 0), 0);
  const summary =
    total === 0
      ? c.green(`No findings in ${files} file${files === 1 ? '' : 's'}.`)
      : `${total} finding${total === 1 ? '' : 's'} (${count.error} error${count.error === 1 ? '' : 's'}, ${count.warning} warning${count.warning === 1 ? '' : 's'}, ${count.info} info) in ${files} file${files === 1 ? '' : 's'}.`;
  const fixable = results.reduce((n, r) => n + (r.result?.findings.filter((f) => f.fixes.some((x) => x.safe)).length ?? 0), 0);
  const tail = fixing ? ` Fixed ${fixedTotal}.` : fixable ? ` ${fixable} can be fixed with --fix.` : '';
  if (lines.length) lines.push('');
  lines.push(summary + tail);
  return lines.join('\n') + '\n';
}

function jsonReport(results: FileResult[]): string {
  return JSON.stringify(
    {
      tool: { name: 'container-hardening', version: VERSION() },
      files: results.map((r) => ({
        path: r.displayPath,
        kind: r.result?.kind,
        skipped: r.skipped,
        fixed: r.fixed,
        findings: (r.result?.findings ?? []).map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          line: f.range.start.line + 1,
          column: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
          context: f.context,
          fixes: f.fixes,
        })),
      })),
    },
    null,
    2,
  ) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '2.0' };

function toUri(p: string): string {
  return p.split(path.sep).map(encodeURIComponent).join('/');
}

export function sarifReport(results: FileResult[]): string {
  const rules = RULES.map((r) => ({
    id: r.id,
    name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
    shortDescription: { text: r.short },
    fullDescription: { text: r.long.replace(/`/g, '') },
    help: { text: `${r.short}\n\n${r.long.replace(/`/g, '')}`, markdown: `**${r.title}**\n\n${r.long}\n\nHardening guide § ${r.guide.join(', ')}${r.cis ? ` · CIS Docker Benchmark ${r.cis}` : ''}` },
    helpUri: r.docsUrl,
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { tags: ['security', 'docker', 'container'], 'security-severity': SECURITY_SEVERITY[r.severity], precision: 'high', ...(r.cis ? { cis: r.cis } : {}) },
  }));
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const sarifResults: unknown[] = [];
  for (const r of results) {
    if (!r.result || !r.text) continue;
    const uri = toUri(r.displayPath);
    const region = (f: { range: Finding['range'] }) => ({
      startLine: f.range.start.line + 1,
      startColumn: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
    });
    const index = new LineIndex(r.text);
    for (const f of r.result.findings) {
      const out: Record<string, unknown> = {
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message.replace(/`/g, "'") },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(f) } }],
        partialFingerprints: { primaryLocationLineHash: `${f.ruleId}:${f.range.start.line + 1}:${index.lineText(f.range.start.line).trim().slice(0, 80)}` },
      };
      if (f.severity !== getDefault(f.ruleId)) out.properties = { 'security-severity': SECURITY_SEVERITY[f.severity] };
      if (f.fixes.length) {
        out.fixes = f.fixes.map((x) => ({
          description: { text: x.title.replace(/`/g, "'") },
          artifactChanges: [
            {
              artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
              replacements: x.edits.map((e) => {
                const s = index.positionAt(e.start);
                const en = index.positionAt(e.end);
                return { deletedRegion: { startLine: s.line + 1, startColumn: s.character + 1, endLine: en.line + 1, endColumn: en.character + 1 }, insertedContent: { text: e.newText } };
              }),
            },
          ],
        }));
      }
      sarifResults.push(out);
    }
  }
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'container-hardening', semanticVersion: VERSION(), version: VERSION(), informationUri: 'https://github.com/container-hardening/container-hardening', rules } },
          originalUriBaseIds: { '%SRCROOT%': { uri: toUri(process.cwd()).replace(/^/, 'file://') + '/' } },
          columnKind: 'utf16CodeUnits',
          results: sarifResults,
        },
      ],
    },
    null,
    2,
  ) + '\n';
}

function getDefault(id: string): Severity | undefined {
  return RULES.find((r) => r.id === id)?.severity;
}

function listRules(): string {
  const [w, ws] = [Math.max(...RULES.map((r) => r.id.length)), Math.max(...RULES.map((r) => r.sources.length))];
  return RULES.map((r) => `${r.id.padEnd(w)}  ${r.severity.padEnd(7)}  ${r.fix.padEnd(6)}  ${r.sources.padEnd(ws)}  §${r.guide.join(',§')}${r.cis ? ` CIS ${r.cis}` : ''}  ${r.title}`).join('\n') + '\n';
}

function readStdin(): Buffer {
  const chunks: Buffer[] = [];
  const b = Buffer.alloc(65536);
  for (;;) {
    let n = 0;
    try {
      n = fs.readSync(0, b, 0, b.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(b.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** Writes a file atomically: a temporary file beside it, same mode, then rename. */
export function writeAtomic(file: string, text: string, mode: number): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.container-hardening-${process.pid}-${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode & 0o7777);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.chmodSync(tmp, mode & 0o7777);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

function readSibling(p: string): string | undefined {
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > MAX_FILE) return undefined;
    const d = decode(fs.readFileSync(p));
    return d.text;
  } catch {
    return undefined;
  }
}

/**
 * Sibling files the engine asks for (compose base and override files, the
 * Dockerfile a service builds), read once per run: in a folder several files
 * read the same ones, and the files being checked are known already.
 */
class Siblings {
  private readonly texts = new Map<string, string | undefined>();
  readonly read = (p: string): string | undefined => {
    const key = path.resolve(p);
    if (!this.texts.has(key)) this.texts.set(key, readSibling(key));
    return this.texts.get(key);
  };
  /** The text of a file being checked, as read for that. */
  known(file: string, text: string): void {
    this.texts.set(path.resolve(file), text);
  }
  /** After a file was rewritten (--fix): read everything again. */
  forget(): void {
    this.texts.clear();
  }
}

export async function main(argv: string[], io: { stdout: (s: string) => void; stderr: (s: string) => void; isTTY: boolean } = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
}): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`container-hardening: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (o.help) {
    io.stdout(helpText() + '\n');
    return 0;
  }
  if (o.version) {
    io.stdout(`${VERSION()}\n`);
    return 0;
  }
  if (o.listRules) {
    io.stdout(listRules());
    return 0;
  }
  const errors: string[] = [];
  const configs = new ConfigCache(o.config);
  const siblings = new Siblings();
  const results: FileResult[] = [];
  const targets: Array<{ file: string; explicit: boolean; stdin?: boolean }> = [];
  const paths = o.paths.length ? o.paths : ['.'];
  for (const p of paths) {
    if (p === '-') {
      targets.push({ file: o.stdinFilename ?? 'stdin', explicit: true, stdin: true });
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push(`${p}: ${code === 'ENOENT' ? 'no such file or folder' : code === 'ELOOP' ? 'symbolic link loop' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) {
      const w: Walker = { files: [], errors };
      walk(p, w);
      for (const f of w.files) targets.push({ file: f, explicit: false });
    } else targets.push({ file: p, explicit: true });
  }
  let configError: UsageError | undefined;
  for (const tg of targets) {
    const display = tg.stdin ? tg.file : path.relative(process.cwd(), tg.file) || tg.file;
    const fr: FileResult = { path: tg.file, displayPath: display };
    results.push(fr);
    let buf: Buffer;
    let mode = 0o644;
    let mtimeMs = 0;
    try {
      if (tg.stdin) buf = readStdin();
      else {
        const st = fs.statSync(tg.file);
        if (st.size > MAX_FILE) {
          fr.skipped = `larger than ${MAX_FILE / 1024 / 1024} MiB`;
          errors.push(`${display}: skipped, ${fr.skipped}`);
          continue;
        }
        mode = st.mode;
        mtimeMs = st.mtimeMs;
        buf = fs.readFileSync(tg.file);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push(`${display}: ${code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : (e as Error).message}`);
      fr.skipped = 'unreadable';
      continue;
    }
    const d = decode(buf);
    if (d.text === undefined) {
      fr.skipped = d.problem;
      io.stderr(`container-hardening: ${display}: skipped, ${d.problem}\n`);
      continue;
    }
    let settings: SettingsInput;
    try {
      settings = configs.forFile(tg.stdin ? path.join(process.cwd(), tg.file) : tg.file);
    } catch (e) {
      if (e instanceof UsageError) {
        configError = e;
        break;
      }
      throw e;
    }
    const rules = { ...(settings.rules ?? {}) };
    for (const id of o.disable) rules[id] = 'off';
    if (!tg.stdin) siblings.known(tg.file, d.text);
    const opts = { fileName: tg.stdin ? path.resolve(tg.file) : path.resolve(tg.file), settings: { ...settings, rules }, readFile: siblings.read };
    const kind = detectKind(opts.fileName, d.text);
    if (!kind) {
      fr.skipped = 'not a file this tool reads (name it Dockerfile, compose.yaml, *.sh, devcontainer.json, .github/workflows/*.yml, *.container, … or use --stdin-filename)';
      if (tg.explicit) io.stderr(`container-hardening: ${display}: skipped, ${fr.skipped}\n`);
      continue;
    }
    // Start tree-sitter only for files that can need it (--fix re-analyses what it writes: always).
    if (o.fix || needsShellParser(d.text, opts)) await startShellParser();
    let text = d.text;
    if (o.fix && !tg.stdin) {
      const h = harden(text, opts);
      if (h.text !== text) {
        try {
          const now = fs.statSync(tg.file);
          const again = fs.readFileSync(tg.file);
          if (now.mtimeMs !== mtimeMs || !again.equals(buf)) throw new Error('file changed on disk while it was being checked; not written');
          const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf && !h.text.startsWith('\uFEFF') ? '\uFEFF' : '';
          if (buf[0] === 0xff || buf[0] === 0xfe) throw new Error('UTF-16 files are checked but not rewritten');
          // Write through a symbolic link to the file it points at, as editors do.
          writeAtomic(fs.realpathSync(tg.file), bom + h.text, mode);
          siblings.forget();
          fr.fixed = h.applied;
          text = h.text;
        } catch (e) {
          errors.push(`${display}: ${(e as Error).message}`);
        }
      }
    }
    fr.text = text;
    fr.result = analyze(text, opts);
    if (fr.result.skipped) {
      fr.skipped = fr.result.skipped;
      io.stderr(`container-hardening: ${display}: skipped, ${fr.skipped}\n`);
    }
  }
  for (const m of configs.messages) io.stderr(`container-hardening: ${m}\n`);
  if (configError) {
    io.stderr(`container-hardening: ${configError.message}\n`);
    return 2;
  }
  const report = o.format === 'json' ? jsonReport(results) : o.format === 'sarif' ? sarifReport(results) : textReport(results, o.color && io.isTTY && !process.env.NO_COLOR && !o.output, o.fix);
  if (o.output) {
    try {
      fs.writeFileSync(o.output, report);
    } catch (e) {
      io.stderr(`container-hardening: cannot write ${o.output}: ${(e as Error).message}\n`);
      return 2;
    }
  } else io.stdout(report);
  for (const e of errors) io.stderr(`container-hardening: ${e}\n`);
  if (errors.length) return 2;
  if (o.failOn === 'none') return 0;
  const threshold = SEV_RANK[o.failOn];
  const failing = results.some((r) => r.result?.findings.some((f) => SEV_RANK[f.severity] >= threshold));
  return failing ? 1 : 0;
}
