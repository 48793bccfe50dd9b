/** The settings under hovers: options and instruction keywords that a rule explains. */
import type { Launch } from './launch';
import { splitKeyValue } from './launch';
import type { DockerfileView } from './model';
import { lookupTable } from './table';
import type { HoverSpot } from './types';

const OPTION_RULES: Record<string, string> = lookupTable({
  privileged: 'privileged', user: 'root-user', 'cap-drop': 'cap-drop-missing', 'cap-add': 'cap-add-dangerous',
  memory: 'memory-limit-missing', cpus: 'cpu-limit-missing', 'cpu-quota': 'cpu-limit-missing', 'cpuset-cpus': 'cpu-limit-missing',
  'cpu-shares': 'cpu-limit-missing', 'pids-limit': 'pids-limit-missing', 'read-only': 'read-only-rootfs-missing', tmpfs: 'read-only-rootfs-missing',
  volume: 'sensitive-mount', mount: 'sensitive-mount', device: 'device-bind-mount', 'device-cgroup-rule': 'device-cgroup-all',
  network: 'host-network', pid: 'host-pid', ipc: 'host-ipc', uts: 'host-uts', userns: 'userns-host', publish: 'port-all-interfaces',
  'publish-all': 'port-all-interfaces', 'log-driver': 'logging-disabled', restart: 'restart-unbounded', 'cgroup-parent': 'cgroup-parent-custom',
  link: 'legacy-link', env: 'secret-in-env', 'disable-content-trust': 'content-trust-disabled', 'insecure-registry': 'insecure-registry',
  icc: 'icc-enabled', 'userns-remap': 'userns-remap-missing', host: 'daemon-tcp-no-tls', 'global-host': 'daemon-tcp-no-tls',
  tlsverify: 'daemon-tcp-no-tls', 'selinux-enabled': 'selinux-disabled', healthcheck: 'healthcheck-missing', lxc: 'obsolete-option',
  'lxc-conf': 'obsolete-option', cpuset: 'obsolete-option', 'kernel-memory': 'obsolete-option', expose: 'ssh-server',
});
const SECURITY_OPT_RULES: Record<string, string> = lookupTable({ 'no-new-privileges': 'no-new-privileges-missing', seccomp: 'seccomp-disabled', apparmor: 'apparmor-disabled', label: 'selinux-disabled' });
const INSTRUCTION_RULES: Record<string, string> = lookupTable({ USER: 'root-user', HEALTHCHECK: 'healthcheck-missing', ADD: 'add-instead-of-copy', FROM: 'image-latest', EXPOSE: 'ssh-server' });

/** The settings under hovers: options and instruction keywords that a rule explains. */
export function hoverSpotsOf(r: { launches: Launch[]; dockerfile?: DockerfileView }): HoverSpot[] {
  const out: HoverSpot[] = [];
  for (const l of r.launches) {
    // A Dockerfile's final stage: its USER and HEALTHCHECK are hovered as instructions below.
    if (l.command === 'image') continue;
    for (const o of l.options) {
      if (o.inherited) continue;
      let id = OPTION_RULES[o.name];
      if (o.name === 'security-opt') id = SECURITY_OPT_RULES[splitKeyValue(o.value).key.toLowerCase()] ?? '';
      if (o.name === 'volume' || o.name === 'mount') {
        const src = o.mount?.source ?? '';
        if (/\.sock$/.test(src)) id = 'docker-socket-mount';
        else if (src.startsWith('/dev')) id = 'device-bind-mount';
      }
      if (id) out.push({ span: o.span, ruleId: id, kind: 'option', setting: { name: o.name, value: o.value } });
    }
  }
  if (r.dockerfile) {
    // The final stage's USER and HEALTHCHECK: what the image's containers start with.
    const image = r.dockerfile.image?.options ?? [];
    for (const ins of r.dockerfile.instructions) {
      const id = INSTRUCTION_RULES[ins.keyword.toUpperCase()];
      if (!id) continue;
      const o = image.find((x) => x.span.start === ins.span.start);
      out.push({ span: ins.keywordSpan, ruleId: id, kind: 'instruction', ...(o ? { setting: { name: o.name, value: o.value } } : {}) });
    }
  }
  return out;
}

