import { isRuntimeSocket } from '../mounts';
import { meta, Rule } from './rule';
import { all, isTrue, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'docker-socket-mount',
    title: 'Container runtime socket mounted',
    guide: [2],
    cis: '5.31',
    severity: 'error',
    fix: 'manual',
    sources: 'S, C, J, W, Q',
    short: 'The Docker (or containerd, Podman, CRI-O) socket, or the folder that holds it, is mounted into the container, or compose hands it the API (`use_api_socket`).',
    long:
      'Whoever can talk to the runtime\'s API socket can start a privileged container with the host\'s root filesystem mounted: access to `docker.sock` is root on the host. Mounting it read-only changes nothing, because `:ro` only stops the socket file from being replaced, not API calls through it.\n\n' +
      'Avoid it. If a tool must see containers, put a filtering proxy in front of the socket (for example a docker-socket-proxy that allows only the read-only endpoints the tool uses), use rootless Docker or Podman so the socket is not root-equivalent, or give the tool its own remote API access over TLS.',
  }),
  launch(l, ctx) {
    for (const o of [...all(l, 'volume'), ...all(l, 'mount')]) {
      const m = o.mount;
      if (o.inherited || !m || !m.source || (m.type !== 'bind' && m.type !== 'unknown' && m.style !== 'short')) continue;
      if (!isRuntimeSocket(m.source)) continue;
      ctx.report({ span: o.span, message: t('`{0}` gives the container the runtime\'s API, which is root on the host (read-only does not help). Use a filtering socket proxy or rootless mode instead.', shown(o, ctx.text)), context: l.label });
    }
    for (const o of all(l, 'use-api-socket')) {
      if (o.inherited || !isTrue(o)) continue;
      ctx.report({ span: o.span, message: t('`{0}` hands the container the Docker API, which is root on the host. Remove it, or give the tool a filtering socket proxy.', shown(o, ctx.text)), context: l.label });
    }
  },
};
