import { bindsAllInterfaces } from '../mounts';
import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'port-all-interfaces', title: 'Port published on every interface', guide: [15], cis: '5.13', severity: 'info', fix: 'manual', sources: 'S, C',
    short: 'A port is published on all of the host\'s network interfaces.',
    long:
      'A published port without a host address listens on every interface of the host, public ones included, and Docker\'s iptables rules let that traffic in even when a host firewall such as ufw appears to block it.\n\n' +
      'When the port is only for local use (a database, an admin UI, a reverse proxy\'s backend), bind it to loopback: `-p 127.0.0.1:8080:80`, compose `"127.0.0.1:8080:80"` or `host_ip: 127.0.0.1`. Services that must be public can stay as they are.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'publish').concat(all(l, 'publish-all'))) {
      if (o.inherited || !o.port || !bindsAllInterfaces(o.port)) continue;
      ctx.report({
        span: o.span,
        message: o.port.all
          ? t('`{0}` publishes every exposed port on all host interfaces. Publish the needed ports explicitly, bound to 127.0.0.1 where possible.', shown(o, ctx.text))
          : t('`{0}` listens on every host interface, past host firewalls. Bind it to 127.0.0.1 if it is only needed locally.', shown(o, ctx.text)),
        fixes: o.port.all ? [] : [{ title: t('Bind to 127.0.0.1'), safe: false, intents: [{ type: 'bind-port', option: o, address: '127.0.0.1' }], launch: l }],
        context: l.label,
      });
    }
  },
};
