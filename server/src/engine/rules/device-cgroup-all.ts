import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'device-cgroup-all',
    title: 'Device cgroup rule allows every device',
    guide: [8],
    severity: 'error',
    fix: 'manual',
    sources: 'S, C',
    short: 'A device-cgroup rule with wildcard major and minor numbers allows every device of that kind.',
    long:
      'A rule such as `a *:* rwm` or `c *:* rwm` lets the container create and use any device node (every disk, `/dev/mem`, `/dev/kmsg`, …) as soon as it can `mknod` or finds one mounted, which reopens what the device cgroup exists to close.\n\n' +
      'Allow only the device numbers the workload needs, for example `c 189:* rwm` for USB devices, or pass single devices with `--device`.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'device-cgroup-rule')) {
      if (o.inherited || !/^\s*[abc]\s+\*:\*/.test(o.value)) continue;
      ctx.report({ span: o.span, message: t('`{0}` allows every device of this type. Allow only the major:minor numbers the workload needs.', shown(o, ctx.text)), context: l.label });
    }
  },
};
