/**
 * The file system the engine's config look-up (engine/config.ts) reads
 * through, for the CLI and the language server.
 */
import * as fs from 'fs';
import type { ConfigFileSystem } from './engine/config';

/** Config files larger than this are not read (as parseConfigText would refuse them). */
export const MAX_CONFIG_BYTES = 256 * 1024;

const ABSENT = new Set(['ENOENT', 'ENOTDIR']);

/**
 * `exists` is true for a regular file, and for anything that cannot even be
 * looked at (so that reading it reports why); `onStat` counts the look-ups.
 */
export function nodeConfigFileSystem(onStat?: () => void): ConfigFileSystem {
  return {
    exists(p) {
      onStat?.();
      try {
        return fs.statSync(p).isFile();
      } catch (e) {
        return !ABSENT.has((e as NodeJS.ErrnoException).code ?? '');
      }
    },
    readFile(p) {
      const st = fs.statSync(p);
      if (!st.isFile()) throw new Error('not a regular file');
      const tooLarge = () => new Error(`config file is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
      if (st.size > MAX_CONFIG_BYTES) throw tooLarge();
      // Read at most the limit, even if the file grows between stat and read.
      const fd = fs.openSync(p, 'r');
      try {
        const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
        const n = fs.readSync(fd, buf, 0, buf.length, 0);
        if (n > MAX_CONFIG_BYTES) throw tooLarge();
        return buf.subarray(0, n).toString('utf8');
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}
