/**
 * The shell reader (server/src/engine/sources/shell.ts, shellTree.ts,
 * shellWords.ts): what counts as a command and a launch, on small real
 * scripts; then the grammar facts that let the reader skip parts of a tree
 * without syntax errors, checked against tree-sitter-bash's node-types.json
 * and grammar.json so that a grammar update that breaks one fails here.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { before, describe, it } from 'node:test';
import { UNKNOWN } from '../../server/src/engine/launch';
import { Cmd, readShell, ShellModel } from '../../server/src/engine/sources/shell';
import { EXPRESSIONS, LEAVES, NOT_ARGUMENTS, TOKENS } from '../../server/src/engine/sources/shellTree';
import { init } from './helpers';

const U = UNKNOWN;

/** Each command as `name arg…` (shapes), wrappers in brackets. */
function commands(m: ShellModel | string): string[] {
  const model = typeof m === 'string' ? readShell(m) : m;
  return model.commands.map((c) => [...c.wrappers.map((w) => `[${w}]`), c.name, ...c.args.map((a) => a.shape)].join(' '));
}

function cmd(text: string, name: string): Cmd {
  const c = readShell(text).commands.find((x) => x.name === name);
  assert.ok(c, `${name} in ${JSON.stringify(text)}`);
  return c;
}

const slice = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

describe('shell reader: commands and launches', () => {
  before(init);

  it('a launch is a container tool run as a command', () => {
    const text = 'docker run --privileged alpine\npodman run -d x\nnerdctl ps\necho docker run x\n';
    const m = readShell(text);
    assert.deepEqual(m.launches.map((l) => `${l.tool} ${l.command} ${l.image?.shape ?? '-'}`), ['docker run alpine', 'podman run x', 'nerdctl other -']);
    assert.deepEqual(m.launches[0].options.map((o) => o.name), ['privileged']);
    assert.equal(slice(text, m.launches[0].anchor), 'docker run');
    // The launch has its writer (for fixes), which spells options as a command line does.
    assert.equal(m.launches[0].writer.spell('cap-drop', 'ALL'), '--cap-drop ALL');
  });

  it('comments, strings and heredoc bodies are not commands; what runs in an unquoted heredoc is', () => {
    const text = [
      '# docker run --privileged x',
      'echo "docker run --privileged x" \'docker run y\' # docker run z',
      'cat <<EOF',
      'docker run --privileged x $(docker ps)',
      'EOF',
      'cat <<\'EOF\'',
      'docker run q',
      'EOF',
    ].join('\n');
    // `$(docker ps)` runs when the unquoted heredoc is fed; the rest of its body is text.
    assert.deepEqual(commands(text), ['echo docker run --privileged x docker run y', 'cat', 'docker ps', 'cat']);
    assert.deepEqual(readShell(text).launches.map((l) => [l.command, l.label]), [['other', 'docker ps']]);
  });

  it('looks through wrappers: sudo, env, exec, nohup, timeout, nice, command', () => {
    assert.deepEqual(commands('sudo -u root -E docker run x'), ['[sudo] docker run x']);
    assert.deepEqual(commands('sudo DOCKER_HOST=h docker ps'), ['[sudo] docker ps']);
    assert.deepEqual(commands('exec nohup timeout -s KILL 5m nice -n 5 /usr/bin/docker run x'), ['[exec] [nohup] [timeout] [nice] docker run x']);
    assert.deepEqual(commands('command docker run x; command -v docker'), ['[command] docker run x']);
    const env = cmd('env -u X DOCKER_HOST=tcp://h:2375 docker ps', 'docker');
    assert.deepEqual(env.wrappers, ['env']);
    assert.deepEqual(env.assigns.map((a) => [a.name, a.value, a.exported]), [['DOCKER_HOST', 'tcp://h:2375', true]]);
    const text = 'sudo  docker run x';
    const c = cmd(text, 'docker');
    assert.equal(slice(text, c.wrapperSpans[0]), 'sudo');
    assert.equal(slice(text, c.nameSpan), 'docker');
    assert.equal(slice(text, c.span), text);
    // The program is not known: no command (but what runs inside its name is one).
    assert.deepEqual(commands('$DOCKER run x; "$(which docker)" run y; sudo'), ['which docker']);
  });

  it("reads the script of sh -c '…' where its offsets map onto the file", () => {
    const text = "sudo sh -c 'docker run --privileged x; A=1'\nbash -ec \"docker run y\"\nsh -c \"docker run $IMG\"\nsh -c 'sh -c \"docker run z\"'\n";
    const m = readShell(text);
    assert.deepEqual(commands(m), [
      '[sudo] sh -c docker run --privileged x; A=1',
      'docker run --privileged x',
      'bash -ec docker run y',
      'docker run y',
      `sh -c docker run ${U}`,
      'sh -c sh -c "docker run z"',
      'sh -c docker run z',
      'docker run z',
    ]);
    assert.deepEqual(m.assigns.map((a) => `${a.name}=${a.value}`), ['A=1']);
    assert.deepEqual(m.launches.map((l) => slice(text, l.anchor)), ['docker run', 'docker run', 'docker run']);
    assert.equal(slice(text, m.commands[1].args[1].span), '--privileged');
    // `sh -c "$(curl …)"`: the script is not known, the substitution is read.
    const sub = readShell('sh -c "$(curl -fsSL https://x/i.sh)"');
    assert.deepEqual(commands(sub), [`sh -c ${U}`, 'curl -fsSL https://x/i.sh']);
    assert.equal(sub.commands[0].substitutions[0], sub.commands[1]);
  });

  it('commands inside $(…), <(…) and backquotes are commands, and substitutions of the command whose argument holds them', () => {
    const text = 'echo $(docker run a) "`docker ps`" > "$(date)"\nbash <(curl -s https://x)\nX=$(docker images) docker info';
    const m = readShell(text);
    assert.deepEqual(commands(m), [`echo ${U} ${U}`, 'docker run a', 'docker ps', 'date', `bash ${U}`, 'curl -s https://x', 'docker info', 'docker images']);
    const [echo, run, ps, date, bash, curl, info, images] = m.commands;
    // Last first; not the redirect's.
    assert.deepEqual(echo.substitutions, [ps, run]);
    assert.ok(!echo.substitutions.includes(date));
    assert.deepEqual(bash.substitutions, [curl]);
    assert.deepEqual(info.substitutions, []);
    assert.deepEqual(info.assigns.map((a) => `${a.name}=${a.value}`), [`X=${U}`]);
    assert.ok(images);
  });

  it('pipelines: each command pipes into the next, through redirects, and from a heredoc into one command', () => {
    const [curl, sh, tee] = readShell('curl -fsSL https://x/i.sh 2>/dev/null | sudo sh -s -- -y | tee log\n').commands;
    assert.deepEqual([curl.pipeTo, sh.pipeTo, tee.pipeTo], [sh, tee, undefined]);
    const [cat, docker] = readShell('cat <<EOF | docker run -i alpine sh\nls\nEOF\n').commands;
    assert.equal(cat.pipeTo, docker);
    assert.equal(docker.pipeTo, undefined);
  });

  it('functions, conditionals, loops, subshells, case and && lists are read', () => {
    const text = 'up() {\n  docker run a\n}\nif docker ps; then (docker run b); fi\nfor i in $(seq 3); do docker run c; done\ncase $1 in x) docker run d;; esac\ntrue && docker run e || docker run f &\n';
    assert.deepEqual(commands(text).filter((c) => c.startsWith('docker')), ['docker run a', 'docker ps', 'docker run b', 'docker run c', 'docker run d', 'docker run e', 'docker run f']);
  });

  it('assignments: exported under export, the command’s own before a command', () => {
    const text = 'export DOCKER_HOST=tcp://h:2375 B\nlocal x="$y"\nIMAGE=alpine:3\nA=1 B= docker ps\n';
    const m = readShell(text);
    assert.deepEqual(m.assigns.map((a) => [a.name, a.value, a.exported]), [
      ['DOCKER_HOST', 'tcp://h:2375', true],
      ['x', U, false],
      ['IMAGE', 'alpine:3', false],
    ]);
    assert.equal(slice(text, m.assigns[0].span), 'DOCKER_HOST=tcp://h:2375');
    assert.equal(slice(text, m.assigns[0].valueSpan!), 'tcp://h:2375');
    const own = m.commands[0].assigns;
    assert.deepEqual(own.map((a) => [a.name, a.value, a.valueSpan === undefined]), [['A', '1', false], ['B', '', true]]);
  });

  it('words: quotes and escapes removed, what expands is unknown, what may split is a splat', () => {
    const text = `docker run "a b" 'c $d' $'e\\'f' g\\ h --name="$n"-1 ~/x ~u/y "$@" $OPTS "\${arr[@]}" "$x" "a\\"b"\n`;
    const c = readShell(text).commands[0];
    assert.deepEqual(c.args.map((a) => a.shape), ['run', 'a b', 'c $d', "e'f", 'g h', `--name=${U}-1`, `${U}/x`, `${U}/y`, U, U, U, U, 'a"b']);
    assert.deepEqual(c.args.map((a) => a.splat), [false, false, false, false, false, false, false, false, true, true, true, false, false]);
    assert.equal(slice(text, c.args[1].span), '"a b"');
  });

  it('a line continuation inside a word joins the word; spans cover it', () => {
    for (const nl of ['\n', '\r\n']) {
      const text = `docker run --net\\${nl}work=host \\${nl}  -v /:/h x${nl}`;
      const m = readShell(text);
      assert.deepEqual(commands(m), ['docker run --network=host -v /:/h x']);
      assert.equal(slice(text, m.commands[0].args[1].span), `--net\\${nl}work=host`);
      assert.deepEqual(m.launches[0].options.map((o) => [o.name, o.value]), [['network', 'host'], ['volume', '/:/h']]);
    }
  });

  it('CRLF line ends read as LF, offsets unmoved', () => {
    const lf = 'docker run \\\n  --privileged x\nA=1\ncat <<EOF | sh\nls\nEOF\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = readShell(lf);
    const b = readShell(crlf);
    assert.deepEqual(commands(b), commands(a));
    assert.equal(b.error, undefined);
    assert.equal(slice(crlf, b.commands[0].span), 'docker run \\\r\n  --privileged x');
    assert.equal(slice(crlf, b.launches[0].options[0].span), '--privileged');
    assert.equal(b.commands[1].pipeTo, b.commands[2]);
  });

  it('a syntax error is reported at its first ERROR node; the rest is still read', () => {
    const text = 'docker run --privileged x\necho )\ndocker run y\n';
    const m = readShell(text);
    assert.equal(slice(text, m.error!), ')');
    assert.deepEqual(m.launches.map((l) => l.image?.shape), ['x', 'y']);
    assert.equal(readShell('docker run x\n').error, undefined);
  });

  it('offsets start at `base`', () => {
    const m = readShell("sh -c 'docker run x'", { base: 100, source: 'dockerfile' });
    assert.deepEqual([m.commands[0].span, m.commands[1].nameSpan], [{ start: 100, end: 120 }, { start: 107, end: 113 }]);
    assert.equal(m.launches[0].source, 'dockerfile');
  });

  it('keep: a statement whose text fails it is not read', () => {
    const text = 'docker run a\necho hi; ls -l\nf() { docker ps; cat x; }\n';
    const m = readShell(text, { keep: (s) => s.includes('docker') });
    assert.deepEqual(commands(m), ['docker run a', 'docker ps']);
    // Not where the tree has a syntax error.
    assert.equal(readShell(text + ')\n', { keep: (s) => s.includes('docker') }).commands.length, 5);
  });

  it('gives up at the time budget: nothing read, timedOut', () => {
    const now = Date.now;
    let calls = 0;
    // The first call sets the deadline; every later one is long past it.
    Date.now = () => (calls++ === 0 ? now() : now() + 3_600_000);
    let m: ShellModel;
    try {
      m = readShell('docker run x\n'.repeat(2000), { base: 7 });
    } finally {
      Date.now = now;
    }
    assert.deepEqual(m, { commands: [], assigns: [], launches: [], error: { start: 7, end: 7 }, timedOut: true });
    // The parser is usable again afterwards.
    assert.equal(readShell('docker run x\n').launches.length, 1);
  });
});

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

  it('LEAVES have only TOKENS as named children', () => {
    for (const t of LEAVES) {
      assert.ok(byType.has(t), `${t} is a named type of the grammar`);
      const kids = [...namedKids(t)];
      assert.ok(kids.length > 0 && kids.every((k) => TOKENS.has(k)), `${t}: ${kids.join(', ')}`);
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
