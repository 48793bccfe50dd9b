import { meta, Rule } from './rule';
import { checkSecurityOptOff } from './securityOptDisabled';
import { all, removeFix, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'selinux-disabled',
    title: 'SELinux labeling disabled',
    guide: [4],
    cis: '5.2',
    severity: 'error',
    fix: 'safe',
    sources: 'S, C, J, W, Q',
    short: 'SELinux separation is switched off for the container (or the daemon).',
    long:
      'On SELinux hosts every container gets its own label (MCS category), so one container cannot read another\'s files or the host\'s even if it escapes its namespaces. `label=disable` runs the container unconfined; `dockerd --selinux-enabled=false` turns labeling off for every container.\n\n' +
      'Remove the option. For bind mounts that SELinux blocks, relabel them with the `:z` (shared) or `:Z` (private) volume option instead.',
  }),
  launch(l, ctx) {
    checkSecurityOptOff(l, ctx, 'label', 'disable', '`{0}` turns off SELinux separation for this container. Remove it; relabel bind mounts with :z or :Z instead.');
    if (l.command === 'dockerd') {
      for (const o of all(l, 'selinux-enabled')) {
        if (o.value.toLowerCase() !== 'false') continue;
        ctx.report({
          span: o.span,
          message: t('`{0}` turns off SELinux labeling for every container of this daemon. Remove it (and enable SELinux support).', shown(o, ctx.text)),
          fixes: [removeFix(l, o, t('Remove `{0}`', shown(o, ctx.text)), true)],
          context: l.label,
        });
      }
    }
  },
};
