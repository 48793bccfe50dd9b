import type { Launch, Option } from '../launch';
import { meta, Rule, RuleContext } from './rule';
import { all, securityOpts, shown, t } from './util';

function rewriteDaemon(l: Launch, ctx: RuleContext): void {
  const old = l.subcommand === '-d' ? (l.ref as { oldDaemon?: Option }).oldDaemon : undefined;
  const edits: Array<{ start: number; end: number; newText: string }> = [];
  const nameEnd = ctx.text.indexOf(l.tool, l.anchor.start) >= 0 ? l.anchor.start + l.tool.length : -1;
  if (l.subcommand === 'daemon') {
    // `docker daemon` → `dockerd` when the two words are adjacent.
    const between = ctx.text.slice(l.anchor.start, l.anchor.end);
    if (/^docker\s+daemon$/.test(between)) edits.push({ start: l.anchor.start, end: l.anchor.end, newText: 'dockerd' });
  } else if (old && nameEnd > 0 && ctx.text.slice(l.anchor.start, nameEnd) === 'docker') {
    const oref = old.ref as { words?: number[]; bundled?: boolean } | undefined;
    if (!oref?.bundled) {
      edits.push({ start: l.anchor.start, end: nameEnd, newText: 'dockerd' });
      let s = old.span.start;
      while (s > 0 && (ctx.text[s - 1] === ' ' || ctx.text[s - 1] === '\t')) s--;
      edits.push({ start: s, end: old.span.end, newText: '' });
    }
  }
  ctx.report({
    span: l.anchor,
    message: t('`{0}` is the pre-1.13 way to start the daemon and no longer exists. Use `dockerd`.', ctx.text.slice(l.anchor.start, l.anchor.end)),
    fixes: edits.length ? [{ title: t('Use dockerd'), safe: true, edits }] : [],
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
    if (l.source === 'compose') return;
    if (l.command === 'dockerd' && (l.subcommand === '-d' || l.subcommand === 'daemon')) rewriteDaemon(l, ctx);
    for (const o of all(l, 'lxc-conf')) ctx.report({ span: o.span, message: t('`{0}` went away with the LXC driver and is not accepted any more. Use --security-opt, --cap-*, --device or cgroup options instead.', shown(o, ctx.text)), context: l.label });
    for (const o of all(l, 'kernel-memory')) ctx.report({ span: o.span, message: t('`{0}` is deprecated and ignored by current kernels: it limits nothing. Use --memory.', shown(o, ctx.text)), context: l.label });
    for (const o of all(l, 'cpuset')) {
      ctx.report({ span: o.span, message: t('`--cpuset` was renamed `--cpuset-cpus`.'), fixes: [{ title: t('Rename to --cpuset-cpus'), safe: true, intents: [{ type: 'rename', option: o, name: '--cpuset-cpus' }], launch: l }], context: l.label });
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
