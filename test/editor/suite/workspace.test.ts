/**
 * "Check Workspace" in a real VS Code (files that are not open in Problems,
 * `.gitignore`, `files.exclude` and `search.exclude` honoured, the status-bar
 * item), and one file of each source added after the first release
 * (devcontainer.json, a GitHub Actions workflow, a Podman Quadlet unit):
 * diagnostics in the right place, a hover, a quick fix, Harden.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CheckWorkspaceResult } from '../../../server/src/lsp/workspaceProtocol';
import type { WorkspaceCheckApi } from '../../../client/src/workspaceCheck';
import { EXTENSION_ID, diagnosticsWhere, diagnosticsWith, hoverText, ours, ruleOf, updateSetting, waitFor, workspaceRoot } from './helpers';

async function write(rel: string, text: string): Promise<vscode.Uri> {
  const uri = vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

const PRIVILEGED_COMPOSE = 'services:\n  web:\n    image: nginx:1.27\n    privileged: true\n';

async function api(): Promise<WorkspaceCheckApi> {
  const ext = vscode.extensions.getExtension<WorkspaceCheckApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.isActive ? ext.exports : ext.activate();
}

describe('Check Workspace', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('puts files that are not open in Problems, leaves out .gitignore, files.exclude and search.exclude, and counts in the status bar', async () => {
    const shown = await write('ws-check/app/compose.yaml', PRIVILEGED_COMPOSE);
    const script = await write('ws-check/tools/deploy', '#!/bin/bash\ndocker run --privileged alpine:3 true\n');
    await write('ws-check/.gitignore', 'build/\n');
    const ignored = await write('ws-check/build/compose.yaml', PRIVILEGED_COMPOSE);
    const excluded = await write('ws-check/generated/compose.yaml', PRIVILEGED_COMPOSE);
    const searchExcluded = await write('ws-check/vendor/compose.yaml', PRIVILEGED_COMPOSE);
    const files = vscode.workspace.getConfiguration('files').inspect<Record<string, boolean>>('exclude');
    const search = vscode.workspace.getConfiguration('search').inspect<Record<string, boolean>>('exclude');
    await updateSetting('files', 'exclude', { ...files?.defaultValue, '**/generated': true });
    await updateSetting('search', 'exclude', { ...search?.defaultValue, '**/vendor': true });
    try {
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === shown.toString()), 'the file is not open');
      const before = (await api()).status();
      assert.equal(before.visible, false, 'no status-bar item before the first check');
      const result = await vscode.commands.executeCommand<CheckWorkspaceResult>('containerHardening.checkWorkspace');
      assert.ok(result, 'the command answers with the server\'s summary');
      assert.equal(result.cancelled, false);
      assert.ok(result.checked >= 5 && result.errors > 0, JSON.stringify(result));
      await diagnosticsWith(shown, ['privileged']);
      await diagnosticsWith(script, ['privileged']);
      for (const uri of [ignored, excluded, searchExcluded]) assert.deepEqual(ours(uri).map(ruleOf), [], vscode.workspace.asRelativePath(uri));
      const status = await waitFor('the status-bar item', async () => {
        const s = (await api()).status();
        return s.visible && s.errors > 0 ? s : undefined;
      });
      assert.equal(status.command, 'workbench.actions.view.problems');
      assert.match(status.text, /\$\(error\) \d+ \$\(warning\) \d+/);
      assert.match(status.tooltip, /errors, .* warnings .* in \d+ files/);
      assert.ok(status.files >= 5, JSON.stringify(status));
      // Opened, the file is analysed live as the user types; the count follows.
      const doc = await vscode.workspace.openTextDocument(shown);
      const editor = await vscode.window.showTextDocument(doc);
      const line = doc.lineAt(3);
      await editor.edit((b) => b.delete(line.rangeIncludingLineBreak));
      await diagnosticsWhere(shown, 'privileged gone while editing', (ds) => ds.length > 0 && !ds.some((d) => ruleOf(d) === 'privileged'));
      await waitFor('the status bar to count one error less', async () => (await api()).status().errors === status.errors - 1);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await updateSetting('files', 'exclude', undefined);
      await updateSetting('search', 'exclude', undefined);
    }
  });
});

describe('new sources in the editor', () => {
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function openWritten(rel: string, text: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument(await write(rel, text));
    await vscode.window.showTextDocument(doc);
    return doc;
  }

  async function hoverAt(doc: vscode.TextDocument, pos: vscode.Position): Promise<string> {
    return hoverText(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, pos));
  }

  async function applyPreferredFix(doc: vscode.TextDocument, d: vscode.Diagnostic): Promise<void> {
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
    // The fix, not the ignore comment.
    const fix = actions.find((a) => a.edit && a.kind?.value === 'quickfix' && !/ignore/i.test(a.title));
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
  }

  async function harden(doc: vscode.TextDocument, until: (text: string) => boolean): Promise<string> {
    await vscode.commands.executeCommand('containerHardening.hardenFile', doc.uri, { confirm: false });
    return waitFor('the hardened text', () => (until(doc.getText()) ? doc.getText() : undefined));
  }

  const DEVCONTAINER = '{\n  // the GPU tools need it\n  "image": "mcr.microsoft.com/devcontainers/base:ubuntu",\n  "privileged": true,\n  "runArgs": ["--cap-add", "SYS_ADMIN"]\n}\n';

  it('devcontainer.json: findings on the setting, hover, quick fix, Harden', async () => {
    const doc = await openWritten('new-sources/.devcontainer/devcontainer.json', DEVCONTAINER);
    const ds = await diagnosticsWith(doc.uri, ['privileged', 'cap-add-dangerous']);
    const priv = ds.find((d) => ruleOf(d) === 'privileged')!;
    assert.equal(doc.getText(priv.range), '"privileged": true');
    assert.equal(priv.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(doc.getText(ds.find((d) => ruleOf(d) === 'cap-add-dangerous')!.range), '"--cap-add", "SYS_ADMIN"');
    assert.match(await hoverAt(doc, priv.range.start.translate(0, 3)), /privileged/);
    await applyPreferredFix(doc, priv);
    assert.doesNotMatch(doc.getText(), /"privileged"/);
    await diagnosticsWhere(doc.uri, 'privileged fixed', (x) => !x.some((d) => ruleOf(d) === 'privileged') && x.some((d) => ruleOf(d) === 'cap-add-dangerous'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const again = await openWritten('new-sources/harden/.devcontainer/devcontainer.json', DEVCONTAINER);
    await diagnosticsWith(again.uri, ['privileged']);
    const text = await harden(again, (t) => !t.includes('"privileged"'));
    assert.match(text, /"runArgs": \["--cap-add", "SYS_ADMIN"\]/, 'a manual finding is left for a person');
  });

  const WORKFLOW = 'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    container:\n      image: node:20\n      options: --privileged\n    steps:\n      - run: npm test\n';

  it('a GitHub Actions workflow: the option in container.options, hover, quick fix, Harden', async () => {
    const doc = await openWritten('new-sources/.github/workflows/ci.yml', WORKFLOW);
    const [priv] = await diagnosticsWith(doc.uri, ['privileged']);
    assert.equal(doc.getText(priv.range), '--privileged');
    assert.equal(priv.range.start.line, 6);
    assert.match(await hoverAt(doc, priv.range.start.translate(0, 4)), /privileged/);
    await applyPreferredFix(doc, priv);
    assert.doesNotMatch(doc.getText(), /--privileged/);
    await diagnosticsWhere(doc.uri, 'no findings', (x) => x.length === 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const again = await openWritten('new-sources/harden/.github/workflows/ci.yml', WORKFLOW);
    await diagnosticsWith(again.uri, ['privileged']);
    const text = await harden(again, (t) => !t.includes('--privileged'));
    assert.match(text, /^ {6}image: node:20$/m);
  });

  const QUADLET = '[Unit]\nDescription=web\n\n[Container]\nImage=docker.io/library/nginx:1.27\nNetwork=host\nPodmanArgs=--privileged\n\n[Install]\nWantedBy=default.target\n';

  it('a Podman Quadlet unit: findings on its keys, the group on [Container], hover, quick fix, Harden', async () => {
    const doc = await openWritten('new-sources/web.container', QUADLET);
    const ds = await diagnosticsWith(doc.uri, ['privileged', 'host-network', 'missing-hardening']);
    assert.equal(doc.getText(ds.find((d) => ruleOf(d) === 'host-network')!.range), 'Network=host');
    assert.equal(doc.getText(ds.find((d) => ruleOf(d) === 'missing-hardening')!.range), '[Container]');
    const priv = ds.find((d) => ruleOf(d) === 'privileged')!;
    assert.equal(doc.getText(priv.range), '--privileged');
    assert.match(await hoverAt(doc, priv.range.start.translate(0, 3)), /privileged/);
    await applyPreferredFix(doc, priv);
    assert.doesNotMatch(doc.getText(), /--privileged/);
    await diagnosticsWhere(doc.uri, 'privileged fixed', (x) => !x.some((d) => ruleOf(d) === 'privileged') && x.some((d) => ruleOf(d) === 'host-network'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    const again = await openWritten('new-sources/harden/web.container', QUADLET);
    await diagnosticsWith(again.uri, ['missing-hardening']);
    const text = await harden(again, (t) => t.includes('NoNewPrivileges=true'));
    assert.match(text, /^DropCapability=all$/m);
    assert.match(text, /^Network=host$/m, 'a manual finding is left for a person');
  });
});
