import { lowestPort } from '../mounts';
import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'privileged-host-port', title: 'Privileged host port', guide: [15], cis: '5.8', severity: 'info', fix: 'manual', sources: 'S, C',
    short: 'A host port below 1024 is published.',
    long:
      'Ports below 1024 are privileged on the host: services there are trusted to be run by root (SSH on 22, DNS on 53, HTTP on 80). Mapping a container onto them can shadow a host service and signals that the container is treated as a system service.\n\n' +
      'Publish on a high host port (`-p 8080:80`) and let a reverse proxy or load balancer own the privileged one, unless the container is that proxy.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'publish')) {
      if (o.inherited || !o.port) continue;
      const p = lowestPort(o.port.hostPort);
      if (p === undefined || p === 0 || p >= 1024) continue;
      ctx.report({ span: o.span, message: t('`{0}` publishes privileged host port {1}. Use a port of 1024 or above unless this container is the host\'s front door.', shown(o, ctx.text), p), context: l.label });
    }
  },
};
