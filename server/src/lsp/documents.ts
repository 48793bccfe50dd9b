/**
 * Open documents and when they are analysed: opened, changed, closed, or
 * everything again when settings or config files change.
 */
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analyses } from './analyses';
import type { Diagnostics } from './diagnostics';
import { Scheduler } from './scheduler';
import type { Settings } from './settings';

export class Documents {
  /** The user's delay (ms) between a change and its analysis. */
  debounceMs = 200;
  private readonly scheduler: Scheduler;
  /** Opened, their first change event not seen yet. */
  private readonly justOpened = new Set<string>();

  constructor(
    readonly documents: TextDocuments<TextDocument>,
    private readonly settings: Settings,
    private readonly analyses: Analyses,
    private readonly diagnostics: Diagnostics,
  ) {
    this.scheduler = new Scheduler((uri) => void diagnostics.validate(uri));
  }

  /** Follows the documents' events. */
  listen(): void {
    const { documents } = this;
    // TextDocuments fires onDidChangeContent right after onDidOpen: analyse a newly
    // opened document at once, not after the typing debounce.
    documents.onDidOpen((e) => {
      this.justOpened.add(e.document.uri);
      this.scheduler.schedule(e.document.uri, 0);
      this.scheduleDependents(e.document.uri);
    });
    documents.onDidChangeContent((e) => {
      if (this.justOpened.delete(e.document.uri)) return;
      // The user's debounce (0: at once); a burst of changes is analysed once, at its end.
      this.scheduler.schedule(e.document.uri, this.debounceMs);
      this.scheduleDependents(e.document.uri);
    });
    documents.onDidClose((e) => {
      const uri = e.document.uri;
      this.scheduler.cancel(uri);
      this.diagnostics.clear(uri);
      this.analyses.forget(uri);
      this.settings.forget(uri);
      this.scheduleDependents(uri);
    });
  }

  /** Settings or config files changed: every open document again, at once. */
  revalidateAll(): void {
    this.analyses.invalidateAll();
    for (const d of this.documents.all()) this.scheduler.schedule(d.uri, 0);
  }

  dispose(): void {
    this.scheduler.dispose();
  }

  /** Open documents whose analysis read this one (a compose file → its Dockerfile, an override → its base). */
  private scheduleDependents(uri: string): void {
    for (const other of this.analyses.invalidateDependents(uri)) {
      if (this.documents.get(other)) this.scheduler.schedule(other, this.debounceMs * 2);
    }
  }
}
