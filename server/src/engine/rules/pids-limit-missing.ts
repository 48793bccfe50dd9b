import { atLeast } from './image-fit';
import { checkLimit } from './limits';
import { meta, Rule } from './rule';
import { all, isKnown, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'pids-limit-missing',
    title: 'No process limit',
    guide: [6],
    cis: '5.29',
    severity: 'warning',
    fix: 'safe',
    sources: 'S (run, create), C, Q',
    short: 'The container may create processes without limit (fork bomb).',
    long:
      'Process ids are a host-wide resource. A container without a pids limit can fork until the host\'s process table is full, after which nothing on the host, sshd and the Docker daemon included, can start a process.\n\n' +
      'Set `--pids-limit 200` (compose: `deploy.resources.limits.pids` or `pids_limit`), generous for the workload but finite. A value of 0 or -1 means unlimited.',
  }),
  launch(l, ctx) {
    const v = atLeast(String(ctx.settings.fix.pidsLimit), l.known?.minPids?.value, (s) => (/^\d+$/.test(s) ? Number(s) : undefined));
    if (checkLimit(l, ctx, ['pids-limit'], (s) => t('No process limit: a fork bomb in the container can exhaust the host\'s process table. Add `{0}`.', s), { name: 'pids-limit', value: v }, (value) => t('Limit processes to {0}', value))) return;
    const opts = all(l, 'pids-limit');
    const last = opts[opts.length - 1];
    if (!last || last.inherited || !isKnown(last.value)) return;
    const n = Number(last.value.trim());
    if (Number.isFinite(n) && n <= 0) {
      ctx.report({
        span: last.span,
        message: t('`{0}` means no process limit. Set a positive limit such as {1}.', shown(last, ctx.text), v),
        fixes: [{ title: t('Limit processes to {0}', v), safe: true, intents: [{ type: 'set-value', option: last, value: v }], launch: l }],
        context: l.label,
      });
    }
  },
};
