/** Helpers shared by the table's data files. */
import type { Cap, CapNeed, Cite } from './types';

export function need(cap: Cap, why: string, sources: Cite[], when?: string): CapNeed {
  return when ? { cap, why, when, sources } : { cap, why, sources };
}

/** Docker has set net.ipv4.ip_unprivileged_port_start=0 in containers on its own networks since 20.10. */
export const UNPRIVILEGED_PORTS: Cite = 'https://github.com/moby/moby/pull/41030';

/** When a root process binding a port below 1024 needs NET_BIND_SERVICE. */
export const LOW_PORT_WHEN =
  'only where net.ipv4.ip_unprivileged_port_start stays at 1024 (host network, Kubernetes, other runtimes); Docker ≥ 20.10 sets it to 0 on its own networks';

export const DOCS = 'docker-library/docs:';
export const OFFICIAL = 'docker-library/official-images:';
