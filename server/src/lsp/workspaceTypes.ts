/** The types shared by the workspace check, its runners and its worker. */
import type { Diagnostic } from 'vscode-languageserver';
import type { Settings } from '../engine';
import type { DiagnosticCapabilities } from './toDiagnostic';

/** One file to check: its URI, the text when the client gave it (or it is open), and its settings (an index into the run's table). */
export interface FileJob {
  uri: string;
  text?: string;
  s: number;
}

export interface FileResult {
  uri: string;
  /** Not a file the engine reads (a file without an extension that is no script): nothing to show. */
  unsupported?: boolean;
  /** Why it was not analysed (unreadable, too large, binary). */
  skipped?: string;
  diagnostics: Diagnostic[];
  /** The engine's internal errors, for the log. */
  errors?: string[];
}

export interface RunnerOptions {
  wasmDir?: string;
  locale?: string;
  caps: DiagnosticCapabilities;
}

export interface CheckRunner {
  /** Worker threads doing the analysis (0: this thread). */
  readonly workers: number;
  /** How many batches to keep in flight. */
  readonly parallel: number;
  /** A new run: its settings table (null: checking is off there); sibling files are read afresh. */
  begin(run: number, settings: Array<Settings | null>): Promise<void>;
  /** Lists the supported files under folders (file-system paths), as the CLI does. */
  list(folders: string[]): Promise<{ files: string[]; errors: string[] }>;
  /** Checks a batch of the run; stops early (returning what it did) once the run is cancelled. */
  check(run: number, jobs: FileJob[]): Promise<FileResult[]>;
  cancel(run: number): void;
  dispose(): void;
}

export type RunnerFactory = (options: RunnerOptions) => CheckRunner;

