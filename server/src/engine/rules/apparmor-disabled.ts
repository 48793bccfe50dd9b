import { meta, Rule } from './rule';
import { checkSecurityOptOff } from './securityOptDisabled';

export const rule: Rule = {
  meta: meta({
    id: 'apparmor-disabled',
    title: 'AppArmor disabled',
    guide: [4],
    cis: '5.1',
    severity: 'error',
    fix: 'safe',
    sources: 'S, C, J, W, Q',
    short: 'The container runs without an AppArmor profile.',
    long:
      'On hosts with AppArmor, Docker confines every container with the `docker-default` profile, which denies writes to `/proc` and `/sys` entries, mounting, and other operations that lead out of the container. `apparmor=unconfined` takes that layer away.\n\n' +
      'Remove the option. If the default profile blocks something legitimate, write a profile that allows it and load it with `--security-opt apparmor=<profile>`.',
  }),
  launch(l, ctx) {
    checkSecurityOptOff(l, ctx, 'apparmor', 'unconfined', '`{0}` removes the AppArmor profile that confines the container. Remove it, or load a custom profile.');
  },
};
