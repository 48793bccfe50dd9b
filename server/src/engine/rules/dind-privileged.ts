import { meta, Rule } from './rule';
import { all, isTrue, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'dind-privileged', title: 'Privileged Docker-in-Docker', guide: [16], severity: 'info', fix: 'manual', sources: 'S, C',
    short: 'Docker-in-Docker runs privileged.',
    long:
      'The `docker:dind` image needs `--privileged` to run its own daemon, which makes the CI job or service host-root-equivalent: any build step can escape. It is the opposite of the isolation the guide\'s section on virtualization asks for.\n\n' +
      'Prefer rootless Docker-in-Docker (`docker:dind-rootless`), sysbox, a VM-backed runtime (Kata Containers, gVisor `--runtime runsc`), or a builder that needs no daemon (BuildKit rootless, kaniko, buildah).',
  }),
  launch(l, ctx) {
    if (!l.image) return;
    const img = l.image.shape.toLowerCase();
    if (!/(^|\/)docker:[^/]*dind/.test(img) || img.includes('rootless')) return;
    if (!all(l, 'privileged').some((o) => isTrue(o))) return;
    ctx.report({ span: l.image.span, message: t('Docker-in-Docker runs privileged here, so every job in it can take over the host. Prefer rootless dind, sysbox, or a VM-backed runtime.'), context: l.label });
  },
};
