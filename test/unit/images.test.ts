/**
 * The per-image table (server/src/engine/images.ts): reference parsing and
 * lookup, and the table's own discipline — every stated fact cites the lines
 * it comes from, an unknown says why, no name belongs to two entries, and
 * docs/IMAGES.md lists every image.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { citeUrl, IMAGES, imageEntry, lookupImage, normalizeName, parseCite, parseImageRef, PINS } from '../../server/src/engine/images';
import type { CapNeed, Cite, ImageFacts } from '../../server/src/engine/images';
import { UNKNOWN } from '../../server/src/engine/launch';
import { ROOT } from './helpers';

const SHA = 'sha256:' + 'ab'.repeat(32);

describe('image table: lookup', () => {
  const cases: [string, string | undefined][] = [
    ['postgres', 'postgres'],
    ['postgres:16', 'postgres'],
    ['postgres:latest', 'postgres'],
    ['docker.io/library/postgres:16-alpine', 'postgres'],
    ['index.docker.io/library/postgres', 'postgres'],
    ['registry-1.docker.io/library/postgres:18', 'postgres'],
    [`postgres:16@${SHA}`, 'postgres'],
    [`library/nginx@${SHA}`, 'nginx'],
    ['nginx:1.27-alpine', 'nginx'],
    ['docker.io/nginx', 'nginx'],
    ['  redis:7  ', 'redis'],
    ['prom/prometheus:v3.1.0', 'prometheus'],
    ['quay.io/prometheus/prometheus:v3.1.0', 'prometheus'],
    ['docker.elastic.co/elasticsearch/elasticsearch:9.2.4', 'elasticsearch'],
    ['quay.io/keycloak/keycloak:26.0', 'keycloak'],
    ['grafana/grafana:11.4.0', 'grafana'],
    ['hashicorp/vault:1.18', 'vault'],
    ['opensearchproject/opensearch:3', 'opensearch'],
    ['docker:dind', 'docker'],
    ['myorg/app:1.0', undefined],
    ['${IMAGE}', undefined],
    ['$IMAGE', undefined],
    ['postgres:${PG_VERSION}', undefined],
    ['{{ .Values.image }}', undefined],
    [`postgres:${UNKNOWN}`, undefined],
    ['ghcr.io/x/postgres', undefined],
    ['quay.io/postgres', undefined],
    ['localhost:5000/postgres', undefined],
    ['library/postgres/extra', undefined],
    ['keycloak/keycloak', undefined],
    ['Postgres', undefined],
    ['postgres:', undefined],
    ['postgres@sha256:short', undefined],
    ['', undefined],
  ];
  for (const [ref, id] of cases) {
    it(`${JSON.stringify(ref)} → ${id ?? 'undefined'}`, () => {
      assert.equal(lookupImage(ref)?.id, id);
    });
  }

  it('splits registry, repository, tag and digest', () => {
    assert.deepEqual(parseImageRef('postgres'), { repository: 'docker.io/library/postgres', tag: undefined, digest: undefined });
    assert.deepEqual(parseImageRef(`localhost:5000/team/app:1.2@${SHA}`), { repository: 'localhost:5000/team/app', tag: '1.2', digest: SHA });
    assert.deepEqual(parseImageRef('quay.io/keycloak/keycloak'), { repository: 'quay.io/keycloak/keycloak', tag: undefined, digest: undefined });
    assert.equal(normalizeName('prom/prometheus'), 'docker.io/prom/prometheus');
    assert.equal(imageEntry('library/postgres')?.id, 'postgres');
  });

  it('applies the variants a tag matches, and only those', () => {
    const latest = lookupImage('postgres')!;
    assert.equal(latest.tag, 'latest');
    assert.deepEqual(latest.variants, []);
    assert.equal(latest.user.dropsTo?.uid, 999);
    assert.deepEqual(latest.writes.volumes, ['/var/lib/postgresql']);

    const pg16alpine = lookupImage('docker.io/library/postgres:16-alpine')!;
    assert.equal(pg16alpine.user.dropsTo?.uid, 70);
    assert.deepEqual(pg16alpine.writes.volumes, ['/var/lib/postgresql/data']);
    assert.equal(pg16alpine.variants.length, 2);

    assert.deepEqual(lookupImage('postgres:18-alpine')!.writes.volumes, ['/var/lib/postgresql']);
    assert.equal(lookupImage('redis:8-alpine')!.user.dropsTo?.gid, 1000);
    assert.equal(lookupImage('redis:7.4')!.capAdd.complete, false);
    assert.equal(lookupImage('redis:8.2')!.capAdd.complete, true);
    assert.equal(lookupImage('docker')!.privileged !== undefined, true);
    assert.equal(lookupImage('docker:cli')!.privileged, undefined);
    assert.equal(lookupImage('docker:29-dind-rootless')!.user.runsAs.uid, 1000);
  });

  it('a digest-only reference gets the default facts', () => {
    const nginx = lookupImage(`library/nginx@${SHA}`)!;
    assert.equal(nginx.tag, undefined);
    assert.equal(nginx.digest, SHA);
    assert.deepEqual(nginx.variants, []);
    assert.equal(nginx.repository, 'docker.io/library/nginx');
  });

  it('gives the facts the fixes need for a few well-known cases', () => {
    const caps = (ref: string) => lookupImage(ref)!.capAdd.caps.map((c) => c.cap).sort();
    assert.deepEqual(caps('nginx:1.27'), ['CHOWN', 'NET_BIND_SERVICE', 'SETGID', 'SETUID']);
    assert.deepEqual(caps('postgres:17'), ['CHOWN', 'DAC_READ_SEARCH', 'SETGID', 'SETUID']);
    assert.deepEqual(caps('caddy:2'), ['NET_BIND_SERVICE']);
    assert.deepEqual(caps('memcached'), []);
    assert.equal(lookupImage('nginx')!.user.fix, null);
    assert.equal(lookupImage('postgres')!.user.fix, 'postgres');
    assert.equal(lookupImage('nginx')!.readOnly.ok, true);
    assert.deepEqual(lookupImage('nginx')!.writes.tmpfs, ['/var/cache/nginx', '/var/run']);
    assert.equal(lookupImage('wordpress')!.readOnly.ok, false);
    assert.equal(lookupImage('nextcloud')!.readOnly.ok, false);
    assert.equal(lookupImage('elasticsearch:9.2.4')!.minMemory?.value, '1g');
  });
});

/** Every `sources` list of a set of facts, with where it sits. */
function sourceLists(f: Partial<ImageFacts>, where: string): [string, Cite[]][] {
  const out: [string, Cite[]][] = [];
  const caps = (list: CapNeed[] | undefined, w: string) => list?.forEach((c, i) => out.push([`${w}[${i}] ${c.cap}`, c.sources]));
  if (f.user) out.push([`${where}.user`, f.user.sources]);
  if (f.capAdd) {
    out.push([`${where}.capAdd`, f.capAdd.sources]);
    caps(f.capAdd.caps, `${where}.capAdd.caps`);
    caps(f.capAdd.asFixUser, `${where}.capAdd.asFixUser`);
  }
  if (f.writes) {
    out.push([`${where}.writes`, f.writes.sources]);
    f.writes.conditional?.forEach((c, i) => out.push([`${where}.writes.conditional[${i}]`, c.sources]));
  }
  if (f.readOnly) out.push([`${where}.readOnly`, f.readOnly.sources]);
  if (f.minMemory) out.push([`${where}.minMemory`, f.minMemory.sources]);
  if (f.minPids) out.push([`${where}.minPids`, f.minPids.sources]);
  if (f.privileged) out.push([`${where}.privileged`, f.privileged.sources]);
  return out;
}

function allSourceLists(): [string, Cite[]][] {
  const out: [string, Cite[]][] = [];
  for (const e of IMAGES) {
    out.push([`${e.id}.names`, e.sources]);
    out.push(...sourceLists(e, e.id));
    e.variants?.forEach((v) => out.push(...sourceLists(v.facts, `${e.id} (${v.label})`)));
  }
  return out;
}

describe('image table: discipline', () => {
  it('has at least 25 images, unique ids, no name in two entries', () => {
    assert.ok(IMAGES.length >= 25, `${IMAGES.length} images`);
    const ids = IMAGES.map((e) => e.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), []);
    const seen = new Map<string, string>();
    const dup: string[] = [];
    for (const e of IMAGES) {
      for (const n of e.names) {
        const key = normalizeName(n);
        if (seen.has(key)) dup.push(`${key}: ${seen.get(key)} and ${e.id}`);
        seen.set(key, e.id);
      }
    }
    assert.deepEqual(dup, []);
  });

  it('every stated fact has at least one source', () => {
    const empty = allSourceLists().filter(([, s]) => s.length === 0).map(([w]) => w);
    assert.deepEqual(empty, []);
  });

  it('every source is a well-formed cite at a known commit', () => {
    const bad: string[] = [];
    for (const [where, list] of allSourceLists()) {
      for (const c of list) {
        const p = parseCite(c);
        if (!p) bad.push(`${where}: not a cite: ${c}`);
        else if (!p.url && !p.commit) bad.push(`${where}: no pin for ${p.repo}: ${c}`);
        else if (p.lines && (p.lines[0] < 1 || p.lines[1] < p.lines[0])) bad.push(`${where}: bad range: ${c}`);
        else if (!citeUrl(c)?.startsWith('https://github.com/')) bad.push(`${where}: no URL: ${c}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('every pin is used', () => {
    const used = new Set(allSourceLists().flatMap(([, l]) => l.map((c) => parseCite(c)?.repo)));
    assert.deepEqual(Object.keys(PINS).filter((r) => !used.has(r)), []);
  });

  it('an unknown says why; a fix is only safe when there is one', () => {
    const bad: string[] = [];
    const check = (f: Partial<ImageFacts>, where: string) => {
      if (f.capAdd && !f.capAdd.complete && !f.capAdd.gap) bad.push(`${where}: incomplete capAdd without gap`);
      if (f.readOnly && !f.readOnly.why) bad.push(`${where}: readOnly without why`);
      if (f.user && f.user.fixSafe && !f.user.fix) bad.push(`${where}: fixSafe without fix`);
      if (f.user && !f.user.condition) bad.push(`${where}: user without condition`);
      if (f.capAdd) {
        const names = f.capAdd.caps.map((c) => c.cap);
        if (new Set(names).size !== names.length) bad.push(`${where}: a capability twice`);
      }
      if (f.writes) {
        for (const p of [...f.writes.tmpfs, ...f.writes.data, ...f.writes.volumes, ...(f.writes.conditional ?? []).map((c) => c.path)]) {
          if (!p.startsWith('/')) bad.push(`${where}: relative path ${p}`);
        }
        for (const v of f.writes.volumes) if (!f.writes.data.includes(v)) bad.push(`${where}: VOLUME ${v} not in data`);
      }
    };
    for (const e of IMAGES) {
      check(e, e.id);
      e.variants?.forEach((v) => check(v.facts, `${e.id} (${v.label})`));
    }
    assert.deepEqual(bad, []);
  });

  it('no variant applies to the default tag', () => {
    const hit = IMAGES.flatMap((e) => (e.variants ?? []).filter((v) => v.tags.test('latest')).map((v) => `${e.id}: ${v.label}`));
    assert.deepEqual(hit, []);
  });

  it('docs/IMAGES.md has a row for every image', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'IMAGES.md'), 'utf8');
    const missing = IMAGES.filter((e) => !doc.includes(`| \`${e.id}\` |`)).map((e) => e.id);
    assert.deepEqual(missing, []);
  });
});
