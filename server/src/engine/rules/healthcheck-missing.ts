import { meta, Rule } from './rule';
import { all, missingApplies, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'healthcheck-missing', title: 'No health check', guide: [17], cis: '4.6', severity: 'info', fix: 'manual', sources: 'D, C',
    short: 'The image or service defines no health check.',
    long:
      'Without a health check the engine only knows whether the process is alive, not whether it works. A hung or half-broken container keeps receiving traffic, `depends_on: condition: service_healthy` cannot wait for it, and orchestrators cannot replace it.\n\n' +
      'Add a `HEALTHCHECK CMD …` to the final stage (or `healthcheck:` to the compose service) that probes the service cheaply, e.g. `wget -qO- http://localhost:8080/health || exit 1`.',
  }),
  launch(l, ctx) {
    if (l.command !== 'image' && !missingApplies(l)) return;
    // `HEALTHCHECK NONE` / `disable: true` switch the image's check off: no health check either.
    if (all(l, 'healthcheck').some((o) => o.value !== 'false')) return;
    if (l.command === 'image') {
      ctx.report({ span: l.anchor, message: t('The final stage has no HEALTHCHECK, so a hung container looks healthy. Add a HEALTHCHECK that probes the service.') });
      return;
    }
    if (l.command !== 'service' || l.built?.healthcheck === 'set') return;
    ctx.report({ span: l.anchor, message: t('Service has no healthcheck, so a hung container looks healthy and dependants cannot wait for it. Add a healthcheck.'), context: l.label });
  },
};
