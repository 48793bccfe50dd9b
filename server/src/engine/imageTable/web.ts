/** Web servers, proxies and web applications. Facts and their sources: see ./types.ts and docs/IMAGES.md. */
import { DOCS, LOW_PORT_WHEN, need, OFFICIAL, UNPRIVILEGED_PORTS } from './common';
import type { ImageEntry } from './types';

const NG = 'nginx/docker-nginx:mainline/debian/';
const NGX = 'nginx/nginx:src/';

const nginx: ImageEntry = {
  id: 'nginx',
  title: 'NGINX',
  names: ['nginx'],
  sources: [`${OFFICIAL}library/nginx#L4`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'nginx', uid: 101, gid: 101, via: 'worker processes (master stays root)' },
    fix: null,
    fixSafe: false,
    otherUid: false,
    condition:
      'The master must start as root with the shipped configuration: the pid file and temp paths are root-owned. A non-root uid needs a changed nginx.conf (pid and *_temp_path under /tmp), or the separate nginx-unprivileged image.',
    sources: [`${NG}Dockerfile#L19-L20`, `${DOCS}nginx/content.md#L155-L191`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the master creates the temp directories (/var/cache/nginx/*_temp) and chowns them to the worker user', [`${NGX}core/ngx_file.c#L607`, `${NGX}core/ngx_file.c#L631-L638`], 'when a temp directory is not yet owned by nginx (first start, tmpfs)'),
      need('SETUID', 'worker processes setuid to nginx', [`${NGX}os/unix/ngx_process_cycle.c#L799`, `${NGX}os/unix/ngx_process_cycle.c#L824`]),
      need('SETGID', 'worker processes setgid/initgroups to nginx', [`${NGX}os/unix/ngx_process_cycle.c#L800-L810`]),
      need('NET_BIND_SERVICE', 'the root master binds port 80', [`${NG}Dockerfile#L145`, UNPRIVILEGED_PORTS], LOW_PORT_WHEN),
    ],
    complete: true,
    note: 'DAC_OVERRIDE is not needed by the image: the entrypoint scripts edit root-owned files as root. Mounted configuration or certificates must be readable by root through their mode.',
    sources: [`${NG}docker-entrypoint.sh#L12-L47`, `${NG}10-listen-on-ipv6-by-default.sh#L27`, `${NG}20-envsubst-on-templates.sh#L41-L53`],
  },
  writes: {
    tmpfs: ['/var/cache/nginx', '/var/run'],
    data: [],
    volumes: [],
    conditional: [
      { path: '/etc/nginx/conf.d', when: 'templates in /etc/nginx/templates (NGINX_ENVSUBST_*) are rendered there; read-only, the script logs an error and nginx starts without them', sources: [`${NG}20-envsubst-on-templates.sh#L41-L53`] },
      { path: '/etc/nginx/conf.d/default.conf', when: 'the IPv6 listen line is added; read-only, the script skips it (no IPv6 listener)', sources: [`${NG}10-listen-on-ipv6-by-default.sh#L26-L27`] },
    ],
    sources: [`${DOCS}nginx/content.md#L119-L127`, `${NG}Dockerfile#L133-L134`],
  },
  readOnly: {
    ok: true,
    why: 'The default configuration writes only /var/cache/nginx and /var/run (pid); logs go to stdout/stderr and the entrypoint scripts skip their edits on a read-only file system. Not with templates: they need /etc/nginx/conf.d writable.',
    sources: [`${DOCS}nginx/content.md#L119-L124`, `${NG}10-listen-on-ipv6-by-default.sh#L27`, `${NG}30-tune-worker-processes.sh#L12`, `${NG}20-envsubst-on-templates.sh#L41-L45`],
  },
};

const HT = 'docker-library/httpd:2.4/';

const httpd: ImageEntry = {
  id: 'httpd',
  title: 'Apache httpd',
  names: ['httpd'],
  sources: [`${OFFICIAL}library/httpd#L5`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'www-data', uid: 33, gid: 33, via: 'child processes (User/Group www-data)' },
    fix: null,
    fixSafe: false,
    otherUid: null,
    condition: 'The parent binds port 80 and writes logs/httpd.pid as root; running it as another uid is not covered by the image\'s files.',
    sources: [`${HT}Dockerfile#L203-L209`, `${HT}httpd-foreground#L5-L7`, `${DOCS}wordpress/content.md#L108`],
  },
  capAdd: {
    caps: [
      need('NET_BIND_SERVICE', 'the root parent binds port 80', [`${HT}Dockerfile#L233`, UNPRIVILEGED_PORTS], LOW_PORT_WHEN),
      need('SETUID', 'children switch to User www-data', [`${HT}Dockerfile#L203`]),
      need('SETGID', 'children switch to Group www-data', [`${HT}Dockerfile#L204`]),
    ],
    complete: false,
    gap: 'What else the root parent does for its www-data children (mutex and socket ownership, signals) is compiled into httpd, not visible in the image\'s files.',
    sources: [`${HT}httpd-foreground#L1-L7`],
  },
  writes: {
    tmpfs: ['/usr/local/apache2/logs'],
    data: [],
    volumes: [],
    note: 'Access and error logs go to /proc/self/fd/1 and 2; the pid file is logs/httpd.pid.',
    sources: [`${HT}httpd-foreground#L5`, `${HT}Dockerfile#L200-L202`],
  },
  readOnly: {
    ok: false,
    why: 'Unknown: only the pid file location is visible in the image\'s files; httpd\'s other run-time files use its compiled-in runtime directory.',
    sources: [`${HT}httpd-foreground#L5`],
  },
  variants: [
    {
      tags: /alpine/,
      label: 'alpine: www-data is uid 82',
      facts: {
        user: {
          runsAs: { name: 'root', uid: 0 },
          dropsTo: { name: 'www-data', uid: 82, gid: 82, via: 'child processes (User/Group www-data)' },
          fix: null,
          fixSafe: false,
          otherUid: null,
          condition: 'As the Debian variant, with www-data = 82.',
          sources: [`${HT}alpine/Dockerfile#L3-L6`, `${HT}alpine/Dockerfile#L208-L209`],
        },
      },
    },
  ],
};

const CD = 'caddyserver/caddy-docker:2.11/alpine/Dockerfile';

const caddy: ImageEntry = {
  id: 'caddy',
  title: 'Caddy',
  names: ['caddy'],
  sources: [`${OFFICIAL}library/caddy#L9`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: null,
    fix: null,
    fixSafe: false,
    otherUid: true,
    condition:
      'Any uid starts: /config/caddy and /data/caddy are 1777 and the binary carries cap_net_bind_service. But certificates and keys written by an earlier root start are root-owned, so moving an existing deployment to another uid needs a chown first; the image has no dedicated user.',
    sources: [`${CD}#L10-L16`, `${CD}#L39`],
  },
  capAdd: {
    caps: [
      need('NET_BIND_SERVICE', '/usr/bin/caddy has the file capability cap_net_bind_service=+ep: with it outside the bounding set the kernel refuses to exec caddy (EPERM), as root or not, whatever the ports', [`${CD}#L39`, 'https://github.com/caddyserver/caddy-docker/issues/396']),
    ],
    complete: true,
    note: 'NET_ADMIN is optional (larger UDP buffers for HTTP/3).',
    asFixUser: [need('NET_BIND_SERVICE', 'the same exec check applies to any uid', [`${CD}#L39`, 'https://github.com/caddyserver/caddy-docker/pull/466'])],
    sources: [`${CD}#L39-L45`, `${CD}#L63`, `${DOCS}caddy/content.md#L116-L120`],
  },
  writes: {
    tmpfs: [],
    data: ['/data', '/config'],
    volumes: [],
    note: 'No VOLUME lines: the documentation asks for volumes at /data (certificates) and /config (autosaved configuration).',
    sources: [`${CD}#L43-L45`, `${DOCS}caddy/content.md#L17`],
  },
  readOnly: {
    ok: true,
    why: 'Caddy keeps its state in XDG_DATA_HOME=/data and XDG_CONFIG_HOME=/config; with both mounted, the image itself writes nothing else.',
    sources: [`${CD}#L43-L45`, `${DOCS}caddy/content.md#L17`],
  },
};

const TF = 'traefik/traefik-library-image:v3.7/alpine/';

const traefik: ImageEntry = {
  id: 'traefik',
  title: 'Traefik',
  names: ['traefik'],
  sources: [`${OFFICIAL}library/traefik#L5`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: null,
    fix: null,
    fixSafe: false,
    otherUid: null,
    condition: 'Runs as root with no dedicated user; whether another uid can read what it is usually given (the Docker socket, ACME storage) depends on the launch, not on the image.',
    sources: [`${TF}Dockerfile#L1-L22`],
  },
  capAdd: {
    caps: [need('NET_BIND_SERVICE', 'traefik binds port 80 (EXPOSE 80) as root', [`${TF}Dockerfile#L20`, UNPRIVILEGED_PORTS], LOW_PORT_WHEN)],
    complete: true,
    sources: [`${TF}entrypoint.sh#L1-L18`],
  },
  writes: {
    tmpfs: [],
    data: [],
    volumes: [],
    note: 'ACME storage (acme.json) and plugin storage are written only where the configuration puts them; mount those paths.',
    sources: [`${TF}entrypoint.sh#L1-L18`],
  },
  readOnly: { ok: true, why: 'The entrypoint writes nothing; traefik writes only the files its configuration names, which must then be mounted.', sources: [`${TF}entrypoint.sh#L1-L18`] },
};

const HA = 'docker-library/haproxy:3.4/';

const haproxy: ImageEntry = {
  id: 'haproxy',
  title: 'HAProxy',
  names: ['haproxy'],
  sources: [`${OFFICIAL}library/haproxy#L5`],
  user: {
    runsAs: { name: 'haproxy', uid: 99 },
    dropsTo: null,
    fix: 'haproxy',
    fixSafe: true,
    otherUid: true,
    condition: 'Already non-root (USER haproxy, 99:99 since 2.4); any other uid works. Ports below 1024 need net.ipv4.ip_unprivileged_port_start=0 (Docker ≥ 20.10 default): NET_BIND_SERVICE does not reach a non-root process.',
    sources: [`${HA}Dockerfile#L20-L31`, `${HA}Dockerfile#L110`, `${DOCS}haproxy/content.md#L39-L44`],
  },
  capAdd: { caps: [], complete: true, asFixUser: [], sources: [`${HA}docker-entrypoint.sh#L1-L17`, `${HA}Dockerfile#L110-L115`] },
  writes: { tmpfs: [], data: [], volumes: [], note: 'WORKDIR /var/lib/haproxy (haproxy-owned) is where a configured stats socket would go.', sources: [`${HA}Dockerfile#L30-L31`, `${HA}Dockerfile#L113`] },
  readOnly: { ok: true, why: 'The entrypoint only adds -W -db; haproxy writes no file unless its configuration asks for one.', sources: [`${HA}docker-entrypoint.sh#L9-L17`] },
};

const GF_RUN = 'grafana/grafana@07754534fbafa7e7e18e7272e552c166f1afae28:packaging/docker/run.sh';
const GF_README = 'grafana/grafana@0b102e2e6dcb07ef83bd58c05426cc12ea5495e6:packaging/docker/README.md';

const grafana: ImageEntry = {
  id: 'grafana',
  title: 'Grafana',
  names: ['grafana/grafana'],
  sources: [`${GF_README}#"docker run -d --name=grafana -p 3000:3000 grafana/grafana"`],
  user: {
    runsAs: { name: 'grafana', uid: 472 },
    dropsTo: null,
    fix: '472',
    fixSafe: true,
    otherUid: true,
    condition: 'Already non-root (uid 472 since 5.1). Another uid works when GF_PATHS_DATA (/var/lib/grafana) is writable by it: run.sh only checks and warns.',
    sources: [`${GF_README}#"user id changed from 104 to 472"`, `${GF_README}#"Runs as the grafana user by default (instead of root)"`, `${GF_RUN}#"is not writable."`],
  },
  capAdd: { caps: [], complete: true, asFixUser: [], sources: [`${GF_RUN}#"exec grafana server"`] },
  writes: {
    tmpfs: [],
    data: ['/var/lib/grafana'],
    volumes: [],
    conditional: [
      { path: '/usr/share/grafana/.aws/credentials', when: 'GF_AWS_PROFILES is set', sources: [`${GF_RUN}#":> "$GF_PATHS_HOME/.aws/credentials""`] },
      { path: '/var/lib/grafana/plugins', when: 'the plugins directory is missing or GF_INSTALL_PLUGINS is set', sources: [`${GF_RUN}#"mkdir "$GF_PATHS_PLUGINS""`] },
    ],
    note: 'No VOLUME since 5.1: mount /var/lib/grafana to keep dashboards. Logs go to the console.',
    sources: [`${GF_README}#"All default volumes removed"`, `${GF_RUN}#"cfg:default.log.mode="console""`],
  },
  readOnly: {
    ok: false,
    why: 'Unknown: beyond its data directory, what grafana-server writes at run time is not shown by the image\'s files, and run.sh writes into the image when GF_AWS_PROFILES is set.',
    sources: [`${GF_RUN}#":> "$GF_PATHS_HOME/.aws/credentials""`],
  },
};

const PR = 'prometheus/prometheus:';

const prometheus: ImageEntry = {
  id: 'prometheus',
  title: 'Prometheus',
  names: ['prom/prometheus', 'quay.io/prometheus/prometheus'],
  sources: [`${PR}README.md#L55`, `${PR}Makefile.common#L86`],
  user: {
    runsAs: { name: 'nobody', uid: null },
    dropsTo: null,
    fix: 'nobody',
    fixSafe: true,
    otherUid: true,
    condition: 'Already non-root (USER nobody; the uid comes from the busybox base, not pinned here). Another uid works when /prometheus is writable by it.',
    sources: [`${PR}Dockerfile#L23-L26`],
  },
  capAdd: { caps: [], complete: true, asFixUser: [], sources: [`${PR}Dockerfile#L26-L31`] },
  writes: { tmpfs: [], data: ['/prometheus'], volumes: ['/prometheus'], sources: [`${PR}Dockerfile#L28-L31`] },
  readOnly: { ok: true, why: 'The TSDB goes to --storage.tsdb.path=/prometheus, a VOLUME; the configuration is only read.', sources: [`${PR}Dockerfile#L28-L31`] },
  variants: [
    {
      tags: /distroless/,
      label: 'distroless: uid 65532, no VOLUME',
      facts: {
        user: {
          runsAs: { name: 'nonroot', uid: 65532 },
          dropsTo: null,
          fix: '65532:65532',
          fixSafe: true,
          otherUid: null,
          condition: 'Already non-root (the distroless base sets 65532:65532).',
          sources: [`${PR}Dockerfile.distroless#L4-L5`, `${PR}Makefile.common#L94`, `${PR}Makefile.common#L278-L280`],
        },
        writes: { tmpfs: [], data: ['/prometheus'], volumes: [], note: 'No VOLUME: mount /prometheus.', sources: [`${PR}Dockerfile.distroless#L25-L29`] },
        readOnly: { ok: false, why: 'Unknown: whether the WORKDIR-created /prometheus is writable by 65532 is not shown by the Dockerfile.', sources: [`${PR}Dockerfile.distroless#L25`] },
      },
    },
  ],
};

const KC_DF = 'keycloak/keycloak@0463815bc93acbe22cf0b347af7cbd11e5a56d65:quarkus/container/Dockerfile';
const KC_DOC = 'keycloak/keycloak@0202f5aabd7c5ded36c68575e80e558452ea8700:docs/guides/server/containers.adoc';

const keycloak: ImageEntry = {
  id: 'keycloak',
  title: 'Keycloak',
  names: ['quay.io/keycloak/keycloak'],
  sources: [`${KC_DOC}#"https://quay.io/keycloak/keycloak[published Keycloak containers]"`],
  user: {
    runsAs: { name: 'keycloak', uid: 1000 },
    dropsTo: null,
    fix: '1000',
    fixSafe: true,
    otherUid: null,
    condition: 'Already non-root (USER 1000); /opt/keycloak is owned 1000:0 and group-writable, but another uid is not stated to work.',
    sources: [`${KC_DF}#"USER 1000"`, `${KC_DF}#"COPY --from=ubi-micro-build --chown=1000:0 /opt/keycloak /opt/keycloak"`],
  },
  capAdd: { caps: [], complete: true, asFixUser: [], sources: [`${KC_DF}#"EXPOSE 8080"`, `${KC_DF}#"ENTRYPOINT [ "/opt/keycloak/bin/kc.sh" ]"`] },
  writes: {
    tmpfs: [],
    data: ['/opt/keycloak/data'],
    volumes: [],
    conditional: [{ path: '/opt/keycloak', when: '`start` without --optimized re-builds the server in place', sources: [`${KC_DOC}#"creates an image that is mutable"`] }],
    sources: [`${KC_DF}#"mkdir -p /opt/keycloak/data"`],
  },
  readOnly: {
    ok: false,
    why: 'A plain `start` (not --optimized) rebuilds the server inside /opt/keycloak — the guide calls the result a mutable image; only an optimized derived image could run read-only.',
    sources: [`${KC_DOC}#"creates an image that is mutable"`],
  },
};

export const WEB_IMAGES: ImageEntry[] = [nginx, httpd, caddy, traefik, haproxy, grafana, prometheus, keycloak];
