/**
 * The workspace check over LSP: a request the client sends with the files it
 * found (or folders for the server to list), answered when every file was
 * checked or the request was cancelled. Findings of files that are not open
 * are published as diagnostics while it runs; progress goes through the
 * standard work-done progress of the request (`workDoneToken`).
 *
 * No imports: the VS Code client uses these names and types too.
 */

export const CHECK_WORKSPACE_METHOD = 'containerHardening/checkWorkspace';

/** Files larger than this are not analysed, open or not (generated files, logs opened by mistake); the client does not send them. */
export const MAX_EDITOR_TEXT = 4 * 1024 * 1024;

export interface CheckWorkspaceParams {
  /**
   * The files to check (URIs), as the client found them: its excludes and `.gitignore` applied.
   * Names the engine does not recognise (a script without an extension) are read and kept if their
   * first line says they are a shell script.
   */
  files?: string[];
  /** Folders (`file:` URIs) the server lists itself, as the CLI does: `.gitignore` honoured, `.git` and `node_modules` skipped. */
  folders?: string[];
  /** Texts of files the server cannot read itself (any URI that is not `file:`, e.g. in a virtual workspace). */
  texts?: Record<string, string>;
  /** Standard LSP work-done progress: begin, a report per batch of files, end. */
  workDoneToken?: string | number;
}

export interface CheckWorkspaceResult {
  /** Supported files checked (open ones included: their text in the editor was checked). */
  checked: number;
  /** Files given or listed, supported or not. */
  listed: number;
  /** Diagnostics by severity over the checked files. */
  errors: number;
  warnings: number;
  infos: number;
  /** Files with at least one diagnostic. */
  withFindings: number;
  /** Files that could not be read or were skipped (too large, binary, not UTF-8). */
  skipped: number;
  cancelled: boolean;
  /** Wall time of the request on the server. */
  ms: number;
  /** Worker threads that analysed (0: the server's own thread). */
  workers: number;
}
