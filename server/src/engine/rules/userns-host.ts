import { checkHostNamespace } from './hostNamespace';
import { meta, Rule } from './rule';

export const rule: Rule = {
  meta: meta({
    id: 'userns-host', title: 'User namespace remapping switched off', guide: [12], cis: '5.30', severity: 'warning', fix: 'safe', sources: 'S, C',
    short: 'The container opts out of the daemon\'s user-namespace remapping.',
    long:
      'When the daemon runs with `--userns-remap`, root in a container is an unprivileged uid on the host. `--userns host` (compose `userns_mode: host`) switches that off for this container, so its root is the host\'s root again.\n\n' +
      'Remove the option. Fix ownership problems of bind mounts by chowning them to the remapped range instead.',
  }),
  launch(l, ctx) {
    checkHostNamespace(l, ctx, 'userns', '`{0}` makes root in this container the host\'s root by skipping user-namespace remapping. Remove it.', true);
  },
};
