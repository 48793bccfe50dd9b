/**
 * The web extension (package.json `browser`): VS Code for the Web (vscode.dev,
 * github.dev) and any VS Code whose extension host runs in the browser. The
 * language server (dist/web-server.js) runs in a web worker; it has no file system,
 * so this client reads the files it asks for (a compose file's base or override, an
 * `extends` target, a service's Dockerfile, `.container-hardening.yaml`) through
 * vscode.workspace.fs, and tells it where the tree-sitter grammars are.
 */
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { MAX_SIBLING_FILE, READ_FILES_REQUEST, type ReadFilesParams, type ReadFilesResult } from '../../server/src/lsp/remoteFiles';
import { clientOptions, registerHarden } from './common';
import { registerWorkspaceCheck } from './workspaceCheck';

/** The browser's Worker (no DOM types in this project's compile). */
declare const Worker: new (url: string, options?: { name?: string }) => object;

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const [server, runtime, bash] = await Promise.all(['web-server.js', 'tree-sitter.wasm', 'tree-sitter-bash.wasm'].map((f) => browserUrl(vscode.Uri.joinPath(dist, f))));
  const options = clientOptions();
  options.initializationOptions = { ...(options.initializationOptions as object), wasm: { runtime, bash } };
  const worker = new Worker(server, { name: 'Container Hardening language server' });
  client = new LanguageClient('containerHardening', vscode.l10n.t('Container Hardening'), worker, options);
  client.onRequest(READ_FILES_REQUEST, (p: ReadFilesParams) => readFiles(p?.uris ?? []));
  registerHarden(context, () => client);
  registerWorkspaceCheck(context, () => client);
  await client.start();
}

/**
 * Where the browser fetches an extension file. On vscode.dev it is already an https URL;
 * an extension installed on a remote (code-server, Codespaces) has a vscode-remote: URI,
 * which the extension host's fetch turns into a URL of the page's server: the response says which.
 */
async function browserUrl(uri: vscode.Uri): Promise<string> {
  const s = uri.toString(true);
  if (uri.scheme === 'http' || uri.scheme === 'https') return s;
  const r = await fetch(s);
  void r.body?.cancel().catch(() => undefined);
  if (!r.ok) throw new Error(`${s}: HTTP ${r.status}`);
  return r.url || s;
}

/** The texts of files the server asks for: null for a missing file, a folder, a file over the limit or one that is not UTF-8 text. */
export async function readFiles(uris: string[]): Promise<ReadFilesResult> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return Promise.all(
    uris.map(async (u) => {
      try {
        const uri = vscode.Uri.parse(u, true);
        const st = await vscode.workspace.fs.stat(uri);
        if (st.type & vscode.FileType.Directory || st.size > MAX_SIBLING_FILE) return null;
        return decoder.decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        return null;
      }
    }),
  );
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
