/** Shared shape of the rules that flag a `--security-opt` switching a protection off. */
import type { Launch } from '../launch';
import type { RuleContext } from './rule';
import { removeFix, securityOpts, shown, t } from './util';

export function checkSecurityOptOff(l: Launch, ctx: RuleContext, key: string, value: string, message: string): void {
  for (const s of securityOpts(l)) {
    if (s.o.inherited) continue;
    if (s.key.toLowerCase() !== key || (s.value ?? '').toLowerCase() !== value) continue;
    ctx.report({
      span: s.o.span,
      message: t(message, shown(s.o, ctx.text)),
      fixes: [removeFix(l, s.o, t('Remove `{0}`', shown(s.o, ctx.text)), true)],
      context: l.label,
    });
  }
}
