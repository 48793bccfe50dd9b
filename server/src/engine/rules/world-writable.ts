import { checkCopyChmod, chmodModes } from './chmod';
import { meta, Rule } from './rule';
import { t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'world-writable', title: 'World-writable permissions', guide: [17], severity: 'warning', fix: 'manual', sources: 'D, S (in RUN)',
    short: 'A RUN step makes files writable by every user.',
    long:
      '`chmod 777` (or 666, `o+w`, `a+w`) lets any process in the container, whatever user it runs as, modify those files: application code, configuration or scripts that a more privileged process later runs.\n\n' +
      'Give ownership to the user that needs to write (`chown app:app`, `COPY --chown`) and keep modes tight (755 for directories, 644 for files). Shared temporary directories keep the sticky bit (1777).',
  }),
  shellTriggers: /chmod/i,
  shell(s, ctx) {
    if (!s.inRun) return;
    for (const c of s.commands) {
      const m = chmodModes(c);
      if (m?.worldWritable) ctx.report({ span: m.span, message: t('This chmod makes files writable by every user in the container. Use chown for the user that needs to write and a tighter mode.') });
    }
  },
  dockerfile(df, ctx) {
    checkCopyChmod(df, 'worldWritable', (span) => ctx.report({ span, message: t('This --chmod makes files writable by every user in the container. Use --chown for the user that needs to write and a tighter mode.') }));
  },
};
