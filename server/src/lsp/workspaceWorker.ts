/**
 * A worker thread of the workspace check (started by workspacePool.ts): loads
 * the engine (in the bundle, the same dist/engine.js the server loads) and
 * checks the batches of files it is sent, so the server's own thread stays
 * free for the documents being edited. A run is cancelled through a shared
 * flag that is read between files, so a cancel is seen within one file.
 */
import * as os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { engine } from './engine';
import { installLocale } from './l10n';
import type { WorkerData, WorkerReply, WorkerRequest } from './workspacePool';
import type { FileResult } from './workspaceTypes';
import { FileChecker } from './workspaceChecker';

const data = workerData as WorkerData;
const cancelled = new Int32Array(data.cancel);
const port = parentPort;

/**
 * On Linux a thread has its own nice value: this worker yields the CPU to the server's thread,
 * which answers the edits being typed. Elsewhere the call would lower the whole process: not done.
 */
function yieldToTheEditor(): void {
  if (process.platform !== 'linux') return;
  try {
    os.setPriority(5);
  } catch {
    // Not allowed here: the worker runs at the server's priority.
  }
}

async function start(): Promise<FileChecker> {
  yieldToTheEditor();
  installLocale(data.locale);
  await (data.wasmDir ? engine().initEngine({ wasmDir: data.wasmDir }) : engine().initEngine());
  return new FileChecker(data.caps);
}

if (port) {
  const ready = start();
  // Messages are handled one at a time, in order (a batch never interleaves with the next).
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (m: WorkerRequest) => {
    queue = queue.then(() => handle(m));
  });

  const reply = (r: WorkerReply) => port.postMessage(r);

  const handle = async (m: WorkerRequest): Promise<void> => {
    let checker: FileChecker;
    try {
      checker = await ready;
    } catch (e) {
      reply({ id: m.id, error: `the engine did not start in the worker: ${(e as Error)?.message ?? e}` });
      return;
    }
    try {
      if (m.op === 'begin') {
        checker.begin(m.settings);
        reply({ id: m.id });
      } else if (m.op === 'list') {
        reply({ id: m.id, listed: checker.list(m.folders) });
      } else {
        const results: FileResult[] = [];
        for (const job of m.jobs) {
          if (Atomics.load(cancelled, 0) === m.run) break;
          results.push(checker.check(job));
        }
        reply({ id: m.id, results });
      }
    } catch (e) {
      reply({ id: m.id, error: String((e as Error)?.stack ?? e) });
    }
  };
}
