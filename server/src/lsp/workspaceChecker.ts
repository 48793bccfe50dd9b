/**
 * One file of a workspace check: read it (a `file:` URI from the disk, any
 * other from the text the client sent), find its kind by name or shebang as
 * the CLI does, analyse it and make its diagnostics. Runs in a worker thread
 * (workspaceWorker.ts) or in the server's thread (workspaceRunner.ts).
 * Node only: it reads the disk and walks folders with the CLI's walk.
 */
import * as fs from 'node:fs';
import type { Settings } from '../engine';
import { decode, Siblings, walk } from '../cli/files';
import { engine } from './engine';
import { toDiagnostic, type DiagnosticCapabilities } from './toDiagnostic';
import { URI } from './uri';
import { MAX_EDITOR_TEXT } from './workspaceProtocol';
import type { FileJob, FileResult } from './workspaceTypes';


export class FileChecker {
  private siblings = new Siblings();
  private settings: Array<Settings | null> = [];

  constructor(private readonly caps: DiagnosticCapabilities) {}

  /** A new run: its settings, and sibling files read afresh (they may have changed since the last). */
  begin(settings: Array<Settings | null>): void {
    this.settings = settings;
    this.siblings = new Siblings();
  }

  /** The supported files under folders, as `container-hardening check` finds them. */
  list(folders: string[]): { files: string[]; errors: string[] } {
    const w = { files: [] as string[], errors: [] as string[] };
    for (const f of folders) walk(f, w);
    return w;
  }

  check(job: FileJob): FileResult {
    return this.checkWith(job, this.settings[job.s] ?? null);
  }

  checkWith(job: FileJob, settings: Settings | null): FileResult {
    const { uri } = job;
    const u = URI.parse(uri);
    if (!u) return { uri, skipped: 'not a URI', diagnostics: [] };
    const fileName = u.scheme === 'file' ? u.fsPath : u.path;
    let text = job.text;
    if (text === undefined) {
      if (u.scheme !== 'file') return { uri, skipped: 'no text given', diagnostics: [] };
      const read = readText(fileName);
      if (read.problem) return { uri, skipped: read.problem, diagnostics: [] };
      text = read.text ?? '';
    }
    const e = engine();
    const kind = e.detectKind(fileName, text);
    if (!kind) return { uri, unsupported: true, diagnostics: [] };
    if (!settings) return { uri, diagnostics: [] };
    const r = e.analyze(text, { fileName, kind, settings, readFile: this.siblings.read });
    const diagnostics = e.presented(r.findings, r.groups).map((f) => toDiagnostic(f, uri, this.caps));
    const out: FileResult = { uri, diagnostics };
    if (r.internalErrors.length) out.errors = r.internalErrors;
    if (r.skipped) out.skipped = r.skipped;
    return out;
  }
}

function readText(file: string): { text?: string; problem?: string } {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return { problem: 'not a file' };
    if (st.size > MAX_EDITOR_TEXT) return { problem: 'too large' };
    return decode(fs.readFileSync(file));
  } catch (e) {
    return { problem: `cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
}
