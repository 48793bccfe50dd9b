/**
 * The architecture's own rules, checked on the source: rules see launches and
 * views, never a reader or writer (so a new source works with every rule);
 * no cast through `unknown` hides a shape from the type checker; no import
 * cycle; no file in server/src grows past 600 lines.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../fuzz/lib';

const SRC = path.join(ROOT, 'server', 'src');

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Relative imports of a file, resolved to absolute paths without extension. */
function importsOf(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  const visit = (n: ts.Node) => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const spec = n.moduleSpecifier.text;
      if (spec.startsWith('.')) out.push(path.resolve(path.dirname(file), spec));
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

const files = listTs(SRC);

describe('architecture', () => {
  it('no rule module imports a reader, a writer or the option grammar', () => {
    const rulesDir = path.join(SRC, 'engine', 'rules');
    const bad: string[] = [];
    for (const f of files.filter((x) => x.startsWith(rulesDir + path.sep))) {
      for (const imp of importsOf(f)) {
        const rel = path.relative(path.join(SRC, 'engine'), imp);
        if (rel.startsWith('sources') || rel === 'dockercli') bad.push(`${path.relative(ROOT, f)} imports ${rel}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('no cast through unknown in server/src', () => {
    const bad = files.filter((f) => /\bas unknown as\b/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f));
    assert.deepEqual(bad, []);
  });

  it('no test reads outside the repository (the corpus has its copy in test/corpus)', () => {
    const tests = listTs(path.join(ROOT, 'test')).filter((f) => !f.includes(`${path.sep}corpus${path.sep}`) && !f.includes(`${path.sep}fixtures${path.sep}`));
    const outside = /['"]\.\.['"],\s*['"]shared['"]|\.\.\/shared\//;
    const bad = tests.filter((f) => f !== __filename.replace(/\.js$/, '.ts').replace(`${path.sep}out${path.sep}`, path.sep) && outside.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(ROOT, f));
    assert.deepEqual(bad, []);
  });

  it('no file in server/src over 600 lines', () => {
    const long = files.map((f) => [path.relative(ROOT, f), fs.readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 600);
    assert.deepEqual(long, []);
  });

  it('no import cycle in server/src', () => {
    const graph = new Map(files.map((f) => [f.replace(/\.ts$/, ''), importsOf(f).map((i) => (fs.existsSync(i + '.ts') ? i : path.join(i, 'index')))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (n: string, trail: string[]) => {
      if (state.get(n) === 'done') return;
      if (state.get(n) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(n)), n].map((x) => path.relative(SRC, x)).join(' -> '));
        return;
      }
      state.set(n, 'open');
      for (const m of graph.get(n) ?? []) walk(m, [...trail, n]);
      state.set(n, 'done');
    };
    for (const n of graph.keys()) walk(n, []);
    assert.deepEqual(cycles, []);
  });
});
