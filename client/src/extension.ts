/**
 * VS Code glue only: start the language server, register "Harden This File".
 * Everything else (diagnostics, hover, quick fixes, fix-all) comes from the server.
 * This is the desktop (Node) entry; browser.ts is the web one, common.ts what they share.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { clientOptions, registerHarden } from './common';

export { COMPOSE_GLOB, DEVCONTAINER_GLOB, DOCUMENT_SELECTOR, QUADLET_GLOB, WORKFLOW_GLOB } from './common';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  client = new LanguageClient('containerHardening', vscode.l10n.t('Container Hardening'), serverOptions, clientOptions());
  registerHarden(context, () => client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  if (client) await client.stop();
  client = undefined;
}
