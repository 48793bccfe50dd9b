import { checkHostNamespace } from './hostNamespace';
import { meta, Rule } from './rule';

export const rule: Rule = {
  meta: meta({
    id: 'host-uts', title: 'Host UTS namespace', guide: [15], cis: '5.20', severity: 'warning', fix: 'manual', sources: 'S, C',
    short: 'The container shares the host\'s hostname and domain name.',
    long:
      'In the host UTS namespace a container with `SYS_ADMIN` can change the host\'s hostname, and every container sees the host\'s identity, which weakens isolation and confuses logging and monitoring.\n\n' +
      'Remove it; set a name with `--hostname` if the application needs one.',
  }),
  launch(l, ctx) {
    checkHostNamespace(l, ctx, 'uts', '`{0}` shares the host\'s hostname namespace. Remove it; use --hostname if a name is needed.', false);
  },
};
