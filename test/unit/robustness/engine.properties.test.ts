/**
 * Properties of the engine on hostile input, checked with fast-check (fixed
 * seeds, so every run tries the same cases; a failure prints its seed and the
 * shrunk counterexample). For arbitrary text, token soup, and corpus files
 * mutated (lines deleted, duplicated, swapped; truncated; bytes and characters
 * flipped; indentation changed; CRLF/CR/LF mixed; BOM; NUL; very long lines;
 * deep YAML and shell nesting):
 *   - analyze() and hoverAt() never throw and report no internal error;
 *   - every finding, related location and fix edit lies inside the text, ranges
 *     agree with spans, and the edits of one fix are disjoint;
 *   - harden() never throws and is idempotent.
 * Larger runs: `npm run fuzz`.
 */
import * as assert from 'assert/strict';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import { analyze, harden, initEngine, SourceKind } from '../../../server/src/engine';
import {
  FuzzKind,
  applyMutations, checkAnalyze, checkResult, corpusSamples, FIXTURES, KINDS, loadSamples, mutantArb, NAME_FOR, readSibling, regexWork, scaledInput, textArb, triage, UNITS,
} from '../../fuzz/lib';
import { KNOWN_DEEP_YAML, KNOWN_REGRESSIONS, KNOWN_SCALING_BUGS } from './known-bugs';

const SEED = 20261129;
const RUNS = Number(process.env.ROBUSTNESS_RUNS ?? 150);
/** Nesting depths tried (the fuzz campaign goes deeper and records timings). */
const DEPTHS = [1, 10, 100, 1000];

function fail(problems: string[]): void {
  if (problems.length) throw new Error(problems.join('\n'));
}

/** Drops hits of bugs already reported (KNOWN_PROBLEMS in test/fuzz/lib.ts) so the properties can still catch new ones. */
function fresh(text: string, problems: string[]): string[] {
  return triage(text, problems).fresh;
}

describe('engine properties', () => {
  before(() => initEngine());
  const corpus = corpusSamples();
  // The corpus never changes, so a seed always means the same cases (fixtures come and go; the
  // fuzz campaign mutates them too). Small files keep harden() quick.
  const small = corpus.filter((s) => s.text.length < 20000);

  for (const kind of KINDS) {
    it(`arbitrary text read as ${kind}: no throw, no internal error, ranges inside`, () => {
      fc.assert(
        fc.property(textArb(400), (text) => fail(fresh(text, checkAnalyze(text, { kind, fileName: NAME_FOR[kind] })))),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }

  it('arbitrary text with arbitrary file names (kind detection)', () => {
    const names = fc.oneof(fc.constantFrom('Dockerfile', 'x.Dockerfile', 'compose.yaml', 'docker-compose.override.yml', 'a.sh', 'noext', '', 'C:\\dir\\Dockerfile', '../../etc/passwd'), fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(textArb(300), names, (text, fileName) => fail(fresh(text, checkAnalyze(text, { fileName: fileName || undefined })))),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it('mutated corpus files: no throw, no internal error, ranges inside', () => {
    fc.assert(
      fc.property(mutantArb(corpus, 4, 20000, 200), ({ sample, mutations }) => {
        const s = corpus[sample];
        const text = applyMutations(s.text, mutations);
        fail(fresh(text, checkAnalyze(text, { fileName: s.file, readFile: readSibling })).map((p) => `${s.file}: ${p}`));
      }),
      { seed: SEED + 2, numRuns: RUNS * 2 },
    );
  });

  it('mutated corpus files: harden never throws, is idempotent, and its output is well-formed', () => {
    fc.assert(
      fc.property(mutantArb(small, 3, 5000, 50), ({ sample, mutations }) => {
        const s = small[sample];
        const text = applyMutations(s.text, mutations);
        const opts = { fileName: s.file, readFile: readSibling };
        const once = harden(text, opts);
        const after = analyze(once.text, opts);
        fail(fresh(once.text, checkResult(once.text, after)).map((p) => `${s.file}: ${p}`));
        const twice = harden(once.text, opts);
        assert.equal(twice.text, once.text, `${s.file}: second harden applied ${twice.appliedRules.join(', ')}`);
      }),
      { seed: SEED + 3, numRuns: Math.ceil(RUNS / 2) },
    );
  });

  describe('regression inputs (test/fixtures/robustness)', () => {
    for (const s of loadSamples(path.join(FIXTURES, 'robustness'))) {
      const name = path.basename(s.file);
      const todo = KNOWN_REGRESSIONS[name];
      it(name, todo ? { todo } : {}, () => fail(checkAnalyze(s.text, { fileName: s.file, readFile: readSibling })));
    }
  });

  describe('deep nesting', () => {
    const cases: Array<[FuzzKind, string, (d: number) => string]> = [
      ['compose', 'block mappings', (d) => 'services:\n' + Array.from({ length: d }, (_, i) => `${' '.repeat(i * 2 + 2)}k${i}:`).join('\n') + ' x\n'],
      ['compose', 'block sequences', (d) => 'services:\n  web:\n    volumes:\n' + Array.from({ length: d }, (_, i) => `${' '.repeat(i * 2 + 6)}-`).join('\n') + ' /:/h\n'],
      ['compose', 'flow collections', (d) => 'services:\n  web:\n    image: x\n    cap_add: ' + '['.repeat(d) + 'ALL' + ']'.repeat(d) + '\n'],
      ['compose', 'alias chains', (d) => 'x-0: &a0 {privileged: true}\n' + Array.from({ length: d }, (_, i) => `x-${i + 1}: &a${i + 1}\n  <<: *a${i}\n`).join('') + `services:\n  web:\n    <<: *a${d}\n    image: x\n`],
      ['compose', 'a billion laughs', (d) => 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + Array.from({ length: Math.min(d, 12) }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill('*' + String.fromCharCode(97 + i)).join(',')}]\n`).join('') + 'services:\n  web:\n    <<: *l\n'],
      ['shell', '$( ) substitutions', (d) => 'echo ' + '$(echo '.repeat(d) + 'docker run --privileged x' + ')'.repeat(d) + '\n'],
      ['shell', '{ } groups', (d) => '{ '.repeat(d) + 'docker run --privileged x; ' + '}; '.repeat(d) + '\n'],
      ['shell', '( ) subshells', (d) => '('.repeat(d) + 'docker run -v /:/h x' + ')'.repeat(d) + '\n'],
      ['shell', 'sh -c in sh -c', (d) => "sh -c '".repeat(1) + 'sh -c "'.repeat(Math.min(d, 50)) + 'docker run --privileged x' + '"'.repeat(Math.min(d, 50)) + "'\n"],
      ['shell', 'functions in functions', (d) => 'f0() { '.repeat(1) + Array.from({ length: d }, (_, i) => `f${i + 1}() { `).join('') + 'docker run --privileged x; ' + '}\n'.repeat(d + 1)],
      ['shell', 'if/while nesting', (d) => 'if true; then '.repeat(d) + 'while :; do docker run --net=host x; done; ' + 'fi; '.repeat(d) + '\n'],
      ['dockerfile', 'RUN with nested $( )', (d) => 'FROM alpine\nRUN echo ' + '$(echo '.repeat(d) + 'x' + ')'.repeat(d) + '\n'],
      ['dockerfile', 'many continuation lines', (d) => 'FROM alpine\nRUN true' + ' \\\n && true'.repeat(d * 3) + '\n'],
    ];
    for (const [kind, what, make] of cases) {
      it(`${kind}: ${what}`, () => {
        for (const d of DEPTHS) {
          const text = make(d);
          fail(checkAnalyze(text, { kind, fileName: NAME_FOR[kind] }).map((p) => `depth ${d}: ${p}`));
          const h = harden(text, { kind, fileName: NAME_FOR[kind] });
          assert.equal(typeof h.text, 'string');
        }
      });
    }
  });

  it('YAML nested 1,200 levels deep: read, or a clear parse error, never an internal error, whatever the caller\'s stack depth', KNOWN_DEEP_YAML ? { todo: KNOWN_DEEP_YAML } : {}, () => {
    const text = Array.from({ length: 1200 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n') + ' x\n';
    const onDeepStack = (n: number): ReturnType<typeof analyze> => (n ? onDeepStack(n - 1) : analyze(text, { fileName: 'compose.yaml' }));
    for (const frames of [0, 1000]) {
      const r = onDeepStack(frames);
      assert.deepEqual(r.internalErrors.map((e) => e.split('\n')[0]), [], `with ${frames} frames on the stack`);
      // Valid YAML: with enough stack it is simply read; without, the error must speak about the file.
      const pe = r.findings.find((f) => f.ruleId === 'parse-error');
      if (pe) assert.doesNotMatch(pe.message, /call stack|RangeError/i, 'says what is wrong with the file, not how the parser failed');
    }
  });

  describe('work grows linearly with the input', () => {
    // Counted, not timed: characters scanned by regular expressions (see regexWork).
    for (const kind of KINDS) {
      const todo = KNOWN_SCALING_BUGS[kind];
      it(`${kind}: 8× the input costs at most ~8× the regex work`, todo ? { todo } : {}, () => {
        const small = scaledInput(kind, UNITS[kind], 8);
        const large = scaledInput(kind, UNITS[kind], 64);
        const opts = { kind, fileName: NAME_FOR[kind] };
        const a = regexWork(() => analyze(small, opts));
        const b = regexWork(() => analyze(large, opts));
        assert.ok(a.value.findings.length > 0 && b.value.findings.length >= 8 * a.value.findings.length * 0.9, 'findings should grow with the input');
        const ratio = b.work / Math.max(1, a.work);
        const worst = [...b.bySource].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([src, w]) => `/${src}/: ${w}`);
        assert.ok(ratio <= 8 * 1.5, `regex work grew ${ratio.toFixed(1)}× for 8× the input (${a.work} → ${b.work}); top: ${worst.join(', ')}`);
      });
    }
  });
});
