'use strict';
// Loads the bundled CLI (dist/engine.js, then dist/cli.js) with the V8 code cache that
// `npm run bundle` (server/scripts/bundle.mjs, also run by `npm install`) writes next to them:
// dist/engine.js.<V8 version>.v8cache and dist/cli.js.<V8 version>.v8cache. With it, V8 does not compile the ~450 KB of
// minified JavaScript again on every run. The cache is only a shortcut: when it is missing,
// stale (another build), corrupt or foreign (another Node or V8 version, other V8 flags), it is
// ignored and the bundle is compiled as usual. It is written only at bundle time, never when
// the CLI runs, so a read-only install works and nothing lands in a user's project.
//
// Each cache file is `<key>\n` followed by the data of vm.Script#createCachedData(); the key is
// the SHA-1 of the bundle, which bundle.mjs also writes on the bundle's last line (V8 itself
// compares only the length of the source with the cache's).
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const vm = require('node:vm');

/** What bundle.mjs appends to dist/engine.js and dist/cli.js, followed by the key and '\n'. */
const KEY_MARK = '\n//# code-cache-key=';
const KEY_LENGTH = 40;
/** Scripts that have a cache, in load order (cli.js requires ./engine.js). */
const SCRIPTS = ['engine.js', 'cli.js'];

/**
 * The cache file of a bundle. Its name holds the V8 version (V8 refuses a cache from another
 * one): after a Node upgrade the old cache is not even read, and the bundle loads as usual.
 */
function cacheFile(file) {
  return `${file}.${process.versions.v8}.v8cache`;
}

// The CommonJS wrapper, with the source starting on a line of its own so that positions in
// stack traces are those of the file.
const HEAD = '(function (exports, require, module, __filename, __dirname) {\n';
const TAIL = '\n});';

/**
 * V8 accepts a cache only under the V8 flags it was made with. The CLI sets --liftoff-only
 * before it loads the shell grammar (server/src/cli.ts), which is part of the runs the caches
 * are made from, so the loader sets it first, both when it makes the caches and when it uses
 * them. The flag only concerns WebAssembly.
 */
function setFlags() {
  require('node:v8').setFlagsFromString('--liftoff-only');
}

/** The key on the last line of a bundle, or undefined. */
function keyOf(src) {
  const at = src.length - KEY_LENGTH - 1;
  if (at < KEY_MARK.length || src.slice(at - KEY_MARK.length, at) !== KEY_MARK || src[src.length - 1] !== '\n') return undefined;
  return src.slice(at, at + KEY_LENGTH);
}

/** The cache data for a bundle's source, if its cache file exists and was made from this source. */
function readCache(file, src) {
  const key = keyOf(src);
  if (!key) return undefined;
  let buf;
  try {
    buf = fs.readFileSync(cacheFile(file));
  } catch {
    return undefined;
  }
  if (buf.length <= KEY_LENGTH + 1 || buf.toString('latin1', 0, KEY_LENGTH + 1) !== key + '\n') return undefined;
  return buf.subarray(KEY_LENGTH + 1);
}

/** Compiles and runs one bundle as the CommonJS module it is, and registers it in require.cache. */
function run(file, src, cachedData) {
  const options = { filename: file, lineOffset: -1, cachedData };
  // import() in the bundle goes to Node's loader, as in a required module (Node >= 20.12).
  if (vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER) options.importModuleDynamically = vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(HEAD + src + TAIL, options);
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = m;
  try {
    script.runInThisContext().call(m.exports, m.exports, Module.createRequire(file), m, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  m.loaded = true;
  return { script, exports: m.exports };
}

/**
 * Loads the bundled CLI in `dir` (dist/) with its code cache. Returns its exports and what
 * became of the cache: 'accepted' (V8 used it), 'rejected' (V8 refused it: another Node or
 * flags) or 'none' (no cache made from these bundles: plain require()).
 */
function loadBundle(dir) {
  const files = SCRIPTS.map((s) => path.join(dir, s));
  let srcs;
  try {
    srcs = files.map((f) => fs.readFileSync(f, 'utf8'));
  } catch {
    srcs = [];
  }
  const caches = srcs.map((src, i) => readCache(files[i], src));
  if (caches.length < files.length || caches.some((c) => !c)) return { exports: require(files[files.length - 1]), cache: 'none' };
  setFlags();
  let rejected = false;
  let exports;
  for (let i = 0; i < files.length; i++) {
    const r = run(files[i], srcs[i], caches[i]);
    rejected = rejected || r.script.cachedDataRejected === true;
    exports = r.exports;
  }
  return { exports, cache: rejected ? 'rejected' : 'accepted' };
}

/**
 * Makes the caches for the bundles in `dir`: loads them without a cache, checks `argv` with
 * the CLI (output discarded) so that what a run compiles is in the cache too, then writes
 * `cacheFile(bundle)` for each. Run in a process of its own (bundle.mjs does).
 */
async function writeCodeCache(dir, argv) {
  setFlags();
  const made = [];
  for (const s of SCRIPTS) {
    const file = path.join(dir, s);
    const src = fs.readFileSync(file, 'utf8');
    const key = keyOf(src);
    if (!key) throw new Error(`${file} has no code-cache key on its last line`);
    made.push({ file, key, script: run(file, src, undefined) });
  }
  const cli = made[made.length - 1].script.exports;
  const quiet = () => {};
  await cli.main(argv, { stdout: quiet, stderr: quiet, isTTY: false });
  for (const { file, key, script } of made) fs.writeFileSync(cacheFile(file), Buffer.concat([Buffer.from(key + '\n', 'latin1'), script.script.createCachedData()]));
}

module.exports = { loadBundle, writeCodeCache, cacheFile, KEY_MARK, SCRIPTS };
