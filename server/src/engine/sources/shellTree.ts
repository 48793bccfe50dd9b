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
 * The tree is read through one TreeCursor; every function is called with the
 * cursor on its node and leaves it there. (A web-tree-sitter Node object per
 * node is an allocation that its parent keeps: on a 100,000-line script the
 * garbage collection made analyze() 12-29 % slower.)
 *
 * In a tree without syntax errors a few parts that cannot hold a command are
 * not gone into (see nothingInside, fieldInCommand, commandName, string); the
 * grammar facts they rest on are checked in test/unit/shell-walk.test.ts.
 */
import type { Language, Tree, TreeCursor } from 'web-tree-sitter';
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
  'herestring_redirect', 'number', 'postfix_expression', 'string', 'subscript', 'ternary_expression', 'translated_string',
  'unary_expression', 'unset_command',
]);

/** Named types whose named children are all TOKENS (`$name`): in a tree without syntax errors, nothing inside. */
export const LEAVES = new Set(['simple_expansion']);

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

/** Type names by type id: '' for an anonymous type, undefined where the cursor must tell (ERROR). */
let typeNames: { lang: Language; names: Array<string | undefined> } | undefined;

function typeNamesOf(lang: Language): Array<string | undefined> {
  if (typeNames?.lang !== lang) typeNames = { lang, names: lang.types.map((t, id) => (t ? (lang.nodeTypeIsNamed(id) ? t : '') : undefined)) };
  return typeNames.names;
}

/** Holds the name's place until the name is read. */
const NO_NAME: Word = { shape: UNKNOWN, span: { start: 0, end: 0 }, splat: false };

class TreeReader {
  private readonly c: TreeCursor;
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
    const root = tree.rootNode;
    this.c = root.walk();
    this.names = typeNamesOf(tree.language);
    this.src = o.src;
    this.base = o.base;
    this.errorFree = !root.hasError;
    this.keep = this.errorFree ? o.keep : undefined;
    this.readScript = o.readScript;
  }

  read(): TreeReading {
    try {
      // The root: a `program` (an ERROR if nothing parsed).
      this.statement(this.type());
    } finally {
      this.c.delete();
    }
    for (const [fed, run] of this.heredocPipes) fed.pipeTo = run;
    return { commands: this.commands.flat(), assigns: this.assigns.flat(), error: this.error };
  }

  // ------------------------------------------------------------ the cursor

  /** The type of the node under the cursor; '' for an anonymous node (punctuation, keywords). */
  private type(): string {
    const name = this.names[this.c.nodeTypeId];
    if (name !== undefined) return name;
    return this.c.nodeIsNamed ? 'ERROR' : '';
  }

  private start(): number {
    return this.c.startIndex;
  }

  private end(): number {
    return this.c.endIndex;
  }

  private text(): string {
    return this.src.slice(this.c.startIndex, this.c.endIndex);
  }

  private span(): Span {
    return { start: this.c.startIndex + this.base, end: this.c.endIndex + this.base };
  }

  /** Calls `each` with the cursor on each child in turn (type '' for an anonymous one), then goes back up. */
  private children(each: (type: string) => void): void {
    const c = this.c;
    if (!c.gotoFirstChild()) return;
    do each(this.type());
    while (c.gotoNextSibling());
    c.gotoParent();
  }

  /** The same, for the named children only. */
  private namedChildren(each: (type: string) => void): void {
    const c = this.c;
    if (!c.gotoFirstChild()) return;
    do {
      const type = this.type();
      if (type !== '') each(type);
    } while (c.gotoNextSibling());
    c.gotoParent();
  }

  /**
   * visit() (or statement()) on each named child: namedChildren(…) without a closure per node,
   * for the two walks every node of a script goes through.
   */
  private visitChildren(asStatements = false): void {
    const c = this.c;
    if (!c.gotoFirstChild()) return;
    do {
      const type = this.type();
      if (type === '') continue;
      if (asStatements) this.statement(type);
      else this.visit(type);
    } while (c.gotoNextSibling());
    c.gotoParent();
  }

  /** A new place at the end of the output. */
  private slot<T>(output: T[][]): T[] {
    const slot: T[] = [];
    output.push(slot);
    return slot;
  }

  // ------------------------------------------------------------ statements

  /** Reads the node under the cursor; returns the command it runs if it is a command (redirected or not). */
  private visit(type: string): Cmd | undefined {
    switch (type) {
      case 'command':
        return this.command();
      case 'redirected_statement':
        return this.redirectedStatement();
      case 'pipeline':
        this.pipeline();
        return undefined;
      case 'variable_assignment':
        this.assignment(this.slot(this.assigns), false);
        return undefined;
      case 'declaration_command':
        this.declaration();
        return undefined;
      case 'comment':
      case 'heredoc_body':
        return undefined;
      case 'ERROR':
        this.error ??= this.span();
        break;
      default:
        if (this.nothingInside(type)) return undefined;
    }
    this.visitChildren();
    return undefined;
  }

  /** Tokens hold nothing; in a tree without syntax errors, nor do LEAVES, nor EXPRESSIONS without `(`, a backquote or a group. */
  private nothingInside(type: string, text?: string): boolean {
    if (TOKENS.has(type)) return true;
    if (!this.errorFree) return false;
    return LEAVES.has(type) || (EXPRESSIONS.has(type) && !mayNest(text ?? this.text()));
  }

  /**
   * A statement list reached from the root through statement lists alone, or a statement in one:
   * with `keep`, a statement whose text fails it holds nothing worth reading. (A token, such as a
   * comment or a function's name, holds nothing anyway: no need to test it.)
   */
  private statement(type: string): void {
    if (this.keep && STATEMENT_LISTS.has(type)) this.visitChildren(true);
    else if (!this.keep || TOKENS.has(type) || this.worthReading()) this.visit(type);
  }

  private worthReading(): boolean {
    const end = this.end();
    // Only a statement followed by a blank or `;`: no finding outside it starts on its last
    // offset (a suppression's block reaches the end of a command inclusively).
    if (!' \t\r\n;'.includes(this.src[end] ?? '\n')) return true;
    return this.keep!(this.src.slice(this.start(), end));
  }

  /** `a | b | c`: each element pipes into the next. Returns the command of each element. */
  private pipeline(): Array<Cmd | undefined> {
    const elements: Array<Cmd | undefined> = [];
    this.namedChildren((type) => elements.push(this.visit(type)));
    for (let k = 0; k + 1 < elements.length; k++) {
      const [from, to] = [elements[k], elements[k + 1]];
      if (from && to) from.pipeTo = to;
    }
    return elements;
  }

  /** `body > file`, `body <<EOF …`: the command of the body. */
  private redirectedStatement(): Cmd | undefined {
    let body: Cmd | undefined;
    let bodySeen = false;
    this.namedChildren((type) => {
      if (!bodySeen && this.c.currentFieldName === 'body') {
        bodySeen = true;
        body = this.visit(type);
      } else if (type === 'heredoc_redirect') this.heredocRedirect(body);
      else this.visit(type);
    });
    return body;
  }

  /**
   * `cat <<EOF | docker run -i …`: the pipe after the heredoc's start sits inside the redirect; the
   * command fed (`cat`) pipes into the first command of that pipeline, or into a command there.
   */
  private heredocRedirect(fed: Cmd | undefined): void {
    let pipe: { first: Cmd | undefined } | undefined;
    let command: { cmd: Cmd | undefined } | undefined;
    let quoted = false;
    this.namedChildren((type) => {
      if (type === 'pipeline') {
        const first = this.pipeline()[0];
        pipe ??= { first };
      } else if (type === 'command') {
        const cmd = this.command();
        command ??= { cmd };
      } else if (type === 'heredoc_start') quoted = /['"\\]/.test(this.text());
      else if (type === 'heredoc_body') {
        if (!quoted) this.heredocBody();
      } else this.visit(type);
    });
    const run = pipe ? pipe.first : command?.cmd;
    if (fed && run) this.heredocPipes.push([fed, run]);
  }

  /**
   * The body of an unquoted heredoc (`<<EOF`, not `<<'EOF'`) expands as it is fed: its `$(…)` run.
   * So do its backquotes, which the grammar leaves as text: each is read as a script of its own
   * (when its offsets map 1:1 onto the file, i.e. it holds no backslash).
   */
  private heredocBody(): void {
    this.namedChildren((type) => {
      if (type !== 'heredoc_content' && type !== 'heredoc_end') this.visit(type);
    });
    const body = this.text();
    if (!body.includes('`')) return;
    const at = this.start() + this.base;
    for (const m of body.matchAll(/`([^`\\]*)`/g)) {
      const script = this.readScript(m[1], at + m.index! + 1);
      if (!script) continue;
      this.slot(this.commands).push(...script.commands);
      this.slot(this.assigns).push(...script.assigns);
    }
  }

  // ------------------------------------------------------------ commands

  /** `A=1 sudo docker run "$@" > log`: a Cmd, unless the program is unknown. */
  private command(): Cmd | undefined {
    const commands = this.slot(this.commands);
    const scriptAssigns = this.slot(this.assigns);
    const span = this.span();
    // The name's place first, then the arguments.
    const words: Word[] = [NO_NAME];
    const literal: boolean[] = [false];
    let named = false;
    const assigns: Assign[] = [];
    const outer = this.substitutions;
    const substitutions: Cmd[] = [];
    this.children((type) => {
      const field = this.fieldInCommand(type);
      // Only what runs inside the arguments is a substitution of this command.
      this.substitutions = field === 'argument' ? substitutions : undefined;
      if (field === 'argument') {
        // An anonymous argument is `$`, `==` or `=~`.
        const w = type === '' ? { word: { shape: textShape(this.c.nodeType, this.text()), span: this.span(), splat: false }, literal: false } : this.word(type);
        words.push(w.word);
        literal.push(w.literal);
      } else if (type === '') return;
      else if (field === 'name' && !named) {
        named = true;
        words[0] = this.commandName();
      } else if (type === 'variable_assignment') this.assignment(assigns, false);
      else this.visit(type);
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
  private fieldInCommand(type: string): string | null {
    if (!this.errorFree || type === '') return this.c.currentFieldName;
    if (type === 'command_name') return 'name';
    return NOT_ARGUMENTS.has(type) ? null : 'argument';
  }

  /** The program: the first named child of `command_name` (UNKNOWN when there is none). */
  private commandName(): Word {
    const span = this.span();
    const text = this.src.slice(span.start - this.base, span.end - this.base);
    // Only word characters, in a tree without errors: the one child is a `word` of this text.
    if (this.errorFree && /^[\w.\/+:,@%-]+$/.test(text)) return { shape: text, span, splat: false };
    let name: Word | undefined;
    this.namedChildren((type) => {
      if (name === undefined) name = this.word(type).word;
      else this.visit(type);
    });
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
  private assignment(into: Assign[], exported: boolean): void {
    const span = this.span();
    let name: string | undefined;
    let value: Word | undefined;
    this.namedChildren((type) => {
      const field = this.c.currentFieldName;
      if (field === 'name' && name === undefined) {
        name = this.text();
        this.visit(type);
      } else if (field === 'value' && value === undefined) value = this.word(type).word;
      else this.visit(type);
    });
    if (name !== undefined) into.push({ name, value: value?.shape ?? '', span, valueSpan: value?.span, exported });
  }

  /** `export A=1`, `local x`, `readonly y=2`. */
  private declaration(): void {
    const exported = /^export\b/.test(this.text());
    this.namedChildren((type) => {
      if (type === 'variable_assignment') this.assignment(this.slot(this.assigns), exported);
      else this.visit(type);
    });
  }

  // ------------------------------------------------------------ words

  /** The node under the cursor as one word (an argument, a name, a value); visits what runs inside it. */
  private word(type: string): WordRead {
    const span = this.span();
    if (type === 'string') return this.string(span);
    if (type === 'concatenation') {
      // `--name="$x"-1`: the parts' shapes, one after the other.
      let shape = '';
      this.namedChildren((t) => (shape += this.word(t).word.shape));
      return { word: { shape, span, splat: false }, literal: false };
    }
    const text = this.src.slice(span.start - this.base, span.end - this.base);
    const splat = (type === 'simple_expansion' || type === 'expansion') && expansionSplat(text);
    const word = { shape: textShape(type, text), span, splat };
    if (!this.nothingInside(type, text)) this.visit(type);
    return { word, literal: type === 'raw_string' };
  }

  /** `"…"`: the literal text between its parts; a part that expands (`$x`, `$(…)`) is UNKNOWN. */
  private string(span: Span): WordRead {
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
    this.namedChildren((type) => {
      const s = this.start();
      const e = this.end();
      if (s > pos) shape += unescapeDouble(this.src.slice(pos, s));
      if (type === 'string_content') shape += unescapeDouble(this.src.slice(s, e));
      else {
        shape += UNKNOWN;
        literal = false;
        // `"$@"`, `"${arr[@]}"` alone in the string: several words.
        splat = parts === 0 && (type === 'simple_expansion' || type === 'expansion') && quotedSplat(this.src.slice(s, e));
        this.visit(type);
      }
      parts++;
      pos = e;
    });
    if (end - 1 > pos) shape += unescapeDouble(this.src.slice(pos, end - 1));
    return { word: { shape, span, splat: splat && parts === 1 }, literal: literal && !inner.includes('\\') };
  }
}
