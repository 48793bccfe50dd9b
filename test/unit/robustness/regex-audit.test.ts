/**
 * Linear-time patterns, checked structurally: every regular expression in
 * server/src is read with the TypeScript parser, and any with a nested
 * unbounded quantifier (`(a+)*`, `(?:x\s+)+`, the shape behind catastrophic
 * backtracking) must be in REVIEWED below with the reason it cannot backtrack
 * exponentially (each repetition starts with a character the previous one
 * cannot consume). `new RegExp(...)` built from user text is not allowed.
 * A new pattern of that shape fails this test until someone reviews it.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { ROOT } from '../../fuzz/lib';

const REVIEWED: Record<string, string> = {
  '/^#!\\s*(?:\\/usr)?\\/bin\\/(?:env\\s+(?:-\\S+\\s+)*)?(?:sh|bash|zsh|dash|ksh|ash|mksh)\\b/':
    'each repetition is "-" + non-spaces + spaces: a token boundary is unambiguous; run on the first 256 characters only',
  '/^\\s*(#.*\\n\\s*)*(FROM|ARG)\\s/i': 'each repetition starts with "#" and .* stops at the newline; \\s* cannot eat "#"; first 256 characters only',
  '/^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/': 'each repetition starts with one of -+= which the inner class excludes; applied to one chmod mode word',
  '/^\\s*(?:(?:\\/\\S*\\/)?(?:ba|da|z|a)?sh(?:\\s+-\\S+)*\\s+)?<<-?\\s*["\']?[A-Za-z_]/':
    'each repetition is spaces + "-" + non-spaces: splits only at whitespace boundaries (at most quadratic in one line, not exponential)',
};

function listTs(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** True when a group that contains an unbounded quantifier is itself repeated without bound. */
export function hasNestedQuantifier(body: string): boolean {
  const stack: Array<{ inner: boolean }> = [];
  const unbounded = (s: string) => /^(?:[*+]|\{\d*,\})/.test(s);
  const mark = () => {
    if (stack.length) stack[stack.length - 1].inner = true;
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === '\\') {
      i += 2;
      if (unbounded(body.slice(i))) mark();
      continue;
    }
    if (c === '[') {
      i++;
      if (body[i] === ']') i++;
      while (i < body.length && body[i] !== ']') i += body[i] === '\\' ? 2 : 1;
      i++;
      if (unbounded(body.slice(i))) mark();
      continue;
    }
    if (c === '(') {
      stack.push({ inner: false });
      i++;
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      i++;
      const q = unbounded(body.slice(i));
      if (g?.inner && q) return true;
      if (g?.inner || q) mark();
      continue;
    }
    if (c === '*' || c === '+' || (c === '{' && /^\{\d*,\}/.test(body.slice(i)))) mark();
    i++;
  }
  return false;
}

describe('regular expressions in the engine', () => {
  const found: Array<{ where: string; text: string }> = [];
  const dynamic: string[] = [];
  for (const file of listTs(path.join(ROOT, 'server', 'src'))) {
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      const where = `${path.relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) found.push({ where, text: node.getText() });
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') dynamic.push(`${where}: ${node.getText().slice(0, 120)}`);
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  it('were found', () => assert.ok(found.length > 50, `only ${found.length} regex literals found`));

  it('have no nested unbounded quantifier unless reviewed', () => {
    const risky = found.filter((r) => hasNestedQuantifier(r.text.slice(1, r.text.lastIndexOf('/'))));
    const unreviewed = risky.filter((r) => !REVIEWED[r.text]).map((r) => `${r.where}  ${r.text}`);
    assert.deepEqual(unreviewed, []);
  });

  it('are never built at run time (no new RegExp from user text)', () => assert.deepEqual(dynamic, []));

  it('the detector catches the classic shapes', () => {
    for (const bad of ['(a+)+$', '(?:x\\s*)*y', '([a-z]+)*', '(\\w+\\s?)*$', '((ab)*)+']) assert.ok(hasNestedQuantifier(bad), bad);
    for (const ok of ['a+b*', '(ab)+', '[a-z]+(?:-[a-z]+)?', '(a|b){2,3}']) assert.ok(!hasNestedQuantifier(ok), ok);
  });
});
