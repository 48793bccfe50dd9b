import * as path from 'node:path';
import type { ConfigLookup, FoundConfig, SettingsInput } from '../engine';
import { nodeConfigFileSystem } from '../configFs';
import { engine } from './engine';
import { rootOf, type RemoteFiles } from './remoteFiles';
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
  if (typeof r.groupMissingHardening === 'boolean') input.group = r.groupMissingHardening;
  if (typeof r.peerComments === 'boolean') input.peerComments = r.peerComments;
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

/**
 * The `.container-hardening.yaml` the CLI would use for a file (the engine's
 * {@link ConfigLookup}: the nearest one from the file's folder upward). For
 * `file:` URIs on the disk; for other URIs only in the web build, through the
 * client ({@link RemoteFiles}); elsewhere in virtual workspaces there is nothing to read.
 *
 * Answers are remembered per folder, so an analysis does not stat every
 * parent folder. While the client watches config files for the server
 * ({@link ConfigFiles.watching}), a remembered answer holds until {@link
 * ConfigFiles.clear} (called on its file events); without a watcher it is
 * checked again on the disk after `maxAgeMs`.
 */
export class ConfigFiles {
  /** Set while the client sends file events for config files: remembered answers never go stale. */
  watching = false;
  /** How many times the disk was asked (stat) — for tests. */
  lookups = 0;
  private lookup: ConfigLookup | undefined;
  /** The web build's look-ups, one per `scheme://authority`. */
  private readonly remoteLookups = new Map<string, ConfigLookup>();

  constructor(
    private readonly knownRules: () => Set<string>,
    private readonly maxAgeMs = 3000,
    private readonly now: () => number = Date.now,
    private readonly remote?: RemoteFiles,
  ) {}

  clear(): void {
    this.lookup?.clear();
    for (const l of this.remoteLookups.values()) l.clear();
  }

  find(uri: string): FoundConfig | undefined {
    const u = URI.parse(uri);
    if (!u) return undefined;
    if (u.scheme !== 'file') return this.findRemote(uri, u.path);
    // Made on first use: the engine loads after the server answered `initialize`.
    this.lookup ??= new (engine().ConfigLookup)(
      nodeConfigFileSystem(() => this.lookups++),
      this.knownRules,
      { fresh: (at) => this.watching || this.now() - at < this.maxAgeMs, now: this.now },
    );
    return this.lookup.forDir(path.dirname(u.fsPath));
  }

  private findRemote(uri: string, p: string): FoundConfig | undefined {
    const root = this.remote && rootOf(uri);
    if (!this.remote || !root) return undefined;
    let lookup = this.remoteLookups.get(root);
    if (!lookup) {
      lookup = new (engine().ConfigLookup)(this.remote.configFileSystem(root), this.knownRules, {
        fresh: (at) => this.watching || this.now() - at < this.maxAgeMs,
        now: this.now,
      });
      this.remoteLookups.set(root, lookup);
    }
    return lookup.forDir(path.posix.dirname(p));
  }
}
