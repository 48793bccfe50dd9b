/** Shared shape of the rules that flag a host namespace. */
import type { Launch } from '../launch';
import type { RuleContext } from './rule';
import { all, removeFix, shown, t } from './util';

export function checkHostNamespace(l: Launch, ctx: RuleContext, option: string, message: string, safe: boolean): void {
  for (const o of all(l, option)) {
    if (o.inherited || o.value.trim().toLowerCase() !== 'host') continue;
    ctx.report({ span: o.span, message: t(message, shown(o, ctx.text)), fixes: [removeFix(l, o, t('Remove `{0}`', shown(o, ctx.text)), safe)], context: l.label });
  }
}
