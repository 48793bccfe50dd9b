/**
 * The grammar facts that let the shell reader (server/src/engine/sources/shellTree.ts)
 * skip parts of a tree without syntax errors, checked against tree-sitter-bash's
 * node-types.json and grammar.json so that a grammar update that breaks one fails here.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import { EXPRESSIONS, NOT_ARGUMENTS, TOKENS } from '../../server/src/engine/sources/shellTree';

// ------------------------------------------------------------ the grammar facts behind the shortcuts

interface TypeInfo {
  type: string;
  named: boolean;
  subtypes?: Array<{ type: string; named: boolean }>;
  fields?: Record<string, { types: Array<{ type: string; named: boolean }> }>;
  children?: { types: Array<{ type: string; named: boolean }> };
}

const GRAMMAR_DIR = path.join(path.dirname(require.resolve('tree-sitter-bash/package.json')), 'src');
const NODE_TYPES: TypeInfo[] = JSON.parse(fs.readFileSync(path.join(GRAMMAR_DIR, 'node-types.json'), 'utf8'));
const byType = new Map(NODE_TYPES.filter((t) => t.named).map((t) => [t.type, t]));

/** The types of a list, supertypes expanded. */
function expand(xs: Array<{ type: string; named: boolean }>): string[] {
  return xs.flatMap((x) => (x.named && byType.get(x.type)?.subtypes ? expand(byType.get(x.type)!.subtypes!) : [x.type]));
}

/** Named types a node of type t may have as a child. */
function namedKids(t: string): Set<string> {
  const d = byType.get(t);
  const all = [...Object.values(d?.fields ?? {}).flatMap((f) => f.types), ...(d?.children?.types ?? [])].filter((x) => x.named);
  return new Set(expand(all));
}

/** What the reader reads. */
const TARGETS = new Set(['command', 'pipeline', 'redirected_statement', 'heredoc_redirect', 'variable_assignment', 'declaration_command']);
/** Types whose text starts with `(`, a backquote or a `{` (checked below). */
const BARRIERS = ['command_substitution', 'process_substitution', 'subshell', 'compound_statement', 'parenthesized_expression'];

/** Named types from which a target can be reached without passing through one of `through`. */
function reaching(through: Set<string>): Set<string> {
  const types = [...byType.keys()].filter((t) => !byType.get(t)!.subtypes);
  const out = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const t of types) {
      if (!out.has(t) && [...namedKids(t)].some((k) => TARGETS.has(k) || (!through.has(k) && out.has(k)))) {
        out.add(t);
        changed = true;
      }
    }
  }
  return out;
}

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
    case 'SYMBOL':
      if (!GRAMMAR.rules[r.name!] || seen.has(r.name!)) return false;
      seen.add(r.name!);
      return nullable(GRAMMAR.rules[r.name!], seen);
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
    case 'SYMBOL':
      if (!GRAMMAR.rules[r.name!]) return new Set(['?']);
      if (seen.has(r.name!)) return new Set();
      seen.add(r.name!);
      return firstTokens(GRAMMAR.rules[r.name!], seen);
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

describe('shell reader: the grammar facts behind its shortcuts', () => {
  it('TOKENS have no named children', () => {
    for (const t of TOKENS) {
      assert.ok(byType.has(t), `${t} is a named type of the grammar`);
      assert.deepEqual([...namedKids(t)], [], t);
    }
  });

  it('EXPRESSIONS hold what the reader reads only inside substitutions, subshells, groups and arithmetic parentheses', () => {
    const reach = reaching(new Set(BARRIERS));
    for (const t of EXPRESSIONS) {
      assert.ok(byType.has(t), `${t} is a named type of the grammar`);
      assert.ok(!reach.has(t), `${t} can reach a command without a substitution, a subshell or a group`);
    }
  });

  it('those start with `(`, a backquote or `{`; the parts of a string that are not text start with `$` or a backquote', () => {
    for (const t of BARRIERS) {
      for (const r of rulesOf(t)) for (const tok of firstTokens(r)) assert.match(tok, /[(`{]/, `${t} may start with ${tok}`);
    }
    for (const t of namedKids('string')) {
      if (t === 'string_content') continue;
      for (const r of rulesOf(t)) for (const tok of firstTokens(r)) assert.match(tok, /^[$`]/, `${t} may start with ${tok}`);
    }
  });

  it("a command's named children: the field follows from the type (NOT_ARGUMENTS)", () => {
    const command = byType.get('command')!;
    assert.deepEqual(Object.keys(command.fields!).sort(), ['argument', 'name', 'redirect']);
    assert.deepEqual(expand(command.fields!.name.types), ['command_name']);
    const others = new Set([...expand(command.fields!.redirect.types), ...expand(command.children!.types), 'command_name', 'comment']);
    assert.deepEqual([...others].sort(), [...NOT_ARGUMENTS].sort());
    for (const a of expand(command.fields!.argument.types)) assert.ok(!NOT_ARGUMENTS.has(a), `${a} is an argument`);
  });
});
