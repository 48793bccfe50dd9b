/**
 * The compose file as a person first sees it, in English and in Chinese: one finding per
 * service for the settings it lacks (not eight stacked warnings), the hover on a service
 * key, the Problems panel. Screenshots go to test-results/editor/ (ui-compose-<locale>-*.png).
 *
 * The Chinese run uses a code-server started with `--locale zh-cn` and a language pack stub
 * (codeServer.ts): VS Code's own texts stay English, the extension's are Chinese.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { log, type CodeServer } from './codeServer';
import { openWorkbench, quickOpen } from './ui-check';

export interface ComposeUiOptions {
  server: CodeServer;
  browser: Browser;
  workspace: string;
  extensionDevelopmentPath: string;
  results: string;
  locale: 'en' | 'zh-cn';
}

/** What each language must show: the grouped finding of `db` (line 12 of the fixture's compose.yaml). */
const EXPECT = {
  // The hover's own part (not the problem line VS Code puts above it): its heading and its last line.
  en: { group: /db lacks 8 hardening settings/, hover: /8 hardening settings are missing\.[\s\S]*No health check/ },
  'zh-cn': { group: /db 缺少 8 项加固设置/, hover: /缺少 8 项加固设置。[\s\S]*健康检查/ },
};

/** Problems the fixture's compose.yaml shows with grouping on: web and db one each, plus privileged, the socket, a port and restart. */
const EXPECTED_PROBLEMS = 6;

type El = any;

export async function composeUiCheck(o: ComposeUiOptions): Promise<boolean> {
  const page = await o.browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  page.setDefaultTimeout(30_000);
  const tag = `ui-compose-${o.locale}`;
  page.on('console', (m) => fs.appendFileSync(path.join(o.results, `${tag}-browser-console.log`), `[${m.type()}] ${m.text()}\n`));
  const shot = async (name: string) => {
    const file = path.join(o.results, `${tag}-${name}.png`);
    await page.screenshot({ path: file });
  };
  let current = 'start';
  const step = async (name: string, fn: () => Promise<void>) => {
    current = name;
    const t = Date.now();
    await fn();
    log(`ui (${o.locale}): ✔ ${name} (${Date.now() - t} ms)`);
  };
  const expect = EXPECT[o.locale];
  try {
    await step('the workbench opens; Ctrl+P opens compose.yaml', async () => {
      await openWorkbench(page, o, 'compose.yaml');
      await quickOpen(page, 'compose.yaml');
    });

    await step(`the file is quiet: ${EXPECTED_PROBLEMS} problems, one per service for what it lacks`, async () => {
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.filter({ hasText: expect.group }).first().waitFor();
      // The panel lists the file's row, then one row per problem.
      const deadline = Date.now() + 15_000;
      let texts: string[] = [];
      for (;;) {
        texts = (await rows.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
        const problems = texts.filter((t) => !/^compose\.yaml\b/.test(t) || /\(\d+, \d+\)/.test(t));
        if (problems.length === EXPECTED_PROBLEMS || Date.now() > deadline) {
          log(`ui (${o.locale}):   Problems: ${problems.join(' | ')}`);
          if (problems.length !== EXPECTED_PROBLEMS) throw new Error(`expected ${EXPECTED_PROBLEMS} problems, the panel lists ${problems.length}`);
          break;
        }
        await page.waitForTimeout(300);
      }
      if (o.locale === 'zh-cn' && !texts.some((t) => /[\u4e00-\u9fff]/.test(t))) throw new Error('no Chinese text in the Problems panel');
      await shot('problems');
      await page.keyboard.press('Control+1');
      await page.keyboard.press('Control+J'); // the panel closed again, as the editor usually is
      await page.locator('.markers-panel').waitFor({ state: 'hidden' });
    });

    await step('a hover on the db service lists what it lacks, in its language', async () => {
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill(':12:4');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: expect.hover }).first();
      await hover.waitFor();
      const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
      const words = text.split(/\s+/).filter(Boolean).length;
      log(`ui (${o.locale}):   hover: ${words} words, ${text.length} characters`);
      // Readable without scrolling: the hover shows no vertical scrollbar slider shorter than its track.
      const scrolls = await page.evaluate(() => {
        const doc = (globalThis as El).document;
        return [...doc.querySelectorAll('.monaco-hover:not(.hidden) .scrollbar.vertical')].some((bar: El) => {
          const slider = bar.querySelector('.slider');
          return !!slider && slider.offsetHeight > 0 && slider.offsetHeight < bar.offsetHeight - 2;
        });
      });
      if (scrolls) throw new Error(`the hover needs scrolling (${words} words)`);
      await shot('hover');
      await page.keyboard.press('Escape');
    });
    return true;
  } catch (e) {
    log(`ui (${o.locale}): ✘ ${current}: ${(e as Error).message.split('\n')[0]}`);
    await shot('failure').catch(() => undefined);
    return false;
  } finally {
    await page.close().catch(() => undefined);
  }
}
