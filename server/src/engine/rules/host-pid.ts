import { checkHostNamespace } from './hostNamespace';
import { meta, Rule } from './rule';

export const rule: Rule = {
  meta: meta({
    id: 'host-pid', title: 'Host PID namespace', guide: [15], cis: '5.15', severity: 'error', fix: 'manual', sources: 'S, C, J, W, Q',
    short: 'The container shares the host\'s process namespace.',
    long:
      'In the host PID namespace the container sees every process of the host, their command lines and environments (often with secrets), and can signal them; with `SYS_PTRACE` or as root it can attach to them and take over the host.\n\n' +
      'Remove it. Debugging tools that need to see another container\'s processes can join that container\'s namespace with `--pid container:<name>` instead.',
  }),
  launch(l, ctx) {
    checkHostNamespace(l, ctx, 'pid', '`{0}` shows the container every host process and lets it signal them. Remove it, or join one container\'s namespace with --pid container:<name>.', false);
  },
};
