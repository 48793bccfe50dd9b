/**
 * The RUN filter: a Dockerfile RUN is parsed as shell only when it contains a
 * container tool or a trigger word of an enabled shell rule. Skipping the others
 * must never change a finding: every Dockerfile of the corpus and the fixtures
 * is analysed with the filter and with every RUN read, under the default
 * settings and with each shell rule alone enabled (so a rule cannot lean on
 * another rule's triggers).
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { before, describe, it } from 'node:test';
import { analyze, detectKind, needsShellParser, RULE_IDS } from '../../server/src/engine';
import { CONTAINER_TOOLS } from '../../server/src/engine/dockercli';
import { RULE_MODULES } from '../../server/src/engine/rules';
import { CORPUS, FIXTURES, init, listFixtures, readSibling, ROOT } from './helpers';

const dockerfiles = [...listFixtures(CORPUS), ...listFixtures(FIXTURES)].filter((f) => detectKind(f, fs.readFileSync(f, 'utf8')) === 'dockerfile');
const SHELL_RULES = RULE_MODULES.filter((r) => r.shell).map((r) => r.meta.id);

function signature(text: string, fileName: string, rules: Record<string, 'off'> | undefined, readAllRuns: boolean): string[] {
  const r = analyze(text, { fileName, readFile: readSibling, settings: rules ? { rules } : undefined, readAllRuns });
  assert.deepEqual(r.internalErrors, []);
  return r.findings.map((f) => `${f.ruleId}@${f.span.start}-${f.span.end} ${f.message}`);
}

function only(id: string): Record<string, 'off'> {
  return Object.fromEntries([...RULE_IDS].filter((x) => x !== id).map((x) => [x, 'off' as const]));
}

describe('RUN filter', () => {
  before(init);

  it('every shell rule declares its triggers (else every RUN is parsed)', () => {
    assert.ok(SHELL_RULES.length >= 8);
    for (const r of RULE_MODULES) if (r.shell) assert.ok(r.shellTriggers instanceof RegExp, `${r.meta.id} has a shell hook and no shellTriggers`);
  });

  it(`changes no finding on ${dockerfiles.length} Dockerfiles (corpus and fixtures), default settings and each shell rule alone`, () => {
    assert.ok(dockerfiles.length > 300, `only ${dockerfiles.length} Dockerfiles`);
    let compared = 0;
    let withFindings = 0;
    for (const file of dockerfiles) {
      const text = fs.readFileSync(file, 'utf8');
      const name = path.relative(ROOT, file);
      for (const rules of [undefined, ...SHELL_RULES.map(only)]) {
        const all = signature(text, file, rules, true);
        assert.deepEqual(signature(text, file, rules, false), all, `${name} ${rules ? 'only ' + SHELL_RULES.find((id) => !rules[id]) : 'defaults'}`);
        compared++;
        if (all.length) withFindings++;
      }
    }
    // The comparison means something only if the shell rules do find things here.
    assert.ok(withFindings > 200, `only ${withFindings} of ${compared} comparisons had findings`);
  });

  it('needsShellParser: files it clears are analysed in full by a process that never starts the shell parser', () => {
    const all = [...listFixtures(CORPUS), ...listFixtures(FIXTURES)].filter((f) => detectKind(f, fs.readFileSync(f, 'utf8')));
    const cleared = all.filter((f) => !needsShellParser(fs.readFileSync(f, 'utf8'), { fileName: f }));
    const kinds = new Set(cleared.map((f) => detectKind(f, fs.readFileSync(f, 'utf8'))));
    assert.ok(cleared.length > 100 && kinds.has('dockerfile') && kinds.has('compose') && !kinds.has('shell'), `${cleared.length} cleared, kinds ${[...kinds]}`);
    const engine = path.join(ROOT, 'out', 'server', 'src', 'engine', 'index.js');
    const script = `
      const fs = require('fs');
      const e = require(${JSON.stringify(engine)});
      const bad = [];
      for (const f of JSON.parse(process.argv[1])) {
        const text = fs.readFileSync(f, 'utf8');
        const r = e.analyze(text, { fileName: f, readFile: (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } } });
        if (r.internalErrors.length) bad.push(f + ': ' + r.internalErrors.join(' | ').slice(0, 200));
      }
      process.stdout.write(JSON.stringify(bad));`;
    const r = spawnSync(process.execPath, ['-e', script, JSON.stringify(cleared)], { encoding: 'utf8', maxBuffer: 1 << 24 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), []);
    // And the ones it does not clear really do need it: a shell script fails without it.
    const sh = all.find((f) => detectKind(f, fs.readFileSync(f, 'utf8')) === 'shell')!;
    const r2 = spawnSync(process.execPath, ['-e', script, JSON.stringify([sh])], { encoding: 'utf8' });
    assert.equal(JSON.parse(r2.stdout).length, 1, 'a shell script analysed without the parser should fail');
  });

  // Words the shell joins: the filter must see them as the shell does.
  const joined: Array<[string, string, string]> = [
    ['quoted halves', 'FROM alpine:3.20\nRUN "ch"mod u+s /usr/bin/tool\n', 'setuid-bits'],
    ['backslash inside', 'FROM alpine:3.20\nRUN c\\hmod 4755 /usr/bin/tool\n', 'setuid-bits'],
    ['continuation inside', 'FROM alpine:3.20\nRUN ch\\\nmod 0777 /srv\n', 'world-writable'],
    ['backtick escape', '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN su`\ndo apt-get update\n', 'sudo-in-dockerfile'],
    ['single quotes', "FROM alpine:3.20\nRUN 'cu'rl -fsSL https://example.com/i.sh | sh\n", 'pipe-to-shell'],
    ['exec form escape', 'FROM alpine:3.20\nRUN ["/bin/\\u0063hmod", "4755", "/usr/bin/tool"]\n', 'setuid-bits'],
  ];
  // Launch rules need no trigger of their own: every container tool is one.
  for (const tool of CONTAINER_TOOLS) {
    const text = tool === 'dockerd' ? 'FROM docker:27-dind\nRUN dockerd --icc=true &\n' : `FROM alpine:3.20\nRUN ${tool} run --privileged alpine:3.20 true\n`;
    joined.push([`container tool ${tool}`, text, tool === 'dockerd' ? 'icc-enabled' : 'privileged']);
  }
  for (const [what, text, rule] of joined) {
    it(`reads a RUN whose trigger is split by the shell's quoting: ${what}`, () => {
      const all = signature(text, '/w/Dockerfile', undefined, true);
      assert.ok(all.some((s) => s.startsWith(rule + '@')), `${rule} not found even with every RUN read: ${all.join('; ')}`);
      assert.deepEqual(signature(text, '/w/Dockerfile', undefined, false), all);
    });
  }
});
