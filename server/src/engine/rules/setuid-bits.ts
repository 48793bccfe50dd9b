import { checkCopyChmod, chmodModes } from './chmod';
import { meta, Rule } from './rule';
import { t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'setuid-bits', title: 'setuid/setgid bit set', guide: [7], severity: 'warning', fix: 'manual', sources: 'D, S (in RUN)',
    short: 'A RUN step sets the setuid or setgid bit on a file.',
    long:
      'A setuid or setgid binary runs with its owner\'s or group\'s rights whoever starts it, and is the classic way from an unprivileged user to root. Adding one to an image creates exactly that path.\n\n' +
      'Do not set the bit; if a program needs a privilege, grant a file capability (`setcap`) or run that step as root at build time. Strip existing bits with `find / -xdev -perm /6000 -type f -exec chmod a-s {} +`, and run containers with `no-new-privileges`.',
  }),
  shellTriggers: /chmod/i,
  shell(s, ctx) {
    if (!s.inRun) return;
    for (const c of s.commands) {
      const m = chmodModes(c);
      if (m?.setid) ctx.report({ span: m.span, message: t('This chmod sets a setuid/setgid bit, a ready-made path to root. Grant a capability instead, or drop the bit.') });
    }
  },
  dockerfile(df, ctx) {
    checkCopyChmod(df, 'setid', (span) => ctx.report({ span, message: t('This --chmod sets a setuid/setgid bit, a ready-made path to root. Grant a capability instead, or drop the bit.') }));
  },
};
