import { meta, Rule } from './rule';
import { all, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'insecure-registry', title: 'Insecure registry', guide: [1], cis: '2.4', severity: 'warning', fix: 'manual', sources: 'S',
    short: 'The daemon pulls from a registry without TLS verification.',
    long:
      'An insecure registry is reached over plain HTTP or with certificate checks off, so anyone on the path can serve you a different image than the one you asked for.\n\n' +
      'Give the registry a certificate (a private CA can be trusted through `/etc/docker/certs.d/<registry>/ca.crt`) and remove `--insecure-registry`.',
  }),
  launch(l, ctx) {
    if (l.command !== 'dockerd') return;
    for (const o of all(l, 'insecure-registry')) {
      ctx.report({ span: o.span, message: t('`{0}` lets the daemon pull images without TLS verification, so they can be swapped in transit. Trust the registry\'s CA instead.', shown(o, ctx.text)), context: l.label });
    }
  },
};
