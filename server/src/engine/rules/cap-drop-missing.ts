import { imageNote } from './image-fit';
import { meta, Rule } from './rule';
import { addFix, all, capName, isKnown, missingApplies, reportMissing, spell, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'cap-drop-missing',
    title: 'Capabilities not dropped',
    guide: [14, 7],
    cis: '5.3',
    severity: 'warning',
    fix: 'safe',
    sources: 'S (run, create), C, Q',
    short: 'The container keeps Docker\'s default capability set instead of dropping all and adding back what it needs.',
    long:
      'Docker starts containers with about fourteen Linux capabilities (chown, dac_override, fowner, kill, setuid, setgid, net_raw, mknod, …). Most applications need none of them, and each is a tool for an attacker who gets code execution: `net_raw` allows packet spoofing, `setuid`/`setgid` let a process change identity, `dac_override` ignores file permissions.\n\n' +
      'Drop everything with `--cap-drop ALL` (compose: `cap_drop: [ALL]`) and add back, one by one, only the capabilities the workload proves it needs, for example `--cap-add NET_BIND_SERVICE` to bind a port below 1024.',
  }),
  launch(l, ctx) {
    if (!missingApplies(l)) return;
    // A value behind a variable may well be ALL: never guess.
    if (all(l, 'cap-drop').some((o) => capName(o.value) === 'ALL' || !isKnown(o.value))) return;
    const k = l.known;
    const message = t('Default capabilities are kept. Drop them all with `{0}` and add back only what the workload needs.', spell(l, 'cap-drop', 'ALL'));
    if (k?.privileged) {
      reportMissing(ctx, l, message, undefined, () => imageNote(l, t('it needs a privileged container; dropping capabilities does not apply.'), k.privileged!.sources));
      return;
    }
    // Safe for a known image whose needs are complete: drop all, add back what its entrypoint uses.
    if (k?.capAdd.complete) {
      // Started as the image's own user, its entrypoint needs less (postgres: nothing) than when it
      // starts as root and steps down; the fix then sets that user too, as root-user's fix does.
      const users = all(l, 'user');
      const own = k.user.fix && k.user.fixSafe && k.capAdd.asFixUser ? k.user.fix : undefined;
      const asOwn = own !== undefined && (users.length === 0 || users[users.length - 1].value === own);
      const caps = () => {
        const needs = asOwn ? k.capAdd.asFixUser! : k.capAdd.caps;
        const have = new Set(all(l, 'cap-add').map((o) => capName(o.value)));
        return needs.map((c) => c.cap).filter((c, i, a) => a.indexOf(c) === i && !have.has(c));
      };
      const fix = () => {
        const add = caps();
        const adds = [{ name: 'cap-drop', value: 'ALL' }, ...add.map((c) => ({ name: 'cap-add', value: c }))];
        if (asOwn && users.length === 0) adds.push({ name: 'user', value: own });
        const title = add.length ? t('Drop all capabilities but {0}', add.join(', ')) : t('Drop all capabilities');
        return addFix(l, asOwn && users.length === 0 ? t('{0} (as user {1})', title, own) : title, true, ...adds);
      };
      const note = () => {
        const add = caps();
        const what = add.length ? t('the fix adds back {0}, which its entrypoint uses.', add.map((c) => `\`${c}\``).join(', ')) : t('it needs no capability.');
        return imageNote(l, asOwn ? t('run as its own user `{0}`, {1}', own, what) : what, k.capAdd.sources);
      };
      reportMissing(ctx, l, message, fix, note);
      return;
    }
    const note = k ? () => imageNote(l, t('what it needs without its default capabilities is not fully known ({0}), so the fix needs a decision.', k.capAdd.gap ?? t('see the sources')), k.capAdd.sources) : undefined;
    reportMissing(ctx, l, message, () => addFix(l, t('Drop all capabilities'), false, { name: 'cap-drop', value: 'ALL' }), note);
  },
};
