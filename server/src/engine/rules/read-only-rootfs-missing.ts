import { imageNote } from './image-fit';
import { meta, Rule } from './rule';
import { addFix, all, isTrue, missingApplies, reportMissing, shown, spell, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'read-only-rootfs-missing',
    title: 'Writable root filesystem',
    guide: [10],
    cis: '5.12',
    severity: 'warning',
    fix: 'manual',
    sources: 'S (run, create), C, Q',
    short: 'The container\'s root filesystem is writable.',
    long:
      'A writable root filesystem lets an intruder replace binaries, drop tools and persist changes for as long as the container lives, and hides drift from the image you reviewed.\n\n' +
      'Run with `--read-only` and give the application writable space only where it needs it: `--tmpfs /tmp` and named volumes for data (compose: `read_only: true` and `tmpfs: [/tmp]`). Test first: some images write to unexpected paths, which is why this fix is offered but not applied by "Harden this file".',
  }),
  launch(l, ctx) {
    if (l.command !== 'run' && l.command !== 'create' && l.command !== 'service') return;
    const ro = all(l, 'read-only');
    const last = ro[ro.length - 1];
    if (last && isTrue(last)) return;
    if (last && !last.inherited && /^(false|no|off|0)$/i.test(last.value.trim())) {
      ctx.report({ span: last.span, message: t('`{0}` keeps the root filesystem writable. Make it read-only and mount writable paths explicitly.', shown(last, ctx.text)), fixes: [{ title: t('Make the root filesystem read-only'), safe: false, intents: [{ type: 'set-value', option: last, value: 'true' }], launch: l }], context: l.label });
      return;
    }
    if (last || !missingApplies(l)) return;
    const message = t('The root filesystem is writable. Run read-only (`{0}`) with writable tmpfs or volumes where needed.', spell(l, 'read-only', 'true'));
    const have = all(l, 'tmpfs').map((o) => o.value.split(':')[0]);
    const k = l.known;
    if (k?.readOnly.ok) {
      // Safe for a known image: tmpfs where it writes at run time.
      const paths = k.writes.tmpfs.filter((p) => !have.includes(p));
      const note = () => imageNote(l, paths.length ? t('the fix mounts a tmpfs where it writes: {0}.', paths.map((p) => `\`${p}\``).join(', ')) : t('it writes only to its volumes.'), [...k.readOnly.sources, ...k.writes.sources]);
      const fix = () => addFix(l, paths.length ? t('Add read-only root filesystem with tmpfs at {0}', paths.join(', ')) : t('Add read-only root filesystem'), true, { name: 'read-only' }, ...paths.map((p) => ({ name: 'tmpfs', value: p })));
      reportMissing(ctx, l, message, fix, note);
      return;
    }
    const hasTmp = have.includes('/tmp');
    const adds = hasTmp ? [{ name: 'read-only' }] : [{ name: 'read-only' }, { name: 'tmpfs', value: '/tmp' }];
    const note = k ? () => imageNote(l, t('it is not known to run with a read-only root filesystem: {0}', k.readOnly.why), k.readOnly.sources) : undefined;
    reportMissing(ctx, l, message, () => addFix(l, hasTmp ? t('Add read-only root filesystem') : t('Add read-only root filesystem with a tmpfs at /tmp'), false, ...adds), note);
  },
};
