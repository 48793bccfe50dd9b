/** Other tools' suppression comments: the id table, each comment syntax, the hover, the setting that turns them off. */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { main } from '../../server/src/cli';
import { analyze, hoverAt, parseConfigText, PEER_CHECKS, RULE_IDS, RULES } from '../../server/src/engine';
import { readPeerComments, type PeerComment } from '../../server/src/engine/peerComments';
import { LineIndex } from '../../server/src/engine/text';
import type { SourceKind } from '../../server/src/engine/types';
import { FIXTURES, init } from './helpers';

const PEERS = path.join(FIXTURES, 'readers', 'peers');

function comments(text: string, kind: SourceKind, today?: string): PeerComment[] {
  const index = new LineIndex(text);
  const stageLines = text.split('\n').flatMap((l, i) => (/^FROM\b/i.test(l) ? [i] : []));
  return readPeerComments(text, index, kind, { stageLines, today });
}

/** Rule ids a comment silences, sorted. */
const rules = (c: PeerComment) => [...c.rules.keys()].sort();

describe('peer check ids', () => {
  it('map to rules that exist, once per tool and id, with a source and a reason', () => {
    const seen = new Set<string>();
    for (const p of PEER_CHECKS) {
      for (const r of p.rules) assert.ok(RULE_IDS.has(r), `${p.tool} ${p.id} maps to unknown rule ${r}`);
      assert.ok(!seen.has(`${p.tool} ${p.id}`), `${p.tool} ${p.id} listed twice`);
      seen.add(`${p.tool} ${p.id}`);
      assert.ok(p.source && p.why, `${p.tool} ${p.id} has no source or reason`);
      if (p.tool === 'hadolint') assert.match(p.id, /^DL\d{4}$/);
      if (p.tool === 'checkov') assert.match(p.id, /^CKV2?_DOCKER_\d+$/);
      if (p.tool === 'trivy') assert.match(p.id, /^DS-\d{4}$/);
      if (p.tool === 'kics') assert.match(p.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      if (p.tool === 'semgrep') assert.match(p.id, /^(dockerfile|yaml)\.[a-z0-9.-]+$/);
    }
  });

  it('are listed in the rules\' metadata', () => {
    const rootUser = RULES.find((r) => r.id === 'root-user')!;
    assert.deepEqual(rootUser.peers?.hadolint, ['DL3002']);
    assert.deepEqual(rootUser.peers?.checkov, ['CKV_DOCKER_3', 'CKV_DOCKER_8']);
    assert.deepEqual(rootUser.peers?.trivy, ['DS-0002']);
    assert.equal(RULES.find((r) => r.id === 'obsolete-option')!.peers, undefined);
  });

  it('--list-rules shows them', async () => {
    let out = '';
    const code = await main(['--list-rules'], { stdout: (s) => (out += s), stderr: () => {}, isTTY: false });
    assert.equal(code, 0);
    assert.match(out, /^root-user .*\n\s+also silenced by: hadolint DL3002; Checkov CKV_DOCKER_3, CKV_DOCKER_8; Trivy DS-0002; KICS /m);
  });
});

describe('reading peer comments', () => {
  it('hadolint: ignore= reaches the next line only; global ignore= the file; other syntax is not a pragma', () => {
    const cs = comments('# hadolint ignore=DL3004, DL3020 # why\nRUN sudo x\n# hadolint global ignore=DL3057\n# hadolint ignore=DL3004 -- reason\n', 'dockerfile');
    assert.equal(cs.length, 2);
    assert.deepEqual(rules(cs[0]), ['add-instead-of-copy', 'sudo-in-dockerfile']);
    assert.deepEqual(cs[0].scope, { kind: 'lines', lines: [1] });
    assert.deepEqual(cs[1].scope, { kind: 'file' });
    assert.deepEqual(rules(cs[1]), ['healthcheck-missing']);
    // hadolint is a Dockerfile linter: its comments mean nothing in a compose file.
    assert.deepEqual(comments('# hadolint ignore=DL3002\nservices: {}\n', 'compose'), []);
  });

  it('Checkov: skip=ID[,ID]:reason anywhere, for the file; bridgecrew:skip too', () => {
    const cs = comments('FROM x\nRUN y\n#checkov:skip=CKV_DOCKER_3,CKV_DOCKER_1:reason\n# bridgecrew:skip=CKV2_DOCKER_1\n', 'dockerfile');
    assert.deepEqual(cs.map(rules), [['root-user', 'ssh-server'], ['sudo-in-dockerfile']]);
    assert.ok(cs.every((c) => c.scope.kind === 'file'));
  });

  it('Trivy: any alias in any case, `*`, stacked lines, expiry dates', () => {
    const text = '#trivy:ignore:AVD-DS-0002\n#trivy:ignore:use-copy-over-add\nUSER root\n#trivy:ignore:ds010:exp:2000-01-01\n#trivy:ignore:DS010:exp:2100-01-01\nRUN sudo x\n#trivy:ignore:*\nEXPOSE 22\n#trivy:ignore:DS002:exp:soon\nUSER 0\n';
    const cs = comments(text, 'dockerfile', '2026-01-01');
    assert.deepEqual(cs.map((c) => [rules(c), c.scope]), [
      [['root-user'], { kind: 'lines', lines: [1, 2] }],
      [['add-instead-of-copy'], { kind: 'lines', lines: [1, 2] }],
      [['sudo-in-dockerfile'], { kind: 'lines', lines: [4, 5] }],
      [[...new Set(PEER_CHECKS.filter((p) => p.tool === 'trivy').flatMap((p) => p.rules))].sort(), { kind: 'lines', lines: [6, 7] }],
    ]);
  });

  it('KICS: ignore-line, ignore-block (a stage; a YAML block), and file-start commands only at the start', () => {
    const df = comments('# kics-scan disable=8ada6e80-0ade-439e-b176-0b28f6bce35a\n# kics-scan ignore-block\nFROM a:1 AS b\nRUN x\nFROM c:2\n# kics-scan ignore-line\nRUN y\n# kics-scan ignore\n', 'dockerfile');
    assert.deepEqual(df.map((c) => c.scope), [
      { kind: 'file' },
      { kind: 'range', from: 1, to: 3 },
      { kind: 'lines', lines: [5, 6], own: false },
    ]);
    assert.deepEqual(rules(df[0]), ['sudo-in-dockerfile']);
    const yaml = comments('# kics-scan enable=ae5b6871-7f45-42e0-bb4c-ab300c4d2026\nservices:\n  # kics-scan ignore-block\n  a:\n    image: x\n    privileged: true\n  b:\n    image: y\n', 'compose');
    assert.equal(yaml[0].scope.kind, 'file');
    assert.ok(!yaml[0].rules.has('privileged') && yaml[0].rules.has('host-network'), 'enable= keeps only the listed queries');
    assert.deepEqual(yaml[1].scope, { kind: 'range', from: 2, to: 5 });
  });

  it('Semgrep: alone on a line (that line and the next) or at the end of a line; full ids or dotted suffixes', () => {
    const cs = comments('services:\n  # nosemgrep: privileged-service, yaml.docker-compose.security.no-new-privileges.no-new-privileges\n  a:\n    privileged: true  # NOSEMGREP\n    pid: host # nosemgrep: curity.privileged-service.privileged-service\n', 'compose');
    assert.deepEqual(cs.map((c) => [rules(c), c.scope]), [
      [['no-new-privileges-missing', 'privileged'], { kind: 'lines', lines: [1, 2] }],
      [[...new Set(PEER_CHECKS.filter((p) => p.tool === 'semgrep' && p.kinds.includes('compose')).flatMap((p) => p.rules))].sort(), { kind: 'lines', lines: [3] }],
    ], 'a suffix must start after a dot');
    assert.deepEqual(comments('services:\n  a:\n    privileged: true #nosemgrep\n', 'compose'), [], 'at the end of a line only after a blank');
  });

  it('BuildKit: check=skip= only among the parser directives at the top', () => {
    const top = comments('# syntax=docker/dockerfile:1\n# check=skip=JSONArgsRecommended,SecretsUsedInArgOrEnv;error=true\nFROM a:1\n', 'dockerfile');
    assert.deepEqual(top.map(rules), [['secret-in-build-arg', 'secret-in-env']]);
    assert.deepEqual(comments('# check=skip=all\n', 'dockerfile').map(rules), [['secret-in-build-arg', 'secret-in-env']]);
    assert.deepEqual(comments('\n# check=skip=all\nFROM a:1\n', 'dockerfile'), [], 'a blank line ends the directives');
    assert.deepEqual(comments('# check=skip=JSONArgsRecommended\n', 'dockerfile'), [], 'a check no rule maps to silences nothing');
  });
});

describe('peer comments in an analysis', () => {
  before(init);
  const read = (name: string) => fs.readFileSync(path.join(PEERS, name), 'utf8');

  it('a Dockerfile and a compose file annotated only for other tools: no finding for the rules their comments name', () => {
    for (const name of ['all-peers.Dockerfile', 'all-peers_compose.yaml']) {
      const text = read(name);
      const r = analyze(text, { fileName: path.join(PEERS, name) });
      assert.ok(r.silenced?.length, name);
      for (const s of r.silenced!) assert.ok(!r.findings.some((f) => f.ruleId === s.ruleId && f.span.start === s.span.start), `${name}: ${s.ruleId} both silenced and reported`);
    }
  });

  it('the hover at a silenced spot names the comment and its line', () => {
    const text = read('all-peers.Dockerfile');
    const at = text.indexOf('sudo useradd');
    const h = hoverAt(text, at, { fileName: 'Dockerfile' });
    assert.ok(h);
    assert.match(h.contents, /silenced by the Semgrep comment `# nosemgrep: dockerfile\.security\.no-sudo-in-dockerfile\.no-sudo-in-dockerfile` \(line 10\)/);
    const user = hoverAt(text, text.indexOf('USER root'), { fileName: 'Dockerfile' });
    assert.match(user!.contents, /Container runs as root: silenced by the hadolint comment `# hadolint ignore=DL3002` \(line 16\)/);
    // Where nothing is silenced, the hover is as before.
    assert.doesNotMatch(hoverAt(text, text.indexOf('EXPOSE'), { fileName: 'Dockerfile' })?.contents ?? '', /silenced/);
  });

  it('peerComments: false (setting, .container-hardening.yaml, --no-peer-comments) brings the findings back', async () => {
    const name = 'all-peers.Dockerfile';
    const text = read(name);
    const on = analyze(text, { fileName: name });
    const off = analyze(text, { fileName: name, settings: { peerComments: false } });
    assert.equal(off.silenced, undefined);
    assert.equal(off.findings.length, on.findings.length + on.silenced!.length);
    assert.deepEqual(parseConfigText('peerComments: false\n', RULE_IDS), { settings: { peerComments: false }, errors: [] });
    assert.match(parseConfigText('peerComments: no way\n', RULE_IDS).errors[0], /'peerComments' must be true or false/);
    const count = async (args: string[]) => {
      let out = '';
      await main(['check', '--format', 'json', '--fail-on', 'none', ...args, path.join(PEERS, name)], { stdout: (s) => (out += s), stderr: () => {}, isTTY: false });
      return JSON.parse(out).files.flatMap((f: { findings: unknown[] }) => f.findings).length;
    };
    assert.equal(await count([]), on.findings.length);
    assert.equal(await count(['--no-peer-comments']), off.findings.length);
  });

  it('a peer comment never silences a rule none of its ids maps to', () => {
    const text = 'FROM alpine:3.20\n# hadolint ignore=DL3004\nRUN chmod 777 /tmp/x\n#checkov:skip=CKV_DOCKER_2\nUSER 1000\n';
    const r = analyze(text, { fileName: 'Dockerfile' });
    assert.ok(r.findings.some((f) => f.ruleId === 'world-writable'));
    assert.deepEqual(r.silenced?.map((s) => s.ruleId), ['healthcheck-missing']);
  });
});
