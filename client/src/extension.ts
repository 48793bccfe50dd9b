/**
 * VS Code glue only: start the language server, register "Harden This File" and
 * "Check Workspace". Everything else (diagnostics, hover, quick fixes, fix-all) comes
 * from the server. This is the desktop (Node) entry; browser.ts is the web one,
 * common.ts what they share.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { clientOptions, registerHarden } from './common';
import { registerWorkspaceCheck, type WorkspaceCheckApi } from './workspaceCheck';

export { COMPOSE_GLOB, DEVCONTAINER_GLOB, DOCUMENT_SELECTOR, QUADLET_GLOB, WORKFLOW_GLOB } from './common';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<WorkspaceCheckApi> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  client = new LanguageClient('containerHardening', vscode.l10n.t('Container Hardening'), serverOptions, clientOptions());
  registerHarden(context, () => client);
  const workspace = registerWorkspaceCheck(context, () => client);
  await client.start();
  return workspace;
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
