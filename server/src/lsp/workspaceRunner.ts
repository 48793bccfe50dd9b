/**
 * Who analyses the files of a workspace check: a pool of worker threads
 * (workspacePool.ts, Node only) or, where there are none, the server's own
 * thread ({@link InThreadRunner}, which yields between files so edits of open
 * documents are still answered). The check itself (workspaceCheck.ts) only
 * sees this interface.
 */
import type { Settings } from '../engine';
import type { DiagnosticCapabilities } from './toDiagnostic';
import type { FileChecker } from './workspaceChecker';
import type { CheckRunner, FileJob, FileResult, RunnerOptions } from './workspaceTypes';

export type { CheckRunner, FileJob, FileResult, RunnerFactory, RunnerOptions } from './workspaceTypes';

/** The checker, loaded on first use (it loads the engine and the CLI's file walk). */
function loadChecker(caps: DiagnosticCapabilities): FileChecker {
  const { FileChecker: C } = require('./workspaceChecker') as typeof import('./workspaceChecker');
  return new C(caps);
}

/** In the server's thread: one file at a time, yielding to the event loop every few milliseconds. */
export class InThreadRunner implements CheckRunner {
  readonly workers = 0;
  readonly parallel = 1;
  private checker: FileChecker | undefined;
  private cancelled = -1;

  constructor(private readonly options: RunnerOptions) {}

  private get c(): FileChecker {
    return (this.checker ??= loadChecker(this.options.caps));
  }

  async begin(_run: number, settings: Array<Settings | null>): Promise<void> {
    this.c.begin(settings);
  }

  async list(folders: string[]): Promise<{ files: string[]; errors: string[] }> {
    return this.c.list(folders);
  }

  async check(run: number, jobs: FileJob[]): Promise<FileResult[]> {
    const out: FileResult[] = [];
    let slice = Date.now();
    for (const job of jobs) {
      if (this.cancelled === run) break;
      out.push(this.c.check(job));
      if (Date.now() - slice > 8) {
        await new Promise((r) => setImmediate(r));
        slice = Date.now();
      }
    }
    return out;
  }

  /** One file outside a run (a file closed in the editor), with the settings given. */
  checkOne(job: FileJob, settings: Settings | null): FileResult {
    return this.c.checkWith(job, settings);
  }

  cancel(run: number): void {
    this.cancelled = run;
  }

  dispose(): void {
    this.checker = undefined;
  }
}
