import { meta, Rule } from './rule';
import { all, isTrue, removeFix, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'privileged',
    title: 'Privileged container',
    guide: [5],
    cis: '5.4',
    severity: 'error',
    fix: 'safe',
    sources: 'S (run, create, exec), C, J, W, Q',
    short: 'The container runs privileged: every capability, every host device, no seccomp or AppArmor/SELinux confinement.',
    long:
      'A privileged container is barely a container: it receives all Linux capabilities, can see and write every host device, and runs without the seccomp, AppArmor and SELinux profiles that normally confine it. A process that breaks out of the application can then mount the host disk or load kernel modules, which amounts to root on the host.\n\n' +
      'Remove the privilege and grant only what the workload needs: a single device with `--device`, a single capability with `--cap-add`, or a dedicated runtime (rootless, gVisor, Kata) for the rare workload that truly needs more.',
  }),
  launch(l, ctx) {
    if (l.command !== 'run' && l.command !== 'create' && l.command !== 'exec' && l.command !== 'service') return;
    for (const o of all(l, 'privileged')) {
      if (o.inherited || !isTrue(o)) continue;
      ctx.report({
        span: o.span,
        message: t('`{0}` gives the container every capability and all host devices, and turns off its confinement. Remove it and grant only the device or capability the workload needs.', shown(o, ctx.text)),
        fixes: [removeFix(l, o, t('Remove `{0}`', shown(o, ctx.text)), true)],
        context: l.label,
      });
    }
  },
};
