/**
 * The statement filter: in a shell script, a statement with neither a container
 * tool nor a trigger word of an enabled shell rule is not read (the RUN filter
 * of run-filter.test.ts, applied to each statement of a script; see
 * STATEMENT_LISTS in server/src/engine/sources/shellTree.ts). Skipping them must
 * never change a finding, a fix or a hover spot: every shell script and
 * Dockerfile of the corpus and the fixtures, a generated script and random
 * valid shell are analysed with the filter and with every statement read,
 * under the default settings and with each shell rule alone enabled (so a rule
 * cannot lean on another rule's triggers).
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { analyze, detectKind, RULE_IDS } from '../../server/src/engine';
import { RULE_MODULES } from '../../server/src/engine/rules';
import { bareWords } from '../../server/src/engine/rules/util';
import { readShell } from '../../server/src/engine/sources/shell';
import { CORPUS, FIXTURES, init, listFixtures, readSibling, ROOT } from './helpers';

const SHELL_RULES = RULE_MODULES.filter((r) => r.shell).map((r) => r.meta.id);

function only(id: string): Record<string, 'off'> {
  return Object.fromEntries([...RULE_IDS].filter((x) => x !== id).map((x) => [x, 'off' as const]));
}

/** Everything a caller sees: findings (with rendered fixes and related spans) and hover spots. */
function signature(text: string, fileName: string, rules: Record<string, 'off'> | undefined, readAllStatements: boolean): string {
  const r = analyze(text, { fileName, readFile: readSibling, settings: rules ? { rules } : undefined, readAllStatements });
  assert.deepEqual(r.internalErrors, []);
  return JSON.stringify({
    kind: r.kind,
    skipped: r.skipped,
    findings: r.findings.map((f) => ({
      rule: f.ruleId,
      severity: f.severity,
      span: f.span,
      range: f.range,
      message: f.message,
      context: f.context,
      related: f.related,
      fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe, edits: x.edits })),
    })),
    hoverSpots: r.hoverSpots,
  });
}

/** Same findings, fixes and hovers with and without the filter; returns the signature's finding count. */
function agree(text: string, fileName: string, rules?: Record<string, 'off'>): number {
  const all = signature(text, fileName, rules, true);
  assert.equal(signature(text, fileName, rules, false), all, `${fileName} ${rules ? 'only ' + SHELL_RULES.find((id) => !rules[id]) : 'defaults'}`);
  return (JSON.parse(all) as { findings: unknown[] }).findings.length;
}

/** The filter analyze() uses with every rule on. */
const TRIGGERS = [/docker|podman|nerdctl/i, ...RULE_MODULES.filter((r) => r.shell).map((r) => r.shellTriggers!)];
const keepAll = (s: string) => s.includes('\\u') || TRIGGERS.some((re) => re.test(bareWords(s)));

const files = [...listFixtures(CORPUS), ...listFixtures(FIXTURES)].filter((f) => {
  const k = detectKind(f, fs.readFileSync(f, 'utf8'));
  return k === 'shell' || k === 'dockerfile';
});
const scripts = files.filter((f) => detectKind(f, fs.readFileSync(f, 'utf8')) === 'shell');

/** Random shell without syntax errors: statements with and without trigger words, nested, with suppressions. */
function validShell(): fc.Arbitrary<string> {
  const arg = fc.constantFrom('-d', '--privileged', '-v', '/:/h', 'alpine:3.20', '"$IMAGE"', '$OPTS', '--net=host', 'x', "'q'", '"$(date)"', '-p', '22:22', '-k', 'https://x.io/i.sh', '4755', '/usr/bin/t');
  const plain = fc.tuple(fc.constantFrom('echo', 'cat', 'ls', 'grep -q x', 'printf %s', 'true', 'cd /srv', 'make'), fc.array(arg, { maxLength: 3 })).map(([p, a]) => [p, ...a].join(' '));
  const hot = fc.tuple(
    fc.constantFrom('docker run', 'sudo docker run', 'podman run', 'nerdctl run', 'docker', 'curl -fsSL', 'wget -qO-', 'chmod', 'sudo apt-get install -y', 'apt-get install -y openssh-server', 'service ssh start', 'env DOCKER_HOST=tcp://h:2375 docker', 'pip install --trusted-host h'),
    fc.array(arg, { maxLength: 4 }),
  ).map(([p, a]) => [p, ...a].join(' '));
  const assign = fc.constantFrom('IMAGE=alpine:latest', 'export DOCKER_HOST=tcp://h:2375', 'export DOCKER_TLS_VERIFY=1', 'DOCKER_CONTENT_TRUST=0', 'export GIT_SSL_NO_VERIFY=1', 'OPTS="-d"', 'local x=1');
  const simple = fc.oneof(plain, hot, assign);
  const cont = fc.tuple(simple, simple).map(([a, b]) => `${a} \\\n    ${b.replace(/^\S+\s*/, '')}`);
  const piped = fc.oneof(
    fc.tuple(simple, fc.constantFrom('sh', 'bash', 'tee x', 'grep y', 'sudo sh -')).map(([a, b]) => `${a} | ${b}`),
    fc.constantFrom('curl -fsSL https://x.io/i.sh | sh', 'cat <<EOF | docker run -i alpine:3.20 sh\nls\nEOF', 'cat <<EOF\ndocker run --privileged x\nEOF', 'bash -c "$(curl -fsSL https://x.io/i.sh)"', "sh -c 'docker run --privileged x; echo done'"),
  );
  const statement: fc.Arbitrary<string> = fc.letrec((tie) => ({
    s: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      simple,
      cont,
      piped,
      fc.tuple(simple, simple).map(([a, b]) => `${a} && ${b}`),
      fc.tuple(simple, fc.array(tie('s') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 })).map(([c, b]) => `if ${c}; then\n  ${b.join('\n  ')}\nfi`),
      fc.array(tie('s') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).map((b) => `f() {\n  ${b.join('\n  ')}\n}`),
      fc.array(tie('s') as fc.Arbitrary<string>, { minLength: 1, maxLength: 2 }).map((b) => `for i in a b; do ${b.join('; ')}; done`),
      fc.array(tie('s') as fc.Arbitrary<string>, { minLength: 1, maxLength: 2 }).map((b) => `case "$1" in\n  up) ${b.join('; ')};;\n  *) echo no;;\nesac`),
      fc.tuple(fc.constantFrom('# harden-ignore: privileged', '# harden-ignore: pipe-to-shell, image-latest', '# a comment'), tie('s') as fc.Arbitrary<string>).map(([c, s]) => `${c}\n${s}`),
      fc.tuple(tie('s') as fc.Arbitrary<string>, fc.constantFrom(' # harden-ignore: privileged', ' # harden-ignore: cap-drop-missing', '')).map(([s, c]) => `${s}${c}`),
      fc.array(tie('s') as fc.Arbitrary<string>, { minLength: 1, maxLength: 2 }).map((b) => `( ${b.join('; ')} )`),
    ),
  })).s;
  return fc.array(statement, { minLength: 1, maxLength: 6 }).map((ss) => '#!/bin/sh\n' + ss.join('\n') + '\n');
}

describe('statement filter', () => {
  before(init);

  it('skips statements in a script (else this test compares a path with itself)', () => {
    let skipped = 0;
    for (const f of scripts) {
      const text = fs.readFileSync(f, 'utf8');
      skipped += readShell(text).commands.length - readShell(text, { keep: keepAll }).commands.length;
    }
    assert.ok(skipped > 300, `only ${skipped} commands skipped in ${scripts.length} scripts`);
  });

  it(`changes no finding, fix or hover on the shell scripts and Dockerfiles of the corpus and fixtures, default settings and each shell rule alone`, () => {
    assert.ok(scripts.length > 30 && files.length > 300, `${scripts.length} scripts, ${files.length} files`);
    let findings = 0;
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const name = path.relative(ROOT, file);
      const shell = detectKind(file, text) === 'shell';
      for (const rules of shell ? [undefined, ...SHELL_RULES.map(only)] : [undefined]) findings += agree(text, name, rules);
    }
    assert.ok(findings > 1000, `only ${findings} findings compared`);
  });

  it('on a generated script', () => {
    const { generate } = require(path.join(ROOT, 'test', 'bench', 'generate.js')) as { generate: (kind: string, lines: number) => string };
    assert.ok(agree(generate('shell', 1000), 'run.sh') > 50);
  });

  it('on the same scripts with CRLF line ends', () => {
    for (const f of scripts.slice(0, 20)) agree(fs.readFileSync(f, 'utf8').replace(/\r?\n/g, '\r\n'), path.relative(ROOT, f));
  });

  it('on random valid shell', () => {
    fc.assert(
      fc.property(validShell(), fc.constantFrom(undefined, ...SHELL_RULES.map(only)), (text, rules) => {
        agree(text, 'x.sh', rules);
      }),
      { seed: 20261201, numRuns: 500 },
    );
  });
});
