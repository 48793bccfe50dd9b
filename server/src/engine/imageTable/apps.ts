/** Storage, secrets and PHP applications. Facts and their sources: see ./types.ts and docs/IMAGES.md. */
import { DOCS, LOW_PORT_WHEN, need, OFFICIAL, UNPRIVILEGED_PORTS } from './common';
import type { ImageEntry } from './types';

const RG = 'distribution/distribution-library-image:';

const registry: ImageEntry = {
  id: 'registry',
  title: 'Distribution registry',
  names: ['registry'],
  sources: [`${OFFICIAL}library/registry#L3`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: null,
    fix: null,
    fixSafe: false,
    otherUid: null,
    condition: 'Runs as root; the image has no other user and its files do not say whether another uid works (it would need /var/lib/registry writable).',
    sources: [`${RG}Dockerfile#L1-L35`],
  },
  capAdd: { caps: [], complete: true, sources: [`${RG}entrypoint.sh#L1-L10`, `${RG}Dockerfile#L29-L30`] },
  writes: { tmpfs: [], data: ['/var/lib/registry'], volumes: ['/var/lib/registry'], sources: [`${RG}Dockerfile#L29`, `${RG}config-example.yml#L12-L13`] },
  readOnly: {
    ok: true,
    why: 'The configuration is only read; the filesystem storage root is /var/lib/registry, a VOLUME; the entrypoint writes nothing.',
    sources: [`${RG}config-example.yml#L12-L13`, `${RG}Dockerfile#L29`, `${RG}entrypoint.sh#L1-L10`],
  },
};

const MN = 'minio/minio:';

const minio: ImageEntry = {
  id: 'minio',
  title: 'MinIO',
  names: ['minio/minio'],
  sources: [`${MN}README.md#L12`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: null,
    fix: null,
    fixSafe: false,
    otherUid: null,
    condition: 'Runs as root; the only user switch is the deprecated MINIO_USERNAME/MINIO_GROUPNAME chroot. Another uid is not covered by the image\'s files.',
    sources: [`${MN}dockerscripts/docker-entrypoint.sh#L11-L26`],
  },
  capAdd: {
    caps: [
      need('SYS_CHROOT', '`chroot --userspec` runs minio as that user', [`${MN}dockerscripts/docker-entrypoint.sh#L14`, `${MN}dockerscripts/docker-entrypoint.sh#L18`], 'only with the deprecated MINIO_USERNAME and MINIO_GROUPNAME'),
      need('SETUID', '`chroot --userspec` sets the uid', [`${MN}dockerscripts/docker-entrypoint.sh#L14`], 'only with the deprecated MINIO_USERNAME and MINIO_GROUPNAME'),
      need('SETGID', '`chroot --userspec` sets the gid', [`${MN}dockerscripts/docker-entrypoint.sh#L14`], 'only with the deprecated MINIO_USERNAME and MINIO_GROUPNAME'),
    ],
    complete: true,
    sources: [`${MN}dockerscripts/docker-entrypoint.sh#L1-L26`, `${MN}Dockerfile.release#L69-L73`],
  },
  writes: {
    tmpfs: [],
    data: ['/data'],
    volumes: ['/data'],
    conditional: [{ path: '/etc/passwd', when: 'MINIO_USERNAME/MINIO_GROUPNAME without MINIO_UID/MINIO_GID (the entrypoint appends the user)', sources: [`${MN}dockerscripts/docker-entrypoint.sh#L16-L17`] }],
    sources: [`${MN}Dockerfile.release#L70`],
  },
  readOnly: {
    ok: false,
    why: 'Unknown: what the server writes outside its data path (its configuration and certificates directory) is not shown by the image\'s files.',
    sources: [`${MN}Dockerfile.release#L69-L73`],
  },
};

const VD = 'hashicorp/vault@024c09b6651c8f1f568915ad01411862af89aaca:Dockerfile';
const VE = 'hashicorp/vault@1d04c5e2762f15a2d53e19836208adfb038abc14:.release/docker/docker-entrypoint.sh';

const vault: ImageEntry = {
  id: 'vault',
  title: 'HashiCorp Vault',
  names: ['hashicorp/vault'],
  sources: ['hashicorp/docker-vault:README.md#L1-L2'],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'vault', uid: null, gid: null, via: 'su-exec' },
    fix: 'vault',
    fixSafe: false,
    otherUid: null,
    condition:
      'As non-root the entrypoint\'s `setcap` on the vault binary fails and `set -e` stops the start, so `user: vault` also needs SKIP_SETCAP=1 (no mlock then), and /vault/logs and /vault/file owned by vault. The vault uid is not pinned (`adduser -S`): set the name.',
    sources: [`${VD}#"RUN addgroup \${NAME} && adduser -S -G \${NAME} \${NAME}"`, `${VE}#"setcap cap_ipc_lock=+ep"`, `${VE}#"set -- su-exec vault"`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the entrypoint chowns /vault/config, /vault/logs and /vault/file to vault', [`${VE}#"chown -R vault:vault /vault/logs"`], 'when one of them is not owned by vault (bind mounts) and SKIP_CHOWN is unset'),
      need('SETFCAP', '`setcap cap_ipc_lock=+ep` on the vault binary at every start; its failure stops the entrypoint (`set -e`)', [`${VE}#"setcap cap_ipc_lock=+ep"`, `${VE}#"set -e"`], 'unless SKIP_SETCAP is set'),
      need('SETUID', '`su-exec vault` steps down from root', [`${VE}#"set -- su-exec vault"`]),
      need('SETGID', '`su-exec vault` steps down from root', [`${VE}#"set -- su-exec vault"`]),
    ],
    complete: true,
    note: 'IPC_LOCK is optional: without it the entrypoint removes the file capability again and Vault runs without mlock. The Dockerfile recommends adding it in production.',
    sources: [`${VE}#"if [ \"$1\" = 'vault' ]; then"`, `${VD}#"you shoud add the IPC_LOCK"`],
  },
  writes: {
    tmpfs: [],
    data: ['/vault/file', '/vault/logs'],
    volumes: ['/vault/logs', '/vault/file'],
    conditional: [
      { path: '/bin/vault', when: 'always, unless SKIP_SETCAP (setcap rewrites the binary\'s file capability)', sources: [`${VE}#"setcap cap_ipc_lock=+ep"`] },
      { path: '/vault/config/local.json', when: 'VAULT_LOCAL_CONFIG is set', sources: [`${VE}#"echo \"$VAULT_LOCAL_CONFIG\" > \"$VAULT_CONFIG_DIR/local.json\""`] },
    ],
    sources: [`${VD}#"VOLUME /vault/logs"`, `${VD}#"VOLUME /vault/file"`],
  },
  readOnly: {
    ok: false,
    why: 'The entrypoint runs `setcap` on /bin/vault at every start (a write to the image layer) unless SKIP_SETCAP is set, and writes /vault/config/local.json for VAULT_LOCAL_CONFIG.',
    sources: [`${VE}#"setcap cap_ipc_lock=+ep"`],
  },
};

const NC = 'nextcloud/docker:34/apache/';

const nextcloud: ImageEntry = {
  id: 'nextcloud',
  title: 'Nextcloud',
  names: ['nextcloud'],
  sources: [`${OFFICIAL}library/nextcloud#L4`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'www-data', uid: 33, gid: 33, via: 'su -p for occ; Apache User' },
    fix: null,
    fixSafe: false,
    otherUid: null,
    condition: 'The entrypoint has a non-root path (it then skips the rsync --chown), but running the Apache variant as another uid is not documented by the image.',
    sources: [`${NC}entrypoint.sh#L14-L20`, `${NC}entrypoint.sh#L143-L162`],
  },
  capAdd: {
    caps: [
      need('CHOWN', '`rsync --chown www-data` copies the code into /var/www/html', [`${NC}entrypoint.sh#L200-L206`], 'at install and upgrade'),
      need('SETUID', '`su -p www-data` runs occ; Apache children switch to www-data', [`${NC}entrypoint.sh#L16`]),
      need('SETGID', '`su -p www-data` runs occ; Apache children switch to www-data', [`${NC}entrypoint.sh#L16`]),
      need('NET_BIND_SERVICE', 'Apache binds port 80 as root', [UNPRIVILEGED_PORTS], LOW_PORT_WHEN),
    ],
    complete: false,
    gap: 'The Apache parent comes from the php:apache base image, whose needs are not read here.',
    sources: [`${NC}entrypoint.sh#L142-L214`],
  },
  writes: {
    tmpfs: ['/tmp'],
    data: ['/var/www/html'],
    volumes: ['/var/www/html'],
    conditional: [{ path: '/usr/local/etc/php/conf.d/redis-session.ini', when: 'REDIS_HOST is set', sources: [`${NC}entrypoint.sh#L91-L129`] }],
    note: 'The code itself lives in the volume: the entrypoint rsyncs /usr/src/nextcloud into /var/www/html at install and upgrade (with --delete).',
    sources: [`${NC}Dockerfile#L135`, `${NC}entrypoint.sh#L198`, `${NC}entrypoint.sh#L206`, `${DOCS}nextcloud/content.md#L99`],
  },
  readOnly: {
    ok: false,
    why: 'With REDIS_HOST the entrypoint writes into the image\'s PHP configuration (/usr/local/etc/php/conf.d), where a tmpfs would hide the shipped files; the code is copied into /var/www/html at start, so that must stay a writable volume.',
    sources: [`${NC}entrypoint.sh#L129`, `${NC}entrypoint.sh#L206`],
  },
};

const WP = 'docker-library/wordpress:latest/php8.5/apache/';

const wordpress: ImageEntry = {
  id: 'wordpress',
  title: 'WordPress',
  names: ['wordpress'],
  sources: [`${OFFICIAL}library/wordpress#L5`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'www-data', uid: 33, gid: 33, via: 'Apache User (APACHE_RUN_USER)' },
    fix: 'www-data',
    fixSafe: false,
    otherUid: true,
    condition:
      'Apache variants run as another uid when ports below 1024 are unprivileged (net.ipv4.ip_unprivileged_port_start=0, Docker ≥ 20.10 default) and /var/www/html is writable by it; the entrypoint then copies files as that uid. Not safe without knowing the runtime: Kubernetes keeps the sysctl at 1024.',
    sources: [`${WP}docker-entrypoint.sh#L4-L26`, `${DOCS}wordpress/content.md#L104-L108`, `${DOCS}php/content.md#L132-L139`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the root entrypoint chowns the docroot and extracts WordPress with `tar --owner www-data`; chowns wp-config.php', [`${WP}docker-entrypoint.sh#L28-L31`, `${WP}docker-entrypoint.sh#L38-L43`, `${WP}docker-entrypoint.sh#L91`], 'at first start (empty /var/www/html)'),
      need('SETUID', 'Apache children switch to www-data', [`${WP}docker-entrypoint.sh#L9-L11`]),
      need('SETGID', 'Apache children switch to www-data', [`${WP}docker-entrypoint.sh#L9-L11`]),
      need('NET_BIND_SERVICE', 'Apache binds port 80 as root', [UNPRIVILEGED_PORTS], LOW_PORT_WHEN),
    ],
    complete: false,
    gap: 'The Apache parent comes from the php:apache base image (not read here), and whether root extracting into www-data-owned directories needs DAC_OVERRIDE is not settled by the image\'s files.',
    sources: [`${WP}docker-entrypoint.sh#L1-L99`],
  },
  writes: {
    tmpfs: ['/tmp', '/run'],
    data: ['/var/www/html'],
    volumes: ['/var/www/html'],
    note: 'WordPress is copied into /var/www/html at first start and then updates itself there.',
    sources: [`${WP}Dockerfile#L168`, `${WP}docker-entrypoint.sh#L66`, `${DOCS}wordpress/content.md#L71`, `${DOCS}wordpress/content.md#L87-L93`],
  },
  readOnly: {
    ok: false,
    why: 'The documented read-only setup (tmpfs /tmp and /run) is for a derived static image; the stock image copies WordPress into /var/www/html at start and self-updates there, which is verified only while that stays a writable volume.',
    sources: [`${DOCS}wordpress/content.md#L71-L99`, `${WP}docker-entrypoint.sh#L66`],
  },
};

export const APP_IMAGES: ImageEntry[] = [registry, minio, vault, nextcloud, wordpress];
