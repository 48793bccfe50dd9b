/**
 * Reads a tree-sitter-bash syntax tree into what the script runs: its
 * commands (program and words, wrappers looked through), its assignments,
 * which command pipes into which, and the first syntax error.
 *
 * A recursive visitor over the named nodes; `visit` dispatches on the type:
 *
 *   command               its name, argument words and `A=1` prefixes make a Cmd
 *   pipeline              each element pipes into the next
 *   redirected_statement  its body; a heredoc whose pipe runs a command (`cat <<EOF | docker run -i …`)
 *   variable_assignment   an Assign (exported under `export`: declaration_command)
 *   comment, heredoc_body text, not commands: skipped
 *   ERROR                 the first one is the syntax error
 *   anything else         its named children
 *
 * Words (`word`, `string`, `concatenation`, `raw_string`, `$x`, `$(…)`, …) are
 * read by `word`, which also visits what runs inside them: a command in
 * `$(…)`, `<(…)` or backquotes is a command too, and a substitution of the
 * command whose argument holds it.
 *
 * In a tree without syntax errors a few parts that cannot hold a command are
 * not gone into (see nothingInside, fieldInCommand, commandName, string); the
 * grammar facts they rest on are checked in test/unit/shell-walk.test.ts.
 */
import type { Language, Node, Tree } from 'web-tree-sitter';
import type { Word } from '../dockercli';
import { UNKNOWN } from '../launch';
import type { Span } from '../types';
import type { Assign, Cmd } from '../model';
import { commandFromWords, expansionSplat, quotedSplat, textShape, unescapeDouble } from './shellWords';

export interface TreeReading {
  /** In document order; the commands of an inline script right after the command that runs it. */
  commands: Cmd[];
  assigns: Assign[];
  /** The first ERROR node. */
  error?: Span;
}

export interface TreeReadOptions {
  /** The parsed text, and where it starts in the file. */
  src: string;
  base: number;
  /** Statements whose text fails this are not read (see ShellParseOptions.keep). */
  keep?: (statement: string) => boolean;
  /** Reads the script of `sh -c '…'`, which starts at `base` in the file; undefined when nested too deep. */
  readScript: (script: string, base: number) => { commands: Cmd[]; assigns: Assign[] } | undefined;
}

export function readTree(tree: Tree, o: TreeReadOptions): TreeReading {
  return new TreeReader(tree, o).read();
}

/** Programs whose `-c` argument is a script. */
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ash', 'ksh', 'mksh']);

/** Types whose children are statements that nothing else takes in (no pipeline, redirect or command): where `keep` may skip one. */
export const STATEMENT_LISTS = new Set([
  'program', 'compound_statement', 'subshell', 'do_group', 'if_statement', 'elif_clause', 'else_clause', 'while_statement',
  'for_statement', 'case_statement', 'case_item', 'function_definition', 'list',
]);

/** Named types that are tokens: nothing inside. */
export const TOKENS = new Set([
  'word', 'string_content', 'raw_string', 'ansi_c_string', 'variable_name', 'special_variable_name', 'heredoc_start', 'heredoc_content',
  'heredoc_end', 'file_descriptor', 'test_operator', 'regex', 'extglob_pattern', 'comment',
]);

/**
 * Words and expressions that, in a tree without syntax errors, hold a command only inside `$(…)`,
 * `<(…)`, backquotes, a subshell or a `{ …; }` group: only when their text has `(`, a backquote or
 * a `{` that does not follow `$`.
 */
export const EXPRESSIONS = new Set([
  'arithmetic_expansion', 'array', 'binary_expression', 'brace_expression', 'concatenation', 'expansion', 'file_redirect',
  'herestring_redirect', 'number', 'postfix_expression', 'simple_expansion', 'string', 'subscript', 'ternary_expression', 'translated_string',
  'unary_expression', 'unset_command',
]);

function mayNest(text: string): boolean {
  return /[(`]|(?<!\$)\{/.test(text);
}

/** The named children of a command that are not arguments (a comment is in no field). */
export const NOT_ARGUMENTS = new Set(['command_name', 'file_redirect', 'herestring_redirect', 'subshell', 'variable_assignment', 'comment']);

/** A word, and whether it is quoted text that a shell runs as it is written (a script for `sh -c`). */
interface WordRead {
  word: Word;
  literal: boolean;
}

/** Type names by type id: '' for an anonymous type, undefined where the node must tell (ERROR). */
let typeNames: { lang: Language; names: Array<string | undefined> } | undefined;

function typeNamesOf(lang: Language): Array<string | undefined> {
  if (typeNames?.lang !== lang) typeNames = { lang, names: lang.types.map((t, id) => (t ? (lang.nodeTypeIsNamed(id) ? t : '') : undefined)) };
  return typeNames.names;
}

/** Holds the name's place until the name is read. */
const NO_NAME: Word = { shape: UNKNOWN, span: { start: 0, end: 0 }, splat: false };

class TreeReader {
  private readonly root: Node;
  private readonly names: Array<string | undefined>;
  private readonly src: string;
  private readonly base: number;
  private readonly errorFree: boolean;
  /** Only in a tree without syntax errors: elsewhere an ERROR node may turn up anywhere. */
  private readonly keep: ((statement: string) => boolean) | undefined;
  private readonly readScript: TreeReadOptions['readScript'];

  /** A command's place is taken when it is met and filled once it is read, so that nested commands come after it. */
  private readonly commands: Cmd[][] = [];
  private readonly assigns: Assign[][] = [];
  /** [fed, run]: applied after the pipelines, so a heredoc's pipe wins. */
  private readonly heredocPipes: Array<[Cmd, Cmd]> = [];
  /** Collects the commands run from inside the arguments of the innermost command, if in one. */
  private substitutions: Cmd[] | undefined;
  private error: Span | undefined;

  constructor(tree: Tree, o: TreeReadOptions) {
    this.root = tree.rootNode;
    this.names = typeNamesOf(tree.language);
    this.src = o.src;
    this.base = o.base;
    this.errorFree = !this.root.hasError;
    this.keep = this.errorFree ? o.keep : undefined;
    this.readScript = o.readScript;
  }

  read(): TreeReading {
    // The root is a `program` (an ERROR if nothing parsed). Its statements are taken one at a time
    // from a cursor: a Node keeps the children it was asked for, and on a long script keeping every
    // node read alive until the end costs more garbage collection than the reading itself.
    if (this.typeOf(this.root) === 'ERROR') this.error = this.spanOf(this.root);
    const c = this.root.walk();
    try {
      if (c.gotoFirstChild()) {
        do {
          if (c.nodeIsNamed) this.statement(c.currentNode);
        } while (c.gotoNextSibling());
      }
    } finally {
      c.delete();
    }
    for (const [fed, run] of this.heredocPipes) fed.pipeTo = run;
    return { commands: this.commands.flat(), assigns: this.assigns.flat(), error: this.error };
  }

  /** A node's type; '' for an anonymous node (punctuation, keywords). */
  private typeOf(n: Node): string {
    const name = this.names[n.typeId];
    if (name !== undefined) return name;
    return n.isNamed ? 'ERROR' : '';
  }

  private spanOf(n: Node): Span {
    return { start: n.startIndex + this.base, end: n.endIndex + this.base };
  }

  /** A new place at the end of the output. */
  private slot<T>(output: T[][]): T[] {
    const slot: T[] = [];
    output.push(slot);
    return slot;
  }

  // ------------------------------------------------------------ statements

  /** Reads a node; returns the command it runs if it is a command (redirected or not). */
  private visit(n: Node, type = this.typeOf(n)): Cmd | undefined {
    switch (type) {
      case 'command':
        return this.command(n);
      case 'redirected_statement':
        return this.redirectedStatement(n);
      case 'pipeline':
        this.pipeline(n);
        return undefined;
      case 'variable_assignment':
        this.assignment(n, this.slot(this.assigns), false);
        return undefined;
      case 'declaration_command':
        this.declaration(n);
        return undefined;
      case 'comment':
      case 'heredoc_body':
        return undefined;
      case 'ERROR':
        this.error ??= this.spanOf(n);
        break;
      default:
        if (this.nothingInside(n, type)) return undefined;
    }
    for (const child of n.namedChildren) if (child) this.visit(child);
    return undefined;
  }

  /** Tokens hold nothing; in a tree without syntax errors, nor do EXPRESSIONS without `(`, a backquote or a group. */
  private nothingInside(n: Node, type: string, text?: string): boolean {
    if (TOKENS.has(type)) return true;
    return this.errorFree && EXPRESSIONS.has(type) && !mayNest(text ?? this.src.slice(n.startIndex, n.endIndex));
  }

  /**
   * A statement of a statement list reached from the root through statement lists alone: with
   * `keep`, one whose text fails it holds nothing worth reading.
   */
  private statement(n: Node): void {
    if (!this.keep) {
      this.visit(n);
      return;
    }
    const type = this.typeOf(n);
    if (STATEMENT_LISTS.has(type)) {
      for (const child of n.namedChildren) if (child) this.statement(child);
    } else if (type === 'comment' || this.worthReading(n)) this.visit(n, type);
  }

  private worthReading(statement: Node): boolean {
    const end = statement.endIndex;
    // Only a statement followed by a blank or `;`: no finding outside it starts on its last
    // offset (a suppression's block reaches the end of a command inclusively).
    if (!' \t\r\n;'.includes(this.src[end] ?? '\n')) return true;
    return this.keep!(this.src.slice(statement.startIndex, end));
  }

  /** `a | b | c`: each element pipes into the next. Returns the command of each element. */
  private pipeline(n: Node): Array<Cmd | undefined> {
    const elements: Array<Cmd | undefined> = [];
    for (const child of n.namedChildren) if (child) elements.push(this.visit(child));
    for (let k = 0; k + 1 < elements.length; k++) {
      const [from, to] = [elements[k], elements[k + 1]];
      if (from && to) from.pipeTo = to;
    }
    return elements;
  }

  /** `body > file`, `body <<EOF …`: the command of the body. */
  private redirectedStatement(n: Node): Cmd | undefined {
    let body: Cmd | undefined;
    let bodySeen = false;
    n.namedChildren.forEach((child, i) => {
      if (!child) return;
      const type = this.typeOf(child);
      if (!bodySeen && n.fieldNameForNamedChild(i) === 'body') {
        bodySeen = true;
        body = this.visit(child, type);
      } else if (type === 'heredoc_redirect') this.heredocRedirect(child, body);
      else this.visit(child, type);
    });
    return body;
  }

  /**
   * `cat <<EOF | docker run -i …`: the pipe after the heredoc's start sits inside the redirect; the
   * command fed (`cat`) pipes into the first command of that pipeline, or into a command there.
   */
  private heredocRedirect(n: Node, fed: Cmd | undefined): void {
    let pipe: { first: Cmd | undefined } | undefined;
    let command: { cmd: Cmd | undefined } | undefined;
    for (const child of n.namedChildren) {
      if (!child) continue;
      const type = this.typeOf(child);
      if (type === 'pipeline') {
        const first = this.pipeline(child)[0];
        pipe ??= { first };
      } else if (type === 'command') {
        const cmd = this.command(child);
        command ??= { cmd };
      } else this.visit(child, type);
    }
    const run = pipe ? pipe.first : command?.cmd;
    if (fed && run) this.heredocPipes.push([fed, run]);
  }

  // ------------------------------------------------------------ commands

  /** `A=1 sudo docker run "$@" > log`: a Cmd, unless the program is unknown. */
  private command(n: Node): Cmd | undefined {
    const commands = this.slot(this.commands);
    const scriptAssigns = this.slot(this.assigns);
    const span = this.spanOf(n);
    // The name's place first, then the arguments.
    const words: Word[] = [NO_NAME];
    const literal: boolean[] = [false];
    let named = false;
    const assigns: Assign[] = [];
    const outer = this.substitutions;
    const substitutions: Cmd[] = [];
    n.children.forEach((child, i) => {
      if (!child) return;
      const type = this.typeOf(child);
      const field = this.fieldInCommand(n, i, type);
      // Only what runs inside the arguments is a substitution of this command.
      this.substitutions = field === 'argument' ? substitutions : undefined;
      if (field === 'argument') {
        // An anonymous argument is `$`, `==` or `=~`.
        const w = type === '' ? { word: { shape: textShape(child.type, child.text), span: this.spanOf(child), splat: false }, literal: false } : this.word(child, type);
        words.push(w.word);
        literal.push(w.literal);
      } else if (type === '') return;
      else if (field === 'name' && !named) {
        named = true;
        words[0] = this.commandName(child);
      } else if (type === 'variable_assignment') this.assignment(child, assigns, false);
      else this.visit(child, type);
    });
    this.substitutions = outer;
    if (!named) return undefined;
    const cmd = commandFromWords(words, span, assigns);
    if (!cmd) return undefined;
    // Last first, as they have always been listed.
    cmd.substitutions = substitutions.reverse();
    commands.push(cmd);
    const script = this.inlineScript(cmd, words, literal);
    if (script) {
      commands.push(...script.commands);
      scriptAssigns.push(...script.assigns);
    }
    outer?.push(cmd);
    return cmd;
  }

  /** The field of a command's child: 'name', 'argument' or another. In a tree without errors a named child's type tells. */
  private fieldInCommand(command: Node, i: number, type: string): string | null {
    if (!this.errorFree || type === '') return command.fieldNameForChild(i);
    if (type === 'command_name') return 'name';
    return NOT_ARGUMENTS.has(type) ? null : 'argument';
  }

  /** The program: the first named child of `command_name` (UNKNOWN when there is none). */
  private commandName(n: Node): Word {
    const span = this.spanOf(n);
    const text = this.src.slice(n.startIndex, span.end - this.base);
    // Only word characters, in a tree without errors: the one child is a `word` of this text.
    if (this.errorFree && /^[\w.\/+:,@%-]+$/.test(text)) return { shape: text, span, splat: false };
    let name: Word | undefined;
    for (const child of n.namedChildren) {
      if (!child) continue;
      if (name === undefined) name = this.word(child, this.typeOf(child)).word;
      else this.visit(child);
    }
    return name ?? { shape: UNKNOWN, span, splat: false };
  }

  /** `sh -c '…'`: the commands of the script, when it is quoted text whose offsets map 1:1 onto the file. */
  private inlineScript(cmd: Cmd, words: Word[], literal: boolean[]): { commands: Cmd[]; assigns: Assign[] } | undefined {
    if (!SHELLS.has(cmd.name)) return undefined;
    // The words of the command node (wrappers included), as written.
    const text = (w: Word) => this.src.slice(w.span.start - this.base, w.span.end - this.base);
    const flag = words.findIndex((w, k) => k > 0 && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(text(w)));
    if (flag < 0 || !literal[flag + 1]) return undefined;
    const script = words[flag + 1];
    return this.readScript(text(script).slice(1, -1), script.span.start + 1);
  }

  /** `A=1`, `arr[i]=(…)`: an Assign into `into`, if it has a name. */
  private assignment(n: Node, into: Assign[], exported: boolean): void {
    const span = this.spanOf(n);
    let name: string | undefined;
    let value: Word | undefined;
    n.namedChildren.forEach((child, i) => {
      if (!child) return;
      const type = this.typeOf(child);
      const field = n.fieldNameForNamedChild(i);
      if (field === 'name' && name === undefined) {
        name = this.src.slice(child.startIndex, child.endIndex);
        this.visit(child, type);
      } else if (field === 'value' && value === undefined) value = this.word(child, type).word;
      else this.visit(child, type);
    });
    if (name !== undefined) into.push({ name, value: value?.shape ?? '', span, valueSpan: value?.span, exported });
  }

  /** `export A=1`, `local x`, `readonly y=2`. */
  private declaration(n: Node): void {
    const exported = /^export\b/.test(this.src.slice(n.startIndex, n.endIndex));
    for (const child of n.namedChildren) {
      if (!child) continue;
      const type = this.typeOf(child);
      if (type === 'variable_assignment') this.assignment(child, this.slot(this.assigns), exported);
      else this.visit(child, type);
    }
  }

  // ------------------------------------------------------------ words

  /** A node as one word (an argument, a name, a value); visits what runs inside it. */
  private word(n: Node, type: string): WordRead {
    const start = n.startIndex;
    const end = n.endIndex;
    const span = { start: start + this.base, end: end + this.base };
    if (type === 'string') return this.string(n, span);
    if (type === 'concatenation') {
      // `--name="$x"-1`: the parts' shapes, one after the other.
      let shape = '';
      for (const part of n.namedChildren) if (part) shape += this.word(part, this.typeOf(part)).word.shape;
      return { word: { shape, span, splat: false }, literal: false };
    }
    const text = this.src.slice(start, end);
    const splat = (type === 'simple_expansion' || type === 'expansion') && expansionSplat(text);
    const word = { shape: textShape(type, text), span, splat };
    if (!this.nothingInside(n, type, text)) this.visit(n, type);
    return { word, literal: type === 'raw_string' };
  }

  /** `"…"`: the literal text between its parts; a part that expands (`$x`, `$(…)`) is UNKNOWN. */
  private string(n: Node, span: Span): WordRead {
    const start = span.start - this.base;
    const end = span.end - this.base;
    const inner = this.src.slice(start + 1, end - 1);
    // Nothing expands (in a tree without errors): only literal text inside.
    if (this.errorFree && !/[$`\r\n]/.test(inner)) return { word: { shape: unescapeDouble(inner), span, splat: false }, literal: !inner.includes('\\') };
    let shape = '';
    let pos = start + 1;
    let parts = 0;
    let literal = true;
    let splat = false;
    for (const part of n.namedChildren) {
      if (!part) continue;
      const type = this.typeOf(part);
      const s = part.startIndex;
      const e = part.endIndex;
      if (s > pos) shape += unescapeDouble(this.src.slice(pos, s));
      if (type === 'string_content') shape += unescapeDouble(this.src.slice(s, e));
      else {
        shape += UNKNOWN;
        literal = false;
        // `"$@"`, `"${arr[@]}"` alone in the string: several words.
        splat = parts === 0 && (type === 'simple_expansion' || type === 'expansion') && quotedSplat(this.src.slice(s, e));
        this.visit(part, type);
      }
      parts++;
      pos = e;
    }
    if (end - 1 > pos) shape += unescapeDouble(this.src.slice(pos, end - 1));
    return { word: { shape, span, splat: splat && parts === 1 }, literal: literal && !inner.includes('\\') };
  }
}
