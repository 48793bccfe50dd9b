/** Helpers shared by rule modules. */
import { isKnown, isTrue, Launch, Option, splitKeyValue, UNKNOWN } from '../launch';
import { t } from '../i18n';
import type { FixSpec, RuleContext } from './rule';

/** Container launches that rules about a missing setting judge: complete `run`/`create` command lines and compose services that are not fragments. */
export function missingApplies(l: Launch): boolean {
  return (l.command === 'run' || l.command === 'create' || l.command === 'service') && l.judgeMissing;
}

const BY_NAME = Symbol('options by name');
type Indexed = Launch & { [BY_NAME]?: { n: number; m: Map<string, Option[]> } };

/** Options of a name, indexed once per launch (every rule asks). */
export function all(l: Launch, name: string): Option[] {
  let x = (l as Indexed)[BY_NAME];
  if (!x || x.n !== l.options.length) {
    const m = new Map<string, Option[]>();
    for (const o of l.options) {
      const list = m.get(o.name);
      if (list) list.push(o);
      else m.set(o.name, [o]);
    }
    x = { n: l.options.length, m };
    (l as Indexed)[BY_NAME] = x;
  }
  return x.m.get(name) ?? [];
}

/** Shows an option as the user wrote it, for messages. */
export function shown(o: Option, text: string): string {
  if (o.origin) return t('{0} from {1}', o.origin.text.length > 60 ? o.origin.text.slice(0, 57) + '…' : o.origin.text, o.origin.file.replace(/^.*[\\/]/, ''));
  const s = text.slice(o.span.start, o.span.end).replace(/\s*\\\r?\n\s*/g, ' ').replace(/\s+/g, ' ');
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}

export function securityOpts(l: Launch): Array<{ o: Option; key: string; value: string | undefined; sep: string }> {
  return all(l, 'security-opt').map((o) => ({ o, ...splitKeyValue(o.value) }));
}

/** How the launch's source writes a setting, for messages (`--cap-drop ALL`, `cap_drop: [ALL]`). */
export function spell(l: Launch, name: string, value?: string): string {
  return l.writer.spell(name, value);
}

export function removeFix(l: Launch, o: Option, title: string, safe: boolean): FixSpec {
  return { title, safe, intents: [{ type: 'remove', option: o }], launch: l };
}

export function addFix(l: Launch, title: string, safe: boolean, ...adds: Array<{ name: string; value?: string }>): FixSpec {
  return { title, safe, intents: adds.map((a) => ({ type: 'add' as const, name: a.name, value: a.value })), launch: l };
}

/**
 * Reports a setting `l` lacks, at its anchor. The fix and the note are worked out when first asked
 * for: a container lacks several settings on every keystroke, but few fixes are applied and few
 * notes hovered.
 */
export function reportMissing(ctx: RuleContext, l: Launch, message: string, fix?: () => FixSpec, note?: () => string | undefined): void {
  ctx.report({ span: l.anchor, message, fixes: fix ? () => [fix()] : [], context: l.label, note });
}

export { isKnown, isTrue, t, UNKNOWN };

/** Upper-case capability name without CAP_. */
export function capName(s: string): string {
  return s.trim().toUpperCase().replace(/^CAP_/, '');
}

export function isRootUser(shape: string): boolean {
  if (!isKnown(shape)) return false;
  const uid = shape.split(':')[0].trim().toLowerCase();
  return uid === 'root' || /^0+$/.test(uid);
}

/** Tag state of an image reference. */
export function imageTag(shape: string): 'latest' | 'pinned' | 'unknown' {
  const s = shape.trim();
  if (!s || s === UNKNOWN) return 'unknown';
  if (s.includes('@')) return 'pinned';
  const slash = s.lastIndexOf('/');
  const last = s.slice(slash + 1);
  const colon = last.indexOf(':');
  if (colon >= 0) {
    const tag = last.slice(colon + 1);
    if (!isKnown(tag) || tag === '') return 'unknown';
    return tag.toLowerCase() === 'latest' ? 'latest' : 'pinned';
  }
  if (!isKnown(last)) return 'unknown';
  return 'latest';
}

export const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS)/i;
/** Names that configure a secret rather than hold one: where it is, how long, whether it may be empty. */
const NOT_SECRET_SUFFIX = /_(FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|USER|USERNAME|NAME|ID|LENGTH|SIZE|TTL|EXPIRY|EXPIRES)$/i;
const NOT_SECRET_PREFIX = /^ALLOW_EMPTY_/i;
const BOOLISH = /^(yes|no|true|false|on|off|none|null|empty|random)$/i;
/** A number, possibly with a unit (`256`, `1.5`, `10m`, `30s`, `512MB`). */
const NUMBER = /^[-+]?\d+(\.\d+)?(b|k|m|g|kb|mb|gb|ms|s|h|d)?$/i;
const IP = /^(\d{1,3}\.){3}\d{1,3}(\/\d+)?$|^[0-9a-f:]+:[0-9a-f:]*$/i;
/** `en`, `de-DE`, `pt_BR`, `zh-Hans`. */
const LANGUAGE = /^[a-z]{2,3}([-_][A-Za-z]{2,4})?$/;
/** An absolute or relative path, or a key or certificate file name. */
const PATHLIKE = /^(\/|\.{1,2}\/|~\/)|\.(key|pem|crt|cer|p12|pfx|jks|json|ya?ml|txt)$/i;

/** True when a variable name says it holds a secret. */
export function secretName(name: string): boolean {
  return SECRET_NAME.test(name) && !NOT_SECRET_SUFFIX.test(name) && !NOT_SECRET_PREFIX.test(name);
}

/** True when NAME=value looks like a secret written in as a literal (a value that could be one). */
export function looksLikeSecret(name: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const v = value.trim();
  if (!secretName(name)) return false;
  if (!v || !isKnown(v) || BOOLISH.test(v) || NUMBER.test(v) || IP.test(v) || LANGUAGE.test(v) || PATHLIKE.test(v)) return false;
  return true;
}

/**
 * Shell text as the shell joins its words, for trigger-word tests: quotes,
 * backslashes and line continuations taken out (`"ch"mod`, `ch\mod` → chmod).
 */
export function bareWords(s: string): string {
  return s.replace(/[\\`]\r?\n|["'\\`]/g, '');
}
