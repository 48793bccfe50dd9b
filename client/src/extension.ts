/**
 * VS Code glue only: start the language server, register "Harden This File" and
 * "Check Workspace" (workspaceCheck.ts).
 * Everything else (diagnostics, hover, quick fixes, fix-all) comes from the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { HardenResponse } from '../../server/src/lsp/service';
import { registerWorkspaceCheck, type WorkspaceCheckApi } from './workspaceCheck';

const PREVIEW_SCHEME = 'container-hardening-preview';
const HARDEN_SERVER_COMMAND = 'containerHardening.harden';

/** compose.yaml, compose.yml, compose.*.y(a)ml, docker-compose*.y(a)ml (plain YAML when no Docker extension is installed). */
export const COMPOSE_GLOB = '**/{compose.yaml,compose.yml,compose.*.yaml,compose.*.yml,docker-compose*.yaml,docker-compose*.yml}';

/** devcontainer.json (VS Code reads it as JSON with comments), GitHub Actions workflows and Podman Quadlet units, whatever language they open as. */
export const DEVCONTAINER_GLOB = '**/{devcontainer.json,.devcontainer.json}';
export const WORKFLOW_GLOB = '**/.github/workflows/*.{yml,yaml}';
export const QUADLET_GLOB = '**/*.container';

export const DOCUMENT_SELECTOR = [
  { language: 'dockerfile' },
  { language: 'dockercompose' },
  { language: 'yaml', pattern: COMPOSE_GLOB },
  { language: 'shellscript' },
  { pattern: DEVCONTAINER_GLOB },
  { pattern: WORKFLOW_GLOB },
  { pattern: QUADLET_GLOB },
];


let client: LanguageClient | undefined;

/** Read-only documents holding the hardened text, shown on the right of the preview diff. */
class PreviewProvider implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  set(uri: vscode.Uri, text: string): void {
    this.texts.set(uri.toString(), text);
    this.emitter.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }
}

function isSupported(doc: vscode.TextDocument): boolean {
  return vscode.languages.match(DOCUMENT_SELECTOR, doc) > 0;
}

export async function activate(context: vscode.ExtensionContext): Promise<WorkspaceCheckApi> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    // The server registers its own watcher for .container-hardening.yaml (dynamic registration).
    initializationOptions: { locale: vscode.env.language },
    diagnosticCollectionName: 'container-hardening',
    // Harden's preview (the hardened text beside the file) is never analysed: no second copy of
    // the file's findings in Problems, no badge on the preview tab.
    middleware: {
      didOpen: (doc, next) => (doc.uri.scheme === PREVIEW_SCHEME ? Promise.resolve() : next(doc)),
      didChange: (e, next) => (e.document.uri.scheme === PREVIEW_SCHEME ? Promise.resolve() : next(e)),
      didClose: (doc, next) => (doc.uri.scheme === PREVIEW_SCHEME ? Promise.resolve() : next(doc)),
    },
  };
  client = new LanguageClient('containerHardening', vscode.l10n.t('Container Hardening'), serverOptions, clientOptions);

  const preview = new PreviewProvider();
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, preview));
  context.subscriptions.push(vscode.commands.registerCommand('containerHardening.hardenFile', (arg?: unknown, options?: { confirm?: boolean }) => hardenFile(arg, preview, options?.confirm !== false)));

  const workspace = registerWorkspaceCheck(context, () => client);

  await client.start();
  return workspace;
}

/** `confirm: false` (for scripts and tests) applies without the modal prompt; menus always ask. */
async function hardenFile(arg: unknown, preview: PreviewProvider, confirm = true): Promise<void> {
  const target = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
  if (!client || !target) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile, compose file or shell script to harden it.'));
    return;
  }
  const doc = await vscode.workspace.openTextDocument(target);
  if (!isSupported(doc)) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Container Hardening does not check this kind of file.'));
    return;
  }
  const uri = client.code2ProtocolConverter.asUri(doc.uri);
  const dry = await client.sendRequest<HardenResponse | null>('workspace/executeCommand', {
    command: HARDEN_SERVER_COMMAND,
    arguments: [uri, { dryRun: true, notify: false }],
  });
  if (!dry) return;
  if (dry.applied === 0 || dry.text === undefined || dry.text === doc.getText()) {
    void vscode.window.showInformationMessage(withManual(vscode.l10n.t('No safe fixes to apply.'), dry.remaining));
    return;
  }
  const apply = vscode.l10n.t('Apply');
  const show = vscode.l10n.t('Preview');
  let choice = !confirm ? apply : await vscode.window.showInformationMessage(
    withManual(vscode.l10n.t('Apply {0} to {1}?', safeFixes(dry.applied), basename(doc.uri)), dry.remaining),
    { modal: true },
    apply,
    show,
  );
  if (choice === show) {
    const right = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: doc.uri.path, query: String(Date.now()) });
    preview.set(right, dry.text);
    await vscode.commands.executeCommand('vscode.diff', doc.uri, right, vscode.l10n.t('{0} ↔ hardened (preview)', basename(doc.uri)), { preview: true });
    // A modal: it stays until answered (Apply, or Cancel which VS Code adds), unlike a toast.
    choice = await vscode.window.showInformationMessage(withManual(vscode.l10n.t('Apply {0} to {1}?', safeFixes(dry.applied), basename(doc.uri)), dry.remaining), { modal: true }, apply);
    await closePreview(right);
  }
  if (choice !== apply) return;
  const res = await client.sendRequest<HardenResponse | null>('workspace/executeCommand', {
    command: HARDEN_SERVER_COMMAND,
    arguments: [uri, { notify: false }],
  });
  if (!res) return;
  if (res.edited === false && res.applied > 0) {
    void vscode.window.showWarningMessage(res.message);
    return;
  }
  // The server's summary names what was applied and what needs a decision, per container.
  void vscode.window.showInformationMessage(res.message);
}

/** Closes the preview diff, whatever the answer was. */
async function closePreview(right: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === right.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/** "1 safe fix" / "3 safe fixes": whole strings per number, so each language words them its own way. */
function safeFixes(n: number): string {
  return n === 1 ? vscode.l10n.t('1 safe fix') : vscode.l10n.t('{0} safe fixes', n);
}

/** A sentence, followed by how many findings are left for the user to decide (if any). */
function withManual(sentence: string, remaining: number): string {
  if (remaining <= 0) return sentence;
  const rest = remaining === 1 ? vscode.l10n.t('1 finding needs a manual decision.') : vscode.l10n.t('{0} findings need a manual decision.', remaining);
  return `${sentence} ${rest}`;
}

function basename(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
