import { meta, Rule } from './rule';
import { all, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'icc-enabled', title: 'Inter-container communication enabled', guide: [15], cis: '2.1', severity: 'info', fix: 'manual', sources: 'S',
    short: 'The daemon lets every container on the default bridge talk to every other.',
    long:
      'By default all containers on the default bridge network can reach each other on every port. One compromised container can then probe and attack its neighbours.\n\n' +
      'Start the daemon with `--icc=false` (daemon.json `"icc": false`) and connect containers that must talk through user-defined networks.',
  }),
  launch(l, ctx) {
    if (l.command !== 'dockerd' || l.opaque) return;
    if (all(l, 'icc').some((o) => o.value.toLowerCase() === 'false')) return;
    ctx.report({ span: l.anchor, message: t('The daemon allows traffic between all containers on the default bridge. Add `--icc=false` and use user-defined networks.'), context: l.label });
  },
};
