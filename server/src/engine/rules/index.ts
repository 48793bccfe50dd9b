/** The rule registry: every rule module, in catalog order. */
import type { RuleMeta } from '../types';
import type { Rule } from './rule';
import { parseError, unknownSuppression, unresolvedExtends } from './meta-rules';
import { rule as privileged } from './privileged';
import { rule as rootUser } from './root-user';
import { rule as capDropMissing } from './cap-drop-missing';
import { rule as capAddDangerous } from './cap-add-dangerous';
import { rule as noNewPrivilegesMissing } from './no-new-privileges-missing';
import { rule as seccompDisabled } from './seccomp-disabled';
import { rule as apparmorDisabled } from './apparmor-disabled';
import { rule as selinuxDisabled } from './selinux-disabled';
import { rule as memoryLimitMissing } from './memory-limit-missing';
import { rule as cpuLimitMissing } from './cpu-limit-missing';
import { rule as pidsLimitMissing } from './pids-limit-missing';
import { rule as readOnlyRootfsMissing } from './read-only-rootfs-missing';
import { rule as sensitiveMount } from './sensitive-mount';
import { rule as dockerSocketMount } from './docker-socket-mount';
import { rule as deviceBindMount } from './device-bind-mount';
import { rule as deviceCgroupAll } from './device-cgroup-all';
import { rule as hostNetwork } from './host-network';
import { rule as hostPid } from './host-pid';
import { rule as hostIpc } from './host-ipc';
import { rule as hostUts } from './host-uts';
import { rule as usernsHost } from './userns-host';
import { rule as portAllInterfaces } from './port-all-interfaces';
import { rule as loggingDisabled } from './logging-disabled';
import { rule as mountPropagationShared } from './mount-propagation-shared';
import { rule as sshServer } from './ssh-server';
import { rule as daemonTcpNoTls } from './daemon-tcp-no-tls';
import { rule as insecureRegistry } from './insecure-registry';
import { rule as contentTrustDisabled } from './content-trust-disabled';
import { rule as imageLatest } from './image-latest';
import { rule as secretInEnv } from './secret-in-env';
import { rule as pipeToShell } from './pipe-to-shell';
import { rule as tlsVerifyDisabled } from './tls-verify-disabled';
import { rule as setuidBits } from './setuid-bits';
import { rule as worldWritable } from './world-writable';
import { rule as sudoInDockerfile } from './sudo-in-dockerfile';
import { rule as addInsteadOfCopy } from './add-instead-of-copy';
import { rule as remoteAdd } from './remote-add';
import { rule as healthcheckMissing } from './healthcheck-missing';
import { rule as restartUnbounded } from './restart-unbounded';
import { rule as privilegedHostPort } from './privileged-host-port';
import { rule as cgroupParentCustom } from './cgroup-parent-custom';
import { rule as obsoleteOption } from './obsolete-option';
import { rule as legacyLink } from './legacy-link';
import { rule as dindPrivileged } from './dind-privileged';
import { rule as iccEnabled } from './icc-enabled';
import { rule as usernsRemapMissing } from './userns-remap-missing';
import { rule as secretInBuildArg } from './secret-in-build-arg';
import { rule as imageDigestMissing } from './image-digest-missing';

export const RULE_MODULES: Rule[] = [
  privileged,
  rootUser,
  capDropMissing,
  capAddDangerous,
  noNewPrivilegesMissing,
  seccompDisabled,
  apparmorDisabled,
  selinuxDisabled,
  memoryLimitMissing,
  cpuLimitMissing,
  pidsLimitMissing,
  readOnlyRootfsMissing,
  sensitiveMount,
  dockerSocketMount,
  deviceBindMount,
  deviceCgroupAll,
  hostNetwork,
  hostPid,
  hostIpc,
  hostUts,
  usernsHost,
  portAllInterfaces,
  loggingDisabled,
  mountPropagationShared,
  sshServer,
  daemonTcpNoTls,
  insecureRegistry,
  contentTrustDisabled,
  imageLatest,
  imageDigestMissing,
  secretInEnv,
  secretInBuildArg,
  pipeToShell,
  tlsVerifyDisabled,
  setuidBits,
  worldWritable,
  sudoInDockerfile,
  addInsteadOfCopy,
  remoteAdd,
  healthcheckMissing,
  restartUnbounded,
  privilegedHostPort,
  cgroupParentCustom,
  obsoleteOption,
  legacyLink,
  dindPrivileged,
  iccEnabled,
  usernsRemapMissing,
];

/** Findings about the file itself. */
export const META_RULES: Rule[] = [parseError, unresolvedExtends, unknownSuppression];

export const RULES: RuleMeta[] = [...RULE_MODULES, ...META_RULES].map((r) => r.meta);
export const RULE_IDS: Set<string> = new Set(RULES.map((r) => r.id));
const BY_ID = new Map(RULES.map((r) => [r.id, r]));
export function getRule(id: string): RuleMeta | undefined {
  return BY_ID.get(id);
}
