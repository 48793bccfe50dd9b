/**
 * When documents are analysed: after the user's debounce following a change,
 * at once for opens and setting changes, and once for a burst of changes.
 */

export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Changes (and re-analysis requests) per document, to tell when a burst of them has been read. */
  private readonly changeSeq = new Map<string, number>();
  private readonly settling = new Set<string>();

  /** `run` analyses a document and publishes its diagnostics. */
  constructor(private readonly run: (uri: string) => void) {}

  /**
   * Asks for an analysis of the document after `delay` ms (the user's debounce
   * after a change; 0 for opens and setting changes). A change restarts the
   * delay. With no delay the analysis starts as soon as the messages already
   * received have been read: one edit is analysed at once, and a burst of
   * edits that queued up while an analysis was running is analysed once, at
   * its last version.
   */
  schedule(uri: string, delay: number): void {
    this.changeSeq.set(uri, (this.changeSeq.get(uri) ?? 0) + 1);
    this.clearTimer(uri);
    if (delay <= 0) {
      this.settle(uri);
      return;
    }
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.settle(uri);
      }, delay),
    );
  }

  /** The document closed: nothing more for it. */
  cancel(uri: string): void {
    this.clearTimer(uri);
    this.changeSeq.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private clearTimer(uri: string): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.delete(uri);
  }

  /**
   * Runs once the messages already waiting have been handled. The connection
   * handles one message per event-loop turn (setImmediate), so two turns
   * without a new change for the document mean none is queued.
   */
  private settle(uri: string): void {
    if (this.settling.has(uri)) return;
    this.settling.add(uri);
    const wait = (seen: number | undefined) =>
      setImmediate(() =>
        setImmediate(() => {
          const seq = this.changeSeq.get(uri);
          if (seq !== seen) {
            wait(seq);
            return;
          }
          this.settling.delete(uri);
          // A change came in with a debounce: its timer runs it.
          if (this.timers.has(uri)) return;
          this.run(uri);
        }),
      );
    wait(this.changeSeq.get(uri));
  }
}
