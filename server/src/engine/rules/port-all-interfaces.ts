import { bindsAllInterfaces } from '../mounts';
import type { Option } from '../launch';
import type { Edit } from '../types';
import { meta, Rule } from './rule';
import { all, shown, t } from './util';

function bindLocal(o: Option, text: string): Edit[] | undefined {
  const p = o.port;
  const vs = o.valueSpan;
  if (!p || p.all || !vs) return undefined;
  const raw = text.slice(vs.start, vs.end);
  const q = raw[0] === '"' || raw[0] === "'" ? 1 : 0;
  if (p.hostIp !== null) {
    const i = raw.indexOf(p.hostIp);
    if (i < 0) return undefined;
    return [{ start: vs.start + i, end: vs.start + i + p.hostIp.length, newText: '127.0.0.1' }];
  }
  if (/^\s*[{[]/.test(raw) || raw.includes('\n')) return undefined;
  return [{ start: vs.start + q, end: vs.start + q, newText: p.hostPort === null ? '127.0.0.1::' : '127.0.0.1:' }];
}

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
      const edits = bindLocal(o, ctx.text);
      ctx.report({
        span: o.span,
        message: o.port.all
          ? t('`{0}` publishes every exposed port on all host interfaces. Publish the needed ports explicitly, bound to 127.0.0.1 where possible.', shown(o, ctx.text))
          : t('`{0}` listens on every host interface, past host firewalls. Bind it to 127.0.0.1 if it is only needed locally.', shown(o, ctx.text)),
        fixes: edits ? [{ title: t('Bind to 127.0.0.1'), safe: false, edits }] : [],
        context: l.label,
      });
    }
  },
};
