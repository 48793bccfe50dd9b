/**
 * The web extension (package.json `browser`) in VS Code's web-worker extension host:
 * the language server in a web worker, the grammars fetched from the extension's URI,
 * sibling files read through vscode.workspace.fs. The workspace is the editor suite's
 * (a Dockerfile, a compose file, a shell script) plus reader fixtures the runner copies
 * in: `override/` (a base + override pair) and `extends-foreign/` (an `extends` target
 * in another file), each with the `.fixed` text Harden must make of it.
 */
import * as vscode from 'vscode';
import { EXTENSION_ID, diagnostic, diagnosticsWhere, diagnosticsWith, hoverText, open, openFresh, ruleOf, snapshotFixtures, waitFor, workspaceRoot } from '../suite/helpers';
import * as assert from './assert';

const FIXTURES = ['Dockerfile', 'compose.yaml', 'run.sh'];

async function read(rel: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), rel)));
}

async function harden(document: vscode.TextDocument): Promise<void> {
  // { confirm: false }: the workbench refuses modal dialogs while extension tests run.
  await vscode.commands.executeCommand('containerHardening.hardenFile', document.uri, { confirm: false });
}

describe('Container Hardening for the web (web worker)', () => {
  before(async () => {
    await snapshotFixtures(FIXTURES);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('is the web build, activated in the web-worker extension host', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    assert.ok(ext.packageJSON.browser && !ext.packageJSON.main, 'the extension under test has only a `browser` entry');
    await open('Dockerfile');
    await waitFor('the extension to activate', () => ext.isActive, 60_000);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.UI, 'runs beside the UI (the web worker), not on the remote');
    const scope = globalThis as { WorkerGlobalScope?: unknown; process?: { versions?: { node?: string } } };
    assert.ok(scope.WorkerGlobalScope !== undefined, 'this test runs in a web worker');
    assert.ok(!scope.process?.versions?.node, 'no Node.js here');
    assert.ok((await vscode.commands.getCommands(true)).includes('containerHardening.hardenFile'));
  });

  it('flags a Dockerfile, RUN lines read by the shell parser (the grammars loaded in the worker)', async () => {
    const { document } = await open('Dockerfile');
    const ds = await diagnosticsWith(document.uri, ['missing-hardening', 'add-instead-of-copy', 'pipe-to-shell', 'world-writable'], 40_000).catch((e) => {
      const all = vscode.languages.getDiagnostics().map(([u, d]) => `${u.toString()}: ${d.map((x) => `${x.source}/${ruleOf(x)}`).join(',')}`);
      throw new Error(`${String(e)}; languageId ${document.languageId}, uri ${document.uri.toString()}; all: ${all.join(' | ')}`);
    });
    const root = ds.find((d) => ruleOf(d) === 'missing-hardening');
    assert.ok(root);
    assert.match(root.message, /^The final stage lacks 2 hardening settings: a non-root user, a health check\.$/);
  });

  it('flags a compose file and explains a finding on hover', async () => {
    const { document } = await open('compose.yaml');
    const ds = await diagnosticsWith(document.uri, ['privileged', 'docker-socket-mount', 'missing-hardening']);
    const priv = ds.find((d) => ruleOf(d) === 'privileged');
    assert.ok(priv);
    assert.equal(document.getText(priv.range), 'privileged: true');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, priv.range.start.translate(0, 2));
    assert.match(hoverText(hovers), /capabilit/i);
  });

  it('flags docker run in a shell script and explains it on hover', async () => {
    const { document } = await open('run.sh');
    const ds = await diagnosticsWith(document.uri, ['privileged', 'cap-add-dangerous', 'sensitive-mount']);
    assert.equal(document.getText(ds.find((d) => ruleOf(d) === 'cap-add-dangerous')?.range), '--cap-add SYS_ADMIN');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, diagnostic(document.uri, 'privileged').range.start.translate(0, 3));
    const text = hoverText(hovers);
    assert.match(text, /`privileged`/, text);
  });

  it('applies a quick fix', async () => {
    const { document } = await openFresh('run.sh', 'quick-fix');
    const d = (await diagnosticsWith(document.uri, ['privileged'])).find((x) => ruleOf(x) === 'privileged');
    assert.ok(d);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.isPreferred && /privileged/.test(a.title));
    assert.ok(fix?.edit, `a preferred fix; got ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
    assert.doesNotMatch(document.getText(), /--privileged/);
    await diagnosticsWhere(document.uri, 'privileged gone', (ds) => !ds.some((x) => ruleOf(x) === 'privileged') && ds.some((x) => ruleOf(x) === 'sensitive-mount'));
  });

  it('"Harden This File" applies the safe fixes to a compose file', async () => {
    const { document } = await openFresh('compose.yaml', 'harden');
    await diagnosticsWith(document.uri, ['privileged', 'docker-socket-mount']);
    await harden(document);
    const text = await waitFor('the hardened text', () => (document.getText().includes('no-new-privileges') ? document.getText() : undefined));
    assert.doesNotMatch(text, /privileged: true/);
    assert.match(text, /\/var\/run\/docker\.sock:\/var\/run\/docker\.sock/, 'manual findings are left for a person');
    await diagnosticsWhere(document.uri, 'privileged fixed', (ds) => !ds.some((x) => ruleOf(x) === 'privileged'));
  });

  it('Harden reads the override beside a base compose file through the workspace file system', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'override', 'compose.yaml'));
    await vscode.window.showTextDocument(document);
    // `cache` is only in the base: judged alone. `db` takes its user from compose.override.yaml (never opened).
    await diagnosticsWith(document.uri, ['missing-hardening']);
    await harden(document);
    const expected = await read('override/compose.yaml.fixed');
    await waitFor('the hardened base file', () => document.getText() === expected || undefined, 20_000).catch(() => {
      throw new Error(`Harden made:\n${document.getText()}\nexpected:\n${expected}`);
    });
  });

  it('reads the target of `extends` in another file through the workspace file system', async () => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'extends-foreign', 'compose.yaml'));
    await vscode.window.showTextDocument(document);
    // What common.yml (never opened) gives the service is reported at the `extends` key.
    const ds = await diagnosticsWith(document.uri, ['privileged', 'cap-add-dangerous', 'docker-socket-mount']);
    assert.equal(document.lineAt(ds.find((d) => ruleOf(d) === 'privileged')?.range.start.line ?? 0).text.trim(), 'extends:');
    await harden(document);
    const expected = await read('extends-foreign/compose.yaml.fixed');
    await waitFor('the hardened file', () => document.getText() === expected || undefined, 20_000).catch(() => {
      throw new Error(`Harden made:\n${document.getText()}\nexpected:\n${expected}`);
    });
  });

  it('honours a .container-hardening.yaml read through the workspace file system', async () => {
    const dir = vscode.Uri.joinPath(workspaceRoot(), 'configured');
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, '.container-hardening.yaml'), new TextEncoder().encode('rules:\n  privileged: off\n'));
    const { document } = await openFresh('run.sh', 'configured');
    const ds = await diagnosticsWith(document.uri, ['cap-add-dangerous', 'sensitive-mount']);
    assert.ok(!ds.some((d) => ruleOf(d) === 'privileged'), `privileged is off in the config file; got ${ds.map(ruleOf).join(', ')}`);
  });
});
