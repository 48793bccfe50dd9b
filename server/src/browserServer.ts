/**
 * Entry point of the language server in the web build (vscode.dev, github.dev): it
 * runs in a web worker the web extension (client/src/browser.ts) starts, and speaks
 * LSP over the worker's messages. The same server as server.ts, with what a web worker
 * lacks given by the client: the grammars' URLs (initializationOptions.wasm, fetched
 * here) and the files that are not open documents (containerHardening/readFiles, see
 * lsp/remoteFiles.ts). The message bundles and the version are built in (bundle.mjs).
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import type { WasmBinaries } from './engine';
import { startServer } from './lsp/service';

/** Set by bundle.mjs: the package's version and the server's message bundles by file name. */
declare const __CH_VERSION__: string | undefined;
declare const __CH_L10N__: Record<string, string> | undefined;

const worker = globalThis as { setImmediate?: unknown };
// The scheduler yields with setImmediate, which a browser lacks.
worker.setImmediate ??= (fn: (...args: unknown[]) => void, ...args: unknown[]) => setTimeout(fn, 0, ...args);

const connection = createConnection(new BrowserMessageReader(globalThis), new BrowserMessageWriter(globalThis));

/** What the web extension passes in initializationOptions.wasm: browser URLs of the two grammars. */
let wasmUrls: { runtime?: unknown; bash?: unknown } = {};

async function fetchBytes(url: unknown, name: string): Promise<Uint8Array> {
  if (typeof url !== 'string') throw new Error(`no URL for ${name} in initializationOptions.wasm`);
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${name}: HTTP ${r.status} from ${url}`);
  return new Uint8Array(await r.arrayBuffer());
}

const l10n = typeof __CH_L10N__ === 'undefined' ? {} : __CH_L10N__;

startServer(connection, {
  remoteFiles: true,
  version: typeof __CH_VERSION__ === 'undefined' ? undefined : __CH_VERSION__,
  l10nBundle: (name) => l10n[name],
  onInitialize: (params) => {
    const init = params.initializationOptions as { wasm?: typeof wasmUrls } | undefined;
    if (init?.wasm && typeof init.wasm === 'object') wasmUrls = init.wasm;
  },
  wasm: async (): Promise<WasmBinaries> => {
    const [runtime, bash] = await Promise.all([fetchBytes(wasmUrls.runtime, 'tree-sitter.wasm'), fetchBytes(wasmUrls.bash, 'tree-sitter-bash.wasm')]);
    return { runtime, bash };
  },
});
