'use strict';
/**
 * Generators of realistic input of a given size, deterministic (seeded), for
 * the scaling benchmark:
 *   - Dockerfile: many stages, each with ARG/ENV/COPY/WORKDIR/RUN (long
 *     continued apt-get/curl/make chains), USER, EXPOSE, HEALTHCHECK, CMD.
 *   - compose: many services with the keys real stacks use (build, image,
 *     ports, environment, volumes short and long, depends_on, healthcheck,
 *     deploy.resources, cap_add/cap_drop, security_opt, logging, networks…).
 *   - shell: functions wrapping `docker run` with continued option lines,
 *     pipelines, loops, conditionals, command substitutions, here-docs.
 * A small share of blocks carries the insecure settings the rules look for,
 * so findings are produced at a realistic rate.
 *
 *   generate(kind, lines, seed?) → text of at least `lines` lines
 */

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PKGS = ['ca-certificates', 'curl', 'git', 'gnupg', 'build-essential', 'libssl-dev', 'libffi-dev', 'python3', 'python3-pip', 'python3-venv', 'unzip', 'xz-utils', 'jq', 'openssh-client', 'tzdata', 'locales', 'libpq-dev', 'pkg-config', 'zlib1g-dev', 'libxml2-dev', 'wget', 'less', 'procps', 'dumb-init', 'tini', 'gcc', 'make', 'file', 'libsqlite3-dev', 'libcurl4-openssl-dev'];
const BASES = ['debian:bookworm-slim', 'ubuntu:22.04', 'alpine:3.19', 'node:20-bookworm', 'python:3.12-slim', 'golang:1.22', 'eclipse-temurin:21-jre', 'nginx:1.25-alpine', 'redis:7', 'postgres:16'];
const WORDS = ['api', 'web', 'worker', 'cache', 'db', 'queue', 'auth', 'search', 'mail', 'proxy', 'metrics', 'logs', 'billing', 'report', 'media', 'cron', 'admin', 'gateway', 'notify', 'export'];

function pick(r, arr) {
  return arr[Math.floor(r() * arr.length)];
}
function pickN(r, arr, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(pick(r, arr));
  return [...new Set(out)];
}
function int(r, lo, hi) {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function dockerStage(r, i) {
  const name = `${pick(r, WORDS)}${i}`;
  const base = pick(r, BASES);
  const alpine = base.includes('alpine');
  const L = [];
  L.push(`# ---- stage ${i}: ${name} ----`);
  L.push(`FROM ${base} AS ${name}`);
  L.push(`ARG VERSION_${i}=1.${int(r, 0, 30)}.${int(r, 0, 9)}`);
  L.push(`ARG BUILD_DATE`);
  L.push(`ENV APP_HOME=/opt/${name} \\`);
  L.push(`    PATH=/opt/${name}/bin:$PATH \\`);
  L.push(`    LANG=C.UTF-8 \\`);
  L.push(`    ${name.toUpperCase()}_PORT=${int(r, 3000, 9999)}`);
  L.push(`LABEL org.opencontainers.image.title="${name}" org.opencontainers.image.version="$VERSION_${i}"`);
  L.push(`WORKDIR /opt/${name}`);
  const pk = pickN(r, PKGS, int(r, 4, 9));
  if (alpine) {
    L.push(`RUN apk add --no-cache \\`);
    pk.forEach((p, k) => L.push(`      ${p}${k < pk.length - 1 ? ' \\' : ''}`));
  } else {
    L.push(`RUN set -eux; \\`);
    L.push(`    apt-get update; \\`);
    L.push(`    apt-get install -y --no-install-recommends \\`);
    pk.forEach((p) => L.push(`        ${p} \\`));
    L.push(`    ; \\`);
    L.push(`    rm -rf /var/lib/apt/lists/*`);
  }
  L.push(`COPY --chown=1000:1000 package*.json requirements-${i}.txt ./`);
  L.push(`RUN --mount=type=cache,target=/root/.cache \\`);
  L.push(`    if [ -f requirements-${i}.txt ]; then pip install --no-cache-dir -r requirements-${i}.txt; fi \\`);
  L.push(`    && curl -fsSL https://example.com/${name}/v\${VERSION_${i}}/${name}.tar.gz -o /tmp/${name}.tar.gz \\`);
  L.push(`    && echo "${'0123456789abcdef'.repeat(4)}  /tmp/${name}.tar.gz" | sha256sum -c - \\`);
  L.push(`    && tar -xzf /tmp/${name}.tar.gz -C /opt/${name} --strip-components=1 \\`);
  L.push(`    && rm -f /tmp/${name}.tar.gz`);
  const roll = r();
  if (roll < 0.12) {
    L.push(`RUN curl -sSL https://get.example.com/install.sh | sh`);
  } else if (roll < 0.2) {
    L.push(`ADD https://example.com/${name}/config.tar.gz /etc/${name}/`);
  } else if (roll < 0.28) {
    L.push(`RUN chmod 777 /opt/${name}/data && chmod u+s /opt/${name}/bin/helper`);
  } else if (roll < 0.34) {
    L.push(`ENV ${name.toUpperCase()}_PASSWORD=changeme`);
  } else if (roll < 0.4) {
    L.push(`RUN docker run --rm --privileged -v /var/run/docker.sock:/var/run/docker.sock ${name}-builder:latest make all`);
  }
  if (i > 0 && r() < 0.5) L.push(`COPY --from=${name.replace(/\d+$/, '')}${i - 1} /opt/ /opt/`);
  L.push(`COPY . .`);
  L.push(`RUN make -j"$(nproc)" build && make install PREFIX=/usr/local \\`);
  L.push(`    && find /usr/local -name '*.a' -delete`);
  L.push(`EXPOSE ${int(r, 3000, 9999)}/tcp`);
  if (r() < 0.7) L.push(`HEALTHCHECK --interval=30s --timeout=3s CMD curl -fsS http://localhost:${int(r, 3000, 9999)}/health || exit 1`);
  L.push(r() < 0.75 ? `USER ${int(r, 1000, 1999)}:${int(r, 1000, 1999)}` : `USER root`);
  L.push(`ENTRYPOINT ["/usr/bin/tini", "--"]`);
  L.push(`CMD ["/opt/${name}/bin/${name}", "--port", "${int(r, 3000, 9999)}"]`);
  L.push('');
  return L;
}

function composeService(r, i) {
  const name = `${pick(r, WORDS)}-${i}`;
  const L = [];
  L.push(`  ${name}:`);
  if (r() < 0.5) {
    L.push(`    build:`);
    L.push(`      context: ./services/${name}`);
    L.push(`      dockerfile: Dockerfile`);
    L.push(`      args:`);
    L.push(`        VERSION: "1.${int(r, 0, 30)}"`);
  } else {
    L.push(`    image: ${pick(r, BASES)}`);
  }
  L.push(`    container_name: ${name}`);
  L.push(`    restart: unless-stopped`);
  L.push(`    command: ["${name}", "--listen", "0.0.0.0:${int(r, 3000, 9999)}"]`);
  L.push(`    ports:`);
  L.push(`      - "${r() < 0.5 ? '127.0.0.1:' : ''}${int(r, 3000, 9999)}:${int(r, 3000, 9999)}"`);
  if (r() < 0.3) L.push(`      - target: ${int(r, 3000, 9999)}\n        published: ${int(r, 3000, 9999)}\n        protocol: tcp\n        mode: host`);
  L.push(`    environment:`);
  L.push(`      NODE_ENV: production`);
  L.push(`      LOG_LEVEL: info`);
  L.push(`      DATABASE_URL: postgres://app@db-${i}:5432/app`);
  if (r() < 0.15) L.push(`      DB_PASSWORD: hunter${i}`);
  L.push(`    env_file:`);
  L.push(`      - .env`);
  L.push(`    volumes:`);
  L.push(`      - ${name}-data:/var/lib/${name}`);
  L.push(`      - ./config/${name}.yml:/etc/${name}/config.yml:ro`);
  if (r() < 0.1) L.push(`      - /var/run/docker.sock:/var/run/docker.sock`);
  if (r() < 0.3) {
    L.push(`      - type: bind`);
    L.push(`        source: ./logs/${name}`);
    L.push(`        target: /var/log/${name}`);
  }
  L.push(`    depends_on:`);
  L.push(`      db-${i}:`);
  L.push(`        condition: service_healthy`);
  L.push(`    healthcheck:`);
  L.push(`      test: ["CMD", "curl", "-f", "http://localhost:${int(r, 3000, 9999)}/health"]`);
  L.push(`      interval: 30s`);
  L.push(`      timeout: 5s`);
  L.push(`      retries: 3`);
  if (r() < 0.6) {
    L.push(`    deploy:`);
    L.push(`      resources:`);
    L.push(`        limits:`);
    L.push(`          cpus: "${int(r, 1, 4)}"`);
    L.push(`          memory: ${int(r, 1, 8) * 256}M`);
    L.push(`          pids: ${int(r, 100, 500)}`);
  }
  const roll = r();
  if (roll < 0.08) L.push(`    privileged: true`);
  else if (roll < 0.16) L.push(`    cap_add:\n      - SYS_ADMIN\n      - NET_ADMIN`);
  else if (roll < 0.22) L.push(`    network_mode: host`);
  else if (roll < 0.6) {
    L.push(`    cap_drop:`);
    L.push(`      - ALL`);
    L.push(`    security_opt:`);
    L.push(`      - no-new-privileges:true`);
    L.push(`    read_only: true`);
    L.push(`    user: "${int(r, 1000, 1999)}:${int(r, 1000, 1999)}"`);
  }
  L.push(`    logging:`);
  L.push(`      driver: json-file`);
  L.push(`      options:`);
  L.push(`        max-size: "10m"`);
  L.push(`    networks:`);
  L.push(`      - backend`);
  L.push(`    labels:`);
  L.push(`      com.example.team: "${pick(r, WORDS)}"`);
  L.push(`  db-${i}:`);
  L.push(`    image: postgres:16`);
  L.push(`    volumes:`);
  L.push(`      - db-${i}-data:/var/lib/postgresql/data`);
  L.push(`    environment:`);
  L.push(`      POSTGRES_PASSWORD_FILE: /run/secrets/db_password`);
  L.push(`    networks: [backend]`);
  return { lines: L, volumes: [`${name}-data`, `db-${i}-data`] };
}

function shellFunction(r, i) {
  const name = `${pick(r, WORDS)}_${i}`;
  const img = `${pick(r, ['jess', 'library', 'example', 'ghcr.io/acme'])}/${pick(r, WORDS)}:${int(r, 1, 9)}.${int(r, 0, 9)}`;
  const L = [];
  L.push(`# ${name}: run ${img} with the host's display and config`);
  L.push(`${name}() {`);
  L.push(`\tlocal name="${name}"`);
  L.push(`\tlocal state=$(docker inspect --format "{{.State.Running}}" "$name" 2>/dev/null)`);
  L.push(`\tif [[ "$state" == "false" ]]; then`);
  L.push(`\t\tdocker rm "$name" >/dev/null`);
  L.push(`\tfi`);
  L.push(`\tdel_stopped "$name"`);
  L.push(`\tdocker run -d \\`);
  L.push(`\t\t--memory ${int(r, 1, 8) * 256}mb \\`);
  L.push(`\t\t--cpus ${int(r, 1, 4)} \\`);
  L.push(`\t\t-v /etc/localtime:/etc/localtime:ro \\`);
  L.push(`\t\t-v "\${HOME}/.${name}:/home/user/.${name}" \\`);
  L.push(`\t\t-e "DISPLAY=unix\${DISPLAY}" \\`);
  L.push(`\t\t-e GDK_SCALE \\`);
  const roll = r();
  if (roll < 0.1) L.push(`\t\t--privileged \\`);
  else if (roll < 0.2) L.push(`\t\t--net host \\`);
  else if (roll < 0.28) L.push(`\t\t-v /var/run/docker.sock:/var/run/docker.sock \\`);
  else if (roll < 0.36) L.push(`\t\t--cap-add SYS_ADMIN \\`);
  else if (roll < 0.42) L.push(`\t\t--security-opt seccomp=unconfined \\`);
  else if (roll < 0.7) L.push(`\t\t--cap-drop ALL --security-opt no-new-privileges --read-only \\`);
  if (r() < 0.5) L.push(`\t\t--device /dev/snd \\`);
  L.push(`\t\t-p 127.0.0.1:${int(r, 3000, 9999)}:${int(r, 3000, 9999)} \\`);
  L.push(`\t\t--name "$name" \\`);
  L.push(`\t\t${img} "$@"`);
  L.push(`\tdocker ps --filter "name=$name" --format '{{.ID}} {{.Status}}' | awk '{print $1}' | head -n1`);
  L.push(`}`);
  if (r() < 0.4) {
    L.push(`for svc in ${pickN(r, WORDS, 4).join(' ')}; do`);
    L.push(`\tif docker ps -a --format '{{.Names}}' | grep -q "^\${svc}$"; then`);
    L.push(`\t\tdocker stop "$svc" && docker rm -f "$svc" || echo "could not remove $svc" >&2`);
    L.push(`\telse`);
    L.push(`\t\techo "$svc is not running"`);
    L.push(`\tfi`);
    L.push(`done`);
  }
  if (r() < 0.15) {
    L.push(`cat <<EOF > /tmp/${name}.env`);
    L.push(`NAME=${name}`);
    L.push(`STARTED=$(date -u +%FT%TZ)`);
    L.push(`EOF`);
  }
  if (r() < 0.1) L.push(`curl -fsSL https://get.example.com/${name}.sh | bash -s -- --yes`);
  L.push(`alias ${name.replace(/_\d+$/, '')}${i}="${name}"`);
  L.push('');
  return L;
}

function generate(kind, lines, seed = 42) {
  const r = rng(seed + lines);
  const out = [];
  if (kind === 'dockerfile') {
    out.push('# syntax=docker/dockerfile:1.7', `# generated: ${lines} lines, many stages`, '');
    for (let i = 0; out.length < lines; i++) out.push(...dockerStage(r, i));
  } else if (kind === 'compose') {
    out.push(`# generated: ${lines} lines, many services`, 'name: generated', 'services:');
    const vols = [];
    // Leave room for the top-level networks/volumes sections at the end.
    for (let i = 0; out.length + vols.length + 6 < lines; i++) {
      const s = composeService(r, i);
      out.push(...s.lines.join('\n').split('\n'));
      vols.push(...s.volumes);
    }
    out.push('networks:', '  backend:', '    driver: bridge', 'volumes:');
    for (const v of vols) out.push(`  ${v}: {}`);
  } else if (kind === 'shell') {
    out.push('#!/bin/bash', `# generated: ${lines} lines of docker run wrappers`, 'set -euo pipefail', '', 'del_stopped() {', '\tlocal name=$1', '\tlocal state', '\tstate=$(docker inspect --format "{{.State.Running}}" "$name" 2>/dev/null)', '\tif [[ "$state" == "false" ]]; then', '\t\tdocker rm "$name"', '\tfi', '}', '');
    for (let i = 0; out.length < lines; i++) out.push(...shellFunction(r, i));
  } else throw new Error(`unknown kind ${kind}`);
  return out.join('\n') + '\n';
}

const FILE_NAMES = { dockerfile: 'Dockerfile', compose: 'compose.yaml', shell: 'run.sh' };

/** A realistic keystroke: type a letter inside a word of a random line, then delete it (the text returns). */
function makeEdits(text, count, seed) {
  const lines = text.split('\n');
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const edits = [];
  while (edits.length < count) {
    const line = Math.floor(rnd() * lines.length);
    const l = lines[line];
    // A letter preceded by a letter: inside a word, never at an indentation or a continuation.
    const spots = [];
    for (let i = 1; i < l.length; i++) if (/[a-z]/i.test(l[i]) && /[a-z]/i.test(l[i - 1])) spots.push(i);
    if (!spots.length || /^\s*#/.test(l)) continue;
    const ch = spots[Math.floor(rnd() * spots.length)];
    edits.push({ range: { start: { line, character: ch }, end: { line, character: ch } }, text: 'x' });
    edits.push({ range: { start: { line, character: ch }, end: { line, character: ch + 1 } }, text: '' });
  }
  return edits.slice(0, count);
}

module.exports = { generate, rng, FILE_NAMES, makeEdits };

if (require.main === module) {
  // node test/bench/generate.js KIND LINES  → prints a generated file
  const [kind = 'dockerfile', n = '100'] = process.argv.slice(2);
  process.stdout.write(generate(kind, Number(n)));
}
