/**
 * Worker threads for the workspace check (Node only; a build without
 * worker_threads, such as one for a browser, leaves this module out and the
 * check runs in the server's thread). Workers start on the first check and
 * stop after a minute without work, so an idle server keeps one engine in memory.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Settings } from '../engine';
import type { DiagnosticCapabilities } from './toDiagnostic';
import type { CheckRunner, FileJob, FileResult, RunnerOptions } from './workspaceTypes';
import { InThreadRunner } from './workspaceRunner';

/** What a worker starts with. */
export interface WorkerData {
  wasmDir?: string;
  locale?: string;
  caps: DiagnosticCapabilities;
  /** One Int32: the id of the cancelled run. */
  cancel: SharedArrayBuffer;
}

export type WorkerRequest =
  | { id: number; op: 'begin'; settings: Array<Settings | null> }
  | { id: number; op: 'list'; folders: string[] }
  | { id: number; op: 'check'; run: number; jobs: FileJob[] };

export interface WorkerReply {
  id: number;
  error?: string;
  results?: FileResult[];
  listed?: { files: string[]; errors: string[] };
}

const IDLE_MS = 60_000;

/**
 * Worker count: `CH_WORKSPACE_WORKERS` if set (0: none), else one less than the cores (the
 * server's thread publishes and answers edits meanwhile), at least 1 and at most 4.
 */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const set = env.CH_WORKSPACE_WORKERS;
  if (set !== undefined && /^\d+$/.test(set)) return Math.min(Number(set), 16);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(4, cores - 1));
}

/** The worker's script: next to this module (tsc build: out/server/src/lsp/, bundle: dist/). */
function workerScript(): string | undefined {
  const p = path.join(__dirname, 'workspaceWorker.js');
  return fs.existsSync(p) ? p : undefined;
}

/** The pool when workers can run here, else the in-thread runner. */
export function createWorkspaceRunner(options: RunnerOptions): CheckRunner {
  const n = workerCount();
  const script = workerScript();
  if (n === 0 || !script) return new InThreadRunner(options);
  return new WorkerPool(options, n, script);
}

interface Slot {
  worker: Worker;
  busy: number;
}

class WorkerPool implements CheckRunner {
  readonly parallel: number;
  private slots: Slot[] = [];
  private readonly cancelBuffer = new SharedArrayBuffer(4);
  private readonly cancelFlag = new Int32Array(this.cancelBuffer);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void; slot: Slot }>();
  private idle: NodeJS.Timeout | undefined;
  private settings: Array<Settings | null> = [];

  constructor(
    private readonly options: RunnerOptions,
    readonly workers: number,
    private readonly script: string,
  ) {
    // Two batches per worker: the next one is there when a worker finishes.
    this.parallel = workers * 2;
  }

  private start(): Slot[] {
    if (this.slots.length) return this.slots;
    const data: WorkerData = { wasmDir: this.options.wasmDir, locale: this.options.locale, caps: this.options.caps, cancel: this.cancelBuffer };
    for (let i = 0; i < this.workers; i++) {
      const worker = new Worker(this.script, { workerData: data });
      const slot: Slot = { worker, busy: 0 };
      worker.on('message', (r: WorkerReply) => {
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        slot.busy--;
        this.armIdle();
        p.resolve(r);
      });
      const fail = (e: Error) => {
        for (const [id, p] of this.pending) {
          if (p.slot !== slot) continue;
          this.pending.delete(id);
          p.reject(e);
        }
        this.slots = this.slots.filter((s) => s !== slot);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`workspace check worker exited (${code})`)));
      worker.unref();
      this.slots.push(slot);
    }
    // A worker started after begin() gets the run's settings first.
    for (const s of this.slots) void this.send(s, { id: 0, op: 'begin', settings: this.settings }).catch(() => undefined);
    return this.slots;
  }

  private send(slot: Slot, m: WorkerRequest): Promise<WorkerReply> {
    const id = this.nextId++;
    const msg = { ...m, id };
    return new Promise<WorkerReply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, slot });
      slot.busy++;
      if (this.idle) clearTimeout(this.idle);
      this.idle = undefined;
      slot.worker.postMessage(msg);
    }).then((r) => {
      if (r.error) throw new Error(r.error);
      return r;
    });
  }

  private leastBusy(): Slot {
    const slots = this.start();
    if (!slots.length) throw new Error('no workspace check worker is running');
    return slots.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private armIdle(): void {
    if (this.pending.size || this.idle) return;
    this.idle = setTimeout(() => this.stopWorkers(), IDLE_MS);
    this.idle.unref();
  }

  async begin(_run: number, settings: Array<Settings | null>): Promise<void> {
    this.settings = settings;
    const fresh = !this.slots.length;
    const slots = this.start();
    if (!fresh) await Promise.all(slots.map((s) => this.send(s, { id: 0, op: 'begin', settings })));
  }

  async list(folders: string[]): Promise<{ files: string[]; errors: string[] }> {
    const r = await this.send(this.leastBusy(), { id: 0, op: 'list', folders });
    return r.listed ?? { files: [], errors: [] };
  }

  async check(run: number, jobs: FileJob[]): Promise<FileResult[]> {
    const r = await this.send(this.leastBusy(), { id: 0, op: 'check', run, jobs });
    return r.results ?? [];
  }

  cancel(run: number): void {
    Atomics.store(this.cancelFlag, 0, run);
  }

  private stopWorkers(): void {
    this.idle = undefined;
    if (this.pending.size) return;
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) void s.worker.terminate();
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) void s.worker.terminate();
  }
}
