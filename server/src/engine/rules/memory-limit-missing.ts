import { atLeast, bytes } from './image-fit';
import { checkLimit } from './limits';
import { meta, Rule } from './rule';
import { t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'memory-limit-missing',
    title: 'No memory limit',
    guide: [6],
    cis: '5.10',
    severity: 'warning',
    fix: 'safe',
    sources: 'S (run, create), C, Q',
    short: 'The container may use all of the host\'s memory.',
    long:
      'Without a memory limit one container can exhaust the host\'s memory, whether through a leak, a load spike or an attack, and the kernel\'s OOM killer then picks victims among every process on the host, other containers and the Docker daemon included.\n\n' +
      'Set a limit that fits the workload: `--memory 512m` (`-m`), or in compose `deploy.resources.limits.memory` (or the older service-level `mem_limit`). The container is then killed and restarted on its own instead of taking the host down.',
  }),
  launch(l, ctx) {
    // Never less than the image is known to need to start (a JVM, a database).
    const v = atLeast(ctx.settings.fix.memory, l.known?.minMemory?.value, bytes);
    checkLimit(l, ctx, ['memory'], (s) => t('No memory limit: the container can exhaust the host\'s memory. Add `{0}`.', s), { name: 'memory', value: v }, (value) => t('Limit memory to {0}', value));
  },
};
