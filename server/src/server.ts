/**
 * Entry point of the Container Hardening language server. Speaks LSP over
 * stdio (`--stdio`), node IPC (`--node-ipc`, used by the VS Code client) or a
 * socket (`--socket=N`); vscode-languageserver picks the transport from argv.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/service';

const connection = createConnection(ProposedFeatures.all);

// A bad document must never take the server down: log and keep serving.
process.on('uncaughtException', (e) => {
  try {
    connection.console.error(`uncaught: ${e?.stack ?? e}`);
  } catch {
    // ignore
  }
});
process.on('unhandledRejection', (e) => {
  try {
    connection.console.error(`unhandled rejection: ${(e as Error)?.stack ?? e}`);
  } catch {
    // ignore
  }
});

// The bundled server (dist/server.js) ships the grammars next to itself.
const wasmDir = fs.existsSync(path.join(__dirname, 'tree-sitter-bash.wasm')) ? __dirname : undefined;
startServer(connection, { wasmDir });
