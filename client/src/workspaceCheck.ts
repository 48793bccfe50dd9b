/**
 * "Container Hardening: Check Workspace": finds the workspace's files
 * (workspaceFiles.ts), asks the server to check them with a cancellable
 * progress notification, and keeps a status-bar item with the counts of the
 * extension's diagnostics (open files live, the others from the check) that
 * opens the Problems view.
 */
import * as vscode from 'vscode';
// The common API: the desktop (Node) and the web client share this command.
import { WorkDoneProgress, type BaseLanguageClient as LanguageClient } from 'vscode-languageclient';
import { CHECK_WORKSPACE_METHOD, type CheckWorkspaceParams, type CheckWorkspaceResult } from '../../server/src/lsp/workspaceProtocol';
import { findWorkspaceFiles } from './workspaceFiles';

export const CHECK_WORKSPACE_COMMAND = 'containerHardening.checkWorkspace';
const PROBLEMS_COMMAND = 'workbench.actions.view.problems';
/** The `source` of the server's diagnostics (server/src/lsp/toDiagnostic.ts). */
const SOURCE = 'container-hardening';

/** What the status-bar item shows, for tests and for other extensions (the extension's exports). */
export interface WorkspaceStatus {
  visible: boolean;
  text: string;
  tooltip: string;
  command: string | undefined;
  errors: number;
  warnings: number;
  infos: number;
  files: number;
}

class StatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('containerHardening.workspace', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private shown = false;
  state: WorkspaceStatus = { visible: false, text: '', tooltip: '', command: undefined, errors: 0, warnings: 0, infos: 0, files: 0 };

  constructor() {
    this.item.name = vscode.l10n.t('Container Hardening');
    this.item.command = PROBLEMS_COMMAND;
    // Counts follow every change of the diagnostics (edits, closed files, a new check), a few times a second at most.
    this.subscription = vscode.languages.onDidChangeDiagnostics(() => {
      if (this.shown && !this.timer) this.timer = setTimeout(() => this.update(), 250);
    });
  }

  show(): void {
    this.shown = true;
    this.update();
    this.item.show();
  }

  update(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let errors = 0;
    let warnings = 0;
    let infos = 0;
    let files = 0;
    for (const [, ds] of vscode.languages.getDiagnostics()) {
      let any = false;
      for (const d of ds) {
        if (d.source !== SOURCE) continue;
        any = true;
        if (d.severity === vscode.DiagnosticSeverity.Error) errors++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) warnings++;
        else infos++;
      }
      if (any) files++;
    }
    const text = `$(shield) $(error) ${errors} $(warning) ${warnings}`;
    const tooltip = vscode.l10n.t('Container Hardening: {0} errors, {1} warnings and {2} infos in {3} files. Click to open the Problems view.', errors, warnings, infos, files);
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.state = { visible: this.shown, text, tooltip, command: PROBLEMS_COMMAND, errors, warnings, infos, files };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.item.dispose();
  }
}

export interface WorkspaceCheckApi {
  status(): WorkspaceStatus;
}

/** Registers the command and the status-bar item; the command resolves with the server's answer (undefined when nothing was checked). */
export function registerWorkspaceCheck(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): WorkspaceCheckApi {
  const status = new StatusItem();
  context.subscriptions.push(status);
  let running: Promise<CheckWorkspaceResult | undefined> | undefined;
  context.subscriptions.push(
    vscode.commands.registerCommand(CHECK_WORKSPACE_COMMAND, () => {
      // A second click while a check runs shows the same one.
      running ??= checkWorkspace(client(), status).finally(() => (running = undefined));
      return running;
    }),
  );
  return { status: () => ({ ...status.state }) };
}

async function checkWorkspace(client: LanguageClient | undefined, status: StatusItem): Promise<CheckWorkspaceResult | undefined> {
  if (!client) return undefined;
  if (!vscode.workspace.workspaceFolders?.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a folder to check its files.'));
    return undefined;
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Container Hardening: checking the workspace'), cancellable: true },
    async (progress, token) => {
      progress.report({ message: vscode.l10n.t('Finding files…') });
      const found = await findWorkspaceFiles(token);
      if (token.isCancellationRequested) return undefined;
      if (!found.files.length) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No Dockerfiles, compose files, shell scripts, devcontainer.json, workflows or Quadlet units found in the workspace.'));
        return undefined;
      }
      const asUri = (u: vscode.Uri) => client.code2ProtocolConverter.asUri(u);
      const params: CheckWorkspaceParams = { files: found.files.map(asUri), workDoneToken: `containerHardening.checkWorkspace.${Date.now()}` };
      if (found.texts.size) params.texts = Object.fromEntries([...found.texts].map(([u, text]) => [asUri(u), text]));
      let done = 0;
      const sub = client.onProgress(WorkDoneProgress.type, params.workDoneToken!, (v) => {
        if (v.kind !== 'report' || v.percentage === undefined) return;
        progress.report({ increment: v.percentage - done, message: v.message });
        done = v.percentage;
      });
      try {
        return await client.sendRequest<CheckWorkspaceResult>(CHECK_WORKSPACE_METHOD, params, token);
      } finally {
        sub.dispose();
      }
    },
  );
  if (result) status.show();
  return result;
}
