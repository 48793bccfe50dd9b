import { meta, Rule } from './rule';
import { addFix, isKnown, missingApplies, reportMissing, securityOpts, spell, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'no-new-privileges-missing',
    title: 'no-new-privileges not set',
    guide: [4, 5],
    cis: '5.25',
    severity: 'warning',
    fix: 'safe',
    sources: 'S (run, create), C, Q',
    short: 'Processes in the container can gain privileges through setuid/setgid binaries.',
    long:
      'Without `no-new-privileges`, a process can raise its privileges by executing a setuid or setgid binary (`su`, `sudo`, `ping` on older images, or one an attacker planted). With it set, the kernel refuses such transitions for the container\'s whole process tree, closing the most common local escalation path inside a container.\n\n' +
      'Add `--security-opt no-new-privileges` (compose: `security_opt: [no-new-privileges:true]`). It breaks only programs that rely on setuid, which a hardened image should not ship.',
  }),
  launch(l, ctx) {
    if (l.command !== 'run' && l.command !== 'create' && l.command !== 'service') return;
    const nnp = securityOpts(l).filter((s) => s.key.toLowerCase() === 'no-new-privileges');
    const last = nnp[nnp.length - 1];
    if (last && (last.value === undefined || last.value.toLowerCase() === 'true' || last.value.includes('\u241F'))) return;
    const value = 'no-new-privileges';
    if (last && !last.o.inherited) {
      ctx.report({
        span: last.o.span,
        message: t('no-new-privileges is switched off, so setuid binaries can raise privileges. Set it to true.'),
        fixes: [{ title: t('Set no-new-privileges'), safe: true, intents: [{ type: 'set-value', option: last.o, value }], launch: l }],
        context: l.label,
      });
      return;
    }
    // A security option behind a variable may well be no-new-privileges: never guess.
    if (last || !missingApplies(l) || securityOpts(l).some((s) => !isKnown(s.o.value))) return;
    reportMissing(ctx, l, t('Processes can gain privileges through setuid binaries. Add `{0}`.', spell(l, 'security-opt', value)),
      () => addFix(l, t('Add no-new-privileges'), true, { name: 'security-opt', value }));
  },
};
