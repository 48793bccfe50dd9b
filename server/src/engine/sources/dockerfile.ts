/**
 * Dockerfile reader (dockerfile-ast): stages, the final stage, instructions
 * with exact offsets, and the shell commands inside every RUN — shell form
 * with line continuations and `# escape=`, exec form, and heredocs.
 */
import type { From, Instruction, JSONInstruction } from 'dockerfile-ast';
import { dockerfileAst } from '../lazy';
import type { Range as LspRange } from 'vscode-languageserver-types';
import type { Word } from '../dockercli';
import { CONTAINER_TOOLS, parseContainerCommand } from '../dockercli';
import { UNKNOWN } from '../launch';
import { LineIndex } from '../text';
import type { Span } from '../types';
import { Assign, Cmd, commandFromWords, readShell, ShellModel } from './shell';

export interface DfArg {
  value: string;
  span: Span;
  /** Exec-form strings: the text between the quotes, as written. */
  raw?: string;
}

export interface DfInstruction {
  keyword: string;
  span: Span;
  keywordSpan: Span;
  args: DfArg[];
  flags: Array<{ name: string; value: string | null; span: Span }>;
  /** Exec-form (JSON) strings, when the instruction uses that form. */
  json?: DfArg[];
  raw: Instruction;
}

export interface Stage {
  from: DfInstruction;
  /** Image reference shape (variables as UNKNOWN), unless the FROM names no image. */
  image?: { shape: string; span: Span };
  /** `AS name` */
  name?: string;
  /** Index of an earlier stage this one builds on (`FROM builder`). */
  parent?: number;
  instructions: DfInstruction[];
}

export interface RunShell {
  instruction: DfInstruction;
  shell: ShellModel;
}

export interface DockerfileModel {
  stages: Stage[];
  instructions: DfInstruction[];
  runs: RunShell[];
  /** ENV and ARG assignments (ARG only with a default). */
  assigns: Array<Assign & { keyword: 'ENV' | 'ARG'; instruction: DfInstruction }>;
  escape: string;
  index: LineIndex;
}

/** Replaces Dockerfile variables (`$X`, `${X}`, `${X:-y}`) by UNKNOWN. */
export function variableShape(s: string, escape = '\\'): string {
  if (!s.includes('$')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === escape && s[i + 1] === '$') {
      out += '$';
      i++;
    } else if (c === '$' && s[i + 1] === '{') {
      const close = s.indexOf('}', i);
      out += UNKNOWN;
      i = close < 0 ? s.length : close;
    } else if (c === '$' && /[A-Za-z_]/.test(s[i + 1] ?? '')) {
      out += UNKNOWN;
      i++;
      while (i + 1 < s.length && /[A-Za-z0-9_]/.test(s[i + 1])) i++;
    } else out += c;
  }
  return out;
}

function spanOf(index: LineIndex, r: LspRange): Span {
  return { start: index.offsetAt(r.start), end: index.offsetAt(r.end) };
}

/**
 * Shell text of a shell-form RUN, with lines that the builder drops inside a
 * continued instruction (comments, empty lines) blanked and a backtick
 * continuation turned into a backslash one, every offset kept.
 */
function runShellText(text: string, start: number, end: number, escape: string, keepLines: boolean): string {
  let s = text.slice(start, end);
  if (!keepLines && s.includes('\n')) {
    const chars = s.split('');
    let lineStart = s.indexOf('\n') + 1;
    while (lineStart > 0 && lineStart < s.length) {
      let nl = s.indexOf('\n', lineStart);
      if (nl < 0) nl = s.length - 1;
      const line = s.slice(lineStart, nl + 1);
      if (/^[ \t]*(#.*)?\r?\n?$/.test(line)) for (let k = lineStart; k <= nl; k++) chars[k] = ' ';
      lineStart = nl + 1;
    }
    s = chars.join('');
  }
  if (escape === '`') s = s.replace(/`(?=\r?\n)/g, '\\');
  return s;
}

type RawFlag = { getName(): string; getValue(): string | null; getRange(): LspRange };

/**
 * An instruction with exact offsets. Arguments and flags are read on first use:
 * dockerfile-ast tokenises them anew on every call, and most instructions (every
 * RUN among them) never need them.
 */
function toInstruction(ins: Instruction, index: LineIndex): DfInstruction {
  const r = ins.getRange();
  const kw = ins.getInstructionRange();
  let args: DfArg[] | undefined;
  let flags: DfInstruction['flags'] | undefined;
  const d = {
    keyword: ins.getKeyword(),
    span: spanOf(index, r),
    keywordSpan: spanOf(index, kw),
    raw: ins,
    get args(): DfArg[] {
      args ??= ins.getArguments().map((a) => ({ value: a.getValue(), span: spanOf(index, a.getRange()) }));
      return args;
    },
    get flags(): DfInstruction['flags'] {
      if (!flags) {
        const anyIns = ins as unknown as { getFlags?: () => RawFlag[] };
        flags = typeof anyIns.getFlags === 'function' ? anyIns.getFlags().map((f) => ({ name: f.getName(), value: f.getValue(), span: spanOf(index, f.getRange()) })) : [];
      }
      return flags;
    },
  } as DfInstruction;
  if (ins instanceof dockerfileAst().JSONInstruction && (ins as JSONInstruction).getOpeningBracket() && (ins as JSONInstruction).getClosingBracket()) {
    const js = ins.getJSONStrings();
    // The string's text inside its quotes (dockerfile-ast's getJSONValue drops blanks), JSON escapes decoded.
    if (js.length) {
      d.json = js.map((j) => {
        const span = spanOf(index, j.getJSONRange());
        const raw = index.text.slice(span.start, span.end);
        let value = raw;
        if (raw.includes('\\')) {
          try {
            value = JSON.parse(`"${raw}"`) as string;
          } catch {
            value = raw;
          }
        }
        return { value, span, raw };
      });
    }
  }
  return d;
}

function wordsFromJson(args: DfArg[]): Word[] {
  return args.map((a) => ({ shape: variableShape(a.value), span: a.span, splat: false }));
}

/** A command given as an exec-form array (wrappers such as sudo looked through). */
export function execFormCommand(json: DfArg[]): Cmd | undefined {
  if (!json.length) return undefined;
  return commandFromWords(wordsFromJson(json), { start: json[0].span.start, end: json[json.length - 1].span.end }, []);
}

export interface ReadDockerfileOptions {
  /**
   * Which RUN instructions to read as shell, given the instruction's text: false
   * reads none (callers that only look at stages and USER), a function skips the
   * RUNs it rejects. Default: every RUN.
   */
  runShells?: boolean | ((instructionText: string) => boolean);
  /** A line index of this very text, if the caller has one. */
  index?: LineIndex;
}

export function readDockerfile(text: string, o: ReadDockerfileOptions = {}): DockerfileModel {
  const wanted = o.runShells ?? true;
  const index = o.index?.text === text ? o.index : new LineIndex(text);
  const df = dockerfileAst().DockerfileParser.parse(text);
  const escape = df.getEscapeCharacter();
  const instructions = df.getInstructions().map((i) => toInstruction(i, index));
  const stages: Stage[] = [];
  const runs: RunShell[] = [];
  const assigns: DockerfileModel['assigns'] = [];
  for (const ins of instructions) {
    const kw = ins.keyword.toUpperCase();
    if (kw === 'FROM') {
      const from = ins.raw as From;
      const st: Stage = { from: ins, instructions: [] };
      const imgRange = from.getImageRange();
      const img = from.getImage();
      if (img && imgRange) st.image = { shape: variableShape(img, escape), span: spanOf(index, imgRange) };
      st.name = from.getBuildStage() ?? undefined;
      if (img) {
        const lower = img.toLowerCase();
        const parent = stages.findIndex((s) => s.name?.toLowerCase() === lower);
        if (parent >= 0) st.parent = parent;
      }
      stages.push(st);
      continue;
    }
    if (stages.length) stages[stages.length - 1].instructions.push(ins);
    if (kw === 'RUN') {
      if (wanted === false || (wanted !== true && !wanted(text.slice(ins.span.start, ins.span.end)))) continue;
      const shell = readRun(text, ins, escape, index);
      if (shell) runs.push({ instruction: ins, shell });
    } else if (kw === 'ENV' || kw === 'ARG') {
      const props = (ins.raw as unknown as { getProperties(): Array<{ getName(): string; getValue(): string | null; getRange(): LspRange; getValueRange(): LspRange | null; getNameRange(): LspRange }> }).getProperties();
      for (const p of props) {
        const value = p.getValue();
        if (kw === 'ARG' && value === null) continue;
        const vr = p.getValueRange();
        // Read the value as written: `\$` is a literal dollar, `$X` a variable.
        const rawValue = vr ? text.slice(index.offsetAt(vr.start), index.offsetAt(vr.end)) : value ?? '';
        assigns.push({
          name: p.getName(),
          value: value === null ? '' : variableShape(unquote(rawValue), escape),
          span: spanOf(index, p.getRange()),
          valueSpan: vr ? spanOf(index, vr) : undefined,
          exported: kw === 'ENV',
          keyword: kw,
          instruction: ins,
        });
      }
    }
  }
  return { stages, instructions, runs, assigns, escape, index };
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/**
 * The shell text of a JSON string, every offset kept: `\"` becomes `""` (an
 * empty string next to the text, the same words for the shell), `\n` a line
 * break, `\t` blanks; `\\` already means one backslash to the shell.
 */
export function jsonAsShell(raw: string): string {
  return raw.replace(/\\(["\/bfnrt\\]|u[0-9a-fA-F]{4})/g, (m, e: string) => {
    switch (e[0]) {
      case '"':
        return '""';
      case 'n':
        return ' \n';
      case '\\':
        return m;
      case 'u':
        return ' '.repeat(6);
      default:
        return '  ';
    }
  });
}

/** Skips blanks and line continuations (the escape character, optional blanks, a line break). */
function skipBlanks(text: string, i: number, end: number, escape: string): number {
  while (i < end) {
    const c = text[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c !== escape) break;
    let j = i + 1;
    while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
    if (text[j] === '\r' && text[j + 1] === '\n') j++;
    if (text[j] !== '\n') break;
    i = j + 1;
  }
  return i;
}

function readRun(text: string, ins: DfInstruction, escape: string, index: LineIndex): ShellModel | undefined {
  if (ins.json) {
    const first = ins.json[0];
    const prog = first?.value.slice(first.value.lastIndexOf('/') + 1);
    const c = ins.json.findIndex((a, k) => k > 0 && /^-[a-z]*c[a-z]*$/.test(a.value));
    if (prog && /^(ba|da|z|a|k)?sh$/.test(prog) && c > 0 && ins.json[c + 1] && ins.json.slice(1, c).every((a) => a.value.startsWith('-') || /^[a-z]+$/.test(a.value))) {
      const script = ins.json[c + 1];
      return readShell(jsonAsShell(script.raw ?? script.value), { base: script.span.start, escape: '\\', fileText: text, source: 'dockerfile' });
    }
    const cmd = execFormCommand(ins.json);
    if (!cmd) return undefined;
    const launches = CONTAINER_TOOLS.has(cmd.name) ? [parseContainerCommand(cmd.name, cmd.args, cmd.nameSpan)] : [];
    for (const l of launches) l.source = 'dockerfile';
    return { commands: [cmd], assigns: [], launches };
  }
  // The shell text starts at the first argument that is not a flag: the first non-blank
  // after the keyword (or after the last flag, which dockerfile-ast has read already),
  // looking past line continuations. Only odd layouts (a comment or an empty line
  // before the first argument) ask dockerfile-ast to tokenise the arguments again.
  let start = skipBlanks(text, ins.keywordSpan.end, ins.span.end, escape);
  if (text[start] === '-') {
    const flags = ins.flags;
    if (flags.length) start = skipBlanks(text, Math.max(...flags.map((f) => f.span.end)), ins.span.end, escape);
  }
  const c0 = text[start];
  if (start >= ins.span.end || c0 === '\n' || c0 === '\r' || c0 === '#' || (c0 === '-' && text[start + 1] === '-')) {
    const args = ins.args;
    if (!args.length) return undefined;
    // Flags (--mount=…, --network=…) come before the shell text.
    start = args[0].span.start;
    for (const f of ins.flags) if (f.span.end > start) start = f.span.end;
  }
  let heredocs: Array<{ getContentRange(): LspRange | null }> = [];
  if (text.slice(start, ins.span.end).includes('<<')) {
    try {
      heredocs = (ins.raw as unknown as { getHeredocs?: () => Array<{ getContentRange(): LspRange | null }> }).getHeredocs?.() ?? [];
    } catch {
      // dockerfile-ast can throw on odd line ends (a lone CR after a continuation): read it as plain shell.
    }
  }
  const head = text.slice(start, Math.min(ins.span.end, start + 200));
  if (heredocs.length) {
    // RUN <<EOF … EOF, or RUN bash <<EOF: the body is the script.
    if (/^\s*(?:(?:\/\S*\/)?(?:ba|da|z|a)?sh(?:\s+-\S+)*\s+)?<<-?\s*["']?[A-Za-z_]/.test(head)) {
      const cr = heredocs[0].getContentRange();
      if (!cr) return { commands: [], assigns: [], launches: [] };
      const s = index.offsetAt(cr.start);
      const e = index.offsetAt(cr.end);
      return readShell(text.slice(s, e), { base: s, escape: '\\', fileText: text, source: 'dockerfile' });
    }
  }
  const shellText = runShellText(text, start, ins.span.end, escape, heredocs.length > 0);
  return readShell(shellText, { base: start, escape, fileText: text, source: 'dockerfile' });
}
