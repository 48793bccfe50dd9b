import { meta, Rule } from './rule';
import { all, removeFix, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'logging-disabled', title: 'Logging disabled', guide: [3], cis: '2.12', severity: 'warning', fix: 'safe', sources: 'S, C',
    short: 'The container\'s output is thrown away (log driver none).',
    long:
      'With the `none` log driver nothing the container prints is kept: no `docker logs`, no trail to reconstruct an incident from, and no signal for monitoring.\n\n' +
      'Remove the option to use the daemon\'s default driver, or choose one that ships logs off the host (journald, syslog, fluentd, gelf, awslogs, …) with a size limit.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'log-driver')) {
      if (o.inherited || o.value.trim().toLowerCase() !== 'none') continue;
      ctx.report({ span: o.span, message: t('`{0}` discards everything the container logs, leaving no audit trail. Remove it or ship logs off the host.', shown(o, ctx.text)), fixes: [removeFix(l, o, t('Remove `{0}`', shown(o, ctx.text)), true)], context: l.label });
    }
  },
};
