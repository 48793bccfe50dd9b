import { isKnown } from '../launch';
import { portCovers } from '../mounts';
import { meta, Rule } from './rule';
import { all, isTrue, shown, t } from './util';

const TCP = /^(tcp|http):\/\//i;
/** A client setting: the client sends its commands (root on the daemon's host) in the clear and trusts whoever answers. */
const MSG_CLIENT = '`{0}` makes the Docker client talk to the daemon over plain TCP: its commands, which act as root on that host, travel unencrypted and unauthenticated. Use ssh:// or TLS (DOCKER_TLS_VERIFY=1 with certificates).';
const MSG = '`{0}` exposes the Docker API over TCP without TLS client verification: anyone who reaches the port is root on the host. Use --tlsverify with client certificates, or ssh://.';

export const rule: Rule = {
  meta: meta({
    id: 'daemon-tcp-no-tls', title: 'Docker API over TCP without TLS', guide: [2], cis: '2.6', severity: 'error', fix: 'manual', sources: 'S, C',
    short: 'The Docker API is reached or served over plain TCP without TLS verification.',
    long:
      'The Docker API is root on the host. Serving it on `tcp://` without `--tlsverify` (the classic port 2375) lets anyone who can reach the port start a privileged container; on the client side, `DOCKER_HOST=tcp://…` without TLS sends your commands, and the credentials in them, in clear text to whoever answers.\n\n' +
      'Keep the API on its Unix socket. When remote access is needed, use SSH (`DOCKER_HOST=ssh://user@host`) or TLS with client certificates (`dockerd --tlsverify --tlscacert … -H tcp://0.0.0.0:2376`, clients with `DOCKER_TLS_VERIFY=1`).',
  }),
  launch(l, ctx) {
    const tlsEnv = hasTlsVerifyEnv(ctx.text);
    if (l.command === 'dockerd') {
      const verify = all(l, 'tlsverify').concat(all(l, 'global-tlsverify')).some(isTrue);
      if (verify) return;
      for (const o of all(l, 'host').concat(all(l, 'global-host'))) {
        if (TCP.test(o.value)) ctx.report({ span: o.span, message: t(MSG, shown(o, ctx.text)), context: l.label });
      }
      return;
    }
    if (l.source !== 'compose') {
      const verify = all(l, 'global-tlsverify').some(isTrue);
      if (!verify && !tlsEnv) {
        for (const o of all(l, 'global-host')) if (TCP.test(o.value)) ctx.report({ span: o.span, message: t(MSG_CLIENT, shown(o, ctx.text)), context: l.label });
      }
    }
    for (const o of all(l, 'publish')) {
      if (o.inherited || !o.port) continue;
      if (portCovers(o.port.containerPort, 2375) || portCovers(o.port.hostPort, 2375)) ctx.report({ span: o.span, message: t(MSG, shown(o, ctx.text)), context: l.label });
    }
    if (l.source === 'compose') {
      const env = all(l, 'env');
      const tls = env.some((o) => /^DOCKER_TLS_VERIFY=./.test(o.value) && !/^DOCKER_TLS_VERIFY=(0|false)?$/i.test(o.value));
      for (const o of env) {
        if (!o.inherited && /^DOCKER_HOST=(tcp|http):\/\//i.test(o.value) && !tls) ctx.report({ span: o.span, message: t(MSG_CLIENT, shown(o, ctx.text)), context: l.label });
      }
    }
  },
  shellTriggers: /DOCKER_HOST|DOCKER_TLS_VERIFY/i,
  shell(s, ctx) {
    const tls = s.assigns.some((a) => a.name === 'DOCKER_TLS_VERIFY' && a.value !== '' && !/^(0|false)$/i.test(a.value));
    if (tls) return;
    for (const a of s.assigns) {
      if (a.name === 'DOCKER_HOST' && isKnown(a.value.slice(0, 6)) && TCP.test(a.value)) ctx.report({ span: a.span, message: t(MSG_CLIENT, ctx.text.slice(a.span.start, a.span.end)) });
    }
  },
};

let lastText: string | undefined;
let lastAnswer = false;

/** Whether the file turns TLS verification on anywhere (asked once per text, not once per command). */
function hasTlsVerifyEnv(text: string): boolean {
  if (text !== lastText) {
    lastText = text;
    lastAnswer = /\bDOCKER_TLS_VERIFY=["']?(1|true|yes)/i.test(text);
  }
  return lastAnswer;
}
