/**
 * The engine, loaded on first use. The server answers `initialize` before it
 * pays for loading the engine (its rules, the YAML and Dockerfile parsers and
 * web-tree-sitter): the LSP layer only holds types until then.
 *
 * In the tsc build this is `out/server/src/engine`; the bundled server keeps
 * the engine in its own file next to it (dist/engine.js, see
 * server/scripts/bundle.mjs), so it is not even parsed before it is needed.
 */
import type * as EngineModule from '../engine';

export type Engine = typeof EngineModule;

let loaded: Engine | undefined;

export function engine(): Engine {
  // A plain require, not an import: this is what keeps it lazy in both builds.
  return (loaded ??= require('../engine') as Engine);
}

