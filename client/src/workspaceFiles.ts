/**
 * The files Check Workspace sends to the server: every file of the workspace
 * folders (through the VS Code API, so virtual workspaces work too) minus
 * `files.exclude`, `search.exclude` and `.gitignore` (npm `ignore`, the
 * library the CLI's walk uses), kept when the engine's own name detection
 * knows them (server/src/engine/detect.ts) or when they have no extension
 * (the server then looks for a shell shebang, as the CLI does).
 */
import ignore, { type Ignore } from 'ignore';
import * as vscode from 'vscode';
import { detectKind } from '../../server/src/engine/detect';
import { MAX_EDITOR_TEXT } from '../../server/src/lsp/workspaceProtocol';


export interface FoundFiles {
  files: vscode.Uri[];
  /** Texts of files the server cannot read itself (not `file:`). */
  texts: Map<vscode.Uri, string>;
}

/** Every glob set to `true` in `files.exclude` and `search.exclude` (conditional ones, `{ when }`, are left out). */
export function excludePatterns(): string[] {
  const out = new Set<string>();
  for (const [section, key] of [['files', 'exclude'], ['search', 'exclude']] as const) {
    const map = vscode.workspace.getConfiguration(section).get<Record<string, unknown>>(key) ?? {};
    for (const [glob, on] of Object.entries(map)) if (on === true) for (const g of expandBraces(glob)) out.add(g);
  }
  return [...out];
}

/** `a/{b,c}/*.{x,y}` → its alternatives: the patterns are joined into one `{…,…}` glob, where braces do not nest. */
export function expandBraces(glob: string): string[] {
  const m = /\{([^{}]*)\}/.exec(glob);
  if (!m) return [glob];
  return m[1].split(',').flatMap((alt) => expandBraces(glob.slice(0, m.index) + alt + glob.slice(m.index + m[0].length)));
}

/** Whether Check Workspace sends a file: a name the engine knows, or no extension (maybe a script). */
export function isCandidate(path: string): boolean {
  if (detectKind(path)) return true;
  const base = path.slice(path.lastIndexOf('/') + 1);
  return !base.includes('.') || (base.startsWith('.') && base.indexOf('.', 1) < 0 && base !== '.gitignore');
}

/** The .gitignore files of a folder, each as a matcher for paths below its own folder. */
async function gitignores(folder: vscode.WorkspaceFolder, exclude: string | undefined, token: vscode.CancellationToken): Promise<Array<{ dir: string; ig: Ignore }>> {
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/.gitignore'), exclude, undefined, token);
  const out: Array<{ dir: string; ig: Ignore }> = [];
  for (const uri of found) {
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const rel = relativeTo(folder, uri);
      out.push({ dir: rel.slice(0, rel.lastIndexOf('/') + 1), ig: ignore().add(text) });
    } catch {
      // An unreadable .gitignore hides nothing.
    }
  }
  return out;
}

function relativeTo(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}

export async function findWorkspaceFiles(token: vscode.CancellationToken): Promise<FoundFiles> {
  const patterns = excludePatterns();
  const exclude = patterns.length ? `{${patterns.join(',')}}` : undefined;
  const files: vscode.Uri[] = [];
  const texts = new Map<vscode.Uri, string>();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (token.isCancellationRequested) break;
    const [all, ignores] = await Promise.all([
      vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), exclude, undefined, token),
      gitignores(folder, exclude, token),
    ]);
    for (const uri of all) {
      if (!isCandidate(uri.path)) continue;
      const rel = relativeTo(folder, uri);
      if (ignores.some((g) => rel.startsWith(g.dir) && g.ig.ignores(rel.slice(g.dir.length)))) continue;
      files.push(uri);
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // A virtual workspace: the server cannot read these, the client sends their text.
  for (const uri of files) {
    if (uri.scheme === 'file' || token.isCancellationRequested) continue;
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength <= MAX_EDITOR_TEXT) texts.set(uri, new TextDecoder().decode(bytes));
    } catch {
      // Unreadable: the server reports it skipped.
    }
  }
  return { files, texts };
}
