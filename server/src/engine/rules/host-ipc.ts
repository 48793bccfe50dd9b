import { checkHostNamespace } from './hostNamespace';
import { meta, Rule } from './rule';

export const rule: Rule = {
  meta: meta({
    id: 'host-ipc', title: 'Host IPC namespace', guide: [15], cis: '5.16', severity: 'warning', fix: 'manual', sources: 'S, C, J, W, Q',
    short: 'The container shares the host\'s IPC namespace (shared memory, semaphores, message queues).',
    long:
      'With the host IPC namespace the container can read and write the shared memory segments and message queues of host processes, which often carry data that was never meant to leave them, and can disturb them.\n\n' +
      'Remove it. Containers that must share memory can share one container\'s namespace with `--ipc container:<name>` or `shareable`.',
  }),
  launch(l, ctx) {
    checkHostNamespace(l, ctx, 'ipc', '`{0}` shares the host\'s shared memory and message queues with the container. Remove it, or share with one container only.', false);
  },
};
