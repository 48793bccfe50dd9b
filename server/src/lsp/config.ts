import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SettingsInput } from '../engine';
import { engine } from './engine';
import { URI } from './uri';

export type PartialSettings = SettingsInput;

/** What the editor says under the `containerHardening` section. */
export interface EditorSettings {
  enable: boolean;
  /** Honour `.container-hardening.yaml` files (default true). */
  configFile: boolean;
  engine: PartialSettings;
  errors: string[];
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true, configFile: true, engine: {}, errors: [] };

/** Turns the raw `containerHardening` configuration object into validated settings. */
export function readEditorSettings(raw: unknown, knownRules: Set<string>): EditorSettings {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { ...DEFAULT_EDITOR_SETTINGS };
  const r = raw as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  if (r.rules && typeof r.rules === 'object') input.rules = r.rules;
  if (r.fix && typeof r.fix === 'object') {
    // Empty strings and nulls mean "not set" in editor settings.
    const fix: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.fix as Record<string, unknown>)) if (v !== '' && v !== null && v !== undefined) fix[k] = v;
    input.fix = fix;
  }
  const { settings, errors } = engine().validateSettings(input, knownRules, 'containerHardening settings');
  return {
    enable: r.enable !== false,
    configFile: r.configFile !== false,
    engine: settings,
    errors,
  };
}

interface CachedConfig {
  mtimeMs: number;
  size: number;
  settings: PartialSettings;
  errors: string[];
}

export interface FoundConfig {
  path: string;
  settings: PartialSettings;
  errors: string[];
}

const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Finds and parses the `.container-hardening.yaml` the CLI would use for a
 * file: the nearest one from the file's folder upward, up to the file system
 * root (as `container-hardening check` does). Only for `file:` URIs: in
 * virtual workspaces there is nothing to read.
 *
 * The answer for a folder is remembered, so an analysis does not stat every
 * parent folder. While the client watches config files for the server
 * ({@link ConfigFiles.watching}), a remembered answer holds until {@link
 * ConfigFiles.clear} (called on its file events); without a watcher it is
 * checked again on the disk after `maxAgeMs`.
 */
export class ConfigFiles {
  /** Parsed config files by path (re-read when their mtime or size changes). */
  private files = new Map<string, CachedConfig>();
  /** Folder → the config that applies there (null: none up to the root), and when that was looked up. */
  private dirs = new Map<string, { found: FoundConfig | null; at: number }>();
  /** Set while the client sends file events for config files: remembered answers never go stale. */
  watching = false;
  /** How many times the disk was asked (stat) — for tests. */
  lookups = 0;

  constructor(
    private readonly knownRules: () => Set<string>,
    private readonly maxAgeMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  clear(): void {
    this.files.clear();
    this.dirs.clear();
  }

  find(uri: string): FoundConfig | undefined {
    const u = URI.parse(uri);
    if (!u || u.scheme !== 'file') return undefined;
    return this.forDir(path.dirname(u.fsPath)) ?? undefined;
  }

  private fresh(at: number): boolean {
    return this.watching || this.now() - at < this.maxAgeMs;
  }

  private forDir(start: string): FoundConfig | null {
    const walked: string[] = [];
    let found: FoundConfig | null = null;
    let dir = start;
    for (let guard = 0; guard < 64; guard++) {
      const hit = this.dirs.get(dir);
      if (hit && this.fresh(hit.at)) {
        found = hit.found;
        break;
      }
      walked.push(dir);
      const here = this.inDir(dir);
      if (here) {
        found = here;
        break;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    const at = this.now();
    for (const d of walked) this.dirs.set(d, { found, at });
    return found;
  }

  /** The config file in this very folder, if any. */
  private inDir(dir: string): FoundConfig | undefined {
    const { CONFIG_FILE_NAMES } = engine();
    for (const name of CONFIG_FILE_NAMES) {
      const p = path.join(dir, name);
      const c = this.load(p);
      if (c) return { path: p, settings: c.settings, errors: c.errors };
    }
    return undefined;
  }

  private load(p: string): CachedConfig | undefined {
    let st: fs.Stats;
    this.lookups++;
    try {
      st = fs.statSync(p);
    } catch {
      this.files.delete(p);
      return undefined;
    }
    if (!st.isFile()) return undefined;
    const hit = this.files.get(p);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    let entry: CachedConfig;
    if (st.size > MAX_CONFIG_BYTES) {
      entry = { mtimeMs: st.mtimeMs, size: st.size, settings: {}, errors: [`${p}: file is larger than 256 KiB; ignored`] };
    } else {
      try {
        const text = fs.readFileSync(p, 'utf8');
        const { settings, errors } = engine().parseConfigText(text, this.knownRules(), p);
        entry = { mtimeMs: st.mtimeMs, size: st.size, settings, errors };
      } catch (e) {
        entry = { mtimeMs: st.mtimeMs, size: st.size, settings: {}, errors: [`${p}: ${(e as Error).message}`] };
      }
    }
    this.files.set(p, entry);
    return entry;
  }
}
