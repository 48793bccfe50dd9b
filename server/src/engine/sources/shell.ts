/**
 * Shell reader: tree-sitter-bash (through web-tree-sitter) turns a script, or
 * the shell text of a Dockerfile RUN, into the commands it really runs. Only
 * real invocations count: not strings, comments, heredoc bodies or the
 * arguments of other programs. Wrappers (sudo, env, exec, nohup, time, …) are
 * looked through; `sh -c '…'` scripts are read too.
 */
import * as path from 'path';
import type { Node as TSNode, Parser as TSParser } from 'web-tree-sitter';
import { CONTAINER_TOOLS, parseContainerCommand, Word } from '../dockercli';
import { Launch, UNKNOWN } from '../launch';
import type { Span } from '../types';
import { shellWriter } from './shellWriter';

export interface Assign {
  name: string;
  /** Value shape (UNKNOWN for unknown parts); '' when empty. */
  value: string;
  span: Span;
  valueSpan?: Span;
  exported: boolean;
}

export interface Cmd {
  /** Program name (basename) after looking through wrappers. */
  name: string;
  nameSpan: Span;
  /** Words after the program name. */
  args: Word[];
  /** The whole command node. */
  span: Span;
  /** Wrappers looked through, e.g. ['sudo']. */
  wrappers: string[];
  /** Where each wrapper word stands. */
  wrapperSpans: Span[];
  assigns: Assign[];
  /** The next command of the pipeline this command feeds. */
  pipeTo?: Cmd;
  /** Commands run from inside this command's arguments: `sh -c "$(curl …)"`, `bash <(curl …)`. */
  substitutions: Cmd[];
}

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

/** Loads web-tree-sitter and the bash grammar once. */
export function initShell(wasmDir?: string): Promise<void> {
  if (!initPromise) {
    initPromise = (async () => {
      const ts = await import('web-tree-sitter');
      const runtimeWasm = wasmDir ? path.join(wasmDir, 'tree-sitter.wasm') : require.resolve('web-tree-sitter/tree-sitter.wasm');
      await ts.Parser.init({ locateFile: () => runtimeWasm });
      const bashWasm = wasmDir ? path.join(wasmDir, 'tree-sitter-bash.wasm') : require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
      const lang = await ts.Language.load(bashWasm);
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

export function shellReady(): boolean {
  return parser !== undefined;
}

/**
 * Makes text safe for the shell parser without moving any offset: CR of CRLF
 * becomes a space (a backslash-CRLF continuation stays a continuation).
 */
/** Returns the text to parse and where words were joined: [start of the moved rest, its length]. */
function normalizeEol(text: string): { src: string; joins: Array<[number, number, number]> } {
  const joins: Array<[number, number, number]> = [];
  let s = text;
  // A continuation inside a word (`--net\<newline>work=host`) joins the word: pull the rest of the
  // word up and leave the freed characters as blanks after it, so later offsets stay put.
  if (s.includes('\\\n') || s.includes('\\\r\n')) {
    s = s.replace(/(?<=[^\s\\])\\(\r?\n)([^\s\\'"`$]+)/g, (_m, nl: string, rest: string, at: number) => {
      joins.push([at, rest.length, 1 + nl.length]);
      return rest + ' '.repeat(1 + nl.length);
    });
  }
  if (s.includes('\r')) s = s.replace(/\\\r\n/g, '\\\n ').replace(/\r/g, ' ');
  return { src: s, joins };
}

const OPTION_SPLAT = /^(?:@|\*|[A-Za-z_]*(?:OPTS?|OPTIONS|ARGS?|ARGUMENTS|FLAGS|PARAMS?|EXTRA)[A-Za-z0-9_]*)$/i;

function unescapeUnquoted(s: string): string {
  return s.replace(/\\(\r?\n)/g, '').replace(/\\(.)/g, '$1');
}

function unescapeDouble(s: string): string {
  return s.replace(/\\(\r?\n)/g, '').replace(/\\([$`"\\])/g, '$1');
}

/** Shape of one argument node, and whether it may split into several words. */
function wordOf(n: TSNode, base: number, src: string): Word {
  const span = { start: n.startIndex + base, end: n.endIndex + base };
  switch (n.type) {
    case 'word':
    case 'number': {
      let s = unescapeUnquoted(n.text);
      if (s.startsWith('~')) s = UNKNOWN + s.slice(1).replace(/^[^/]*/, '');
      return { shape: s, span, splat: false };
    }
    case 'raw_string':
      return { shape: n.text.slice(1, -1), span, splat: false };
    case 'ansi_c_string':
      return { shape: n.text.slice(2, -1).replace(/\\(.)/g, '$1'), span, splat: false };
    case 'string': {
      let s = '';
      let splat = false;
      // Text between the children keeps quoted literal text; children that expand are unknown.
      let pos = n.startIndex + 1;
      const end = n.endIndex - 1;
      for (const c of n.namedChildren) {
        if (!c) continue;
        if (c.startIndex > pos) s += unescapeDouble(src.slice(pos, c.startIndex));
        if (c.type === 'string_content') s += unescapeDouble(c.text);
        else {
          s += UNKNOWN;
          if (n.namedChildren.length === 1 && (c.type === 'simple_expansion' || c.type === 'expansion')) {
            const t = c.text;
            if (/^\$[@*]$/.test(t) || /^\$\{[^}]*\[[@*]\]\}$/.test(t)) splat = true;
          }
        }
        pos = c.endIndex;
      }
      if (end > pos) s += unescapeDouble(src.slice(pos, end));
      return { shape: s, span, splat };
    }
    case 'simple_expansion':
    case 'expansion': {
      const m = /^\$\{?#?!?([A-Za-z_@*][A-Za-z0-9_]*|[@*])/.exec(n.text);
      const name = m?.[1] ?? '';
      const splat = OPTION_SPLAT.test(name) || /\[[@*]\]/.test(n.text);
      return { shape: UNKNOWN, span, splat };
    }
    case 'concatenation': {
      let s = '';
      for (const c of n.namedChildren) if (c) s += wordOf(c, base, src).shape;
      // keep literal text between named children (e.g. `=` in some splits)
      return { shape: s, span, splat: false };
    }
    default:
      return { shape: UNKNOWN, span, splat: false };
  }
}

function assignOf(n: TSNode, base: number, src: string, exported: boolean): Assign | undefined {
  const nameNode = n.childForFieldName('name');
  if (!nameNode) return undefined;
  const valueNode = n.childForFieldName('value');
  const value = valueNode ? wordOf(valueNode, base, src).shape : '';
  return {
    name: nameNode.text,
    value,
    span: { start: n.startIndex + base, end: n.endIndex + base },
    valueSpan: valueNode ? { start: valueNode.startIndex + base, end: valueNode.endIndex + base } : undefined,
    exported,
  };
}

const WRAPPERS: Record<string, { value: Set<string>; stopAt?: Set<string> }> = {
  sudo: { value: new Set(['-u', '-g', '-C', '-h', '-p', '-r', '-t', '-U', '-D', '-T', '--user', '--group', '--chdir']) },
  doas: { value: new Set(['-u', '-C']) },
  exec: { value: new Set(['-a']) },
  command: { value: new Set(), stopAt: new Set(['-v', '-V']) },
  nohup: { value: new Set() },
  time: { value: new Set(['-f', '-o']) },
  nice: { value: new Set(['-n', '--adjustment']) },
  ionice: { value: new Set(['-c', '-n', '--class', '--classdata']) },
  stdbuf: { value: new Set(['-i', '-o', '-e']) },
  env: { value: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']) },
  timeout: { value: new Set(['-s', '-k', '--signal', '--kill-after']) },
  setsid: { value: new Set() },
  unbuffer: { value: new Set() },
  busybox: { value: new Set() },
};

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'mksh']);

interface Ctx {
  base: number;
  text: string;
  commands: Cmd[];
  assigns: Assign[];
  escape: string;
  depth: number;
}

function baseName(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
}

/** Builds a Cmd from a `command` node, looking through wrappers. */
function readCommand(n: TSNode, ctx: Ctx): Cmd | undefined {
  const nameNode = n.childForFieldName('name');
  if (!nameNode) return undefined;
  const assigns: Assign[] = [];
  for (const c of n.namedChildren) {
    if (c && c.type === 'variable_assignment') {
      const a = assignOf(c, ctx.base, ctx.text, false);
      if (a) assigns.push(a);
    }
  }
  const words: Word[] = [wordOf(nameNode.namedChildren[0] ?? nameNode, ctx.base, ctx.text)];
  for (const a of n.childrenForFieldName('argument')) if (a) words.push(wordOf(a, ctx.base, ctx.text));
  return commandFromWords(words, { start: n.startIndex + ctx.base, end: n.endIndex + ctx.base }, assigns);
}

/** Builds a Cmd from its words (program name first), looking through wrappers such as sudo and env. */
export function commandFromWords(words: Word[], span: Span, assigns: Assign[]): Cmd | undefined {
  const wrappers: string[] = [];
  const wrapperSpans: Span[] = [];
  let i = 0;
  // Look through wrappers: sudo -E docker run …, env A=1 docker run …
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    const name = baseName(words[i].shape);
    const w = WRAPPERS[name];
    if (!w) break;
    let j = i + 1;
    let stop = false;
    while (j < words.length) {
      const s = words[j].shape;
      if (w.stopAt?.has(s)) {
        stop = true;
        break;
      }
      if (s === '--') {
        j++;
        break;
      }
      if (name === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(s)) {
        const eq = s.indexOf('=');
        assigns.push({ name: s.slice(0, eq), value: s.slice(eq + 1), span: words[j].span, exported: true });
        j++;
        continue;
      }
      if (name === 'sudo' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(s)) {
        j++;
        continue;
      }
      if (s.startsWith('-') && s.length > 1) {
        j += w.value.has(s) ? 2 : 1;
        continue;
      }
      if (name === 'timeout' || (name === 'nice' && /^-?\d+$/.test(s))) {
        // the duration
        j++;
      }
      break;
    }
    if (stop) return undefined;
    wrappers.push(name);
    wrapperSpans.push(words[i].span);
    i = j;
  }
  if (i >= words.length) return undefined;
  const prog = words[i];
  if (prog.shape.includes(UNKNOWN)) return undefined;
  const cmd: Cmd = {
    name: baseName(prog.shape),
    nameSpan: prog.span,
    args: words.slice(i + 1),
    span,
    wrappers,
    wrapperSpans,
    assigns,
    substitutions: [],
  };
  return cmd;
}

/** Reads the script inside `sh -c '…'` when its offsets map 1:1 onto the file. */
function readInlineScript(cmd: Cmd, n: TSNode, ctx: Ctx): void {
  if (!SHELLS.has(cmd.name) || ctx.depth > 3) return;
  const args = n.childrenForFieldName('argument').filter((a): a is TSNode => !!a);
  const idx = args.findIndex((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a.text));
  if (idx < 0 || idx + 1 >= args.length) return;
  const s = args[idx + 1];
  let inner: string | undefined;
  if (s.type === 'raw_string') inner = s.text.slice(1, -1);
  else if (s.type === 'string' && s.namedChildren.every((c) => c?.type === 'string_content') && !s.text.includes('\\')) inner = s.text.slice(1, -1);
  if (inner === undefined) return;
  const sub = parseShellText(inner, ctx.base + s.startIndex + 1, ctx.escape, ctx.depth + 1);
  ctx.commands.push(...sub.commands);
  ctx.assigns.push(...sub.assigns);
}

/** The command an element of a pipeline runs (through redirections). */
function commandNodeOf(n: TSNode | null): TSNode | undefined {
  let cur: TSNode | null = n;
  for (let k = 0; k < 4 && cur; k++) {
    if (cur.type === 'command') return cur;
    if (cur.type === 'redirected_statement') cur = cur.childForFieldName('body');
    else return undefined;
  }
  return undefined;
}

function collectSubstitutionCmds(n: TSNode, byNode: Map<number, Cmd>): Cmd[] {
  const out: Cmd[] = [];
  const stack: TSNode[] = [];
  for (const a of n.childrenForFieldName('argument')) if (a) stack.push(a);
  while (stack.length) {
    const x = stack.pop()!;
    if (x.type === 'command') {
      const c = byNode.get(x.id);
      if (c) out.push(c);
      continue;
    }
    for (const c of x.namedChildren) if (c) stack.push(c);
  }
  return out;
}

function walk(root: TSNode, ctx: Ctx): { firstError?: Span } {
  const byNode = new Map<number, Cmd>();
  const cmdNodes: TSNode[] = [];
  const pipelines: TSNode[] = [];
  const heredocs: TSNode[] = [];
  let firstError: Span | undefined;
  const stack: TSNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    switch (n.type) {
      case 'heredoc_body':
      case 'comment':
        continue;
      case 'ERROR':
        if (!firstError) firstError = { start: n.startIndex + ctx.base, end: n.endIndex + ctx.base };
        break;
      case 'command': {
        const cmd = readCommand(n, ctx);
        if (cmd) {
          byNode.set(n.id, cmd);
          cmdNodes.push(n);
          ctx.commands.push(cmd);
          readInlineScript(cmd, n, ctx);
        }
        break;
      }
      case 'pipeline':
        pipelines.push(n);
        break;
      case 'heredoc_redirect':
        heredocs.push(n);
        break;
      case 'variable_assignment': {
        const parent = n.parent;
        if (parent?.type !== 'command') {
          const exported = parent?.type === 'declaration_command' && /^export\b/.test(parent.text);
          const a = assignOf(n, ctx.base, ctx.text, exported);
          if (a) ctx.assigns.push(a);
        }
        break;
      }
    }
    const kids = n.namedChildren;
    for (let k = kids.length - 1; k >= 0; k--) {
      const c = kids[k];
      if (c) stack.push(c);
    }
  }
  for (const p of pipelines) {
    const elems = p.namedChildren.filter((c): c is TSNode => !!c);
    for (let k = 0; k + 1 < elems.length; k++) {
      const a = commandNodeOf(elems[k]);
      const b = commandNodeOf(elems[k + 1]);
      if (a && b && byNode.has(a.id) && byNode.has(b.id)) byNode.get(a.id)!.pipeTo = byNode.get(b.id);
    }
  }
  // `cat <<EOF | docker run …`: the pipeline sits under the heredoc redirect.
  for (const h of heredocs) {
    const st = h.parent;
    const pipe = h.namedChildren.find((c) => c?.type === 'pipeline') ?? h.namedChildren.find((c) => c?.type === 'command');
    if (st?.type === 'redirected_statement' && pipe) {
      const body = commandNodeOf(st.childForFieldName('body'));
      const first = pipe.type === 'pipeline' ? commandNodeOf(pipe.namedChildren[0]) : pipe;
      if (body && first && byNode.has(body.id) && byNode.has(first.id)) byNode.get(body.id)!.pipeTo = byNode.get(first.id);
    }
  }
  for (const n of cmdNodes) byNode.get(n.id)!.substitutions = collectSubstitutionCmds(n, byNode);
  return { firstError };
}

/** How long the shell parser may take before it gives up: generous for real scripts, finite for adversarial ones. */
export function parseBudgetMs(length: number): number {
  return 3000 + Math.ceil(length / 1024) * 2;
}

function parseShellText(text: string, base: number, escape: string, depth: number): { commands: Cmd[]; assigns: Assign[]; error?: Span; timedOut?: boolean } {
  if (!parser) throw new Error('shell parser not initialised: call initEngine() first');
  const { src, joins } = normalizeEol(text);
  const ctx: Ctx = { base, text: src, commands: [], assigns: [], escape, depth };
  // tree-sitter's error recovery can take very long on pathological input (thousands of
  // unbalanced brackets): stop at a deadline instead of hanging the editor or the CLI.
  const deadline = Date.now() + parseBudgetMs(src.length);
  const progressCallback = (() => Date.now() > deadline) as unknown as (state: unknown) => void;
  const tree = parser.parse(src, null, { progressCallback });
  if (!tree) {
    parser.reset();
    return { commands: [], assigns: [], error: { start: base, end: base }, timedOut: true };
  }
  try {
    const { firstError } = walk(tree.rootNode, ctx);
    if (joins.length) {
      // A joined word really ends two characters further on (the continuation it swallowed).
      const fix = (sp: Span) => {
        for (const [at, len, gap] of joins) if (sp.end > at + base && sp.end <= at + base + len) sp.end += gap;
      };
      for (const c of ctx.commands) {
        fix(c.nameSpan);
        fix(c.span);
        c.args.forEach((w) => fix(w.span));
      }
    }
    return { commands: ctx.commands, assigns: ctx.assigns, error: firstError };
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
}

/** Parses shell text into commands, assignments and container launches. */
export function readShell(text: string, o: ShellParseOptions = {}): ShellModel {
  const base = o.base ?? 0;
  const escape = o.escape ?? '\\';
  const r = parseShellText(text, base, escape, 0);
  const launches: Launch[] = [];
  for (const cmd of r.commands) {
    if (!CONTAINER_TOOLS.has(cmd.name)) continue;
    const launch = parseContainerCommand(cmd.name, cmd.args, cmd.nameSpan);
    launch.source = o.source ?? 'shell';
    launch.writer = shellWriter(o.fileText ?? text, escape);
    launch.ref = { ...(launch.ref as object), cmd };
    launches.push(launch);
  }
  return { commands: r.commands, assigns: r.assigns, launches, error: r.error, timedOut: r.timedOut };
}
