import { meta, Rule } from './rule';
import { all, isTrue, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'userns-remap-missing', title: 'No user-namespace remapping', guide: [12], cis: '2.8', severity: 'info', fix: 'manual', sources: 'S',
    short: 'The daemon runs containers without user-namespace remapping.',
    long:
      'Without `--userns-remap`, uid 0 in a container is uid 0 on the host: any escape, or any file written to a bind mount, is root\'s.\n\n' +
      'Start the daemon with `--userns-remap=default` (daemon.json `"userns-remap": "default"`), or run the daemon rootless, so container root maps to an unprivileged range of host uids.',
  }),
  launch(l, ctx) {
    if (l.command !== 'dockerd' || l.opaque) return;
    if (all(l, 'userns-remap').length || all(l, 'rootless').some(isTrue)) return;
    ctx.report({ span: l.anchor, message: t('The daemon maps container root to host root. Add `--userns-remap=default` or run it rootless.'), context: l.label });
  },
};
