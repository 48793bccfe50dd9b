/**
 * Entry point of the Container Hardening language server. Speaks LSP over
 * stdio (`--stdio`), node IPC (`--node-ipc`, used by the VS Code client) or a
 * socket (`--socket=N`); vscode-languageserver picks the transport from argv.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './lsp/service';
import { createWorkspaceRunner } from './lsp/workspacePool';

// The shell parser (tree-sitter-bash, 1.4 MB of wasm) runs on V8's baseline compiler only.
// Optimising it with TurboFan makes parsing ~10–15 % faster but costs ~30 MB of resident
// memory (optimised code and compiler memory) and background compile bursts that compete
// with the editor for the CPU right after start-up. Only affects wasm compiled later.
v8.setFlagsFromString('--liftoff-only');

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
// Check Workspace analyses in worker threads (lsp/workspacePool.ts); other builds leave them out.
startServer(connection, { wasmDir, workspaceRunner: createWorkspaceRunner });
