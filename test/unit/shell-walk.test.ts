/**
 * The shell reader's tree walk skips parts of trees without syntax errors
 * (server/src/engine/sources/shell.ts: OPAQUE_TYPES, SHALLOW_TYPES, the fields
 * of a command's children). Checked two ways:
 *   - the lists against the grammar (tree-sitter-bash's node-types.json and
 *     grammar.json), so a grammar update that breaks them fails here;
 *   - the reading with the shortcuts against the full walk, on the fixtures,
 *     the corpus, a generated script and random valid shell.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  COMMAND_ANONYMOUS_ARGUMENTS, COMMAND_NON_ARGUMENTS, OPAQUE_TYPES, readShell, SHALLOW_TYPES, setWalkShortcuts, ShellModel,
} from '../../server/src/engine/sources/shell';
import { CORPUS, FIXTURES, init, listFixtures, ROOT } from './helpers';

interface NodeType {
  type: string;
  named: boolean;
  subtypes?: Array<{ type: string; named: boolean }>;
  fields?: Record<string, { types: Array<{ type: string; named: boolean }> }>;
  children?: { types: Array<{ type: string; named: boolean }> };
}

const GRAMMAR_DIR = path.join(path.dirname(require.resolve('tree-sitter-bash/package.json')), 'src');
const NODE_TYPES: NodeType[] = JSON.parse(fs.readFileSync(path.join(GRAMMAR_DIR, 'node-types.json'), 'utf8'));
const byType = new Map(NODE_TYPES.filter((t) => t.named).map((t) => [t.type, t]));

/** Named types a node of type t may have as a child (supertypes expanded). */
function namedKids(t: string): Set<string> {
  const out = new Set<string>();
  const add = (x: { type: string; named: boolean }) => {
    if (!x.named) return;
    const d = byType.get(x.type);
    if (d?.subtypes) for (const s of d.subtypes) add(s);
    else out.add(x.type);
  };
  const d = byType.get(t);
  for (const f of Object.values(d?.fields ?? {})) for (const x of f.types) add(x);
  for (const x of d?.children?.types ?? []) add(x);
  return out;
}

/** What the walk reads. */
const TARGETS = new Set(['command', 'pipeline', 'heredoc_redirect', 'variable_assignment']);
/** Types whose text starts with `(`, a backquote or `{` (checked below against grammar.json). */
const BARRIERS = ['command_substitution', 'process_substitution', 'subshell', 'compound_statement', 'parenthesized_expression'];

/** Named types from which a target can be reached without passing through one of `through`. */
function reaching(through: Set<string>): Set<string> {
  const types = [...byType.keys()].filter((t) => !byType.get(t)!.subtypes);
  const out = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of types) {
      if (out.has(t)) continue;
      if ([...namedKids(t)].some((k) => TARGETS.has(k) || (!through.has(k) && out.has(k)))) {
        out.add(t);
        changed = true;
      }
    }
  }
  return out;
}

// ------------------------------------------------------------ grammar.json: first tokens of a rule

interface Rule {
  type: string;
  value?: string | number;
  name?: string;
  named?: boolean;
  content?: Rule;
  members?: Rule[];
}
const GRAMMAR: { rules: Record<string, Rule> } = JSON.parse(fs.readFileSync(path.join(GRAMMAR_DIR, 'grammar.json'), 'utf8'));

function nullable(r: Rule, seen = new Set<string>()): boolean {
  switch (r.type) {
    case 'BLANK':
    case 'REPEAT':
      return true;
    case 'CHOICE':
      return r.members!.some((m) => nullable(m, seen));
    case 'SEQ':
      return r.members!.every((m) => nullable(m, seen));
    case 'SYMBOL': {
      const rule = GRAMMAR.rules[r.name!];
      if (!rule || seen.has(r.name!)) return false;
      seen.add(r.name!);
      return nullable(rule, seen);
    }
    case 'STRING':
    case 'PATTERN':
      return false;
    default:
      return r.content ? nullable(r.content, seen) : false;
  }
}

/** The tokens a rule can start with; '?' for one that is not a literal string (pattern, external). */
function firstTokens(r: Rule, seen = new Set<string>()): Set<string> {
  switch (r.type) {
    case 'STRING':
      return new Set([String(r.value)]);
    case 'PATTERN':
      return new Set(['?']);
    case 'BLANK':
      return new Set();
    case 'CHOICE':
      return new Set(r.members!.flatMap((m) => [...firstTokens(m, seen)]));
    case 'SEQ': {
      const out = new Set<string>();
      for (const m of r.members!) {
        for (const x of firstTokens(m, seen)) out.add(x);
        if (!nullable(m)) break;
      }
      return out;
    }
    case 'SYMBOL': {
      const rule = GRAMMAR.rules[r.name!];
      if (!rule) return new Set(['?']);
      if (seen.has(r.name!)) return new Set();
      seen.add(r.name!);
      return firstTokens(rule, seen);
    }
    default:
      return r.content ? firstTokens(r.content, seen) : new Set(['?']);
  }
}

/** Every rule that produces nodes of a type: its own, and those aliased to it. */
function rulesOf(type: string): Rule[] {
  const out: Rule[] = GRAMMAR.rules[type] ? [GRAMMAR.rules[type]] : [];
  const visit = (r: Rule) => {
    if (r.type === 'ALIAS' && r.named && r.value === type) out.push(r.content!);
    if (r.content) visit(r.content);
    for (const m of r.members ?? []) visit(m);
  };
  for (const r of Object.values(GRAMMAR.rules)) visit(r);
  return out;
}

describe('shell walk: shortcuts against the grammar', () => {
  it('OPAQUE_TYPES hold nothing the walk reads', () => {
    const reach = reaching(new Set());
    for (const t of OPAQUE_TYPES) {
      assert.ok(byType.has(t), `${t} is a named type of the grammar`);
      assert.ok(!reach.has(t), `${t} can hold ${[...namedKids(t)].join(', ')}`);
    }
  });

  it('SHALLOW_TYPES hold what the walk reads only inside substitutions, subshells, groups and arithmetic parentheses', () => {
    const reach = reaching(new Set(BARRIERS));
    for (const t of SHALLOW_TYPES) {
      assert.ok(byType.has(t), `${t} is a named type of the grammar`);
      assert.ok(!reach.has(t), `${t} can reach a command without a substitution, a subshell or a group`);
    }
  });

  it('those start with `(`, a backquote or `{`', () => {
    for (const t of BARRIERS) {
      const rules = rulesOf(t);
      assert.ok(rules.length, t);
      for (const r of rules) {
        for (const tok of firstTokens(r)) assert.match(tok, /[(`{]/, `${t} may start with ${tok}`);
      }
    }
  });

  it("a command's children: the field follows from the type", () => {
    const command = byType.get('command')!;
    const expand = (xs: Array<{ type: string; named: boolean }>): string[] =>
      xs.flatMap((x) => (x.named && byType.get(x.type)?.subtypes ? expand(byType.get(x.type)!.subtypes!) : [x.type]));
    const args = expand(command.fields!.argument.types);
    const anonymousArgs = command.fields!.argument.types.filter((x) => !x.named).map((x) => x.type);
    assert.deepEqual([...anonymousArgs].sort(), [...COMMAND_ANONYMOUS_ARGUMENTS].sort());
    assert.deepEqual(expand(command.fields!.name.types), ['command_name']);
    const others = [...expand(command.fields!.redirect.types), ...expand(command.children!.types), 'command_name', 'comment'];
    assert.deepEqual([...new Set(others)].sort(), [...COMMAND_NON_ARGUMENTS].sort());
    for (const a of args) assert.ok(!COMMAND_NON_ARGUMENTS.includes(a), `${a} is an argument`);
    assert.deepEqual(Object.keys(command.fields!).sort(), ['argument', 'name', 'redirect']);
  });
});

// ------------------------------------------------------------ same reading with and without the shortcuts

/** The model as JSON, commands referred to by index (pipeTo, substitutions, launch refs). */
function serialize(m: ShellModel): string {
  const index = new Map(m.commands.map((c, i) => [c as object, i]));
  return JSON.stringify(m, function (this: unknown, _k: string, v: unknown) {
    if (typeof v === 'function') return 'fn';
    if (v && typeof v === 'object' && index.has(v) && this !== m.commands) return `#${index.get(v)}`;
    return v;
  });
}

function agree(text: string, label: string): void {
  setWalkShortcuts(true);
  const fast = serialize(readShell(text));
  setWalkShortcuts(false);
  try {
    assert.equal(fast, serialize(readShell(text)), label);
  } finally {
    setWalkShortcuts(true);
  }
}

/** Shell scripts and Dockerfiles under a folder. */
function files(dir: string): string[] {
  return listFixtures(dir).filter((p) => /\.(sh|bash)$|Dockerfile|dockerfile/.test(path.basename(p)));
}

/** Random shell that parses without errors, rich in what the shortcuts skip. */
function validShell(): fc.Arbitrary<string> {
  const name = fc.constantFrom('a', 'HOME', 'OPTS', 'x_1', 'DOCKER_OPTS', 'arr');
  const lit = fc.constantFrom('run', '-d', '--privileged', '-v', '/:/h', 'ubuntu', '~/x', 'a\\ b', 'x=1', '--net=host', '{a,b}', '12', '0x1f', '*.sh', '-c');
  const leaf = fc.oneof(
    lit,
    name.map((n) => `$${n}`),
    name.map((n) => `\${${n}}`),
    name.map((n) => `\${${n}:-d}`),
    name.map((n) => `\${${n}[@]}`),
    fc.constantFrom('$@', '"$@"', '$*', '$1', "'raw $x'", "$'a\\'b'", '"{{.State}}"', '""', '"a\\"b"', '"x\\\\"', '"#x"', '"$"', '"a$"'),
    fc.constantFrom('"a\nb"', '"a\\\\\nb"', '"a\\\nb"', '${x:-$(y)}', '${x:-`y`}', '"${a[$(i)]}"', '${a[{ echo i; }]}', '$(( $(n) + 1 ))', '0x1#$(b)'),
  );
  const word: fc.Arbitrary<string> = fc.letrec((tie) => ({
    w: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(fc.oneof(leaf, tie('sub') as fc.Arbitrary<string>), { minLength: 1, maxLength: 3 }).map((p) => `"${p.join(' ').replace(/"/g, '')}"`),
      fc.tuple(leaf, leaf).map(([a, b]) => `${a.replace(/"/g, '')}${b.replace(/"/g, '')}`),
      tie('sub') as fc.Arbitrary<string>,
    ),
    sub: fc.oneof(
      fc.array(tie('w') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).map((ws) => `$(echo ${ws.join(' ')})`),
      fc.array(tie('w') as fc.Arbitrary<string>, { minLength: 1, maxLength: 2 }).map((ws) => `<(cat ${ws.join(' ')})`),
      fc.constantFrom('$((1 + 2))', '`date`', '$(( a = 1 ))'),
    ),
  })).w;
  const prog = fc.constantFrom('docker', 'sudo docker', 'env A=1 docker', 'sh -c', 'bash -c', 'echo', 'cat', 'nice -n 5 podman', '/usr/bin/docker');
  const command = fc.tuple(fc.option(fc.constantFrom('A=1 ', 'B=$(x) ', 'C="$d" ')), prog, fc.array(word, { maxLength: 6 }), fc.option(fc.constantFrom(' >/dev/null', ' 2>&1', ' <<< "$x"', ' > "$f"')))
    .map(([pre, p, ws, r]) => `${pre ?? ''}${p} ${ws.join(' ')}${r ?? ''}`);
  const statement = fc.oneof(
    command,
    fc.array(command, { minLength: 2, maxLength: 3 }).map((cs) => cs.join(' | ')),
    fc.tuple(command, command).map(([a, b]) => `${a} && ${b}`),
    fc.tuple(word, command).map(([w, c]) => `if [[ ${w} == "x" ]]; then ${c}; fi`),
    fc.tuple(command).map(([c]) => `for i in a b; do ${c}; done`),
    fc.tuple(name, word).map(([n, w]) => `export ${n}=${w}`),
    fc.tuple(name, word).map(([n, w]) => `local ${n}=${w}`),
    fc.tuple(name, word).map(([n, w]) => `${n}=${w}`),
    fc.tuple(command).map(([c]) => `f() { ${c}; }`),
    fc.tuple(command).map(([c]) => `( ${c} )`),
    fc.tuple(command).map(([c]) => `cat <<EOF | ${c}\nline $x $(date)\nEOF`),
    fc.tuple(command).map(([c]) => `${c} # comment`),
  );
  return fc.array(statement, { minLength: 1, maxLength: 6 }).map((ss) => ss.join('\n') + '\n');
}

describe('shell walk: the shortcuts change nothing', () => {
  before(() => init());
  after(() => setWalkShortcuts(true));

  it('on the fixtures and the corpus', () => {
    for (const f of [...files(FIXTURES), ...files(CORPUS)]) agree(fs.readFileSync(f, 'utf8'), path.relative(ROOT, f));
  });

  it('on a generated script', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { generate } = require(path.join(ROOT, 'test', 'bench', 'generate.js')) as { generate: (kind: string, lines: number) => string };
    agree(generate('shell', 1000), 'generated shell');
  });

  it('on random valid shell', () => {
    fc.assert(
      fc.property(validShell(), (text) => agree(text, text)),
      { seed: 20261130, numRuns: 400 },
    );
  });
});
