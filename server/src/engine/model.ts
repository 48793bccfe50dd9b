/**
 * The read-only views that rules see besides launches: a Dockerfile's
 * instructions and stages, and the shell commands of a script or of a
 * Dockerfile's RUNs. Readers build them; rules never import a reader or writer.
 */
import type { Word } from './dockercli';
import type { Launch } from './launch';
import type { LineIndex } from './text';
import type { Span } from './types';

export type { Word };

/** A variable assignment: `X=1`, `export X=1`, `VAR=x cmd`, Dockerfile ENV/ARG. */
export interface Assign {
  name: string;
  /** Value shape (UNKNOWN for unknown parts); '' when empty. */
  value: string;
  span: Span;
  valueSpan?: Span;
  exported: boolean;
}

/** One simple command, as the shell would run it. */
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


export interface DfArg {
  /** As written (quotes kept in the shell form). */
  value: string;
  /** As the builder reads it: one pair of surrounding quotes taken off (`"http://x"` → `http://x`). */
  unquoted: string;
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
  /** Set on the instruction an `ONBUILD` wraps: that ONBUILD. */
  onbuild?: DfInstruction;
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

/** A Dockerfile as Dockerfile-only rules see it. */
export interface DockerfileView {
  stages: Stage[];
  instructions: DfInstruction[];
  /** ENV and ARG assignments (ARG only with a default). */
  assigns: Array<Assign & { keyword: 'ENV' | 'ARG'; instruction: DfInstruction }>;
  escape: string;
  index: LineIndex;
  /** The final stage as a launch (its USER and HEALTHCHECK through the stages it builds on); fixes of Dockerfile rules are rendered by its writer. */
  image?: Launch;
  /** The commands of a shell-form instruction (CMD, ENTRYPOINT), read when asked. */
  commandsOf(ins: DfInstruction): Cmd[];
}

/** Shell commands of a script, or of all RUN instructions of a Dockerfile. */
export interface ShellScope {
  commands: Cmd[];
  assigns: Assign[];
  /** True for commands inside Dockerfile RUN instructions. */
  inRun: boolean;
}
