/**
 * The `missing-hardening` group: the rules about a setting a container lacks
 * (no user, no cap_drop, no limits…) fire together on most launches. The editor
 * and the CLI's text output show the members that fire on one launch as ONE
 * finding at its anchor; JSON and SARIF keep one result per member rule.
 * Settings and suppression comments accept the group id for all its members.
 */
import { t } from './i18n';
import type { Finding, FindingGroup, Fix, Range, Severity, Span } from './types';

export const MISSING_HARDENING = 'missing-hardening';

/** The members, in catalog order. */
export const GROUP_MEMBERS: readonly string[] = [
  'root-user', 'cap-drop-missing', 'no-new-privileges-missing', 'memory-limit-missing',
  'cpu-limit-missing', 'pids-limit-missing', 'read-only-rootfs-missing', 'healthcheck-missing',
];
const ORDER = new Map(GROUP_MEMBERS.map((id, i) => [id, i]));

/** What a member adds, for the group's message. */
function what(id: string): string {
  switch (id) {
    case 'root-user': return t('a non-root user');
    case 'cap-drop-missing': return t('dropped capabilities');
    case 'no-new-privileges-missing': return t('no-new-privileges');
    case 'memory-limit-missing': return t('a memory limit');
    case 'cpu-limit-missing': return t('a CPU limit');
    case 'pids-limit-missing': return t('a process limit');
    case 'read-only-rootfs-missing': return t('a read-only root filesystem');
    default: return t('a health check');
  }
}

/** Ids a setting or a suppression comment names, with the group id expanded to its members. */
export function expandGroupIds(ids: readonly string[]): string[] {
  return ids.flatMap((id) => (id === MISSING_HARDENING ? GROUP_MEMBERS : [id]));
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** How the group names its launch: `web` for a compose service, the command words, the final stage. */
export function launchName(label: string, command: string): string {
  if (command === 'service') return label.startsWith('service ') ? label.slice('service '.length) : label;
  if (command === 'image') return t('the final stage');
  return label;
}

/**
 * Group findings: members that report a missing setting of the same launch (at its anchor).
 * `combined` renders all their safe fixes as one edit ("Harden web"). Groups of one stay single findings.
 */
export function groupMissing(
  candidates: Array<{ finding: Finding; launch: object; label: string; command: string }>,
  combined: (members: Finding[], launch: object) => Finding['fixes'],
): FindingGroup[] {
  const byLaunch = new Map<object, typeof candidates>();
  for (const c of candidates) {
    if (!ORDER.has(c.finding.ruleId)) continue;
    const list = byLaunch.get(c.launch) ?? [];
    list.push(c);
    byLaunch.set(c.launch, list);
  }
  const groups: FindingGroup[] = [];
  for (const [launch, list] of byLaunch) {
    if (list.length < 2) continue;
    const members = list.map((c) => c.finding).sort((a, b) => (ORDER.get(a.ruleId) ?? 0) - (ORDER.get(b.ruleId) ?? 0));
    const severity = members.reduce<Severity>((s, f) => (RANK[f.severity] < RANK[s] ? f.severity : s), 'info');
    const name = launchName(list[0].label, list[0].command);
    const missing = members.map((f) => what(f.ruleId)).join(t(', '));
    const message = list[0].command === 'image'
      ? t('The final stage lacks {0} hardening settings: {1}.', members.length, missing)
      : t('{0} lacks {1} hardening settings: {2}.', name, members.length, missing);
    groups.push(new Group(name, severity, message, members, () => combined(members, launch)));
  }
  return groups.sort((a, b) => a.span.start - b.span.start);
}

/**
 * A group, its fixes rendered on first read. A class, not an object literal with a getter: each
 * such literal gets a hidden class of its own, which V8 keeps in the old generation, and through
 * it the analysis it came from outlives the next minor collections.
 */
class Group implements FindingGroup {
  readonly id = MISSING_HARDENING;
  span: Span;
  range: Range;
  #render: (() => Fix[]) | undefined;
  #fixes: Fix[] | undefined;

  constructor(public name: string, public severity: Severity, public message: string, public members: Finding[], render: () => Fix[]) {
    this.span = members[0].span;
    this.range = members[0].range;
    this.#render = render;
  }

  get fixes(): Fix[] {
    if (!this.#fixes) {
      this.#fixes = this.#render!();
      this.#render = undefined;
    }
    return this.#fixes;
  }

  /** JSON shows the fixes like any other field. */
  toJSON(): FindingGroup {
    return { ...this, fixes: this.fixes };
  }
}

/**
 * What the editor and the CLI's text output show: each group in place of its members, the
 * other findings as they are, in document order.
 */
export function presented(findings: readonly Finding[], groups: readonly FindingGroup[] | undefined): Array<Finding | FindingGroup> {
  if (!groups?.length) return [...findings];
  const members = new Set(groups.flatMap((g) => g.members));
  const out: Array<Finding | FindingGroup> = [...groups, ...findings.filter((f) => !members.has(f))];
  return out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}

export function isGroup(x: Finding | FindingGroup): x is FindingGroup {
  return (x as FindingGroup).id === MISSING_HARDENING && Array.isArray((x as FindingGroup).members);
}

/** Settings whose fix depends on the image: for an image the table does not know, Harden leaves them to the user. */
export const IMAGE_DEPENDENT = new Set(['root-user', 'cap-drop-missing', 'read-only-rootfs-missing']);

/** The missing settings Harden left for a decision, per launch ("3 settings need a decision for myorg/app:1.0: …"). */
export interface Decision {
  /** The launch, as the group names it. */
  name: string;
  image?: string;
  /** What each left setting would add, in the group's words. */
  settings: string[];
  rules: string[];
}

/** Describes left findings of the image-dependent rules (with a fix that is not safe) for the Harden summary. */
export function decisionOf(name: string, image: string | undefined, rules: string[]): Decision {
  const sorted = [...rules].sort((a, b) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0));
  return { name, image, rules: sorted, settings: sorted.map(what) };
}

/** "3 settings need a decision for myorg/app:1.0: a non-root user, dropped capabilities, a read-only root filesystem." */
export function decisionSentence(d: Decision): string {
  const who = d.image ?? d.name;
  return d.settings.length === 1
    ? t('1 setting needs a decision for {0}: {1}.', who, d.settings[0])
    : t('{0} settings need a decision for {1}: {2}.', d.settings.length, who, d.settings.join(t(', ')));
}
