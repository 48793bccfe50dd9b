/**
 * A short UI check in the browser, the way a person uses the extension: open the
 * Dockerfile, see the squiggles and the Problems count, hover a finding, apply a
 * quick fix with Ctrl+., run "Harden This File" from the command palette (F1) and
 * accept its prompt, save. Screenshots go to test-results/editor/.
 *
 * The window loads the extension through the payload's extensionDevelopmentPath but
 * without extensionTestsPath: the workbench refuses modal dialogs while extension
 * tests run, and here the "Apply N safe fixes?" prompt is part of what we check.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { log, type CodeServer } from './codeServer';

export interface UiCheckOptions {
  server: CodeServer;
  browser: Browser;
  workspace: string;
  extensionDevelopmentPath: string;
  results: string;
  /** Also copy the screenshots the README shows into this folder (test/editor/screenshots/). */
  updateScreenshots?: string;
}

/** The README's pictures: the UI check's screenshot → its name in test/editor/screenshots/. */
const README_SHOTS: Record<string, string> = { hover: 'hover.png', 'quick-fix': 'editor.png', 'harden-prompt': 'harden.png' };

const nbsp = /\u00a0/g;

// The project compiles without the DOM lib; code passed to page.evaluate runs in the browser.
type El = any;

export async function uiCheck(o: UiCheckOptions): Promise<boolean> {
  const page = await o.browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(30_000);
  const consoleLog = path.join(o.results, 'ui-browser-console.log');
  page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
  let n = 0;
  const shot = async (name: string) => {
    const file = path.join(o.results, `ui-${String(++n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    if (o.updateScreenshots && README_SHOTS[name]) {
      const to = path.join(o.updateScreenshots, README_SHOTS[name]);
      fs.mkdirSync(o.updateScreenshots, { recursive: true });
      fs.copyFileSync(file, to);
      log(`ui:   updated ${path.relative(process.cwd(), to)} (${Math.round(fs.statSync(to).size / 1024)} KB) from ${path.basename(file)}`);
    }
    return file;
  };
  let current = 'start';
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    current = name;
    const t = Date.now();
    const r = await fn();
    log(`ui: ✔ ${name} (${Date.now() - t} ms)`);
    return r;
  };

  try {
    await step('the workbench opens the fixture folder', () => openWorkbench(page, o, 'Dockerfile'));
    await step('Ctrl+P opens the Dockerfile', () => quickOpen(page, 'Dockerfile'));

    const editor = page.locator('.editor-instance .monaco-editor').first();
    await step('squiggles and the Problems count appear', async () => {
      await editor.locator('.squiggly-warning').first().waitFor();
      await editor.locator('.squiggly-info').first().waitFor();
      const problems = page.locator('[id="status.problems"]');
      await page.waitForFunction(() => /[1-9]/.test((globalThis as El).document.getElementById('status.problems')?.textContent ?? ''));
      const label = (await problems.getAttribute('aria-label')) ?? (await problems.innerText());
      log(`ui:   status bar: ${label.replace(/\s+/g, ' ')}`);
      const warnings = Number(/Warnings?:\s*(\d+)/i.exec(label)?.[1] ?? (await problems.innerText()).split(/\s+/).filter(Boolean)[1] ?? 0);
      if (!(warnings >= 3)) throw new Error(`expected at least 3 warnings in the status bar, got "${label}"`);
    });

    /** Errors + warnings + infos in the status bar's Problems item. */
    const problemCount = async () => {
      const label = (await page.locator('[id="status.problems"]').getAttribute('aria-label')) ?? '';
      return [...label.matchAll(/(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    };

    const goToLine = async (line: number) => {
      // Ctrl+G is the browser's; Ctrl+P with ":" is the same "Go to Line".
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(`:${line}`);
      await page.locator('.quick-input-widget', { hasText: `line ${line}` }).waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    };

    await step('Ctrl+Shift+M lists the findings in the Problems panel', async () => {
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.filter({ hasText: 'missing-hardening' }).first().waitFor();
      log(`ui:   Problems panel rows: ${await rows.count()}`);
      await page.keyboard.press('Control+1'); // back to the editor
    });

    await step('a hover (Ctrl+K Ctrl+I) on the final FROM lists what the final stage lacks', async () => {
      await goToLine(8);
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      // The extension's own hover (rule title, severity, guide text) under the problem hover.
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: /hardening settings are missing/ }).first();
      await hover.waitFor();
      const text = (await hover.innerText()).replace(nbsp, ' ');
      if (!/Container runs as root/.test(text)) throw new Error(`hover text: ${text}`);
      await shot('hover');
      await page.keyboard.press('Escape');
    });

    const lineText = async (line: number) => {
      // Line numbers are rendered in a separate layer; find the view line at the same top.
      return page.evaluate((ln) => {
        const ed = (globalThis as El).document.querySelector('.editor-instance .monaco-editor');
        if (!ed) return '';
        const num = [...ed.querySelectorAll('.line-numbers')].find((e: El) => e.textContent?.trim() === String(ln));
        if (!num) return '';
        const top = num.parentElement.style.top;
        const view = [...ed.querySelectorAll('.view-lines .view-line')].find((e: El) => e.style.top === top);
        return String(view?.textContent ?? '').replace(/\u00a0/g, ' ');
      }, line);
    };

    await step('Ctrl+. on the ADD line offers the quick fix; Enter applies it', async () => {
      await goToLine(11);
      if (!(await lineText(11)).startsWith('ADD ')) throw new Error(`line 11 is "${await lineText(11)}"`);
      const widget = page.locator('.action-widget');
      // On a loaded machine the key press can land before the editor has the focus back from the
      // quick input: the widget then never opens. Go to the line again and ask once more.
      for (let attempt = 1; ; attempt++) {
        await page.keyboard.press('Control+.');
        try {
          await widget.locator('.monaco-list-row', { hasText: /COPY/ }).first().waitFor({ timeout: 10_000 });
          break;
        } catch (e) {
          if (attempt === 3) throw e;
          log(`ui:   no "Replace ADD with COPY" in a quick-fix list after Ctrl+. (attempt ${attempt}); again`);
          await page.keyboard.press('Escape');
          await goToLine(11);
        }
      }
      const items = (await widget.locator('.monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      log(`ui:   quick fixes: ${items.join(' | ')}`);
      await shot('quick-fix');
      // Move the selection to the COPY fix with the arrow keys, then Enter.
      const target = items.findIndex((t) => /COPY/.test(t));
      const focused = await widget.locator('.monaco-list-row.focused').first().innerText().catch(() => '');
      let at = Math.max(0, items.findIndex((t) => t === focused.replace(/\s+/g, ' ').trim()));
      while (at < target) {
        await page.keyboard.press('ArrowDown');
        at++;
      }
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => true);
      await waitUntil(async () => (await lineText(11)).startsWith('COPY dist/'), () => lineText(11), 'line 11 to become COPY');
    });

    await step('F1 → "Harden This File" asks; Preview shows the diff (not checked itself) under a modal; Apply hardens the file and closes the diff', async () => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('>Harden This File');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Harden This File' }).first().waitFor();
      await shot('command-palette');
      await page.keyboard.press('Enter');
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor();
      const message = (await dialog.innerText()).replace(/\s+/g, ' ');
      log(`ui:   prompt: ${message}`);
      if (!/safe fix/i.test(message)) throw new Error(`unexpected dialog: ${message}`);
      await shot('harden-prompt');
      const problemsBefore = await problemCount();
      await dialog.locator('.monaco-button', { hasText: /^Preview$/ }).click();
      // The diff opens and the question comes back as a modal that stays until answered.
      const diffTab = page.locator('.tabs-container .tab', { hasText: /hardened \(preview\)/ });
      await diffTab.first().waitFor();
      await dialog.waitFor();
      await page.waitForTimeout(1500); // time for a (wrong) analysis of the preview to land
      const again = (await dialog.innerText()).replace(/\s+/g, ' ');
      log(`ui:   after Preview: ${again}`);
      if (!/safe fix/i.test(again)) throw new Error(`unexpected dialog after Preview: ${again}`);
      const problemsDuring = await problemCount();
      if (problemsDuring !== problemsBefore) throw new Error(`the preview was checked: Problems went from ${problemsBefore} to ${problemsDuring}`);
      await shot('harden-preview');
      await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      await diffTab.first().waitFor({ state: 'detached' });
      await editor.locator('.view-line', { hasText: 'USER 1000' }).first().waitFor();
      await shot('hardened');
    });

    await step('Ctrl+S saves the hardened Dockerfile', async () => {
      await page.keyboard.press('Control+S');
      const file = path.join(o.workspace, 'Dockerfile');
      await waitUntil(async () => /^USER 1000$/m.test(fs.readFileSync(file, 'utf8')), async () => fs.readFileSync(file, 'utf8'), 'USER 1000 on disk');
      const text = fs.readFileSync(file, 'utf8');
      if (!/^COPY dist\/ \/app\/$/m.test(text)) throw new Error(`saved text:\n${text}`);
      if (!/chmod 777/.test(text)) throw new Error('a manual finding was changed');
    });
    return true;
  } catch (e) {
    log(`ui: ✘ ${current}: ${(e as Error).message.split('\n')[0]}`);
    await shot('failure').catch(() => undefined);
    return false;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Opens the workbench on the workspace with the extension loaded through the payload, but no
 * extension tests (modal dialogs are allowed), and waits for `file` in the Explorer.
 */
export async function openWorkbench(page: Page, o: Pick<UiCheckOptions, 'server' | 'workspace' | 'extensionDevelopmentPath'>, file: string): Promise<void> {
  const q = new URLSearchParams({
    folder: o.workspace,
    payload: JSON.stringify([
      ['extensionDevelopmentPath', o.extensionDevelopmentPath],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ]),
  });
  await page.goto(`${o.server.url}/?${q.toString()}`);
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).waitFor();
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
}

/** Ctrl+P, the file's name, Enter: the file in the active tab. */
export async function quickOpen(page: Page, file: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(file);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: file }).waitFor();
}

async function waitUntil(ok: () => Promise<boolean>, last: () => Promise<string>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(await last())}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
