import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'legacy-link', title: 'Legacy container link', guide: [15], severity: 'info', fix: 'manual', sources: 'S, C',
    short: 'Containers are connected with legacy links.',
    long:
      '`--link` (compose `links:`) is a legacy feature: it shares environment variables, including secrets, between containers and only works on the default bridge, where every container can reach every other one.\n\n' +
      'Put the containers on a user-defined network; they find each other by name there, and only containers on that network can talk.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'link')) {
      if (o.inherited) continue;
      ctx.report({ span: o.span, message: t('`{0}` is a legacy link that shares environment variables on the default bridge. Use a user-defined network instead.', shown(o, ctx.text)), context: l.label });
    }
  },
};
