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
import * as v8 from 'v8';
import { analyze, decisionSentence, detectKind, harden, initEngine, needsShellParser, peerIdsText, RULES, type SettingsInput } from './engine';
import { type Options, parseArgs, helpText, UsageError } from './cli/args';
import { ConfigCache, decode, MAX_FILE, readStdin, Siblings, walk, writeAtomic, type Walker } from './cli/files';
import { applyBaseline, readBaseline } from './cli/baseline';
import { jsonReport } from './cli/jsonReport';
import type { FileResult } from './cli/results';
import { sarifReport } from './cli/sarifReport';
import { textReport } from './cli/textReport';
import { VERSION } from './cli/version';

export { decode, parseArgs, sarifReport, writeAtomic };

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

const SEV_RANK: Record<string, number> = { info: 1, warning: 2, error: 3 };

function listRules(): string {
  const [w, ws] = [Math.max(...RULES.map((r) => r.id.length)), Math.max(...RULES.map((r) => r.sources.length))];
  // Other tools' check ids the rule answers to, on a line of their own below it.
  const peers = (r: (typeof RULES)[number]) => (r.peers ? `\n${' '.repeat(w + 2)}also silenced by: ${peerIdsText(r.peers)}` : '');
  return RULES.map((r) => `${r.id.padEnd(w)}  ${(r.off ? 'off' : r.severity).padEnd(7)}  ${r.fix.padEnd(6)}  ${r.sources.padEnd(ws)}  §${r.guide.join(',§')}${r.cis ? ` CIS ${r.cis}` : ''}  ${r.title}${peers(r)}`).join('\n') + '\n';
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
    const opts = { fileName: tg.stdin ? path.resolve(tg.file) : path.resolve(tg.file), settings: { ...settings, rules, ...(o.peerComments ? {} : { peerComments: false }) }, readFile: siblings.read };
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
          fr.decisions = h.decisions.map(decisionSentence);
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
  if (o.writeBaseline) {
    try {
      writeAtomic(path.resolve(o.writeBaseline), jsonReport(results), 0o644);
    } catch (e) {
      io.stderr(`container-hardening: cannot write ${o.writeBaseline}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  if (o.baseline) {
    try {
      const known = applyBaseline(results, readBaseline(o.baseline));
      if (known) io.stderr(`container-hardening: ${known} finding${known === 1 ? '' : 's'} already in ${o.baseline} left out\n`);
    } catch (e) {
      io.stderr(`container-hardening: cannot read the baseline ${o.baseline}: ${(e as Error).message}\n`);
      return 2;
    }
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
