/**
 * The long fuzz campaign: `npm run fuzz`.
 *
 *   FUZZ_CASES=100000   total generated cases, shared by the properties by weight
 *   FUZZ_SEED=1         base seed (chunk i of property p runs with seed FUZZ_SEED + p*1e6 + i)
 *   FUZZ_CHUNK=500      cases per fast-check run (a failure ends its chunk, not the campaign)
 *   FUZZ_SLOW_MS=2000   a single analysis slower than this is reported as pathological
 *   FUZZ_REPORT=out/fuzz-report.json
 *   FUZZ_ONLY=name      run only properties whose name contains this
 *   FUZZ_EXHAUSTIVE=0   skip the exhaustive fix-safety pass and the scaling table
 *
 * Besides the generated cases it runs, once: fix safety on every corpus file and
 * fixture with every fix tried (no sampling), and a scaling table (regex work and
 * time for inputs 1×…256×). Properties take turns chunk by chunk; Ctrl-C (or
 * SIGTERM) stops after the current chunk and still prints the summary and report.
 * Exit code 1 when any property failed.
 * Reproduce a failure: FUZZ_ONLY=<property> FUZZ_SEED=<seed> FUZZ_CHUNK=<n>, or
 * use the printed counterexample directly with applyMutations().
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { analyze, applyEdits, harden, initEngine, SourceKind } from '../../server/src/engine';
import {
  applyMutations, checkAnalyze, checkFixSafety, checkResult, corpusSamples, fixtureSamples, initParsers, KINDS, mutantArb, NAME_FOR, readSibling, regexWork, ROOT,
  Sample, scaledInput, syntaxErrorsFor, textArb, Timed, triage, UNITS,
} from './lib';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const TOTAL = env('FUZZ_CASES', 100_000);
const SEED = env('FUZZ_SEED', 1);
const CHUNK = env('FUZZ_CHUNK', 500);
const SLOW_MS = env('FUZZ_SLOW_MS', 2000);
const REPORT = process.env.FUZZ_REPORT ?? path.join(ROOT, 'out', 'fuzz-report.json');
const ONLY = process.env.FUZZ_ONLY;

interface Property {
  name: string;
  what: string;
  weight: number;
  arb: () => fc.Arbitrary<unknown>;
  check: (input: unknown, timing: Timed[]) => string[];
}

/** Hits of bugs already known (KNOWN_PROBLEMS), by bug. */
const knownHits: Record<string, number> = {};
function fresh(text: string, problems: string[]): string[] {
  const t = triage(text, problems);
  for (const k of t.known) knownHits[k] = (knownHits[k] ?? 0) + 1;
  return t.fresh;
}

function fail(problems: string[]): void {
  if (problems.length) throw new Error(problems.join('\n'));
}

function properties(corpus: Sample[], fixtures: Sample[]): Property[] {
  const props: Property[] = [];
  for (const kind of KINDS) {
    props.push({
      name: `analyze-arbitrary-${kind}`,
      what: `arbitrary text and token soup read as ${kind}: no throw, no internal error, findings/fixes inside the text, disjoint edits`,
      weight: 1,
      arb: () => textArb(600),
      check: (text, timing) => fresh(text as string, checkAnalyze(text as string, { kind, fileName: NAME_FOR[kind] }, timing, Math.random() < 0.1)),
    });
  }
  props.push({
    name: 'analyze-arbitrary-names',
    what: 'arbitrary text under arbitrary file names (kind detection)',
    weight: 0.5,
    arb: () => fc.tuple(textArb(300), fc.oneof(fc.constantFrom('Dockerfile', 'a.Dockerfile', 'compose.yml', 'docker-compose.x.yaml', 'x.bash', 'noext', ''), fc.string({ maxLength: 30 }))),
    check: (input, timing) => {
      const [text, name] = input as [string, string];
      return fresh(text, checkAnalyze(text, { fileName: name || undefined }, timing, false));
    },
  });
  props.push({
    name: 'analyze-mutated-corpus',
    what: 'corpus files mutated (delete/duplicate/swap lines, truncate, flip bytes and chars, indentation, CRLF/CR/LF, BOM, NUL, long lines, deep nesting): well-formed analysis',
    weight: 4,
    arb: () => mutantArb(corpus, 6, 50000, 2000),
    check: (input, timing) => {
      const { sample, mutations } = input as { sample: number; mutations: never[] };
      const s = corpus[sample];
      const text = applyMutations(s.text, mutations);
      return fresh(text, checkAnalyze(text, { fileName: s.file, readFile: readSibling }, timing, Math.random() < 0.1)).map((p) => `${path.basename(s.file)}: ${p}`);
    },
  });
  props.push({
    name: 'fixes-on-mutants',
    what: 'fixes offered on mutated corpus files apply cleanly (disjoint, inside) and the result analyses without internal error',
    weight: 1.5,
    arb: () => mutantArb(corpus, 4, 5000, 100),
    check: (input, timing) => {
      const { sample, mutations } = input as { sample: number; mutations: never[] };
      const s = corpus[sample];
      const text = applyMutations(s.text, mutations);
      const opts = { fileName: s.file, readFile: readSibling };
      const t0 = performance.now();
      const r = analyze(text, opts);
      timing.push({ ms: performance.now() - t0, chars: text.length, label: `fixes-on-mutants ${path.basename(s.file)}` });
      const problems = fresh(text, checkResult(text, r));
      const fixes = r.findings.flatMap((f) => f.fixes.map((x) => ({ f, x })));
      for (let i = 0; i < Math.min(4, fixes.length); i++) {
        const { f, x } = fixes[Math.floor((i * fixes.length) / 4)];
        let out: string;
        try {
          out = applyEdits(text, x.edits);
        } catch (e) {
          problems.push(`${f.ruleId} "${x.title}": ${(e as Error).message}`);
          continue;
        }
        const again = analyze(out, opts);
        if (again.internalErrors.length) problems.push(`${f.ruleId} "${x.title}": internal error after the fix: ${again.internalErrors[0].split('\n')[0]}`);
      }
      return problems.map((p) => `${path.basename(s.file)}: ${p}`);
    },
  });
  props.push({
    name: 'harden-mutated-fixtures',
    what: 'harden() on mutated fixtures (pending/ excluded): never throws, output well-formed, idempotent',
    weight: 1.5,
    arb: () => mutantArb(fixtures, 3, 5000, 100),
    check: (input, timing) => {
      const { sample, mutations } = input as { sample: number; mutations: never[] };
      const s = fixtures[sample];
      const text = applyMutations(s.text, mutations);
      const opts = { fileName: s.file, readFile: readSibling };
      const t0 = performance.now();
      const once = harden(text, opts);
      timing.push({ ms: performance.now() - t0, chars: text.length, label: `harden ${path.basename(s.file)}` });
      const problems = fresh(once.text, checkResult(once.text, analyze(once.text, opts)));
      const twice = harden(once.text, opts);
      if (twice.text !== once.text) problems.push(`harden not idempotent: second pass applied ${twice.appliedRules.join(', ')}`);
      return problems.map((p) => `${path.relative(ROOT, s.file)}: ${p}`);
    },
  });
  return props.filter((p) => !ONLY || p.name.includes(ONLY));
}

interface Failure {
  property: string;
  seed: number;
  numRuns: number;
  path?: string;
  counterexample: string;
  error: string;
}

function fmtMs(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const started = Date.now();
  await initEngine();
  await initParsers();
  const corpus = corpusSamples();
  const fixtures = fixtureSamples().filter((s) => !/[\\/]pending[\\/]/.test(s.file));
  const props = properties(corpus, fixtures);
  const weight = props.reduce((n, p) => n + p.weight, 0);
  console.log(`fuzz: ${TOTAL} cases over ${props.length} properties, base seed ${SEED}, ${corpus.length} corpus files, ${fixtures.length} fixtures`);

  const failures: Failure[] = [];
  const timing: Timed[] = [];
  const perProperty: Record<string, { cases: number; failures: number; ms: number }> = {};
  // Cases per property by weight; the rounding remainder goes to the last one, so they add up to TOTAL.
  const targets = props.map((p) => Math.max(1, Math.floor((TOTAL * p.weight) / weight)));
  targets[targets.length - 1] += Math.max(0, TOTAL - targets.reduce((n, t) => n + t, 0));
  let done = 0;
  let inputChars = 0;
  const slow: Array<Timed & { property: string; seed: number }> = [];
  /** Whole cases (all checks of one input) slower than FUZZ_SLOW_MS / 4, with the input. */
  const slowInputs: Array<{ property: string; seed: number; ms: number; input: string }> = [];

  // Interleaved: the property furthest behind its target runs the next chunk, so an
  // interrupted campaign (Ctrl-C, SIGTERM) has covered every property in proportion.
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
    console.log('\ninterrupted: finishing the current chunk, then the summary (again to quit now)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const chunks = props.map(() => 0);
  for (const p of props) perProperty[p.name] = { cases: 0, failures: 0, ms: 0 };
  while (!stop) {
    // Let the event loop run between chunks, or a signal would never be seen.
    await new Promise((r) => setImmediate(r));
    if (stop) break;
    let pi = -1;
    for (let i = 0; i < props.length; i++) {
      const st = perProperty[props[i].name];
      if (st.cases >= targets[i]) continue;
      if (pi < 0 || st.cases / targets[i] < perProperty[props[pi].name].cases / targets[pi]) pi = i;
    }
    if (pi < 0) break;
    const p = props[pi];
    const stat = perProperty[p.name];
    const target = targets[pi];
    const t0 = Date.now();
    const chunk = chunks[pi]++;
    {
      const numRuns = Math.min(CHUNK, target - stat.cases);
      const seed = SEED + pi * 1_000_000 + chunk;
      const local: Timed[] = [];
      const result = fc.check(
        fc.property(p.arb(), (input) => {
          const c0 = performance.now();
          try {
            fail(p.check(input, local));
          } finally {
            const ms = performance.now() - c0;
            if (ms > SLOW_MS / 4) slowInputs.push({ property: p.name, seed, ms: Math.round(ms), input: JSON.stringify(input).slice(0, 600) });
          }
        }),
        { seed, numRuns, endOnFailure: true },
      );
      for (const t of local) {
        inputChars += t.chars;
        if (t.ms > SLOW_MS) slow.push({ ...t, property: p.name, seed });
      }
      timing.push(...local);
      stat.cases += result.numRuns;
      done += result.numRuns;
      if (result.failed) {
        stat.failures++;
        const err = result.errorInstance instanceof Error ? (result.errorInstance.message || String(result.errorInstance)) : String(result.errorInstance);
        const ce = JSON.stringify(result.counterexample);
        failures.push({ property: p.name, seed, numRuns, path: result.counterexamplePath ?? undefined, counterexample: ce.length > 4000 ? ce.slice(0, 4000) + '…' : ce, error: err.split('\n').slice(0, 12).join('\n') });
        console.log(`  ✖ ${p.name}: seed ${seed} path ${result.counterexamplePath}: ${err.split('\n')[0].slice(0, 300)}`);
      }
      const elapsed = (Date.now() - started) / 1000;
      process.stdout.write(`  ${p.name.padEnd(28)} ${String(stat.cases).padStart(7)}/${target}  total ${done}/${TOTAL}  ${elapsed.toFixed(0)} s  failures ${failures.length}\n`);
    }
    stat.ms += Date.now() - t0;
  }

  // Keep what the generated cases found even if a later phase fails.
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, JSON.stringify({ phase: 'generated', seed: SEED, cases: done, perProperty, failures, knownBugHits: knownHits, slow, slowInputs }, null, 2));

  // Exhaustive fix safety: every fix of every finding, corpus and fixtures.
  const exhaustive = !stop && process.env.FUZZ_EXHAUSTIVE !== '0';
  if (exhaustive) console.log('fix safety, every fix, corpus + fixtures …');
  const fixStats = { files: 0, fixes: 0, problems: [] as string[] };
  for (const s of exhaustive ? [...corpusSamples(), ...fixtureSamples()] : []) {
    fixStats.files++;
    const pending = /[\\/]pending[\\/]/.test(s.file);
    let problems: string[];
    try {
      problems = checkFixSafety(s.text, { fileName: s.file, readFile: readSibling }, syntaxErrorsFor(s.kind), { stats: fixStats });
    } catch (e) {
      problems = [`checker threw: ${(e as Error).stack ?? e}`];
    }
    for (const pr of problems) fixStats.problems.push(`${path.relative(ROOT, s.file)}${pending ? ' (pending, known)' : ''}: ${pr}`);
  }
  console.log(`  ${fixStats.files} files, ${fixStats.fixes} fixes applied and re-checked, ${fixStats.problems.length} problems`);
  for (const pr of fixStats.problems.slice(0, 30)) console.log(`  - ${pr}`);

  // Scaling: regex work and time for 1×…64× inputs of each kind.
  console.log('scaling (regex work counted; time measured, not asserted) …');
  const scaling: Array<{ kind: SourceKind; k: number; chars: number; findings: number; work: number; ms: number }> = [];
  for (const kind of stop ? [] : KINDS) {
    for (const k of [1, 4, 16, 64, 256]) {
      const text = scaledInput(kind, UNITS[kind], k);
      const t0 = performance.now();
      const w = regexWork(() => analyze(text, { kind, fileName: NAME_FOR[kind] }));
      scaling.push({ kind, k, chars: text.length, findings: w.value.findings.length, work: w.work, ms: Math.round(performance.now() - t0) });
    }
  }
  for (const s of scaling) console.log(`  ${s.kind.padEnd(10)} ×${String(s.k).padEnd(4)} ${String(s.chars).padStart(8)} chars  ${String(s.findings).padStart(6)} findings  regex work ${String(s.work).padStart(12)} (${(s.work / s.chars).toFixed(1)}/char)  ${fmtMs(s.ms)}`);

  timing.sort((a, b) => b.ms - a.ms);
  const totalMs = timing.reduce((n, t) => n + t.ms, 0);
  const report = {
    date: new Date().toISOString(),
    seed: SEED,
    cases: done,
    properties: props.map((p) => ({ name: p.name, what: p.what, ...perProperty[p.name] })),
    analyses: timing.length,
    inputChars,
    meanMs: timing.length ? totalMs / timing.length : 0,
    slowest: timing.slice(0, 10),
    slow,
    slowInputs: slowInputs.sort((a, b) => b.ms - a.ms).slice(0, 50),
    failures,
    knownBugHits: knownHits,
    fixSafety: { files: fixStats.files, fixes: fixStats.fixes, problems: fixStats.problems },
    scaling,
    seconds: Math.round((Date.now() - started) / 1000),
    interrupted: stop,
  };
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, JSON.stringify(report, null, 2));

  console.log('\nsummary');
  console.log(`  properties checked: ${props.length} generated + fix safety (exhaustive) + scaling`);
  console.log(`  cases run: ${done} (${timing.length} timed analyses, ${(inputChars / 1e6).toFixed(1)} M characters of input)`);
  console.log(`  analysis time: mean ${timing.length ? (totalMs / timing.length).toFixed(1) : 0} ms, slowest ${timing.slice(0, 3).map((t) => `${fmtMs(t.ms)} (${t.chars} chars, ${t.label})`).join(', ')}`);
  console.log(`  pathologically slow (> ${SLOW_MS} ms): ${slow.length}; slowest whole cases:`);
  for (const x of slowInputs.slice(0, 5)) console.log(`    ${fmtMs(x.ms)} ${x.property} seed ${x.seed}: ${x.input.slice(0, 200)}`);
  console.log(`  fix safety: ${fixStats.fixes} fixes on ${fixStats.files} files, ${fixStats.problems.length} problems`);
  console.log(`  known bugs hit (not counted as failures): ${Object.entries(knownHits).map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'}`);
  console.log(`  failures: ${failures.length}`);
  for (const f of failures) console.log(`    ${f.property} seed=${f.seed} numRuns=${f.numRuns} path=${f.path}\n      ${f.error.split('\n')[0].slice(0, 400)}\n      counterexample: ${f.counterexample.slice(0, 400)}`);
  console.log(`  report: ${path.relative(process.cwd(), REPORT)} (${report.seconds} s)`);
  const fixFailures = fixStats.problems.filter((p) => !p.includes('(pending, known)'));
  return failures.length || fixFailures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
