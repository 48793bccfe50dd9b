/**
 * What the hardening fixes need to know about widely used images: the user
 * they run as, the capabilities their entrypoint needs when all others are
 * dropped, what they write, and whether a read-only root file system works.
 * Every fact is read from the image's own Dockerfile, entrypoint or
 * documentation and cites the lines (docs/IMAGES.md). Pure data and a
 * lookup: no I/O.
 *
 *   lookupImage('postgres:16-alpine')   // → facts for postgres, alpine variant applied
 *   lookupImage('myorg/app:1.0')        // → undefined (not in the table)
 *   lookupImage('${IMAGE}')             // → undefined (not known before run time)
 */
import { APP_IMAGES } from './imageTable/apps';
import { DATA_IMAGES } from './imageTable/databases';
import { PLATFORM_IMAGES } from './imageTable/platform';
import type { Cite, ImageEntry, ImageFacts, ImageInfo } from './imageTable/types';
import { WEB_IMAGES } from './imageTable/web';

export type { Cap, CapFact, CapNeed, Cite, ImageEntry, ImageFacts, ImageInfo, Minimum, ReadOnlyFact, UserFact, Variant, WritesFact } from './imageTable/types';

/** The table, in a stable order. */
export const IMAGES: readonly ImageEntry[] = [...DATA_IMAGES, ...WEB_IMAGES, ...APP_IMAGES, ...PLATFORM_IMAGES];

/**
 * The commit each cited repository was read at (a cite without `@commit`
 * means this one). Snapshots read in 2024–2026; see docs/IMAGES.md.
 */
export const PINS: Readonly<Record<string, string>> = {
  'adoptium/containers': 'd8d18d67a32e2cbc765de68c30ea0998009df325',
  'alpinelinux/docker-alpine': '7d63673353bd39d92ba42f6effcc199aeebd45ee',
  'caddyserver/caddy-docker': '62d1326421cc6d6245f5178d3c277b0e69fb8fb6',
  'debuerreotype/docker-debian-artifacts': 'f5527c9b022448b28981cf274721d9749d8fc5c4',
  'distribution/distribution-library-image': 'a829ed8cbcd822f50c3c4dfb1c3a5b4fcf8108f1',
  'docker-library/busybox': '9c2087811429374737832a4c936fc411c1b4a22b',
  'docker-library/docker': '3289af88086d67e6f0bfebfa0617541a0f574d96',
  'docker-library/docs': 'c4a9ba41443427b2ec1d5c4cc01879076aa4a1eb',
  'docker-library/golang': '7c8c182bfc19ee3169d0596ae63917d2c7166f94',
  'docker-library/haproxy': 'ec437dd2a3656610b10a42c08763d8fa1c591efe',
  'docker-library/httpd': '9b63b37c9be3b42d16b924ebb40af3cc40793119',
  'docker-library/memcached': '53ac0ecb0bf88b471a0110f8996ce791baf1a667',
  'docker-library/mongo': '2c69a57b939afb99266e8f97258adb178e9559e0',
  'docker-library/mysql': '7f30fdb0738041fc5125e8218e393e0a891243e9',
  'docker-library/official-images': '37079fb336f572a88700cf32e5e1f6be54a04e8f',
  'docker-library/postgres': '6edb0a8c4def40c371514b34aef9037ec82d9110',
  'docker-library/python': '4f07059567fa61c80397126e8063dbbde011b794',
  'docker-library/rabbitmq': '9193c1de6d32046e0c1132841a7a4995b0dc32e0',
  'docker-library/redis': 'e92049967d6baa9b4b3d6fd950553e6458e61f13',
  'docker-library/wordpress': 'bf223d1c2087b0b2c3b86eefa830fe4bbc2bce07',
  'elastic/dockerfiles': '0bbe2f0a64566b01dd591cd9f8188eda17c40bab',
  'hashicorp/docker-vault': 'ed323958b3c65c551e88424fd7352d99afe900ac',
  'MariaDB/mariadb-docker': '1b6429ba3544e134715c15f8c56cc6f665f827c9',
  'minio/minio': '7aac2a2c5b7c882e68c1ce017d8256be2feea27f',
  'nextcloud/docker': '4de1eed65a44c61ecce601ef1d27abd2059b52e6',
  'nginx/docker-nginx': '0d7f4380c735af5009aa364e27fafecd958fd4fa',
  'nginx/nginx': '3f6f7824d4e2eb1ac37dec76683d525ac0ff521c',
  'nodejs/docker-node': 'f27d936f7d7ccdeec25cd2de33584c1a841f561d',
  'opensearch-project/opensearch-build': '4372bf71a2407ae25aa8ec2d86de9b4d2cc22687',
  'prometheus/prometheus': 'd15adb9ad7e5d9fbde3a9a8f30200593a5a14d86',
  'traefik/traefik-library-image': '697393828fd83340553fe3edd13e961a9c3b971a',
};

/** A cite, parsed. `lines` for a line anchor, `text` for a quoted-text anchor, `url` for a thread. */
export interface ParsedCite {
  repo?: string;
  commit?: string;
  path?: string;
  lines?: [number, number];
  text?: string;
  url?: string;
}

const CITE_RE = /^([A-Za-z0-9][\w.-]*\/[\w.-]+)(?:@([0-9a-f]{40}))?:([^#\s]+)#(?:L(\d+)(?:-L(\d+))?|"(.+)")$/;
const THREAD_RE = /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+\/(?:issues|pull)\/\d+$/;

/** Parses a cite (see Cite); undefined when it is not one of the accepted forms. */
export function parseCite(c: Cite): ParsedCite | undefined {
  if (THREAD_RE.test(c)) return { url: c };
  const m = CITE_RE.exec(c);
  if (!m) return undefined;
  const [, repo, commit, path, from, to, text] = m;
  const out: ParsedCite = { repo, path, commit: commit ?? PINS[repo] };
  if (from !== undefined) out.lines = [Number(from), Number(to ?? from)];
  else out.text = text;
  return out;
}

const CITE_URLS = new Map<Cite, string | undefined>();

/** A browsable URL for a cite (GitHub, at the pinned commit). Remembered: hover notes ask per finding. */
export function citeUrl(c: Cite): string | undefined {
  if (CITE_URLS.has(c)) return CITE_URLS.get(c);
  const url = citeUrlOf(c);
  CITE_URLS.set(c, url);
  return url;
}

function citeUrlOf(c: Cite): string | undefined {
  const p = parseCite(c);
  if (!p) return undefined;
  if (p.url) return p.url;
  if (!p.commit) return undefined;
  const anchor = p.lines ? (p.lines[0] === p.lines[1] ? `#L${p.lines[0]}` : `#L${p.lines[0]}-L${p.lines[1]}`) : '';
  return `https://github.com/${p.repo}/blob/${p.commit}/${p.path}${anchor}`;
}

/** A reference, split. Undefined when it is not a valid, fully known reference. */
export interface ParsedRef {
  /** `docker.io/library/postgres` */
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9][a-z0-9.+_-]*:[0-9a-fA-F]{32,}$/;
const HOST = /^[a-zA-Z0-9][a-zA-Z0-9.-]*(?::\d+)?$/;

/** A path component as Docker accepts it: lower-case alphanumerics joined by `.`, `_`, `__` or dashes. */
function isComponent(c: string): boolean {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(c) || !/[a-z0-9]$/.test(c)) return false;
  return (c.match(/[._-]+/g) ?? []).every((sep) => sep === '.' || sep === '_' || sep === '__' || /^-+$/.test(sep));
}

/**
 * Splits `registry/namespace/name:tag@digest`. Anything not known before run
 * time (`$VAR`, `${VAR}`, `{{ .Values.x }}`, a reader's unknown marker) and
 * anything Docker would reject gives undefined.
 */
export function parseImageRef(ref: string): ParsedRef | undefined {
  const s = ref.trim();
  if (!s || /[$\u241F{}\s%]/.test(s)) return undefined;
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!;
    if (!HOST.test(registry)) return undefined;
  }
  if (parts.length === 0 || !parts.every(isComponent)) return undefined;
  if (DOCKER_HUB.has(registry.toLowerCase())) {
    registry = 'docker.io';
    if (parts.length === 1) parts.unshift('library');
  }
  return { repository: `${registry.toLowerCase()}/${parts.join('/')}`, tag, digest };
}

/** The normalized repository of a table name: `postgres` → `docker.io/library/postgres`. */
export function normalizeName(name: string): string {
  const p = parseImageRef(name);
  if (!p || p.tag || p.digest) throw new Error(`image table: bad name ${name}`);
  return p.repository;
}

const BY_REPOSITORY = new Map<string, ImageEntry>();
for (const e of IMAGES) for (const n of e.names) BY_REPOSITORY.set(normalizeName(n), e);

/** The entry for a repository (normalized or short), without applying variants. */
export function imageEntry(name: string): ImageEntry | undefined {
  const p = parseImageRef(name);
  return p ? BY_REPOSITORY.get(p.repository) : undefined;
}

/**
 * The table's facts for an image reference, with the variants its tag
 * matches applied; undefined when the image is not in the table or the
 * reference is not fully known. A digest-only reference gets the default
 * (`latest`) facts: version-dependent facts may then differ.
 */
export function lookupImage(ref: string): ImageInfo | undefined {
  // Asked for every container on every analysis: the answer for a reference never changes.
  if (LOOKUPS.has(ref)) return LOOKUPS.get(ref);
  const info = lookup(ref);
  if (LOOKUPS.size > 1000) LOOKUPS.clear();
  LOOKUPS.set(ref, info);
  return info;
}

const LOOKUPS = new Map<string, ImageInfo | undefined>();

function lookup(ref: string): ImageInfo | undefined {
  const p = parseImageRef(ref);
  if (!p) return undefined;
  const entry = BY_REPOSITORY.get(p.repository);
  if (!entry) return undefined;
  const tag = p.tag ?? (p.digest ? undefined : 'latest');
  const facts: ImageFacts = {
    user: entry.user,
    capAdd: entry.capAdd,
    writes: entry.writes,
    readOnly: entry.readOnly,
    minMemory: entry.minMemory,
    minPids: entry.minPids,
    privileged: entry.privileged,
  };
  const applied: string[] = [];
  for (const v of entry.variants ?? []) {
    if (tag === undefined || !v.tags.test(tag)) continue;
    Object.assign(facts, v.facts);
    applied.push(v.label);
  }
  return { ...facts, id: entry.id, title: entry.title, repository: p.repository, tag, digest: p.digest, variants: applied, entry };
}
