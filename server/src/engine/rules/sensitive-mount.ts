import { readonlyStillRisky, sensitiveDir, isRuntimeSocket } from '../mounts';
import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'sensitive-mount',
    title: 'Sensitive host path mounted',
    guide: [10],
    cis: '5.5',
    severity: 'error',
    fix: 'safe',
    sources: 'S, C, J, W, Q',
    short: 'A sensitive host directory is bind-mounted into the container.',
    long:
      'Bind-mounting host system paths hands the container control of the host: a writable `/etc` lets it add users or cron jobs, `/usr`, `/bin` and `/lib` let it replace binaries the host runs as root, `/proc` and `/sys` expose kernel knobs, and `/var/lib/docker` or `/var/lib/kubelet` contain every other container.\n\n' +
      'Mount only the specific file or directory the application needs, and read-only (`:ro`, `readonly`) unless it must write. Error when writable; warning when read-only but still revealing (`/`, `/proc`, `/sys`, `/root`, `/var/lib/…`).',
  }),
  launch(l, ctx) {
    for (const o of [...all(l, 'volume'), ...all(l, 'mount')]) {
      const m = o.mount;
      if (o.inherited || !m || m.type !== 'bind' || !m.source) continue;
      if (isRuntimeSocket(m.source)) continue;
      const dir = sensitiveDir(m.source);
      if (!dir) continue;
      if (m.readonly) {
        if (!readonlyStillRisky(m.source)) continue;
        ctx.report({ span: o.span, severity: 'warning', message: t('`{0}` exposes the host\'s {1} to the container, even read-only. Mount only the file or directory the application needs.', shown(o, ctx.text), dir), context: l.label });
        continue;
      }
      ctx.report({
        span: o.span,
        message: t('`{0}` mounts the host\'s {1} writable: the container can change the host. Mount only what is needed, read-only.', shown(o, ctx.text), dir),
        fixes: [{ title: t('Mount read-only'), safe: true, intents: [{ type: 'mount-readonly', option: o }], launch: l }],
        context: l.label,
      });
    }
  },
};
