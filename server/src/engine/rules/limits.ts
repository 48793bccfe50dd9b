/** Shared shape of the resource-limit rules. */
import type { Launch } from '../launch';
import type { RuleContext } from './rule';
import { addFix, all, missingApplies, reportMissing, spell } from './util';

/** Reports a missing limit; `message` is given the setting as the launch's source spells it. */
export function checkLimit(l: Launch, ctx: RuleContext, names: string[], message: (setting: string) => string, add: { name: string; value: string }, title: (value: string) => string): boolean {
  if (!missingApplies(l)) return false;
  if (names.some((n) => all(l, n).length > 0)) return false;
  reportMissing(ctx, l, message(spell(l, add.name, add.value)), () => addFix(l, title(add.value), true, add));
  return true;
}
