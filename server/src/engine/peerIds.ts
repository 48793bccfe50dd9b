/**
 * Other tools' check ids and the rules of this tool that answer to them: a suppression comment
 * written for hadolint, Checkov, Trivy, KICS, Semgrep or BuildKit silences these rules where that
 * tool's comment would silence its own check (see peerComments.ts). A peer id is listed only when
 * the peer's check judges the same thing as the rule; each entry says where the id comes from
 * (the peer project's own files, at the commit they were read from) and why it maps.
 */
import type { PeerIds, PeerTool, SourceKind } from './types';

export type { PeerIds, PeerTool };

/** The tools in the order they are shown. */
export const PEER_TOOLS: readonly PeerTool[] = ['hadolint', 'checkov', 'trivy', 'kics', 'semgrep', 'buildkit'];

export interface PeerCheck {
  tool: PeerTool;
  /** The id as the peer's documentation writes it. */
  id: string;
  /** Other spellings the peer's own comment matching accepts (Trivy: AVD id, short id, long ids). */
  aliases?: string[];
  /** The kinds of file the peer checks with it (where its comments are read). */
  kinds: SourceKind[];
  rules: string[];
  /**
   * When the peer's check covers only part of what a rule flags: the text of a finding (its span)
   * must match for this id to silence it (`curl -k` but not `wget --no-check-certificate`).
   */
  only?: RegExp;
  /** The peer's file that defines the check. */
  source: string;
  /** Why it maps: what the peer's check flags. */
  why: string;
}

/** The revisions the ids were read from. */
export const PEER_SOURCES: Record<PeerTool, string> = {
  hadolint: 'hadolint/hadolint@8f936c5e975d3663b3cce4ac5b3baa3db26b8516',
  checkov: 'bridgecrewio/checkov@03d5fdad8d6154b1565799a7b1fb8070c158866f',
  trivy: 'aquasecurity/trivy-checks@80e5382269707262f35cf893bdc0805cb72217e9',
  kics: 'Checkmarx/kics (assets/queries, master as of 2026-08)',
  semgrep: 'semgrep/semgrep-rules@157ae4706d7f54aa33647332f234dd68f30da195',
  buildkit: 'moby/buildkit@73ed6825c4b7569379ef89df0aedcdbe64473d31',
};

const D: SourceKind[] = ['dockerfile'];
const C: SourceKind[] = ['compose'];
const SECRETS = ['secret-in-env', 'secret-in-build-arg'];
/** A finding on an explicit `USER root` (not on the final FROM for a missing USER). */
const USER_ROOT = /^USER\b/i;
/** A finding on the final FROM: the image has no USER at all. */
const NO_USER = /^FROM\b/i;
/** An image reference with no tag and no digest; one tagged `latest`. */
const NO_TAG = /^(?:[^\s]*\/)?[^:@/\s]+$/;
const LATEST = /:latest$/i;
const hado = (id: string, rules: string[], why: string, only?: RegExp): PeerCheck => ({ tool: 'hadolint', id, kinds: D, rules, source: `src/Hadolint/Rule/${id}.hs`, why, ...(only ? { only } : {}) });
const ckv = (id: string, file: string, rules: string[], why: string, only?: RegExp): PeerCheck => ({ tool: 'checkov', id, kinds: D, rules, source: `checkov/dockerfile/checks/${file}`, why, ...(only ? { only } : {}) });
/** A Trivy check with the aliases of its metadata (`DS-0002`, `AVD-DS-0002`, `DS002`, long ids). */
const trivy = (n: number, short: string, file: string, rules: string[], why: string): PeerCheck => {
  const num = String(n).padStart(3, '0');
  return { tool: 'trivy', id: `DS-0${num}`, aliases: [`AVD-DS-0${num}`, `DS${num}`, short, `docker-${short}`], kinds: D, rules, source: `checks/docker/${file}.rego`, why };
};
const kics = (id: string, kinds: SourceKind[], dir: string, rules: string[], why: string, only?: RegExp): PeerCheck => ({
  tool: 'kics', id, kinds, rules, source: `assets/queries/${kinds[0] === 'compose' ? 'dockerCompose' : 'dockerfile'}/${dir}/metadata.json`, why, ...(only ? { only } : {}),
});
/** A Semgrep registry rule: its id is the file's path with dots and the rule's own id. */
const sg = (path: string, ruleId: string, kinds: SourceKind[], rules: string[], why: string, only?: RegExp): PeerCheck => ({
  tool: 'semgrep', id: `${path.replace(/\//g, '.')}.${ruleId}`, kinds, rules, source: `${path}.yaml`, why, ...(only ? { only } : {}),
});

export const PEER_CHECKS: readonly PeerCheck[] = [
  // hadolint: README's rule table and src/Hadolint/Rule/*.hs.
  hado('DL3002', ['root-user'], 'Last USER should not be root.', USER_ROOT),
  hado('DL3004', ['sudo-in-dockerfile'], 'Do not use sudo in RUN.'),
  hado('DL3006', ['image-latest'], 'Always tag the version of an image explicitly (FROM without a tag).', NO_TAG),
  hado('DL3007', ['image-latest'], 'Using latest is prone to errors (FROM …:latest).', LATEST),
  hado('DL3020', ['add-instead-of-copy'], 'Use COPY instead of ADD for files and folders (not URLs or archives).'),
  hado('DL3057', ['healthcheck-missing'], 'HEALTHCHECK instruction missing.'),
  hado('DL3064', SECRETS, 'Potentially sensitive data should not be used in the ARG or ENV commands.'),
  // Checkov: checkov/dockerfile/checks/*.py and graph_checks/*.yaml. Checkov has no compose checks.
  ckv('CKV_DOCKER_1', 'ExposePort22.py', ['ssh-server'], 'Ensure port 22 is not exposed.'),
  ckv('CKV_DOCKER_2', 'HealthcheckExists.py', ['healthcheck-missing'], 'Ensure that HEALTHCHECK instructions have been added to container images.'),
  ckv('CKV_DOCKER_3', 'UserExists.py', ['root-user'], 'Ensure that a user for the container has been created (no USER: runs as root).', NO_USER),
  ckv('CKV_DOCKER_4', 'AddExists.py', ['add-instead-of-copy', 'remote-add'], 'Ensure that COPY is used instead of ADD (fails on every ADD, local or remote).'),
  ckv('CKV_DOCKER_7', 'ReferenceLatestTag.py', ['image-latest'], 'Ensure the base image uses a non latest version tag.'),
  ckv('CKV_DOCKER_8', 'RootUser.py', ['root-user'], 'Ensure the last USER is not root.', USER_ROOT),
  ckv('CKV2_DOCKER_1', 'graph_checks/RunUsingSudo.yaml', ['sudo-in-dockerfile'], 'Ensure that sudo isn\'t used.'),
  ckv('CKV2_DOCKER_2', 'graph_checks/RunUnsafeCurl.yaml', ['tls-verify-disabled'], 'curl --insecure / -k.', /^(-[A-Za-z]*k[A-Za-z]*|--insecure)$/),
  ckv('CKV2_DOCKER_3', 'graph_checks/RunUnsafeWget.yaml', ['tls-verify-disabled'], 'wget --no-check-certificate.', /^--no-check-certificate$/),
  ckv('CKV2_DOCKER_4', 'graph_checks/RunPipTrustedHost.yaml', ['tls-verify-disabled'], 'pip --trusted-host.', /trusted-host/),
  ckv('CKV2_DOCKER_5', 'graph_checks/EnvPythonHttpsVerify.yaml', ['tls-verify-disabled'], 'PYTHONHTTPSVERIFY=0.', /PYTHONHTTPSVERIFY/),
  ckv('CKV2_DOCKER_6', 'graph_checks/EnvNodeTlsRejectUnauthorized.yaml', ['tls-verify-disabled'], 'NODE_TLS_REJECT_UNAUTHORIZED=0.', /NODE_TLS_REJECT_UNAUTHORIZED/),
  ckv('CKV2_DOCKER_7', 'graph_checks/RunApkAllowUntrusted.yaml', ['tls-verify-disabled'], 'apk --allow-untrusted.', /^--allow-untrusted$/),
  ckv('CKV2_DOCKER_8', 'graph_checks/RunAptGetAllowUnauthenticated.yaml', ['tls-verify-disabled'], 'apt-get --allow-unauthenticated.', /^--allow-unauthenticated$/),
  ckv('CKV2_DOCKER_9', 'graph_checks/RunYumNoGpgCheck.yaml', ['tls-verify-disabled'], 'dnf/yum --nogpgcheck.', /^--nogpgcheck$/),
  ckv('CKV2_DOCKER_11', 'graph_checks/RunAptGetForceYes.yaml', ['tls-verify-disabled'], 'apt-get --force-yes (disables signature validation).', /^--force-yes$/),
  ckv('CKV2_DOCKER_13', 'graph_checks/RunNpmConfigSetStrictSsl.yaml', ['tls-verify-disabled'], 'npm/yarn config set strict-ssl false.', /strict-ssl/),
  ckv('CKV2_DOCKER_14', 'graph_checks/EnvGitSslNoVerify.yaml', ['tls-verify-disabled'], 'GIT_SSL_NO_VERIFY set.', /GIT_SSL_NO_VERIFY/),
  ckv('CKV2_DOCKER_16', 'graph_checks/EnvPipTrustedHost.yaml', ['tls-verify-disabled'], 'PIP_TRUSTED_HOST set.', /PIP_TRUSTED_HOST/),
  // Trivy: checks/docker/*.rego (`custom.id`, `aliases`). Trivy has no built-in compose checks.
  trivy(1, 'use-specific-tags', 'latest_tag', ['image-latest'], '\':latest\' tag used.'),
  trivy(2, 'least-privilege-user', 'root_user', ['root-user'], 'Image user should not be \'root\'.'),
  trivy(4, 'no-ssh-port', 'port22', ['ssh-server'], 'Port 22 exposed.'),
  trivy(5, 'use-copy-over-add', 'add_instead_of_copy', ['add-instead-of-copy'], 'ADD instead of COPY.'),
  trivy(10, 'no-sudo-run', 'run_using_sudo', ['sudo-in-dockerfile'], 'RUN using \'sudo\'.'),
  trivy(26, 'no-healthcheck', 'no_healthcheck_instruction', ['healthcheck-missing'], 'No HEALTHCHECK defined.'),
  trivy(31, 'do-not-pass-secrets', 'leaked_secrets', SECRETS, 'Secrets passed via build-args or envs.'),
  // KICS: assets/queries/<platform>/<query>/metadata.json `id` (a UUID).
  kics('9513a694-aa0d-41d8-be61-3271e056f36b', D, 'add_instead_of_copy', ['add-instead-of-copy'], 'Add Instead of Copy.'),
  kics('5907595b-5b6d-4142-b173-dbb0e73fbff8', D, 'exposing_port_22', ['ssh-server'], 'Exposing Port 22 (SSH).'),
  kics('b03a748a-542d-44f4-bb86-9199ab4fd2d5', D, 'healthcheck_instruction_missing', ['healthcheck-missing'], 'Healthcheck Instruction Missing.'),
  kics('9efb0b2d-89c9-41a3-91ca-dcc0aec911fd', D, 'image_version_not_explicit', ['image-latest'], 'Image Version Not Explicit.', NO_TAG),
  kics('f45ea400-6bbe-4501-9fc7-1c3d75c32067', D, 'image_version_using_latest', ['image-latest'], 'Image Version Using \'latest\'.', LATEST),
  kics('67fd0c4a-68cf-46d7-8c41-bc9fba7e40ae', D, 'last_user_is_root', ['root-user'], 'Last User Is \'root\'.', USER_ROOT),
  kics('fd54f200-402c-4333-a5a4-36ef6709af2f', D, 'missing_user_instruction', ['root-user'], 'Missing User Instruction.', NO_USER),
  kics('8ada6e80-0ade-439e-b176-0b28f6bce35a', D, 'run_using_sudo', ['sudo-in-dockerfile'], 'Run Using Sudo.'),
  kics('ae5b6871-7f45-42e0-bb4c-ab300c4d2026', C, 'privileged_containers_enabled', ['privileged'], 'Privileged Containers Enabled.'),
  kics('ce76b7d0-9e77-464d-b86f-c5c48e03e22d', C, 'container_capabilities_unrestricted', ['cap-drop-missing', 'cap-add-dangerous'], 'Container Capabilities Unrestricted: any cap_add, or no cap_drop.'),
  kics('451d79dc-0588-476a-ad03-3c7f0320abb3', C, 'container_traffic_not_bound_to_host_interface', ['port-all-interfaces'], 'Container Traffic Not Bound To Host Interface.'),
  kics('6b610c50-99fb-4ef0-a5f3-e312fd945bc3', C, 'cpus_not_limited', ['cpu-limit-missing'], 'Cpus Not Limited.'),
  kics('bb9ac4f7-e13b-423d-a010-c74a1bfbe492', C, 'memory_not_limited', ['memory-limit-missing'], 'Memory Not Limited.'),
  kics('221e0658-cb2a-44e3-b08a-db96a341d6fa', C, 'pids_limit_not_set', ['pids-limit-missing'], 'Pids Limit Not Set.'),
  kics('27fcc7d6-c49b-46e0-98f1-6c082a6a2750', C, 'no_new_privileges_not_set', ['no-new-privileges-missing'], 'No New Privileges Not Set.'),
  kics('404fde2c-bc4b-4371-9747-7054132ac953', C, 'default_seccomp_profile_disabled', ['seccomp-disabled'], 'Default Seccomp Profile Disabled.'),
  kics('d6355c88-1e8d-49e9-b2f2-f8a1ca12c75b', C, 'docker_socket_mounted_in_container', ['docker-socket-mount'], 'Docker Socket Mounted In Container.'),
  kics('698ed579-b239-4f8f-a388-baa4bcb13ef8', C, 'healthcheck_not_set', ['healthcheck-missing'], 'Healthcheck Not Set.'),
  kics('4f31dd9f-2cc3-4751-9b53-67e4af83dac0', C, 'host_namespace_is_shared', ['host-pid'], 'Host Namespace is Shared (pid: host).'),
  kics('baa3890f-bed7-46f5-ab8f-1da8fc91c729', C, 'shared_host_ipc_namespace', ['host-ipc'], 'Shared Host IPC Namespace.'),
  kics('071a71ff-f868-47a4-ac0b-3c59e4ab5443', C, 'shared_host_network_namespace', ['host-network'], 'Shared Host Network Namespace.'),
  kics('8af7162d-6c98-482f-868e-0d33fb675ca8', C, 'shared_host_user_namespace', ['userns-host'], 'Shared Host User Namespace.'),
  kics('bc2908f3-f73c-40a9-8793-c1b7d5544f79', C, 'privileged_ports_mapped_in_container', ['privileged-host-port'], 'Privileged Ports Mapped In Container.'),
  kics('2fc99041-ddad-49d5-853f-e35e70a48391', C, 'restart_policy_on_failure_not_set_to_5', ['restart-unbounded'], 'Restart Policy On Failure Not Set To 5.'),
  kics('4d9f44c6-2f4a-4317-9bb5-267adbea0232', C, 'cgroup_not_default', ['cgroup-parent-custom'], 'Cgroup Not Default (cgroup_parent set).'),
  kics('1c1325ff-831d-43a1-973e-839ae57dfcc0', C, 'volume_has_sensitive_host_directory', ['sensitive-mount'], 'Volume Has Sensitive Host Directory.'),
  // Semgrep registry (semgrep-rules): dockerfile/** and yaml/docker-compose/**.
  sg('dockerfile/security/last-user-is-root', 'last-user-is-root', D, ['root-user'], 'USER root is the last USER.', USER_ROOT),
  sg('dockerfile/security/missing-user', 'missing-user', D, ['root-user'], 'CMD without a USER before it.', NO_USER),
  sg('dockerfile/security/missing-user-entrypoint', 'missing-user-entrypoint', D, ['root-user'], 'ENTRYPOINT without a USER before it.', NO_USER),
  sg('dockerfile/security/no-sudo-in-dockerfile', 'no-sudo-in-dockerfile', D, ['sudo-in-dockerfile'], 'RUN sudo.'),
  sg('dockerfile/security/secret-in-build-arg', 'secret-in-build-arg', D, SECRETS, 'ARG whose name looks like a secret, with or without a value.'),
  sg('dockerfile/best-practice/missing-image-version', 'missing-image-version', D, ['image-latest'], 'FROM without a tag or digest.', NO_TAG),
  sg('dockerfile/best-practice/prefer-copy-over-add', 'prefer-copy-over-add', D, ['remote-add'], 'ADD of a URL or an archive (not local files).'),
  sg('dockerfile/audit/dockerfile-source-not-pinned', 'dockerfile-source-not-pinned', D, ['image-digest-missing'], 'FROM not pinned by digest.'),
  sg('dockerfile/security/dockerd-socket-mount', 'dockerfile-dockerd-socket-mount', C, ['docker-socket-mount'], 'A volume of /var/run/docker.sock (its yaml pattern).'),
  sg('yaml/docker-compose/security/privileged-service', 'privileged-service', C, ['privileged'], 'privileged: true.'),
  sg('yaml/docker-compose/security/no-new-privileges', 'no-new-privileges', C, ['no-new-privileges-missing'], 'No security_opt no-new-privileges:true.'),
  sg('yaml/docker-compose/security/seccomp-confinement-disabled', 'seccomp-confinement-disabled', C, ['seccomp-disabled'], 'security_opt seccomp:unconfined.'),
  sg('yaml/docker-compose/security/selinux-separation-disabled', 'selinux-separation-disabled', C, ['selinux-disabled'], 'security_opt label:disable.'),
  sg('yaml/docker-compose/security/writable-filesystem-service', 'writable-filesystem-service', C, ['read-only-rootfs-missing'], 'No read_only: true.'),
  sg('yaml/docker-compose/security/exposing-docker-socket-volume', 'exposing-docker-socket-volume', C, ['docker-socket-mount'], 'A volume of docker.sock.'),
  // BuildKit's build checks: frontend/dockerfile/linter/ruleset.go.
  { tool: 'buildkit', id: 'SecretsUsedInArgOrEnv', kinds: D, rules: SECRETS, source: 'frontend/dockerfile/linter/ruleset.go', why: 'Sensitive data should not be used in the ARG or ENV commands.' },
];

/** Rule id → its peer ids, per tool (for the rules' metadata). */
export function peersOf(ruleId: string): PeerIds | undefined {
  const out: PeerIds = {};
  let any = false;
  for (const p of PEER_CHECKS) {
    if (!p.rules.includes(ruleId)) continue;
    const list = (out[p.tool] ??= []);
    if (!list.includes(p.id)) list.push(p.id);
    any = true;
  }
  return any ? out : undefined;
}

/** The checks of one tool that apply to a kind of file. */
export function peerChecks(tool: PeerTool, kind: SourceKind): PeerCheck[] {
  return PEER_CHECKS.filter((p) => p.tool === tool && p.kinds.includes(kind));
}

/** Peer ids as one line: `hadolint DL3002; Checkov CKV_DOCKER_3, CKV_DOCKER_8; …`. */
export function peerIdsText(peers: PeerIds | undefined): string {
  if (!peers) return '';
  return PEER_TOOLS.filter((tool) => peers[tool]?.length).map((tool) => `${PEER_NAMES[tool]} ${peers[tool]!.join(', ')}`).join('; ');
}

export const PEER_NAMES: Record<PeerTool, string> = { hadolint: 'hadolint', checkov: 'Checkov', trivy: 'Trivy', kics: 'KICS', semgrep: 'Semgrep', buildkit: 'BuildKit' };
