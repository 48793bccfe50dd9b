import { checkHostNamespace } from './hostNamespace';
import { meta, Rule } from './rule';

export const rule: Rule = {
  meta: meta({
    id: 'host-network', title: 'Host network namespace', guide: [15], cis: '5.9', severity: 'warning', fix: 'manual', sources: 'S, C, J, W, Q',
    short: 'The container shares the host\'s network stack.',
    long:
      'With the host network the container sees every interface of the host, can bind any port on it, reach services that listen only on localhost (including the Docker API if it is exposed there), and sniff traffic with `NET_RAW`. Network isolation between containers is gone.\n\n' +
      'Use a bridge or user-defined network and publish only the ports needed, bound to `127.0.0.1` when only local access is wanted.',
  }),
  launch(l, ctx) {
    checkHostNamespace(l, ctx, 'network', '`{0}` shares the host\'s network stack: the container reaches host-local services and every interface. Use a user-defined network and publish ports instead.', false);
  },
};
