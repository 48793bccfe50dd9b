/** Reading and writing files for the CLI: decoding, the folder walk, standard input, atomic writes, sibling files, config files. */
import * as fs from 'fs';
import * as path from 'path';
import type { Ignore } from 'ignore';
import { nodeConfigFileSystem } from '../configFs';
import { ConfigLookup, detectKind, RULE_IDS, type FoundConfig, type SettingsInput } from '../engine';
import { UsageError } from './args';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);
export const MAX_FILE = 20 * 1024 * 1024;

/** Decodes a file: UTF-8 (BOM allowed) or UTF-16 with a BOM; anything else is reported. */
export function decode(buf: Buffer): { text?: string; problem?: string } {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)) };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)) };
  if (buf.includes(0)) return { problem: 'binary file (contains NUL bytes)' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf) };
  } catch {
    return { problem: 'not valid UTF-8 (or UTF-16 with a byte-order mark)' };
  }
}

/**
 * The first bytes of a file without an extension, to look for a shebang. An
 * unreadable one is taken for no script: most such files in a tree are not
 * scripts, and the walk reports only what it was asked to check.
 */
function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const b = Buffer.alloc(256);
    const n = fs.readSync(fd, b, 0, 256, 0);
    return b.subarray(0, n).toString('latin1');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export interface Walker {
  files: string[];
  errors: string[];
}

export function walk(root: string, w: Walker): void {
  const visited = new Set<string>();
  const rec = (dir: string, ig: Array<{ base: string; ig: Ignore }>) => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (e) {
      w.errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    if (visited.has(real)) return;
    visited.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      w.errors.push(`${dir}: cannot read folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return;
    }
    let rules = ig;
    const gi = path.join(dir, '.gitignore');
    if (entries.some((e) => e.name === '.gitignore' && e.isFile())) {
      try {
        // Loaded only when a folder has a .gitignore.
        const ignore = require('ignore') as typeof import('ignore');
        rules = [...ig, { base: dir, ig: ignore().add(fs.readFileSync(gi, 'utf8')) }];
      } catch (e) {
        // Unreadable: files it would hide get checked, and the run says why it failed.
        w.errors.push(`${gi}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
    const ignored = (p: string, isDir: boolean) =>
      rules.some((r) => {
        const rel = path.relative(r.base, p).split(path.sep).join('/');
        return rel && !rel.startsWith('..') && r.ig.ignores(isDir ? rel + '/' : rel);
      });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignored(p, true)) continue;
        rec(p, rules);
      } else if (e.isFile() || e.isSymbolicLink()) {
        if (e.isSymbolicLink()) {
          try {
            if (!fs.statSync(p).isFile()) continue;
          } catch {
            continue; // dangling link or loop
          }
        }
        if (ignored(p, false)) continue;
        if (detectKind(p) || (!path.extname(e.name) && detectKind(e.name, readHead(p)))) w.files.push(p);
      }
    }
  };
  rec(root, []);
}


/** The settings for each file: the engine's config look-up over the disk, or the one `--config` file. */
export class ConfigCache {
  private readonly lookup = new ConfigLookup(nodeConfigFileSystem(), () => RULE_IDS);
  /** Every config file used, in the order first used: their problems are reported once. */
  private readonly used = new Set<FoundConfig>();
  constructor(private readonly explicit?: string) {}
  get messages(): string[] {
    return [...this.used].flatMap((c) => c.errors);
  }
  forFile(file: string): SettingsInput {
    let found: FoundConfig | undefined;
    if (this.explicit) {
      const p = path.resolve(this.explicit);
      found = this.lookup.load(p);
      const code = found.readError?.code;
      if (code) throw new UsageError(`cannot read config ${p}: ${code}`);
    } else found = this.lookup.forDir(path.dirname(path.resolve(file)));
    if (!found) return {};
    this.used.add(found);
    return found.settings;
  }
}

export function readStdin(): Buffer {
  const chunks: Buffer[] = [];
  const b = Buffer.alloc(65536);
  for (;;) {
    let n = 0;
    try {
      n = fs.readSync(0, b, 0, b.length, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((e as NodeJS.ErrnoException).code === 'EOF') break;
      throw e;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(b.subarray(0, n)));
  }
  return Buffer.concat(chunks);
}

/** Writes a file atomically: a temporary file beside it, same mode, then rename. */
export function writeAtomic(file: string, text: string, mode: number): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.container-hardening-${process.pid}-${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', mode & 0o7777);
  try {
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.chmodSync(tmp, mode & 0o7777);
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

/** A sibling file's text; undefined when there is none (or it cannot be read: the engine then goes without it). */
function readSibling(p: string): string | undefined {
  try {
    const st = fs.statSync(p);
    if (!st.isFile() || st.size > MAX_FILE) return undefined;
    const d = decode(fs.readFileSync(p));
    return d.text;
  } catch {
    return undefined;
  }
}

/**
 * Sibling files the engine asks for (compose base and override files, the
 * Dockerfile a service builds), read once per run: in a folder several files
 * read the same ones, and the files being checked are known already.
 */
export class Siblings {
  private readonly texts = new Map<string, string | undefined>();
  readonly read = (p: string): string | undefined => {
    const key = path.resolve(p);
    if (!this.texts.has(key)) this.texts.set(key, readSibling(key));
    return this.texts.get(key);
  };
  /** The text of a file being checked, as read for that. */
  known(file: string, text: string): void {
    this.texts.set(path.resolve(file), text);
  }
  /** After a file was rewritten (--fix): read everything again. */
  forget(): void {
    this.texts.clear();
  }
}
