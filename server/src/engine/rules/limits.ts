/** Shared shape of the resource-limit rules. */
import type { Launch } from '../launch';
import type { RuleContext } from './rule';
import { addFix, all, missingApplies, reportMissing } from './util';

export function checkLimit(l: Launch, ctx: RuleContext, names: string[], message: string, add: { name: string; value: string }, title: string): boolean {
  if (l.command !== 'run' && l.command !== 'create' && l.command !== 'service') return false;
  if (names.some((n) => all(l, n).length > 0)) return false;
  if (!missingApplies(l)) return false;
  reportMissing(ctx, l, message, addFix(l, title, true, add));
  return true;
}
