/**
 * Shell reader: tree-sitter-bash (through web-tree-sitter) turns a script, or
 * the shell text of a Dockerfile RUN, into the commands it really runs. Only
 * real invocations count: not strings, comments, heredoc bodies or the
 * arguments of other programs. Wrappers (sudo, env, exec, nohup, time, …) are
 * looked through; `sh -c '…'` scripts are read too.
 *
 * This file: the model, the parse (line ends, continuations inside words, the
 * time budget) and the launches. shellTree.ts reads the syntax tree;
 * shellWords.ts says what a word stands for and which program a command runs.
 */
import * as path from 'path';
import type { Parser as TSParser, ProgressCallback } from 'web-tree-sitter';
import { CONTAINER_TOOLS, parseContainerCommand, Word } from '../dockercli';
import type { Assign, Cmd } from '../model';
import { Launch, LaunchWriter } from '../launch';
import type { Span } from '../types';
import { shellWriter } from './shellWriter';
import { readTree } from './shellTree';

export { commandFromWords } from './shellWords';

export type { Assign, Cmd };

export interface ShellModel {
  commands: Cmd[];
  assigns: Assign[];
  launches: Launch[];
  /** First syntax error, if the parser found one. */
  error?: Span;
  /** The parser gave up (time budget): nothing was read. */
  timedOut?: boolean;
}

let parser: TSParser | undefined;
let initPromise: Promise<void> | undefined;

/** The two grammars' bytes, for hosts without a file system (the web worker of the browser server). */
export interface WasmBinaries {
  /** tree-sitter.wasm (web-tree-sitter's runtime) */
  runtime: Uint8Array;
  /** tree-sitter-bash.wasm */
  bash: Uint8Array;
}

/** Loads web-tree-sitter and the bash grammar once: from a folder holding both .wasm files, their bytes, or the installed packages. */
export function initShell(wasm?: string | WasmBinaries | (() => Promise<WasmBinaries>)): Promise<void> {
  if (!initPromise) {
    initPromise = (async () => {
      // require(), not import(): web-tree-sitter's CommonJS build, in the tsc build and the bundle
      // alike. Its ESM build starts Node's ESM loader (import('module'), import('fs/promises')).
      const ts = require('web-tree-sitter') as typeof import('web-tree-sitter');
      // The bytes, not the paths: given a path, Language.load reads it through import('fs/promises').
      const bin = typeof wasm === 'function' ? await wasm() : typeof wasm === 'object' ? wasm : readWasm(wasm);
      await ts.Parser.init({ wasmBinary: bin.runtime });
      const lang = await ts.Language.load(bin.bash);
      const p = new ts.Parser();
      p.setLanguage(lang);
      parser = p;
    })();
    initPromise.catch(() => {
      initPromise = undefined;
    });
  }
  return initPromise;
}

function readWasm(wasmDir: string | undefined): WasmBinaries {
  const fs = require('fs') as typeof import('fs');
  const runtimeWasm = wasmDir ? path.join(wasmDir, 'tree-sitter.wasm') : require.resolve('web-tree-sitter/tree-sitter.wasm');
  const bashWasm = wasmDir ? path.join(wasmDir, 'tree-sitter-bash.wasm') : require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
  return { runtime: fs.readFileSync(runtimeWasm), bash: fs.readFileSync(bashWasm) };
}


/** A word joined across a line continuation: its rest, `length` long, moved up by `moved` to `at`. */
interface Join {
  at: number;
  length: number;
  moved: number;
}

/**
 * Makes text safe for the shell parser without moving any offset. A line
 * continuation inside a word (`--net\<newline>work=host`) joins the word: the
 * rest of the word is pulled up and the freed characters become blanks after
 * it. The CR of CRLF becomes a blank (a backslash-CRLF continuation stays a
 * continuation).
 */
function normalizeEol(text: string): { src: string; joins: Join[] } {
  const joins: Join[] = [];
  let s = text;
  if (s.includes('\\\n') || s.includes('\\\r\n')) {
    s = s.replace(/(?<=[^\s\\])\\(\r?\n)([^\s\\'"`$]+)/g, (_m, nl: string, rest: string, at: number) => {
      joins.push({ at, length: rest.length, moved: 1 + nl.length });
      return rest + ' '.repeat(1 + nl.length);
    });
  }
  if (s.includes('\r')) s = s.replace(/\\\r\n/g, '\\\n ').replace(/\r/g, ' ');
  return { src: s, joins };
}

/**
 * A joined word really ends where its moved rest ended in the file: moves the
 * ends of the commands' spans back there. The joins are in order and apart
 * (each starts after the last one's blanks), so at most one holds a given end:
 * the last one starting before it.
 */
function unjoin(commands: Cmd[], joins: Join[], base: number): void {
  const fix = (sp: Span) => {
    let lo = 0;
    let hi = joins.length - 1;
    let j = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (joins[mid].at + base < sp.end) {
        j = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (j >= 0 && sp.end <= joins[j].at + base + joins[j].length) sp.end += joins[j].moved;
  };
  for (const c of commands) {
    fix(c.nameSpan);
    fix(c.span);
    c.args.forEach((w) => fix(w.span));
  }
}

/** How long the shell parser may take before it gives up: generous for real scripts, finite for adversarial ones. */
export function parseBudgetMs(length: number): number {
  return 3000 + Math.ceil(length / 1024) * 2;
}

/** `sh -c '…'` scripts are read down to this depth (the text itself is depth 0). */
const MAX_SCRIPT_DEPTH = 4;

function parseShellText(
  text: string,
  base: number,
  depth: number,
  keep?: (text: string) => boolean,
): { commands: Cmd[]; assigns: Assign[]; error?: Span; timedOut?: boolean } {
  if (!parser) throw new Error('shell parser not initialised: call initEngine() first');
  const { src, joins } = normalizeEol(text);
  // tree-sitter's error recovery can take very long on pathological input (thousands of
  // unbalanced brackets): stop at a deadline instead of hanging the editor or the CLI. The
  // parser stops when the callback returns true (ParseOptions types it as returning void).
  const deadline = Date.now() + parseBudgetMs(src.length);
  const progressCallback: ProgressCallback = () => Date.now() > deadline;
  const tree = parser.parse(src, null, { progressCallback });
  if (!tree) {
    parser.reset();
    return { commands: [], assigns: [], error: { start: base, end: base }, timedOut: true };
  }
  try {
    const r = readTree(tree, {
      src,
      base,
      keep,
      readScript: (script, at) => (depth < MAX_SCRIPT_DEPTH ? parseShellText(script, at, depth + 1, keep) : undefined),
    });
    if (joins.length) unjoin(r.commands, joins, base);
    return r;
  } finally {
    tree.delete();
  }
}

export interface ShellParseOptions {
  /** Offset of `text` in the analysed file. */
  base?: number;
  /** Line continuation character (Dockerfile `# escape=`). */
  escape?: string;
  /** The whole file's text (for the writer); defaults to text. */
  fileText?: string;
  source?: 'shell' | 'dockerfile';
  /**
   * Statements whose text fails this are not read (nor their commands, assignments and launches):
   * for a caller that knows which words matter (analyze: the container tools and the enabled shell
   * rules' triggers). Only statements of plain statement lists (STATEMENT_LISTS), in trees without
   * syntax errors.
   */
  keep?: (text: string) => boolean;
}

/** Parses shell text into commands, assignments and container launches. */
export function readShell(text: string, o: ShellParseOptions = {}): ShellModel {
  const escape = o.escape ?? '\\';
  const r = parseShellText(text, o.base ?? 0, 0, o.keep);
  const launches: Launch[] = [];
  // One writer serves every launch of the text (it only reads the text).
  let writer: LaunchWriter | undefined;
  for (const cmd of r.commands) {
    if (!CONTAINER_TOOLS.has(cmd.name)) continue;
    const launch = parseContainerCommand(cmd.name, cmd.args, cmd.nameSpan, (writer ??= shellWriter(o.fileText ?? text, escape)));
    launch.source = o.source ?? 'shell';
    launches.push(launch);
  }
  return { commands: r.commands, assigns: r.assigns, launches, error: r.error, timedOut: r.timedOut };
}
