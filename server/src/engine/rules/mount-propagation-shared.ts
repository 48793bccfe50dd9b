import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'mount-propagation-shared', title: 'Shared mount propagation', guide: [10], cis: '5.19', severity: 'warning', fix: 'manual', sources: 'S, C',
    short: 'A bind mount propagates mounts between the container and the host (shared/rshared).',
    long:
      'With `shared` or `rshared` propagation, mounts made inside the container appear on the host and the other way round. A container that can mount (with `SYS_ADMIN`, or privileged) can then place file systems on the host\'s tree.\n\n' +
      'Use the default `rprivate` propagation unless the workload is a storage driver that needs it, and then keep the mount as narrow as possible.',
  }),
  launch(l, ctx) {
    for (const o of [...all(l, 'volume'), ...all(l, 'mount')]) {
      const p = o.mount?.propagation?.toLowerCase();
      if (o.inherited || (p !== 'shared' && p !== 'rshared')) continue;
      ctx.report({ span: o.span, message: t('`{0}` propagates mounts between the container and the host. Use the default private propagation.', shown(o, ctx.text)), context: l.label });
    }
  },
};
