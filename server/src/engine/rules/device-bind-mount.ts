import { isDevicePath, normalizePath } from '../mounts';
import { isKnown } from '../launch';
import { meta, Rule } from './rule';
import { all, shown, t } from './util';

/** Paths under /dev that are not devices (or not only devices): no rewrite to --device. */
const NOT_DEVICES = new Set(['/dev', '/dev/shm', '/dev/log', '/dev/pts', '/dev/mqueue', '/dev/hugepages', '/dev/disk', '/dev/char', '/dev/block']);

export const rule: Rule = {
  meta: meta({
    id: 'device-bind-mount',
    title: 'Device bind-mounted',
    guide: [8],
    cis: '5.17',
    severity: 'warning',
    fix: 'safe',
    sources: 'S, C',
    short: 'A path under /dev is bind-mounted instead of passed with --device.',
    long:
      'A bind mount of `/dev` or a device node bypasses the device cgroup: the container can use the device however the file permissions allow, and a mount of all of `/dev` exposes every disk and terminal of the host.\n\n' +
      'Pass devices with `--device /dev/x:/dev/x[:rwm]` (compose: `devices:`), which adds a device-cgroup rule for exactly that device and permission. For the command line the fix rewrites `-v /dev/x:/dev/x` to `--device /dev/x:/dev/x`.',
  }),
  launch(l, ctx) {
    for (const o of [...all(l, 'volume'), ...all(l, 'mount')]) {
      const m = o.mount;
      if (o.inherited || !m || m.type !== 'bind' || !m.source || !isDevicePath(m.source)) continue;
      const src = normalizePath(m.source);
      const canRewrite = o.name === 'volume' && isKnown(src) && !NOT_DEVICES.has(src) && !src.startsWith('/dev/shm/') && m.target !== null && isKnown(m.target);
      ctx.report({
        span: o.span,
        message: t('`{0}` bind-mounts a device path, bypassing the device cgroup. Pass the device with `--device` instead.', shown(o, ctx.text)),
        fixes: canRewrite ? [{ title: t('Use --device {0}', `${src}:${m.target}`), safe: true, intents: [{ type: 'rename', option: o, name: 'device', value: `${src}:${m.target}` }], launch: l }] : [],
        context: l.label,
      });
    }
  },
};
