import { yaml } from './lazy';
import { GROUP_MEMBERS, MISSING_HARDENING } from './group';
import { RULES } from './rules';
import type { FixDefaults, Settings, SettingsInput, SeveritySetting } from './types';

export const DEFAULT_FIX: FixDefaults = {
  user: '1000:1000',
  dockerfileUser: '1000',
  memory: '512m',
  cpus: '1',
  pidsLimit: 200,
};

export const DEFAULT_SETTINGS: Settings = { rules: {}, fix: { ...DEFAULT_FIX }, group: true, peerComments: true };

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);
const MAX_CONFIG_BYTES = 256 * 1024;

export interface ConfigResult {
  settings: SettingsInput;
  errors: string[];
}

/** Opt-in rules start off; a severity in the settings turns them on. */
const OFF_BY_DEFAULT: Record<string, SeveritySetting> = Object.fromEntries(RULES.filter((r) => r.off).map((r) => [r.id, 'off' as const]));

/** Merges partial settings over defaults; later arguments win. */
export function resolveSettings(...parts: Array<SettingsInput | undefined>): Settings {
  const out: Settings = { rules: { ...OFF_BY_DEFAULT }, fix: { ...DEFAULT_FIX }, group: true, peerComments: true };
  for (const p of parts) {
    if (!p) continue;
    if (p.rules) {
      // The group id stands for its members; a member named on its own in the same settings wins.
      const group = p.rules[MISSING_HARDENING];
      if (group) for (const id of GROUP_MEMBERS) out.rules[id] = group;
      for (const [id, sev] of Object.entries(p.rules)) if (id !== MISSING_HARDENING) out.rules[id] = sev;
    }
    if (typeof p.group === 'boolean') out.group = p.group;
    if (typeof p.peerComments === 'boolean') out.peerComments = p.peerComments;
    if (p.fix) {
      for (const [k, v] of Object.entries(p.fix)) if (v !== undefined && v !== null) (out.fix as any)[k] = v;
    }
  }
  return out;
}

const USER_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})?$/;
const MEM_RE = /^[0-9]+(\.[0-9]+)?[bkmgBKMG]?$/;
const CPU_RE = /^[0-9]+(\.[0-9]+)?$/;

/**
 * Validates untrusted settings (from `.container-hardening.yaml`, editor
 * settings or the command line). Only plain values are accepted; anything
 * else is reported and replaced by the default.
 */
export function validateSettings(raw: unknown, knownRules: Set<string>, where: string): ConfigResult {
  const errors: string[] = [];
  const settings: ConfigResult['settings'] = {};
  if (raw === null || raw === undefined) return { settings, errors };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings, errors: [`${where}: expected a mapping at the top level`] };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key === 'rules') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`${where}: 'rules' must map rule ids to error, warning, info or off`);
        continue;
      }
      const rules: Record<string, SeveritySetting> = {};
      for (const [id, sev] of Object.entries(value as Record<string, unknown>)) {
        if (!knownRules.has(id) && id !== MISSING_HARDENING) {
          errors.push(`${where}: unknown rule id '${id}'`);
          continue;
        }
        const s = typeof sev === 'boolean' ? (sev ? undefined : 'off') : sev;
        if (s === undefined) continue;
        if (typeof s !== 'string' || !SEVERITIES.has(s)) {
          errors.push(`${where}: rule '${id}' has severity ${JSON.stringify(sev)}; use error, warning, info or off`);
          continue;
        }
        rules[id] = s as SeveritySetting;
      }
      settings.rules = rules;
    } else if (key === 'fix') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`${where}: 'fix' must be a mapping`);
        continue;
      }
      const fix: Partial<FixDefaults> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const str = typeof v === 'number' ? String(v) : v;
        switch (k) {
          case 'user':
          case 'dockerfileUser':
            if (typeof str === 'string' && USER_RE.test(str)) fix[k] = str;
            else errors.push(`${where}: fix.${k} must be a user name or uid[:gid], got ${JSON.stringify(v)}`);
            break;
          case 'memory':
            if (typeof str === 'string' && MEM_RE.test(str)) fix.memory = str;
            else errors.push(`${where}: fix.memory must look like 512m or 1g, got ${JSON.stringify(v)}`);
            break;
          case 'cpus':
            if (typeof str === 'string' && CPU_RE.test(str) && Number(str) > 0) fix.cpus = str;
            else errors.push(`${where}: fix.cpus must be a positive number, got ${JSON.stringify(v)}`);
            break;
          case 'pidsLimit':
            if (typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 1e9) fix.pidsLimit = v;
            else errors.push(`${where}: fix.pidsLimit must be a positive whole number, got ${JSON.stringify(v)}`);
            break;
          default:
            errors.push(`${where}: unknown setting 'fix.${k}'`);
        }
      }
      settings.fix = fix;
    } else if (key === 'group') {
      if (typeof value === 'boolean') settings.group = value;
      else errors.push(`${where}: 'group' must be true or false, got ${JSON.stringify(value)}`);
    } else if (key === 'peerComments') {
      if (typeof value === 'boolean') settings.peerComments = value;
      else errors.push(`${where}: 'peerComments' must be true or false, got ${JSON.stringify(value)}`);
    } else {
      errors.push(`${where}: unknown setting '${key}'`);
    }
  }
  return { settings, errors };
}

/** Parses the text of a `.container-hardening.yaml` file. Never throws. */
export function parseConfigText(text: string, knownRules: Set<string>, where = '.container-hardening.yaml'): ConfigResult {
  if (text.length > MAX_CONFIG_BYTES) {
    return { settings: {}, errors: [`${where}: file is larger than ${MAX_CONFIG_BYTES / 1024} KiB; ignored`] };
  }
  let doc;
  try {
    // No custom tags, no alias expansion beyond a small budget: a config can only hold values.
    doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    return { settings: {}, errors: [`${where}: ${(e as Error).message}`] };
  }
  if (doc.errors.length) {
    const e = doc.errors[0];
    return { settings: {}, errors: [`${where}: invalid YAML (${e.message.split('\n')[0]}); using defaults`] };
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return { settings: {}, errors: [`${where}: ${(e as Error).message}; using defaults`] };
  }
  return validateSettings(raw, knownRules, where);
}

export const CONFIG_FILE_NAMES = ['.container-hardening.yaml', '.container-hardening.yml'];
