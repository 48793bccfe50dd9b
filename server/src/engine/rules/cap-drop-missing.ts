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
    reportMissing(ctx, l, t('Default capabilities are kept. Drop them all with `{0}` and add back only what the workload needs.', spell(l, 'cap-drop', 'ALL')),
      addFix(l, t('Drop all capabilities'), true, { name: 'cap-drop', value: 'ALL' }));
  },
};
