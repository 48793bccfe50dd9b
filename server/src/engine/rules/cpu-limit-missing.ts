import { checkLimit } from './limits';
import { meta, Rule } from './rule';
import { t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'cpu-limit-missing',
    title: 'No CPU limit',
    guide: [6],
    cis: '5.11',
    severity: 'warning',
    fix: 'safe',
    sources: 'S (run, create), C, Q',
    short: 'The container may use every CPU of the host.',
    long:
      'A container without a CPU limit can keep every core busy and starve its neighbours and the host\'s own services, by accident (a busy loop) or on purpose (a cryptominer after a compromise).\n\n' +
      'Cap it with `--cpus 1` (or `--cpu-quota`, `--cpuset-cpus`, relative `--cpu-shares`); in compose `deploy.resources.limits.cpus` or the service-level `cpus`.',
  }),
  launch(l, ctx) {
    const v = ctx.settings.fix.cpus;
    checkLimit(l, ctx, ['cpus', 'cpu-quota', 'cpuset-cpus', 'cpu-shares', 'cpuset'], (s) => t('No CPU limit: the container can starve the host and its neighbours. Add `{0}`.', s), { name: 'cpus', value: v }, (value) => t('Limit CPUs to {0}', value));
  },
};
