/**
 * "Check Workspace": every supported file the client lists (or that the
 * server finds under the folders it is given), analysed off the server's
 * thread by a runner (workspaceRunner.ts: worker threads where there are
 * any), published as diagnostics for the files that are not open. Open
 * documents keep their live analysis (documents.ts); when one closes, its
 * file is checked again from the disk and shown like the rest.
 */
import { pathToFileURL } from 'node:url';
import { CancellationToken, WorkDoneProgress, type Connection, type Diagnostic, type TextDocuments, type WorkDoneProgressBegin, type WorkDoneProgressEnd, type WorkDoneProgressReport } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Settings as EngineSettings } from '../engine';
import { readEditorSettings } from './config';
import { engine } from './engine';
import { SECTION, t, type Session } from './session';
import type { Settings } from './settings';
import { URI } from './uri';
import { CHECK_WORKSPACE_METHOD, type CheckWorkspaceParams, type CheckWorkspaceResult } from './workspaceProtocol';
import { InThreadRunner } from './workspaceRunner';
import type { CheckRunner, FileJob, FileResult, RunnerFactory, RunnerOptions } from './workspaceTypes';

/** Files per message to a worker: small enough for a prompt cancel and steady progress, large enough to keep messages few. */
const BATCH = 24;
/** Progress reports at most this often. */
const REPORT_MS = 150;

interface Stored {
  diagnostics: Diagnostic[];
  /** The settings it was checked with (null: checking was off there), for a check when it closes. */
  settings: EngineSettings | null;
}

export class WorkspaceCheck {
  private runner: CheckRunner | undefined;
  private inThread: InThreadRunner | undefined;
  private runs = 0;
  private active: { run: number; done: Promise<void> } | undefined;
  /** Runs stopped by a newer check: they end like a cancelled one (no clean-up of files they did not reach). */
  private readonly superseded = new Set<number>();
  /** The last check's result per file (the files with findings and those without). */
  private readonly results = new Map<string, Stored>();
  /** What the last check was asked, to check again when settings change. */
  private last: CheckWorkspaceParams | undefined;

  constructor(
    private readonly session: Session,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: Settings,
    private readonly factory: RunnerFactory | undefined,
    private readonly wasmDir: string | undefined,
  ) {}

  listen(connection: Connection): void {
    connection.onRequest(CHECK_WORKSPACE_METHOD, (p: CheckWorkspaceParams, token: CancellationToken) => this.check(p ?? {}, token));
    // After documents.ts cleared the closed document's live diagnostics: its file's own, from the disk.
    this.documents.onDidClose((e) => setImmediate(() => this.refresh(e.document.uri)));
  }

  /** Settings or config files changed: the files of the last check are checked again (quietly, no progress). */
  settingsChanged(): void {
    if (!this.last || !this.results.size) return;
    void this.check({ ...this.last, workDoneToken: undefined }, CancellationToken.None).catch((e) => this.session.logError('workspace check', e));
  }

  dispose(): void {
    this.runner?.dispose();
    this.inThread?.dispose();
  }

  /** One check at a time: a new one cancels the one under way. */
  async check(params: CheckWorkspaceParams, token: CancellationToken): Promise<CheckWorkspaceResult> {
    const t0 = Date.now();
    const previous = this.active;
    if (previous) {
      this.superseded.add(previous.run);
      this.runner?.cancel(previous.run);
      this.inThread?.cancel(previous.run);
      await previous.done;
    }
    const run = ++this.runs;
    let finished!: () => void;
    this.active = { run, done: new Promise<void>((r) => (finished = r)) };
    try {
      return await this.execute(run, params, token, t0);
    } finally {
      finished();
      this.superseded.delete(run);
      if (this.active?.run === run) this.active = undefined;
    }
  }

  private runnerOptions(): RunnerOptions {
    const { codeDescription, relatedInformation } = this.session.caps;
    return { wasmDir: this.wasmDir, locale: this.session.locale, caps: { codeDescription, relatedInformation } };
  }

  private threadRunner(): InThreadRunner {
    return (this.inThread ??= new InThreadRunner(this.runnerOptions()));
  }

  private pickRunner(): CheckRunner {
    if (this.runner) return this.runner;
    try {
      this.runner = this.factory ? this.factory(this.runnerOptions()) : this.threadRunner();
    } catch (e) {
      this.session.logError('workspace check: no worker threads, checking in the server thread', e);
      this.runner = this.threadRunner();
    }
    return this.runner;
  }

  private async execute(run: number, params: CheckWorkspaceParams, token: CancellationToken, t0: number): Promise<CheckWorkspaceResult> {
    await this.session.startEngine();
    const progress = new Progress(this.session, params.workDoneToken);
    progress.begin(t('Checking the workspace'));
    let runner = this.pickRunner();
    const cancelled = () => token.isCancellationRequested || this.superseded.has(run);
    const sub = token.onCancellationRequested(() => runner.cancel(run));
    const summary: CheckWorkspaceResult = { checked: 0, listed: 0, errors: 0, warnings: 0, infos: 0, withFindings: 0, skipped: 0, cancelled: false, ms: 0, workers: runner.workers };
    try {
      const uris = await this.listFiles(params, runner);
      summary.listed = uris.length;
      const { table, index } = await this.settingsTable(uris);
      const jobs: FileJob[] = uris.map((uri, i) => {
        const text = params.texts?.[uri] ?? this.documents.get(uri)?.getText();
        return text === undefined ? { uri, s: index[i] } : { uri, s: index[i], text };
      });
      const batches: FileJob[][] = [];
      for (let i = 0; i < jobs.length; i += BATCH) batches.push(jobs.slice(i, i + BATCH));
      const seen = new Set<string>();
      let done = 0;
      const take = (batch: FileJob[], res: FileResult[]) => {
        const settingsOf = new Map(batch.map((j) => [j.uri, table[j.s] ?? null]));
        for (const r of res) {
          done++;
          if (r.unsupported) continue;
          this.take(r, settingsOf.get(r.uri) ?? null, summary);
          seen.add(r.uri);
        }
        progress.report(done, jobs.length);
      };
      if (!cancelled()) await runner.begin(run, table);
      let next = 0;
      const lane = async () => {
        while (next < batches.length && !cancelled()) {
          const batch = batches[next++];
          try {
            take(batch, await runner.check(run, batch));
          } catch (e) {
            if (runner instanceof InThreadRunner) throw e;
            // A worker failed: the rest of the check (this batch included) runs in this thread.
            this.session.logError('workspace check worker', e);
            runner.dispose();
            runner = this.runner = this.threadRunner();
            summary.workers = 0;
            await runner.begin(run, table);
            take(batch, await runner.check(run, batch));
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, runner.parallel) }, lane));
      summary.cancelled = cancelled();
      if (!summary.cancelled) {
        // Files of an earlier check that are gone, or no longer listed: their diagnostics go.
        for (const uri of [...this.results.keys()]) {
          if (seen.has(uri)) continue;
          this.results.delete(uri);
          if (!this.documents.get(uri)) this.publish(uri, []);
        }
        this.last = { ...params, workDoneToken: undefined };
      }
    } finally {
      sub.dispose();
      summary.ms = Date.now() - t0;
      progress.end(summary.cancelled ? t('Cancelled after {0} files', summary.checked) : t('{0} files checked', summary.checked));
    }
    return summary;
  }

  private take(r: FileResult, settings: EngineSettings | null, summary: CheckWorkspaceResult): void {
    for (const e of r.errors ?? []) this.session.logError(`analysis of ${r.uri}`, e);
    if (r.skipped && !r.diagnostics.length) summary.skipped++;
    else summary.checked++;
    for (const d of r.diagnostics) {
      if (d.severity === 1) summary.errors++;
      else if (d.severity === 2) summary.warnings++;
      else summary.infos++;
    }
    if (r.diagnostics.length) summary.withFindings++;
    const before = this.results.get(r.uri);
    this.results.set(r.uri, { diagnostics: r.diagnostics, settings });
    // Open documents show their live analysis; a file without findings before or now needs no message.
    if (this.documents.get(r.uri)) return;
    if (r.diagnostics.length || before?.diagnostics.length) this.publish(r.uri, r.diagnostics);
  }

  /** The files to check: the client's list, and the supported files under the folders it named (file: only). */
  private async listFiles(params: CheckWorkspaceParams, runner: CheckRunner): Promise<string[]> {
    const uris = new Set<string>();
    for (const f of params.files ?? []) if (typeof f === 'string') uris.add(f);
    const folders: string[] = [];
    for (const f of params.folders ?? []) {
      const u = typeof f === 'string' ? URI.parse(f) : undefined;
      if (u?.scheme === 'file') folders.push(u.fsPath);
    }
    if (folders.length) {
      const listed = await runner.list(folders);
      for (const e of listed.errors) this.session.log(`workspace check: ${e}`);
      // An open document keeps the URI the client gave it.
      const open = new Map<string, string>();
      for (const d of this.documents.all()) {
        const u = URI.parse(d.uri);
        if (u?.scheme === 'file') open.set(u.fsPath, d.uri);
      }
      for (const p of listed.files) uris.add(open.get(p) ?? pathToFileURL(p).href);
    }
    return [...uris];
  }

  /**
   * The settings of each file's folder: one workspace/configuration request for all folders,
   * then the nearest `.container-hardening.yaml` (it wins, as for open documents).
   */
  private async settingsTable(uris: string[]): Promise<{ table: Array<EngineSettings | null>; index: number[] }> {
    const dirs = new Map<string, number>();
    const dirOf = uris.map((u) => {
      const d = u.slice(0, u.lastIndexOf('/') + 1);
      if (!dirs.has(d)) dirs.set(d, dirs.size);
      return dirs.get(d)!;
    });
    const dirList = [...dirs.keys()];
    let raws: unknown[] = dirList.map(() => this.settings.pushed);
    if (this.session.caps.configuration && dirList.length) {
      try {
        const answer: unknown = await this.session.connection.workspace.getConfiguration(dirList.map((d) => ({ scopeUri: d.replace(/\/$/, ''), section: SECTION })));
        if (Array.isArray(answer)) raws = dirList.map((_, i) => answer[i] ?? this.settings.pushed);
      } catch (e) {
        this.session.logError('workspace/configuration', e);
      }
    }
    const known = this.settings.knownRules();
    const table: Array<EngineSettings | null> = [];
    const byJson = new Map<string, number>();
    const dirIndex = dirList.map((d, i) => {
      const editor = readEditorSettings(raws[i], known);
      for (const e of editor.errors) this.session.showOnce(e);
      let s: EngineSettings | null = null;
      if (editor.enable) {
        const file = editor.configFile ? this.settings.configFiles.find(`${d}${CONFIG_PROBE}`) : undefined;
        if (file) for (const e of file.errors) this.session.showOnce(e);
        s = engine().resolveSettings(editor.engine, file?.settings);
      }
      const key = JSON.stringify(s);
      let at = byJson.get(key);
      if (at === undefined) {
        at = table.length;
        table.push(s);
        byJson.set(key, at);
      }
      return at;
    });
    return { table, index: dirOf.map((d) => dirIndex[d]) };
  }

  /** A checked file was closed in the editor: its file on the disk, checked again with the same settings. */
  private refresh(uri: string): void {
    const stored = this.results.get(uri);
    if (!stored || this.documents.get(uri)) return;
    let r: FileResult;
    try {
      r = this.threadRunner().checkOne({ uri, s: 0 }, stored.settings);
    } catch (e) {
      this.session.logError(`workspace check of ${uri}`, e);
      r = { uri, diagnostics: stored.diagnostics };
    }
    if (r.unsupported) {
      this.results.delete(uri);
      return;
    }
    this.results.set(uri, { diagnostics: r.diagnostics, settings: stored.settings });
    if (!this.documents.get(uri)) this.publish(uri, r.diagnostics);
  }

  private publish(uri: string, diagnostics: Diagnostic[]): void {
    void this.session.connection.sendDiagnostics({ uri, diagnostics }).catch((e) => this.session.logError('publishDiagnostics', e));
  }
}

/** A name in a folder, for the config look-up (it looks from the file's folder upward). */
const CONFIG_PROBE = 'file';

/** Work-done progress of the request, when the client gave a token. */
class Progress {
  private lastReport = 0;
  constructor(
    private readonly session: Session,
    private readonly token: string | number | undefined,
  ) {}

  private send(value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd): void {
    if (this.token === undefined) return;
    void this.session.connection.sendProgress(WorkDoneProgress.type, this.token, value).catch((e) => this.session.logError('progress', e));
  }

  begin(title: string): void {
    this.send({ kind: 'begin', title, cancellable: true, percentage: 0 });
  }

  report(done: number, total: number): void {
    const now = Date.now();
    if (done < total && now - this.lastReport < REPORT_MS) return;
    this.lastReport = now;
    this.send({ kind: 'report', message: t('{0} of {1} files', done, total), percentage: total ? Math.floor((100 * done) / total) : 100 });
  }

  end(message: string): void {
    this.send({ kind: 'end', message });
  }
}
