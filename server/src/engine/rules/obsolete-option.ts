import type { Launch } from '../launch';
import { meta, Rule, RuleContext } from './rule';
import { all, securityOpts, shown, t } from './util';

/** `docker -d` and `docker daemon`: the daemon's pre-1.13 spellings. */
function oldDaemon(l: Launch, ctx: RuleContext): void {
  ctx.report({
    span: l.anchor,
    message: t('`{0}` is the pre-1.13 way to start the daemon and no longer exists. Use `dockerd`.', ctx.text.slice(l.anchor.start, l.anchor.end)),
    fixes: [{ title: t('Use dockerd'), safe: true, intents: [{ type: 'use-dockerd' }], launch: l }],
    context: l.label,
  });
}

export const rule: Rule = {
  meta: meta({
    id: 'obsolete-option', title: 'Obsolete option', guide: [13, 6], severity: 'warning', fix: 'safe', sources: 'S',
    short: 'An option from the guide\'s era that Docker has since removed or renamed.',
    long:
      'The guide was written for Docker 1.4. Some of its options are gone: `--lxc-conf` went with the LXC driver, `--cpuset` is now `--cpuset-cpus`, `docker -d` and `docker daemon` are now `dockerd`, `--security-opt` takes `key=value` instead of the old `key:value`, and `--kernel-memory` is ignored by current kernels. A command that still uses them fails, or silently loses the protection it asked for.\n\n' +
      'Use the modern spelling; the quick fix rewrites it where one exists.',
  }),
  launch(l, ctx) {
    // Compose spells these legitimately (`cpuset`, `security_opt: [label:disable]`).
    if (l.source === 'compose') return;
    if (l.command === 'dockerd' && (l.subcommand === '-d' || l.subcommand === 'daemon')) oldDaemon(l, ctx);
    for (const o of all(l, 'lxc-conf')) ctx.report({ span: o.span, message: t('`{0}` went away with the LXC driver and is not accepted any more. Use --security-opt, --cap-*, --device or cgroup options instead.', shown(o, ctx.text)), context: l.label });
    for (const o of all(l, 'kernel-memory')) ctx.report({ span: o.span, message: t('`{0}` is deprecated and ignored by current kernels: it limits nothing. Use --memory.', shown(o, ctx.text)), context: l.label });
    for (const o of all(l, 'cpuset')) {
      ctx.report({ span: o.span, message: t('`--cpuset` was renamed `--cpuset-cpus`.'), fixes: [{ title: t('Rename to --cpuset-cpus'), safe: true, intents: [{ type: 'rename', option: o, name: 'cpuset-cpus' }], launch: l }], context: l.label });
    }
    for (const s of securityOpts(l)) {
      if (s.sep !== ':' || s.o.inherited) continue;
      const fixed = `${s.key}=${s.value ?? ''}`;
      ctx.report({
        span: s.o.span,
        message: t('`{0}` uses the old colon form of --security-opt. Write `{1}`.', shown(s.o, ctx.text), fixed),
        fixes: [{ title: t('Rewrite as {0}', fixed), safe: true, intents: [{ type: 'set-value', option: s.o, value: fixed }], launch: l }],
        context: l.label,
      });
    }
  },
};
