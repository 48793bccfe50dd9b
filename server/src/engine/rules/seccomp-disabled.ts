import { meta, Rule } from './rule';
import { checkSecurityOptOff } from './securityOptDisabled';

export const rule: Rule = {
  meta: meta({
    id: 'seccomp-disabled',
    title: 'seccomp disabled',
    guide: [13],
    cis: '5.21',
    severity: 'error',
    fix: 'safe',
    sources: 'S, C, J, W, Q',
    short: 'The default seccomp profile is switched off, so the container may call every system call.',
    long:
      'Docker\'s default seccomp profile blocks about 40 system calls that containers rarely need and that have a long record of kernel exploits (`keyctl`, `add_key`, `unshare`, `mount`, `bpf`, `ptrace` on old kernels, …). `seccomp=unconfined` removes that filter and widens the kernel surface a compromised process can attack.\n\n' +
      'Remove `seccomp=unconfined`. If one call is missing for your workload, copy the default profile, allow just that call and pass it with `--security-opt seccomp=/path/profile.json`.',
  }),
  launch(l, ctx) {
    checkSecurityOptOff(l, ctx, 'seccomp', 'unconfined', '`{0}` removes the system-call filter and exposes the whole kernel API. Remove it, or use a custom profile that allows just the calls you need.');
  },
};
