/** Small helpers for the editor tests: only the public vscode API. */
import * as vscode from 'vscode';

export const EXTENSION_ID = 'container-hardening.container-hardening';
export const SOURCE = 'container-hardening';

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The editor tests need the fixture workspace open as a folder (the runners copy test/editor/fixtures/workspace).');
  return folder.uri;
}

/** Polls until check() returns a truthy value; fails with the last value seen. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as NonNullable<T>;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The rule id of a diagnostic (a plain code, or { value, target } when it links to the docs). */
export function ruleOf(d: vscode.Diagnostic): string {
  const c = d.code;
  return String(typeof c === 'object' && c !== null ? c.value : c);
}

export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

export function rulesOf(uri: vscode.Uri): string[] {
  return [...new Set(ours(uri).map(ruleOf))].sort();
}

/** Waits until the extension's diagnostics for uri satisfy pred, and returns them. */
export function diagnosticsWhere(uri: vscode.Uri, what: string, pred: (ds: vscode.Diagnostic[]) => boolean, timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return waitFor(`${what} in ${vscode.workspace.asRelativePath(uri)} (have: ${rulesOf(uri).join(', ') || 'none'})`, () => {
    const ds = ours(uri);
    return pred(ds) ? ds : undefined;
  }, timeoutMs);
}

/** Waits until every one of ids is reported for uri. */
export function diagnosticsWith(uri: vscode.Uri, ids: string[], timeoutMs?: number): Promise<vscode.Diagnostic[]> {
  return diagnosticsWhere(uri, ids.join(', '), (ds) => ids.every((id) => ds.some((d) => ruleOf(d) === id)), timeoutMs);
}

export function diagnostic(uri: vscode.Uri, id: string): vscode.Diagnostic {
  const d = ours(uri).find((x) => ruleOf(x) === id);
  if (!d) throw new Error(`no ${id} diagnostic in ${uri.toString()}`);
  return d;
}

const pristine = new Map<string, Uint8Array>();

/** Remembers the fixture files as the runner copied them, before any test edits them. */
export async function snapshotFixtures(names: string[]): Promise<void> {
  for (const n of names) {
    if (!pristine.has(n)) pristine.set(n, await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceRoot(), n)));
  }
}

/**
 * A fresh copy of fixture `name` in its own folder (<workspace>/<dir>/<as>), opened
 * in an editor: tests never see each other's edits, and a compose file keeps its
 * own name (compose.*.yaml next to compose.yaml would be read as an override).
 */
export async function openFresh(name: string, dir: string, as = name): Promise<vscode.TextEditor> {
  const bytes = pristine.get(name);
  if (!bytes) throw new Error(`fixture ${name} was not snapshotted`);
  const uri = vscode.Uri.joinPath(workspaceRoot(), dir, as);
  await vscode.workspace.fs.writeFile(uri, bytes);
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc);
}

export async function open(name: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), name));
  return vscode.window.showTextDocument(doc);
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

export async function updateSetting(section: string, key: string, value: unknown, uri?: vscode.Uri): Promise<void> {
  await vscode.workspace.getConfiguration(section, uri).update(key, value, vscode.ConfigurationTarget.Workspace);
}

/** What a run of the editor tests reports to its runner (written as JSON beside the log). */
export interface Summary {
  passed: number;
  failed: number;
  pending: number;
  failures: { test: string; error: string }[];
}

/** The part of mocha's runner (its Node build or its browser build) that run() listens to. */
interface RunnerEvents {
  on(event: 'pass' | 'pending', fn: () => void): unknown;
  on(event: 'fail', fn: (test: { fullTitle(): string }, err: Error) => void): unknown;
}

/** Starts mocha with `start` and counts passes, pending tests and failures into `summary`; resolves with the failure count. */
export function runCounted(start: (done: (failures: number) => void) => RunnerEvents, summary: Summary): Promise<number> {
  return new Promise<number>((resolve) => {
    const runner = start(resolve);
    runner.on('pass', () => summary.passed++);
    runner.on('pending', () => summary.pending++);
    runner.on('fail', (test, err) => {
      summary.failed++;
      summary.failures.push({ test: test.fullTitle(), error: String(err?.stack ?? err) });
    });
  });
}
