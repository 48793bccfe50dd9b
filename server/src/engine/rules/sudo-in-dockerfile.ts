import { meta, Rule } from './rule';
import { t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'sudo-in-dockerfile', title: 'sudo in a Dockerfile', guide: [5], severity: 'warning', fix: 'manual', sources: 'D',
    short: 'A RUN step uses sudo.',
    long:
      'Build steps already run as root unless a `USER` says otherwise, so `sudo` in a RUN is either useless or a sign that the image ships sudo and a user allowed to use it, which hands root to anyone who gets a shell as that user. sudo also behaves unpredictably without a TTY and drops environment variables.\n\n' +
      'Run root steps before switching `USER`, or switch back with `USER root` for that step; use `gosu`/`su-exec` in entrypoints that must drop privileges; do not install sudo in the final image.',
  }),
  shellTriggers: /sudo/i,
  shell(s, ctx) {
    if (!s.inRun) return;
    for (const c of s.commands) {
      const i = c.wrappers.indexOf('sudo');
      if (i >= 0) ctx.report({ span: c.wrapperSpans[i], message: t('`sudo` in a RUN step: build steps run as root already, and shipping sudo gives a path to root. Order the steps around USER instead.') });
    }
  },
};
