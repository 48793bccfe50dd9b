/**
 * Shell reader: tree-sitter-bash (through web-tree-sitter) turns a script, or
 * the shell text of a Dockerfile RUN, into the commands it really runs. Only
 * real invocations count: not strings, comments, heredoc bodies or the
 * arguments of other programs. Wrappers (sudo, env, exec, nohup, time, …) are
 * looked through; `sh -c '…'` scripts are read too.
 */
import * as path from 'path';
import type { Language as TSLanguage, Parser as TSParser, Tree as TSTree } from 'web-tree-sitter';
import { CONTAINER_TOOLS, parseContainerCommand, Word } from '../dockercli';
import { Launch, LaunchWriter, UNKNOWN } from '../launch';
import type { Span } from '../types';
import { shellWriter } from './shellWriter';
import { lookupTable } from '../table';

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
      // require(), not import(): web-tree-sitter's CommonJS build, in the tsc build and the bundle
      // alike. Its ESM build starts Node's ESM loader (import('module'), import('fs/promises')).
      const ts = require('web-tree-sitter') as typeof import('web-tree-sitter');
      const fs = require('fs') as typeof import('fs');
      const runtimeWasm = wasmDir ? path.join(wasmDir, 'tree-sitter.wasm') : require.resolve('web-tree-sitter/tree-sitter.wasm');
      const bashWasm = wasmDir ? path.join(wasmDir, 'tree-sitter-bash.wasm') : require.resolve('tree-sitter-bash/tree-sitter-bash.wasm');
      // The bytes, not the paths: given a path, Language.load reads it through import('fs/promises').
      await ts.Parser.init({ wasmBinary: fs.readFileSync(runtimeWasm) });
      const lang = await ts.Language.load(fs.readFileSync(bashWasm));
      const p = new ts.Parser();
      p.setLanguage(lang);
      grammar = grammarOf(lang);
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
  if (!s.includes('\\')) return s;
  return s.replace(/\\(\r?\n)/g, '').replace(/\\(.)/g, '$1');
}

function unescapeDouble(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(\r?\n)/g, '').replace(/\\([$`"\\])/g, '$1');
}

const WRAPPERS: Record<string, { value: Set<string>; stopAt?: Set<string> }> = lookupTable({
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
});

const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'mksh']);

interface Ctx {
  base: number;
  text: string;
  commands: Cmd[];
  assigns: Assign[];
  escape: string;
  depth: number;
  /** Statements whose text fails this hold nothing worth reading (see STATEMENT_LISTS). */
  keep?: (text: string) => boolean;
}

function baseName(s: string): string {
  return s.slice(s.lastIndexOf('/') + 1);
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
function readInlineScript(cmd: Cmd, st: CmdState, ctx: Ctx): { commands: Cmd[]; assigns: Assign[] } | undefined {
  if (!SHELLS.has(cmd.name) || ctx.depth > 3) return undefined;
  // The command node's words: its name, then its arguments (wrappers included); their spans are
  // still unmoved here.
  const words = st.words;
  const text = (k: number) => ctx.text.slice(words[k].span.start - ctx.base, words[k].span.end - ctx.base);
  let idx = -1;
  for (let k = 1; k < words.length; k++) {
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(text(k))) {
      idx = k;
      break;
    }
  }
  if (idx < 0 || idx + 1 >= words.length) return undefined;
  const s = idx + 1;
  const t = text(s);
  let inner: string | undefined;
  if (st.kinds[s] === K_RAW_STRING) inner = t.slice(1, -1);
  else if (st.kinds[s] === (K_STRING | PLAIN) && !t.includes('\\')) inner = t.slice(1, -1);
  if (inner === undefined) return undefined;
  return parseShellText(inner, words[s].span.start + 1, ctx.escape, ctx.depth + 1, ctx.keep);
}

// ---------------------------------------------------------------- the walk

/*
 * The tree is read with one TreeCursor in a single pre-order pass over its
 * named nodes (the nodes `namedChildren` gives), without a web-tree-sitter
 * Node object per node: types are compared by id, text is sliced from the
 * source by offsets, and each command's name, arguments and assignments are
 * read while the walk goes through them. Work that the old Node-based walk
 * did afterwards (pipelines, heredocs, substitutions) is recorded on the way
 * and resolved at the end.
 */

// Node kinds the walk tells apart. The table maps every type id to the kind of its type name,
// so comparing kinds is comparing type names (several ids can share a name).
const K_OTHER = 0;
const K_ERROR = 1;
const K_COMMAND = 2;
const K_PIPELINE = 3;
const K_HEREDOC_REDIRECT = 4;
const K_HEREDOC_BODY = 5;
const K_COMMENT = 6;
const K_VARIABLE_ASSIGNMENT = 7;
const K_DECLARATION_COMMAND = 8;
const K_REDIRECTED_STATEMENT = 9;
const K_WORD = 10;
const K_NUMBER = 11;
const K_RAW_STRING = 12;
const K_ANSI_C_STRING = 13;
const K_STRING = 14;
const K_STRING_CONTENT = 15;
const K_SIMPLE_EXPANSION = 16;
const K_EXPANSION = 17;
const K_CONCATENATION = 18;

const KIND_OF_TYPE: Record<string, number> = lookupTable({
  ERROR: K_ERROR,
  command: K_COMMAND,
  pipeline: K_PIPELINE,
  heredoc_redirect: K_HEREDOC_REDIRECT,
  heredoc_body: K_HEREDOC_BODY,
  comment: K_COMMENT,
  variable_assignment: K_VARIABLE_ASSIGNMENT,
  declaration_command: K_DECLARATION_COMMAND,
  redirected_statement: K_REDIRECTED_STATEMENT,
  word: K_WORD,
  number: K_NUMBER,
  raw_string: K_RAW_STRING,
  ansi_c_string: K_ANSI_C_STRING,
  string: K_STRING,
  string_content: K_STRING_CONTENT,
  simple_expansion: K_SIMPLE_EXPANSION,
  expansion: K_EXPANSION,
  concatenation: K_CONCATENATION,
});

/*
 * In a tree without syntax errors the nodes follow the grammar (node-types.json), which lets the
 * walk skip what cannot hold anything it reads (commands, pipelines, heredocs, assignments). A
 * unit test checks these lists against node-types.json. Trees with errors are walked in full: an
 * ERROR node may turn up anywhere.
 */

/** Named types with nothing to read inside: tokens, and `$name`. */
export const OPAQUE_TYPES = [
  'word', 'variable_name', 'special_variable_name', 'string_content', 'raw_string', 'ansi_c_string', 'comment', 'heredoc_start',
  'heredoc_content', 'heredoc_end', 'file_descriptor', 'test_operator', 'regex', 'extglob_pattern', 'simple_expansion',
];

/**
 * Named types that hold something to read only inside a command or process substitution, a
 * subshell, a `{ …; }` group or arithmetic parentheses, so only where their text has `(`, a
 * backquote, or a `{` not right after `$`.
 */
export const SHALLOW_TYPES = [
  'arithmetic_expansion', 'array', 'binary_expression', 'brace_expression', 'concatenation', 'expansion', 'file_redirect',
  'herestring_redirect', 'number', 'postfix_expression', 'string', 'subscript', 'ternary_expression', 'translated_string',
  'unary_expression', 'unset_command',
];

/**
 * Named types whose named children are statements (or words outside any command) that nothing
 * else reads: no pipeline, redirect, assignment or command takes them in. With
 * ShellParseOptions.keep, a child of one of these, reached from the root through these alone, is
 * not read when its text fails `keep` (children that are themselves of these types are gone into
 * instead: their text would be tested again at every level).
 */
export const STATEMENT_LISTS = [
  'program', 'compound_statement', 'subshell', 'do_group', 'if_statement', 'elif_clause', 'else_clause', 'while_statement',
  'for_statement', 'case_statement', 'case_item', 'function_definition', 'list',
];

/** The children of a command that are not arguments (comments are extras: no field either). */
export const COMMAND_NON_ARGUMENTS = ['command_name', 'file_redirect', 'herestring_redirect', 'subshell', 'variable_assignment', 'comment'];
/** The anonymous children of a command: all arguments. */
export const COMMAND_ANONYMOUS_ARGUMENTS = ['$', '==', '=~'];

// A command's child, by type: how to tell its field.
const CF_ASK = 0;
const CF_NONE = 1;
const CF_NAME = 2;
const CF_ARGUMENT = 3;

/** What the walk knows of the grammar, by type id and field id. */
interface Grammar {
  kind: Uint8Array;
  /** 1 named, 0 anonymous, 2 ask the cursor. */
  named: Uint8Array;
  opaque: Uint8Array;
  /** 1 for SHALLOW_TYPES (numbers are often tokens: checked only when their text is at hand), 2 for the others. */
  shallow: Uint8Array;
  /** Field of a command's child in a tree without errors (CF_*). */
  commandField: Uint8Array;
  /** 1 for STATEMENT_LISTS. */
  list: Uint8Array;
  name: number;
  argument: number;
  body: number;
  value: number;
}

let grammar: Grammar | undefined;

function grammarOf(lang: TSLanguage): Grammar {
  const n = lang.types.length;
  const kind = new Uint8Array(n);
  const named = new Uint8Array(n);
  const opaque = new Uint8Array(n);
  const shallow = new Uint8Array(n);
  const commandField = new Uint8Array(n);
  const list = new Uint8Array(n);
  const listSet = new Set(STATEMENT_LISTS);
  const opaqueSet = new Set(OPAQUE_TYPES);
  const shallowSet = new Set(SHALLOW_TYPES);
  const nonArguments = new Set(COMMAND_NON_ARGUMENTS);
  const anonymousArguments = new Set(COMMAND_ANONYMOUS_ARGUMENTS);
  for (let id = 0; id < n; id++) {
    // Node.type is `types[id] || 'ERROR'`.
    const type = lang.types[id] || 'ERROR';
    kind[id] = KIND_OF_TYPE[type] ?? K_OTHER;
    named[id] = lang.types[id] ? (lang.nodeTypeIsNamed(id) ? 1 : 0) : 2;
    if (named[id] === 1) {
      opaque[id] = opaqueSet.has(type) ? 1 : 0;
      list[id] = listSet.has(type) ? 1 : 0;
      shallow[id] = shallowSet.has(type) ? (type === 'number' ? 1 : 2) : 0;
      commandField[id] = type === 'command_name' ? CF_NAME : nonArguments.has(type) ? CF_NONE : CF_ARGUMENT;
    } else commandField[id] = named[id] === 0 && anonymousArguments.has(type) ? CF_ARGUMENT : CF_ASK;
  }
  // A field the grammar lacks gets an id no node has (the cursor answers 0 for "no field").
  const field = (f: string) => lang.fieldIdForName(f) ?? -1;
  return { kind, named, opaque, shallow, commandField, list, name: field('name'), argument: field('argument'), body: field('body'), value: field('value') };
}

/** True when src[s, e) has `(`, a backquote, or `{` not right after `$` (see SHALLOW_TYPES). */
function mayNest(src: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const ch = src.charCodeAt(i);
    if (ch === 40 || ch === 96) return true;
    if (ch === 123 && (i === s || src.charCodeAt(i - 1) !== 36)) return true;
  }
  return false;
}

/** True when src[s, e) is not empty and has only characters that a bare `word` token takes as they are: [A-Za-z0-9_./+:,@%-]. */
function plainWord(src: string, s: number, e: number): boolean {
  if (s >= e) return false;
  for (let i = s; i < e; i++) {
    const ch = src.charCodeAt(i);
    // a-z, A-Z, 0-9, and _ . / + : , @ % -
    if ((ch >= 97 && ch <= 122) || (ch >= 65 && ch <= 90) || (ch >= 48 && ch <= 58) || ch === 95 || ch === 46 || ch === 47 || ch === 43 || ch === 44 || ch === 64 || ch === 37 || ch === 45) continue;
    return false;
  }
  return true;
}

/** True when src[s, e) has `$`, a backquote or a line break: a string without any is only literal text. */
function hasExpansionOrBreak(src: string, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const ch = src.charCodeAt(i);
    if (ch === 36 || ch === 96 || ch === 10 || ch === 13) return true;
  }
  return false;
}

/** Set in CmdState.kinds on a string argument that is only literal text. */
const PLAIN = 64;

/** Stands for the name word until it is met. */
const NO_WORD: Word = { shape: UNKNOWN, span: { start: 0, end: 0 }, splat: false };

/** A command being read: its words and assignments as the walk meets them. */
class CmdState {
  nameSeen = false;
  /** The name word (set when met), then the arguments. */
  words: Word[] = [NO_WORD];
  /** Per word: its kind, with PLAIN for a string of literal text only. */
  kinds: number[] = [K_OTHER];
  assigns: Assign[] | null = null;
  /** Commands run from inside the arguments, in document order. */
  subs: Cmd[] | null = null;
  constructor(
    readonly start: number,
    readonly end: number,
    /** Where its Cmd (and the commands of its inline script) go in the output. */
    readonly slot: number,
    /** Where the assignments of its inline script go. */
    readonly assignSlot: number,
  ) {}
}

/** A variable assignment being read. */
class AssignState {
  nameSeen = false;
  nameStart = 0;
  nameEnd = 0;
  valueSeen = false;
  value = '';
  valueStart = 0;
  valueEnd = 0;
  constructor(
    readonly start: number,
    readonly end: number,
    readonly exported: boolean,
    /** The command it belongs to, or the output slot of a standalone assignment. */
    readonly owner: CmdState | null,
    readonly slot: number,
  ) {}
}

/** A string or concatenation being read as a word. */
class WordBuilder {
  s = '';
  /** Strings: end of the last child, number of named children, the first one, and whether all are literal text. */
  pos = 0;
  count = 0;
  firstKind = 0;
  firstStart = 0;
  firstEnd = 0;
  plain = true;
}

/** What pipelines and heredocs need to know of a node, resolved after the walk. */
class Rec {
  cmd: Cmd | undefined;
  /** Redirected statements: the `body` child. */
  body: Rec | undefined;
  bodySeen = false;
  /** Pipelines: the named children. */
  kids: Rec[] | undefined;
  /** Heredoc redirects: the redirected statement around it, its first pipeline and first command child. */
  statement: Rec | undefined;
  pipe: Rec | undefined;
  command: Rec | undefined;
  constructor(readonly kind: number) {}
}

// Where a node's word goes.
const TO_NONE = 0;
const TO_NAME = 1;
const TO_ARG = 2;
const TO_VALUE = 3;
const TO_PART = 4;

class Frame {
  kind = 0;
  /** Offsets, or -1 while not read. */
  start = -1;
  end = -1;
  /** Innermost command around this node, and whether the way down from it starts at an `argument` child. */
  enc: CmdState | null = null;
  viaArg = false;
  wordTo = TO_NONE;
  /** The CmdState, AssignState or WordBuilder that receives this node's word. */
  wordOwner: CmdState | AssignState | WordBuilder | null = null;
  cmd: CmdState | null = null;
  assign: AssignState | null = null;
  /** Set on a string or concatenation read as a word. */
  word: WordBuilder | null = null;
  rec: Rec | null = null;
  /** Set on a command's `name` child: the command, and whether its first named child was met. */
  nameOf: CmdState | null = null;
  nameKidSeen = false;
  /** The children left hold nothing to read (the closing quote of a string). */
  skipRest = false;
  /** A STATEMENT_LISTS node reached from the root through those alone: its children may be pruned. */
  list = false;
}

function cmdOf(r: Rec | undefined): Cmd | undefined {
  let cur = r;
  for (let k = 0; k < 4 && cur; k++) {
    if (cur.kind === K_COMMAND) return cur.cmd;
    if (cur.kind === K_REDIRECTED_STATEMENT) cur = cur.body;
    else return undefined;
  }
  return undefined;
}

function expansionSplat(t: string): boolean {
  const m = /^\$\{?#?!?([A-Za-z_@*][A-Za-z0-9_]*|[@*])/.exec(t);
  const name = m?.[1] ?? '';
  return OPTION_SPLAT.test(name) || /\[[@*]\]/.test(t);
}

/** Shape of an argument read from its text alone (every kind but string and concatenation). */
function textShape(kind: number, t: string): string {
  switch (kind) {
    case K_WORD:
    case K_NUMBER: {
      let s = unescapeUnquoted(t);
      if (s.startsWith('~')) s = UNKNOWN + s.slice(1).replace(/^[^/]*/, '');
      return s;
    }
    case K_RAW_STRING:
      return t.slice(1, -1);
    case K_ANSI_C_STRING:
      return t.slice(2, -1).replace(/\\(.)/g, '$1');
    default:
      return UNKNOWN;
  }
}

let shortcuts = true;

/** For tests: walk error-free trees in full too, to check that the shortcuts change nothing. */
export function setWalkShortcuts(on: boolean): void {
  shortcuts = on;
}

function walk(tree: TSTree, ctx: Ctx): { firstError?: Span } {
  const g = grammar!;
  const src = ctx.text;
  const base = ctx.base;
  const root = tree.rootNode;
  // The shortcuts (see OPAQUE_TYPES) hold only where the tree follows the grammar.
  const errorFree = shortcuts && !root.hasError;
  // Pruning by text (ctx.keep) holds only where the tree follows the grammar too.
  const keep = ctx.keep !== undefined && !root.hasError ? ctx.keep : null;
  const c = root.walk();
  const frames: Frame[] = [];
  let depth = 0;
  /** The node just entered is a string whose first child (the opening quote) needs no visit. */
  let skipFirst = false;
  const cmdSlots: Array<Cmd | Cmd[] | null> = [];
  const assignSlots: Array<Assign | Assign[] | null> = [];
  const pipelines: Rec[] = [];
  const heredocs: Rec[] = [];
  let firstError: Span | undefined;

  const recOf = (f: Frame): Rec => f.rec ?? (f.rec = new Rec(f.kind));
  const readSpan = (f: Frame): void => {
    if (f.start < 0) {
      f.start = c.startIndex;
      f.end = c.endIndex;
    }
  };

  /** Hands a finished word to whatever reads it. */
  function deliver(f: Frame, kind: number, shape: string, splat: boolean): void {
    switch (f.wordTo) {
      case TO_NAME:
        (f.wordOwner as CmdState).words[0] = { shape, span: { start: f.start + base, end: f.end + base }, splat };
        break;
      case TO_ARG: {
        const st = f.wordOwner as CmdState;
        st.words.push({ shape, span: { start: f.start + base, end: f.end + base }, splat });
        st.kinds.push(kind);
        break;
      }
      case TO_VALUE: {
        const a = f.wordOwner as AssignState;
        a.value = shape;
        a.valueStart = f.start;
        a.valueEnd = f.end;
        break;
      }
      case TO_PART:
        (f.wordOwner as WordBuilder).s += shape;
        break;
    }
  }

  /**
   * The cursor is on a node: reads it. Returns 0 for an anonymous node (no frame), 1 for a named
   * node whose children are skipped, 2 to go into its children.
   */
  function enter(): number {
    const id = c.nodeTypeId;
    /** Ids past the table are ERROR nodes (and never in a tree without errors). */
    const known = id < g.kind.length;
    let kind: number;
    let named: boolean;
    if (known) {
      kind = g.kind[id];
      const nm = g.named[id];
      named = nm === 2 ? c.nodeIsNamed : nm === 1;
    } else {
      kind = K_ERROR;
      named = c.nodeIsNamed;
    }
    const p = depth > 0 ? frames[depth - 1] : null;
    if (!named) {
      // Anonymous nodes are never walked into; as a command's argument (`$`, `==`, `=~`) they are a word.
      if (p !== null && p.kind === K_COMMAND) {
        const cf = errorFree && known ? g.commandField[id] : CF_ASK;
        if (cf === CF_ARGUMENT || (cf === CF_ASK && c.currentFieldId === g.argument)) {
          const st = p.cmd!;
          const s = c.startIndex;
          const e = c.endIndex;
          st.words.push({ shape: textShape(kind, src.slice(s, e)), span: { start: s + base, end: e + base }, splat: false });
          st.kinds.push(kind);
        }
      }
      return 0;
    }
    let f = frames[depth];
    if (f === undefined) frames[depth] = f = new Frame();
    depth++;
    f.kind = kind;
    f.start = -1;
    f.end = -1;
    f.wordTo = TO_NONE;
    f.wordOwner = null;
    f.cmd = null;
    f.assign = null;
    f.word = null;
    f.rec = null;
    f.nameOf = null;
    f.nameKidSeen = false;
    f.skipRest = false;
    if (p === null) {
      f.enc = null;
      f.viaArg = false;
      f.list = keep !== null && known && g.list[id] === 1;
    } else {
      if (p.list) {
        if (keep !== null && g.list[id] === 0 && g.opaque[id] === 0 && kind !== K_COMMENT && kind !== K_HEREDOC_BODY) {
          readSpan(f);
          // The next character cannot start a node: no finding outside this statement begins on
          // its last offset (a suppression's block reaches the end of a command inclusively).
          const next = f.end < src.length ? src.charCodeAt(f.end) : 10;
          if ((next === 10 || next === 32 || next === 59 || next === 9 || next === 13) && !keep(src.slice(f.start, f.end))) {
            f.kind = K_OTHER;
            f.list = false;
            skipFirst = false;
            return 1;
          }
        }
        f.list = known && g.list[id] === 1;
      } else f.list = false;
      f.enc = p.enc;
      f.viaArg = p.viaArg;
      switch (p.kind) {
        case K_COMMAND: {
          const st = p.cmd!;
          let cf = errorFree && known ? g.commandField[id] : CF_ASK;
          if (cf === CF_ASK) {
            const field = c.currentFieldId;
            cf = field === g.name ? CF_NAME : field === g.argument ? CF_ARGUMENT : CF_NONE;
          }
          f.enc = st;
          f.viaArg = cf === CF_ARGUMENT;
          if (cf === CF_NAME) {
            if (!st.nameSeen) {
              st.nameSeen = true;
              f.nameOf = st;
            }
          } else if (cf === CF_ARGUMENT) {
            f.wordTo = TO_ARG;
            f.wordOwner = st;
          }
          break;
        }
        case K_VARIABLE_ASSIGNMENT: {
          const a = p.assign!;
          const field = c.currentFieldId;
          if (field === g.name) {
            if (!a.nameSeen) {
              a.nameSeen = true;
              a.nameStart = c.startIndex;
              a.nameEnd = c.endIndex;
            }
          } else if (field === g.value && !a.valueSeen) {
            a.valueSeen = true;
            f.wordTo = TO_VALUE;
            f.wordOwner = a;
          }
          break;
        }
        case K_REDIRECTED_STATEMENT: {
          const r = p.rec!;
          if (!r.bodySeen && c.currentFieldId === g.body) {
            r.bodySeen = true;
            r.body = recOf(f);
          }
          break;
        }
        case K_PIPELINE:
          p.rec!.kids!.push(recOf(f));
          break;
        case K_HEREDOC_REDIRECT: {
          const r = p.rec!;
          if (kind === K_PIPELINE) r.pipe ??= recOf(f);
          else if (kind === K_COMMAND) r.command ??= recOf(f);
          break;
        }
        case K_STRING: {
          const pw = p.word;
          if (pw !== null) {
            // Literal text between the children is kept; children that expand are unknown.
            const s = (f.start = c.startIndex);
            const e = (f.end = c.endIndex);
            if (s > pw.pos) pw.s += unescapeDouble(src.slice(pw.pos, s));
            if (kind === K_STRING_CONTENT) pw.s += unescapeDouble(src.slice(s, e));
            else {
              pw.s += UNKNOWN;
              pw.plain = false;
            }
            if (pw.count++ === 0) {
              pw.firstKind = kind;
              pw.firstStart = s;
              pw.firstEnd = e;
            }
            pw.pos = e;
          }
          if (errorFree) {
            // Ends where the closing quote starts: nothing but that quote follows.
            readSpan(f);
            if (f.end === p.end - 1) p.skipRest = true;
          }
          break;
        }
        case K_CONCATENATION:
          if (p.word !== null) {
            f.wordTo = TO_PART;
            f.wordOwner = p.word;
          }
          break;
      }
      if (p.nameOf !== null && !p.nameKidSeen) {
        // The name word is the first named child of the command's `name` child.
        p.nameKidSeen = true;
        f.wordTo = TO_NAME;
        f.wordOwner = p.nameOf;
      }
      if (f.nameOf !== null && errorFree) {
        readSpan(f);
        if (plainWord(src, f.start, f.end)) {
          // Only word characters: the name's one child is a `word` over all of it.
          f.nameOf.words[0] = { shape: src.slice(f.start, f.end), span: { start: f.start + base, end: f.end + base }, splat: false };
          f.nameKidSeen = true;
          skipFirst = false;
          return 1;
        }
      }
    }
    let descend = !(errorFree && known && g.opaque[id] === 1);
    if (f.wordTo !== TO_NONE) {
      readSpan(f);
      if (kind === K_STRING) {
        if (errorFree && !hasExpansionOrBreak(src, f.start + 1, f.end - 1)) {
          // Only literal text inside (see the grammar's `string`): no need to go in.
          deliver(f, kind | PLAIN, unescapeDouble(src.slice(f.start + 1, f.end - 1)), false);
          descend = false;
        } else {
          const w = (f.word = new WordBuilder());
          w.pos = f.start + 1;
          skipFirst = errorFree;
        }
      } else if (kind === K_CONCATENATION) {
        f.word = new WordBuilder();
      } else {
        const t = src.slice(f.start, f.end);
        deliver(f, kind, textShape(kind, t), (kind === K_SIMPLE_EXPANSION || kind === K_EXPANSION) && expansionSplat(t));
        if (errorFree && known && g.shallow[id] !== 0 && !mayNest(src, f.start, f.end)) descend = false;
      }
    } else if (errorFree && descend && known && g.shallow[id] !== 0 && (g.shallow[id] === 2 || f.start >= 0)) {
      readSpan(f);
      if (!mayNest(src, f.start, f.end)) descend = false;
      else if (kind === K_STRING) skipFirst = true;
    }
    switch (kind) {
      case K_HEREDOC_BODY:
      case K_COMMENT:
        skipFirst = false;
        return 1;
      case K_ERROR:
        if (firstError === undefined) {
          readSpan(f);
          firstError = { start: f.start + base, end: f.end + base };
        }
        break;
      case K_COMMAND: {
        readSpan(f);
        const st = new CmdState(f.start, f.end, cmdSlots.length, assignSlots.length);
        cmdSlots.push(null);
        assignSlots.push(null);
        f.cmd = st;
        break;
      }
      case K_PIPELINE:
        recOf(f).kids = [];
        pipelines.push(f.rec!);
        break;
      case K_HEREDOC_REDIRECT: {
        const r = recOf(f);
        if (p !== null && p.kind === K_REDIRECTED_STATEMENT) r.statement = p.rec!;
        heredocs.push(r);
        break;
      }
      case K_REDIRECTED_STATEMENT:
        recOf(f);
        break;
      case K_DECLARATION_COMMAND:
        readSpan(f);
        break;
      case K_VARIABLE_ASSIGNMENT: {
        readSpan(f);
        if (p !== null && p.kind === K_COMMAND) {
          // Assignments before a command are the command's.
          f.assign = new AssignState(f.start, f.end, false, p.cmd!, -1);
        } else {
          const exported = p !== null && p.kind === K_DECLARATION_COMMAND && /^export\b/.test(src.slice(p.start, p.end));
          f.assign = new AssignState(f.start, f.end, exported, null, assignSlots.length);
          assignSlots.push(null);
        }
        break;
      }
    }
    if (!descend) skipFirst = false;
    return descend ? 2 : 1;
  }

  /** The cursor is back on the node of the top frame, its children done: finishes it. */
  function exit(): void {
    const f = frames[--depth];
    const w = f.word;
    if (w !== null) {
      if (f.kind === K_STRING) {
        const end = f.end - 1;
        if (end > w.pos) w.s += unescapeDouble(src.slice(w.pos, end));
        const splat = w.count === 1 && (w.firstKind === K_SIMPLE_EXPANSION || w.firstKind === K_EXPANSION) && /^\$[@*]$|^\$\{[^}]*\[[@*]\]\}$/.test(src.slice(w.firstStart, w.firstEnd));
        deliver(f, w.plain ? f.kind | PLAIN : f.kind, w.s, splat);
      } else deliver(f, f.kind, w.s, false);
    }
    if (f.nameOf !== null && !f.nameKidSeen) {
      // A name without a named child is read as the `name` node itself: unknown.
      readSpan(f);
      f.nameOf.words[0] = { shape: UNKNOWN, span: { start: f.start + base, end: f.end + base }, splat: false };
    }
    if (errorFree && depth > 0 && f.end >= 0) {
      // Ends where its parent ends: what may follow has no width, so nothing to read.
      const p = frames[depth - 1];
      if (f.end === p.end) p.skipRest = true;
    }
    if (f.kind === K_COMMAND) finishCommand(f);
    else if (f.kind === K_VARIABLE_ASSIGNMENT) {
      const a = f.assign!;
      if (a.nameSeen) {
        const assign: Assign = {
          name: src.slice(a.nameStart, a.nameEnd),
          value: a.value,
          span: { start: a.start + base, end: a.end + base },
          valueSpan: a.valueSeen ? { start: a.valueStart + base, end: a.valueEnd + base } : undefined,
          exported: a.exported,
        };
        if (a.owner !== null) (a.owner.assigns ??= []).push(assign);
        else assignSlots[a.slot] = assign;
      }
    }
  }

  function finishCommand(f: Frame): void {
    const st = f.cmd!;
    if (!st.nameSeen) return;
    const cmd = commandFromWords(st.words, { start: st.start + base, end: st.end + base }, st.assigns ?? []);
    if (!cmd) return;
    if (f.rec !== null) f.rec.cmd = cmd;
    if (st.subs !== null) cmd.substitutions = st.subs.reverse();
    const inline = readInlineScript(cmd, st, ctx);
    if (inline) {
      cmdSlots[st.slot] = [cmd, ...inline.commands];
      assignSlots[st.assignSlot] = inline.assigns;
    } else cmdSlots[st.slot] = cmd;
    if (f.enc !== null && f.viaArg) (f.enc.subs ??= []).push(cmd);
  }

  try {
    let r = enter();
    walking: for (;;) {
      if (r === 2 && c.gotoFirstChild()) {
        if (!skipFirst || c.gotoNextSibling()) {
          skipFirst = false;
          r = enter();
          continue;
        }
        c.gotoParent();
      }
      skipFirst = false;
      if (r !== 0) exit();
      for (;;) {
        if (depth === 0) break walking;
        if (!frames[depth - 1].skipRest && c.gotoNextSibling()) {
          r = enter();
          continue walking;
        }
        c.gotoParent();
        exit();
      }
    }
  } finally {
    c.delete();
  }
  for (const p of pipelines) {
    const elems = p.kids!;
    for (let k = 0; k + 1 < elems.length; k++) {
      const a = cmdOf(elems[k]);
      const b = cmdOf(elems[k + 1]);
      if (a && b) a.pipeTo = b;
    }
  }
  // `cat <<EOF | docker run …`: the pipeline sits under the heredoc redirect.
  for (const h of heredocs) {
    const pipe = h.pipe ?? h.command;
    if (h.statement && pipe) {
      const body = cmdOf(h.statement.body);
      const first = pipe.kind === K_PIPELINE ? cmdOf(pipe.kids![0]) : pipe.cmd;
      if (body && first) body.pipeTo = first;
    }
  }
  for (const x of cmdSlots) {
    if (x === null) continue;
    if (Array.isArray(x)) ctx.commands.push(...x);
    else ctx.commands.push(x);
  }
  for (const x of assignSlots) {
    if (x === null) continue;
    if (Array.isArray(x)) ctx.assigns.push(...x);
    else ctx.assigns.push(x);
  }
  return { firstError };
}

/** How long the shell parser may take before it gives up: generous for real scripts, finite for adversarial ones. */
export function parseBudgetMs(length: number): number {
  return 3000 + Math.ceil(length / 1024) * 2;
}

function parseShellText(
  text: string,
  base: number,
  escape: string,
  depth: number,
  keep?: (text: string) => boolean,
): { commands: Cmd[]; assigns: Assign[]; error?: Span; timedOut?: boolean } {
  if (!parser) throw new Error('shell parser not initialised: call initEngine() first');
  const { src, joins } = normalizeEol(text);
  const ctx: Ctx = { base, text: src, commands: [], assigns: [], escape, depth, keep };
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
    const { firstError } = walk(tree, ctx);
    if (joins.length) {
      // A joined word really ends two characters further on (the continuation it swallowed).
      // The joins are in order and apart (each starts after the last one's blanks), so at most
      // one holds a given end: the last one starting before it.
      const fix = (sp: Span) => {
        let lo = 0;
        let hi = joins.length - 1;
        let j = -1;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (joins[mid][0] + base < sp.end) {
            j = mid;
            lo = mid + 1;
          } else hi = mid - 1;
        }
        if (j >= 0 && sp.end <= joins[j][0] + base + joins[j][1]) sp.end += joins[j][2];
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
  const base = o.base ?? 0;
  const escape = o.escape ?? '\\';
  const r = parseShellText(text, base, escape, 0, o.keep);
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
