/**
 * The VS Code client's own logic (activation wiring and the "Harden This File"
 * flow with its preview), run against stand-ins for the `vscode` API and the
 * language client. What the server answers is covered by the protocol tests.
 */
import assert from 'node:assert/strict';
import Module from 'node:module';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { ROOT } from './lspClient';

interface FakeUri {
  scheme: string;
  path: string;
  query: string;
  toString(): string;
}

class Uri implements FakeUri {
  constructor(
    readonly scheme: string,
    readonly path: string,
    readonly query = '',
  ) {}
  static file(p: string): Uri {
    return new Uri('file', p);
  }
  static from(c: { scheme: string; path: string; query?: string }): Uri {
    return new Uri(c.scheme, c.path, c.query ?? '');
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

interface World {
  commands: Map<string, (...a: unknown[]) => unknown>;
  executed: Array<{ command: string; args: unknown[] }>;
  messages: Array<{ kind: string; text: string; modal: boolean; items: string[] }>;
  answers: Array<string | undefined>;
  providers: Map<string, { provideTextDocumentContent(u: FakeUri): string }>;
  requests: Array<{ method: string; params: { command: string; arguments: unknown[] } }>;
  responses: unknown[];
  clientArgs: unknown[];
  started: boolean;
  docs: Map<string, { uri: Uri; languageId: string; text: string }>;
  active?: Uri;
  /** Open tabs (the preview diff) and the ones the extension closed. */
  tabs: Array<{ input: unknown }>;
  closed: unknown[];
  /** Check Workspace: the workspace's files (paths), their texts, settings, and what findFiles was asked. */
  files: string[];
  texts: Map<string, string>;
  config: Record<string, Record<string, unknown>>;
  findFiles: Array<{ pattern: string; exclude: unknown }>;
}

function makeWorld(): World {
  return { commands: new Map(), executed: [], messages: [], answers: [], providers: new Map(), requests: [], responses: [], clientArgs: [], started: false, docs: new Map(), tabs: [], closed: [], files: [], texts: new Map(), config: {}, findFiles: [] };
}

function fakeVscode(w: World) {
  const show = (kind: string) => async (text: string, ...rest: unknown[]) => {
    let modal = false;
    if (rest.length && typeof rest[0] === 'object' && rest[0] !== null) modal = !!(rest.shift() as { modal?: boolean }).modal;
    w.messages.push({ kind, text, modal, items: rest as string[] });
    return rest.length ? w.answers.shift() : undefined;
  };
  const format = (m: string, ...args: unknown[]) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));
  return {
    Uri,
    EventEmitter: class {
      event = () => ({ dispose() {} });
      fire() {}
    },
    env: { language: 'zh-cn' },
    l10n: { t: format },
    // Check Workspace's status-bar item (client/src/workspaceCheck.ts): made at activation, shown after a check.
    StatusBarAlignment: { Left: 1, Right: 2 },
    ProgressLocation: { Notification: 15 },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    languages: {
      onDidChangeDiagnostics: () => ({ dispose() {} }),
      getDiagnostics: () => [],
      match: (selector: Array<{ language: string; pattern?: string }>, doc: { languageId: string; uri: Uri }) =>
        selector.some((s) => s.language === doc.languageId && (!s.pattern || /(^|\/)(compose|docker-compose)[^/]*\.ya?ml$/.test(doc.uri.path))) ? 10 : 0,
    },
    RelativePattern: class {
      constructor(
        readonly base: { uri: Uri },
        readonly pattern: string,
      ) {}
    },
    workspace: {
      get workspaceFolders() {
        return w.files.length ? [{ uri: Uri.file('/w'), name: 'w', index: 0 }] : undefined;
      },
      getConfiguration: (section: string) => ({ get: (key: string) => w.config[`${section}.${key}`] }),
      findFiles: async (p: { pattern: string }, exclude: unknown) => {
        w.findFiles.push({ pattern: p.pattern, exclude });
        const all = w.files.map((f) => Uri.file(f));
        return p.pattern === '**/.gitignore' ? all.filter((u) => u.path.endsWith('/.gitignore')) : all;
      },
      fs: { readFile: async (u: Uri) => new TextEncoder().encode(w.texts.get(u.path) ?? '') },
      createFileSystemWatcher: (glob: string) => ({ glob, dispose() {} }),
      registerTextDocumentContentProvider: (scheme: string, p: { provideTextDocumentContent(u: FakeUri): string }) => {
        w.providers.set(scheme, p);
        return { dispose() {} };
      },
      openTextDocument: async (uri: Uri) => {
        const d = w.docs.get(uri.toString());
        if (!d) throw new Error(`no document ${uri}`);
        return { uri: d.uri, languageId: d.languageId, getText: () => d.text };
      },
    },
    commands: {
      registerCommand: (id: string, fn: (...a: unknown[]) => unknown) => {
        w.commands.set(id, fn);
        return { dispose() {} };
      },
      executeCommand: async (command: string, ...args: unknown[]) => {
        w.executed.push({ command, args });
        // vscode.diff opens a tab showing the two documents.
        if (command === 'vscode.diff') w.tabs.push({ input: new FakeDiffInput(args[0] as Uri, args[1] as Uri) });
      },
    },
    window: {
      get activeTextEditor() {
        return w.active ? { document: { uri: w.active } } : undefined;
      },
      showInformationMessage: show('info'),
      showWarningMessage: show('warning'),
      createStatusBarItem: () => ({ show() {}, hide() {}, dispose() {} }),
      withProgress: async (_o: unknown, task: (p: { report(): void }, t: { isCancellationRequested: boolean }) => Promise<unknown>) => task({ report() {} }, { isCancellationRequested: false }),
      tabGroups: {
        get all() {
          return [{ tabs: w.tabs }];
        },
        close: async (tabs: unknown[]) => {
          w.closed.push(...tabs);
          return true;
        },
      },
    },
    TabInputTextDiff: FakeDiffInput,
  };
}

class FakeDiffInput {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

function fakeLanguageClient(w: World) {
  return {
    TransportKind: { stdio: 0, ipc: 1 },
    WorkDoneProgress: { type: { method: '$/progress' } },
    LanguageClient: class {
      code2ProtocolConverter = { asUri: (u: Uri) => u.toString() };
      constructor(...args: unknown[]) {
        w.clientArgs = args;
      }
      async start() {
        w.started = true;
      }
      async stop() {}
      onProgress() {
        return { dispose() {} };
      }
      async sendRequest(method: string, params: { command: string; arguments: unknown[] }) {
        w.requests.push({ method, params });
        return w.responses.shift();
      }
    },
  };
}

describe('VS Code client', () => {
  let w: World;
  let ext: { activate(ctx: unknown): Promise<void>; deactivate(): Promise<void> };
  const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const originalLoad = M._load;
  const extPath = path.join(ROOT, 'out', 'client', 'src', 'extension.js');

  beforeEach(async () => {
    w = makeWorld();
    const vs = fakeVscode(w);
    const lc = fakeLanguageClient(w);
    M._load = function (req: string, parent: unknown, isMain: boolean) {
      if (req === 'vscode') return vs;
      if (req === 'vscode-languageclient/node' || req === 'vscode-languageclient') return lc;
      return originalLoad.call(this, req, parent, isMain);
    };
    // Every client module again, so each binds this test's stand-in for vscode.
    for (const k of Object.keys(require.cache)) if (k.startsWith(path.dirname(extPath) + path.sep)) delete require.cache[k];
    ext = require(extPath);
    await ext.activate({ subscriptions: [], asAbsolutePath: (p: string) => path.join('/ext', p) });
  });
  afterEach(async () => {
    await ext.deactivate();
    M._load = originalLoad;
  });

  function addDoc(p: string, languageId: string, text: string): Uri {
    const uri = Uri.file(p);
    w.docs.set(uri.toString(), { uri, languageId, text });
    return uri;
  }

  it('starts the bundled server over IPC for the supported documents, in the editor language', () => {
    assert.equal(w.started, true);
    const [id, , serverOptions, clientOptions] = w.clientArgs as [string, string, { run: { module: string; transport: number } }, { documentSelector: Array<{ language: string; pattern?: string }>; initializationOptions: { locale: string } }];
    assert.equal(id, 'containerHardening');
    assert.equal(serverOptions.run.module, path.join('/ext', 'dist/server.js'));
    assert.equal(serverOptions.run.transport, 1);
    const langs = clientOptions.documentSelector.filter((s) => s.language).map((s) => s.language);
    assert.deepEqual(langs.sort(), ['dockercompose', 'dockerfile', 'shellscript', 'yaml']);
    // devcontainer.json, workflows and Quadlet units by name, whatever language they open as.
    const byName = clientOptions.documentSelector.filter((s) => !s.language).map((s) => s.pattern);
    assert.deepEqual(byName.sort(), ['**/*.container', '**/.github/workflows/*.{yml,yaml}', '**/{devcontainer.json,.devcontainer.json}']);
    const yaml = clientOptions.documentSelector.find((s) => s.language === 'yaml')!;
    const alternatives = /^\*\*\/\{(.*)\}$/.exec(yaml.pattern!)![1].split(',');
    assert.deepEqual(alternatives.sort(), ['compose.*.yaml', 'compose.*.yml', 'compose.yaml', 'compose.yml', 'docker-compose*.yaml', 'docker-compose*.yml']);
    assert.equal(clientOptions.initializationOptions.locale, 'zh-cn');
    assert.ok(w.commands.has('containerHardening.hardenFile'));
  });

  it('Harden This File: dry run, modal with Apply, then one apply request', async () => {
    const uri = addDoc('/w/compose.yaml', 'yaml', 'services:\n  a:\n    privileged: true\n');
    w.active = uri;
    w.responses.push({ uri: uri.toString(), applied: 3, remaining: 2, appliedRules: [], message: '', text: 'services:\n  a:\n    cap_drop: [ALL]\n' });
    w.responses.push({ uri: uri.toString(), applied: 3, remaining: 2, appliedRules: [], message: 'Container Hardening: applied 3 safe fixes. 2 settings need a decision for myorg/app:1.0: a non-root user, dropped capabilities.', edited: true });
    w.answers.push('Apply');
    await w.commands.get('containerHardening.hardenFile')!();
    assert.equal(w.requests.length, 2);
    assert.deepEqual(w.requests[0].params, { command: 'containerHardening.harden', arguments: [uri.toString(), { dryRun: true, notify: false }] });
    assert.deepEqual(w.requests[1].params, { command: 'containerHardening.harden', arguments: [uri.toString(), { notify: false }] });
    const modal = w.messages.find((m) => m.modal)!;
    assert.equal(modal.text, 'Apply 3 safe fixes to compose.yaml? 2 findings need a manual decision.');
    assert.deepEqual(modal.items, ['Apply', 'Preview']);
    // The server's summary names what was applied and what needs a decision.
    assert.equal(w.messages.at(-1)!.text, 'Container Hardening: applied 3 safe fixes. 2 settings need a decision for myorg/app:1.0: a non-root user, dropped capabilities.');
  });

  it('words one fix and one finding in the singular, and leaves out a zero count', async () => {
    const uri = addDoc('/w/one/compose.yaml', 'yaml', 'services:\n  a:\n    privileged: true\n');
    w.responses.push({ uri: uri.toString(), applied: 1, remaining: 1, appliedRules: [], message: '', text: 'services:\n  a: {}\n' });
    w.responses.push({ uri: uri.toString(), applied: 1, remaining: 0, appliedRules: [], message: 'Container Hardening: applied 1 safe fix.', edited: true });
    w.answers.push('Apply');
    await w.commands.get('containerHardening.hardenFile')!(uri);
    assert.equal(w.messages.filter((m) => m.modal).at(-1)!.text, 'Apply 1 safe fix to compose.yaml? 1 finding needs a manual decision.');
    assert.equal(w.messages.at(-1)!.text, 'Container Hardening: applied 1 safe fix.');
  });

  it('Preview opens a diff against the hardened text before applying', async () => {
    const uri = addDoc('/w/run.sh', 'shellscript', 'docker run --privileged x\n');
    w.responses.push({ uri: uri.toString(), applied: 1, remaining: 0, appliedRules: [], message: '', text: 'docker run x\n' });
    w.responses.push({ uri: uri.toString(), applied: 1, remaining: 0, appliedRules: [], message: '', edited: true });
    w.answers.push('Preview', 'Apply');
    await w.commands.get('containerHardening.hardenFile')!(uri);
    const diff = w.executed.find((e) => e.command === 'vscode.diff')!;
    assert.ok(diff);
    const [left, right] = diff.args as [Uri, Uri];
    assert.equal(left.toString(), uri.toString());
    assert.equal(right.scheme, 'container-hardening-preview');
    assert.equal(w.providers.get('container-hardening-preview')!.provideTextDocumentContent(right), 'docker run x\n');
    assert.equal(w.requests.length, 2, 'applied after the preview');
    // The decision after Preview is a modal (it stays until answered), and the diff closes after it.
    const after = w.messages.filter((m) => m.modal);
    assert.equal(after.length, 2);
    assert.deepEqual(after[1].items, ['Apply']);
    assert.equal(w.closed.length, 1);
  });

  it('cancelling the modal applies nothing', async () => {
    const uri = addDoc('/w/Dockerfile', 'dockerfile', 'FROM alpine\n');
    w.responses.push({ uri: uri.toString(), applied: 1, remaining: 0, appliedRules: [], message: '', text: 'FROM alpine\nUSER 1000\n' });
    w.answers.push(undefined);
    await w.commands.get('containerHardening.hardenFile')!(uri);
    assert.equal(w.requests.length, 1);
  });

  it('Check Workspace sends the supported files, without files.exclude, search.exclude and .gitignore', async () => {
    w.files = ['/w/Dockerfile', '/w/compose.yaml', '/w/README.md', '/w/bin/deploy', '/w/.github/workflows/ci.yml', '/w/web.container', '/w/src/app.ts', '/w/.gitignore', '/w/build/Dockerfile', '/w/sub/.gitignore', '/w/sub/run.sh', '/w/run.sh'];
    w.texts.set('/w/.gitignore', 'build/\n');
    w.texts.set('/w/sub/.gitignore', '*.sh\n');
    w.config = { 'files.exclude': { '**/.git': true, '**/.svn': false }, 'search.exclude': { '**/node_modules': true, '**/*.{js,map}': true, '**/x': { when: '$(basename).ts' } } };
    const answer = { checked: 6, listed: 7, errors: 1, warnings: 2, infos: 0, withFindings: 3, skipped: 0, cancelled: false, ms: 5, workers: 1 };
    w.responses.push(answer);
    assert.deepEqual(await w.commands.get('containerHardening.checkWorkspace')!(), answer);
    const req = w.requests.at(-1)! as unknown as { method: string; params: { files: string[]; workDoneToken: string; texts?: unknown } };
    assert.equal(req.method, 'containerHardening/checkWorkspace');
    assert.deepEqual(req.params.files, ['file:///w/.github/workflows/ci.yml', 'file:///w/Dockerfile', 'file:///w/bin/deploy', 'file:///w/compose.yaml', 'file:///w/run.sh', 'file:///w/web.container']);
    assert.equal(req.params.texts, undefined, 'the server reads file: URIs itself');
    assert.match(req.params.workDoneToken, /^containerHardening\.checkWorkspace\./);
    assert.deepEqual(w.findFiles.map((f) => f.exclude), ['{**/.git,**/node_modules,**/*.js,**/*.map}', '{**/.git,**/node_modules,**/*.js,**/*.map}']);
  });

  it('says so when there is nothing safe to apply, or the file is not supported', async () => {
    const uri = addDoc('/w/Dockerfile', 'dockerfile', 'FROM alpine\n');
    w.responses.push({ uri: uri.toString(), applied: 0, remaining: 4, appliedRules: [], message: '', text: 'FROM alpine\n' });
    await w.commands.get('containerHardening.hardenFile')!(uri);
    assert.equal(w.requests.length, 1);
    assert.equal(w.messages.at(-1)!.text, 'No safe fixes to apply. 4 findings need a manual decision.');

    const other = addDoc('/w/values.yaml', 'yaml', 'a: 1\n');
    await w.commands.get('containerHardening.hardenFile')!(other);
    assert.equal(w.requests.length, 1, 'no request for an unsupported file');
    assert.match(w.messages.at(-1)!.text, /does not check this kind of file/);
  });
});
