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
import { BuiltImage, Launch, Option, UNKNOWN, variableShape } from '../launch';
import type { DfArg, DfInstruction, DockerfileView, Stage } from '../model';
import { LineIndex } from '../text';
import type { Span } from '../types';
import { dockerfileWriter } from './dockerfileWriter';
import { Cmd, commandFromWords, readShell, ShellModel } from './shell';
import { READ_ONLY_COMMAND_WRITER } from './shellWriter';

/** An instruction as the reader keeps it: the view plus dockerfile-ast's node. */
interface RawInstruction extends DfInstruction {
  raw: Instruction;
}

export interface RunShell {
  instruction: DfInstruction;
  shell: ShellModel;
}

export interface DockerfileModel extends DockerfileView {
  runs: RunShell[];
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

/**
 * An instruction with exact offsets. Arguments and flags are read on first use:
 * dockerfile-ast tokenises them anew on every call, and most instructions (every
 * RUN among them) never need them. (A class, not an object literal with getters:
 * each such literal gets a hidden class of its own, kept in V8's old generation.)
 */
class Instr implements RawInstruction {
  keyword: string;
  span: Span;
  keywordSpan: Span;
  declare json?: DfArg[];
  declare onbuild?: DfInstruction;
  #index: LineIndex;
  #args: DfArg[] | undefined;
  #flags: DfInstruction['flags'] | undefined;

  constructor(readonly raw: Instruction, index: LineIndex) {
    this.keyword = raw.getKeyword();
    this.span = spanOf(index, raw.getRange());
    this.keywordSpan = spanOf(index, raw.getInstructionRange());
    this.#index = index;
  }

  get args(): DfArg[] {
    this.#args ??= this.raw.getArguments().map((a) => {
      const value = a.getValue();
      return { value, unquoted: unquote(value), span: spanOf(this.#index, a.getRange()) };
    });
    return this.#args;
  }

  get flags(): DfInstruction['flags'] {
    // Only instructions that take flags (FROM, RUN, COPY, ADD, HEALTHCHECK…) have them.
    this.#flags ??= this.raw instanceof dockerfileAst().ModifiableInstruction
      ? this.raw.getFlags().map((f) => ({ name: f.getName(), value: f.getValue(), span: spanOf(this.#index, f.getRange()) }))
      : [];
    return this.#flags;
  }
}

function toInstruction(ins: Instruction, index: LineIndex): RawInstruction {
  const d = new Instr(ins, index);
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
        return { value, unquoted: value, span, raw };
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
  // ONBUILD runs its instruction in images built FROM this one: it is checked as the instruction it
  // wraps (its span lies on the ONBUILD line), but it is not part of this image's stages.
  const instructions: RawInstruction[] = [];
  const triggers = new Set<RawInstruction>();
  for (const raw of df.getInstructions()) {
    const ins = toInstruction(raw, index);
    instructions.push(ins);
    const trigger = raw instanceof dockerfileAst().Onbuild ? raw.getTriggerInstruction() : null;
    if (trigger && trigger.getKeyword().toUpperCase() !== 'FROM') {
      const t = toInstruction(trigger, index);
      t.onbuild = ins;
      triggers.add(t);
      instructions.push(t);
    }
  }
  const stages: Stage[] = [];
  const runs: RunShell[] = [];
  const assigns: DockerfileModel['assigns'] = [];
  for (const ins of instructions) {
    const kw = ins.keyword.toUpperCase();
    if (kw === 'FROM' && ins.raw instanceof dockerfileAst().From) {
      const from: From = ins.raw;
      const st: Stage = { from: ins, instructions: [] };
      const imgRange = from.getImageRange();
      const img = from.getImage();
      if (img && imgRange) {
        const span = spanOf(index, imgRange);
        // A template placeholder with blanks (`{{ env.variant }}`) splits the image into words: unknown.
        const rest = text.slice(span.start, ins.span.end);
        st.image = rest.includes('{{') ? { shape: UNKNOWN, span: { start: span.start, end: span.start + rest.replace(/\s+(AS|as)\s+\S+\s*$/, '').trimEnd().length } } : { shape: variableShape(img, escape), span };
      }
      st.name = from.getBuildStage() ?? undefined;
      if (img) {
        const lower = img.toLowerCase();
        const parent = stages.findIndex((s) => s.name?.toLowerCase() === lower);
        if (parent >= 0) st.parent = parent;
      }
      stages.push(st);
      continue;
    }
    if (stages.length && !triggers.has(ins)) stages[stages.length - 1].instructions.push(ins);
    if (kw === 'RUN') {
      if (wanted === false || (wanted !== true && !wanted(text.slice(ins.span.start, ins.span.end)))) continue;
      const shell = readRun(text, ins, escape, index);
      if (shell) runs.push({ instruction: ins, shell });
    } else if (kw === 'ENV' || kw === 'ARG') {
      if (!(ins.raw instanceof dockerfileAst().PropertyInstruction)) continue;
      const props = ins.raw.getProperties();
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
  const model: DockerfileModel = { stages, instructions, runs, assigns, escape, index, commandsOf: (ins) => commandsOf(text, ins, escape) };
  model.image = imageLaunch(model, text);
  return model;
}

/** Walks a stage and the earlier stages it builds on, last first. */
function stageChain(stages: Stage[], index: number): Stage[] {
  const chain: Stage[] = [];
  const seen = new Set<number>();
  let i: number | undefined = index;
  while (i !== undefined && !seen.has(i) && stages[i]) {
    seen.add(i);
    chain.push(stages[i]);
    i = stages[i].parent;
  }
  return chain;
}

/** The last instruction with this keyword in the final stage, looking through the stages it builds on. */
function lastInChain(chain: Stage[], keyword: string): DfInstruction | undefined {
  for (const st of chain) {
    const found = st.instructions.filter((i) => i.keyword.toUpperCase() === keyword);
    if (found.length) return found[found.length - 1];
  }
  return undefined;
}

/** USER's value with variables as UNKNOWN. */
function userShape(ins: DfInstruction): string {
  return ins.args.map((a) => a.value).join(' ').replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '\u241F');
}

/**
 * The final stage as a launch: what every container of this image starts with. Its options are
 * the last USER and HEALTHCHECK (`healthcheck` is 'false' for `HEALTHCHECK NONE`), found through
 * the stages it builds on; its image is the base image of that chain.
 */
function imageLaunch(df: DockerfileModel, text: string): Launch | undefined {
  if (!df.stages.length) return undefined;
  const final = df.stages[df.stages.length - 1];
  const chain = stageChain(df.stages, df.stages.length - 1);
  const options: Option[] = [];
  const user = lastInChain(chain, 'USER');
  if (user) options.push({ name: 'user', value: userShape(user), span: user.span, spelled: 'USER' });
  const hc = lastInChain(chain, 'HEALTHCHECK');
  if (hc) options.push({ name: 'healthcheck', value: hc.args[0]?.value.toUpperCase() === 'NONE' ? 'false' : 'true', span: hc.span, spelled: 'HEALTHCHECK' });
  return {
    source: 'dockerfile',
    tool: 'docker',
    command: 'image',
    anchor: final.from.span,
    label: 'final stage',
    image: chain[chain.length - 1].image,
    options,
    judgeMissing: true,
    writer: dockerfileWriter(text, df, (t) => readDockerfile(t, { runShells: false })),
  };
}

/** The last few Dockerfiles' facts, by text: a compose file is analysed on every keystroke, its Dockerfiles rarely change. */
const BUILT = new Map<string, BuiltImage>();
const BUILT_KEEP = 16;

/** What a Dockerfile tells about the image it builds (for a compose service that builds it). */
export function builtImage(text: string): BuiltImage {
  const known = BUILT.get(text);
  if (known) return known;
  const l = readDockerfile(text, { runShells: false }).image;
  const user = l?.options.find((o) => o.name === 'user');
  const hc = l?.options.find((o) => o.name === 'healthcheck');
  const facts: BuiltImage = { user: user?.value, healthcheck: hc ? (hc.value === 'false' ? 'none' : 'set') : undefined };
  if (BUILT.size >= BUILT_KEEP) BUILT.delete(BUILT.keys().next().value!);
  BUILT.set(text, facts);
  return facts;
}

/** A shell-form CMD or ENTRYPOINT read as a command line of its own. */
function commandsOf(text: string, ins: DfInstruction, escape: string): Cmd[] {
  if (ins.json || !ins.args.length) return [];
  const start = ins.args[0].span.start;
  return readShell(text.slice(start, ins.span.end), { base: start, escape, source: 'dockerfile' }).commands;
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

function readRun(text: string, ins: RawInstruction, escape: string, index: LineIndex): ShellModel | undefined {
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
    // An exec-form command cannot be edited as shell text: its launch gets no fixes.
    const launches = CONTAINER_TOOLS.has(cmd.name) ? [parseContainerCommand(cmd.name, cmd.args, cmd.nameSpan, READ_ONLY_COMMAND_WRITER)] : [];
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
      if (ins.raw instanceof dockerfileAst().Run) heredocs = ins.raw.getHeredocs();
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
