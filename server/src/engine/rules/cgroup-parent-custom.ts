import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'cgroup-parent-custom', title: 'Custom cgroup parent', guide: [6], cis: '5.24', severity: 'info', fix: 'manual', sources: 'S, C',
    short: 'The container is placed under a custom cgroup parent.',
    long:
      'A custom `--cgroup-parent` moves the container out of the hierarchy Docker manages. The limits and accounting set for that hierarchy may then not apply, and the container may share a budget with unrelated processes.\n\n' +
      'Keep the default unless you manage that cgroup on purpose; then make sure its limits are set.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'cgroup-parent')) {
      if (o.inherited) continue;
      ctx.report({ span: o.span, message: t('`{0}` places the container in a custom cgroup, where Docker\'s limits may not apply. Keep the default unless that cgroup is managed.', shown(o, ctx.text)), context: l.label });
    }
  },
};
