import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'restart-unbounded', title: 'Unbounded restart policy', guide: [6], cis: '5.14', severity: 'info', fix: 'manual', sources: 'S, C',
    short: 'The container is restarted forever, however often it fails.',
    long:
      'With `always` or `unless-stopped` a container that crashes at start, or is crashed on purpose, is restarted without end. The loop burns resources and hides the failure.\n\n' +
      'CIS suggests `on-failure` with a retry cap, e.g. `--restart on-failure:5`, so a broken container stops and gets noticed. Keep `unless-stopped` where a service must come back after host reboots and is watched by monitoring.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'restart')) {
      const v = o.value.trim().toLowerCase();
      if (o.inherited || (v !== 'always' && v !== 'unless-stopped' && !(v === 'any' && o.spelled.startsWith('deploy')))) continue;
      const canSet = !o.spelled.startsWith('deploy');
      ctx.report({
        span: o.span,
        message: t('`{0}` restarts the container forever, even in a crash loop. Prefer on-failure with a retry limit, e.g. on-failure:5.', shown(o, ctx.text)),
        fixes: canSet ? [{ title: t('Use on-failure:5'), safe: false, intents: [{ type: 'set-value', option: o, value: 'on-failure:5' }], launch: l }] : [],
        context: l.label,
      });
    }
  },
};
