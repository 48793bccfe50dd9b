/**
 * Finding the `.container-hardening.yaml` for a file: the nearest one from
 * the file's folder upward. One implementation for the CLI and the language
 * server; the file system is passed in (the engine reads no files itself).
 */
import * as path from 'path';
import { CONFIG_FILE_NAMES, parseConfigText } from './settings';
import type { SettingsInput } from './types';

/** What the look-up needs of a file system. */
export interface ConfigFileSystem {
  /** True when there is a config file to read at `p` (not a folder). */
  exists(p: string): boolean;
  /** The file's text; throws (an Error with a message, `code` for system errors) when it cannot be read. */
  readFile(p: string): string;
}

export interface FoundConfig {
  path: string;
  settings: SettingsInput;
  /** Problems with the file (unreadable, invalid YAML, unknown rule ids…), for the user. */
  errors: string[];
  /** Set when the file could not be read at all (its settings are then the defaults). */
  readError?: Error & { code?: string };
}

/** Folders walked up at most (a symbolic-link loop or a very deep tree ends here). */
const MAX_DEPTH = 64;

/** Reads and checks one config file. Never throws. */
export function readConfigFile(p: string, fsys: ConfigFileSystem, knownRules: Set<string>): FoundConfig {
  let text: string;
  try {
    text = fsys.readFile(p);
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { path: p, settings: {}, errors: [`${p}: ${err.message}; using defaults`], readError: err };
  }
  const { settings, errors } = parseConfigText(text, knownRules, p);
  return { path: p, settings, errors };
}

export interface ConfigLookupOptions {
  /**
   * Whether an answer looked up at time `at` (from `now`) still holds; default: always (a CLI
   * run). The language server re-checks the disk after a while unless it gets file events.
   */
  fresh?: (at: number) => boolean;
  now?: () => number;
}

/**
 * Finds the config file for files in a folder, remembering the answer per
 * folder and each file's parse, while {@link ConfigLookupOptions.fresh} says so
 * (or until {@link ConfigLookup.clear}).
 */
export class ConfigLookup {
  private readonly dirs = new Map<string, { found: FoundConfig | null; at: number }>();
  private readonly files = new Map<string, { found: FoundConfig; at: number }>();
  private readonly fresh: (at: number) => boolean;
  private readonly now: () => number;

  constructor(
    private readonly fsys: ConfigFileSystem,
    private readonly knownRules: () => Set<string>,
    options: ConfigLookupOptions = {},
  ) {
    this.fresh = options.fresh ?? (() => true);
    this.now = options.now ?? (() => 0);
  }

  clear(): void {
    this.dirs.clear();
    this.files.clear();
  }

  /** The config that applies to files in `dir`: the nearest config file from there up to the root. */
  forDir(dir: string): FoundConfig | undefined {
    const walked: string[] = [];
    let found: FoundConfig | null = null;
    let d = dir;
    for (let depth = 0; depth < MAX_DEPTH; depth++) {
      const hit = this.dirs.get(d);
      if (hit && this.fresh(hit.at)) {
        found = hit.found;
        break;
      }
      walked.push(d);
      const name = CONFIG_FILE_NAMES.find((n) => this.fsys.exists(path.join(d, n)));
      if (name) {
        found = this.load(path.join(d, name));
        break;
      }
      const parent = path.dirname(d);
      if (parent === d) break;
      d = parent;
    }
    const at = this.now();
    for (const w of walked) this.dirs.set(w, { found, at });
    return found ?? undefined;
  }

  /** One config file (a `--config` given by the user, or one found), read once while fresh. */
  load(p: string): FoundConfig {
    const hit = this.files.get(p);
    if (hit && this.fresh(hit.at)) return hit.found;
    const found = readConfigFile(p, this.fsys, this.knownRules());
    this.files.set(p, { found, at: this.now() });
    return found;
  }
}
