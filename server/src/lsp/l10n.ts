import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as L10n from '@vscode/l10n';
import { engine } from './engine';

/**
 * The locale the client asked for: `initializationOptions.locale` (any
 * client), the LSP `locale` initialize parameter (VS Code sends it), or
 * VS Code's `VSCODE_NLS_CONFIG` environment variable.
 */
export function pickLocale(initOptionsLocale: unknown, paramsLocale: string | undefined, env: NodeJS.ProcessEnv = typeof process === 'undefined' ? {} : process.env): string | undefined {
  if (typeof initOptionsLocale === 'string' && initOptionsLocale) return initOptionsLocale;
  if (paramsLocale) return paramsLocale;
  const nls = env.VSCODE_NLS_CONFIG;
  if (nls) {
    try {
      const cfg = JSON.parse(nls) as { locale?: unknown };
      if (typeof cfg.locale === 'string') return cfg.locale;
    } catch {
      // ignore a malformed variable
    }
  }
  return undefined;
}

/** Bundle file suffixes to try for a locale, most specific first. */
export function bundleNames(locale: string): string[] {
  const l = locale.toLowerCase().replace(/_/g, '-');
  const names = [l];
  if (/^zh-(hans|sg|cn)/.test(l) || l === 'zh') names.push('zh-cn');
  const lang = l.split('-')[0];
  if (!names.includes(lang)) names.push(lang);
  return names.map((n) => `bundle.l10n.${n}.json`);
}

/** Folders a bundle may live in: `dist/l10n` next to the bundled server, or `server/l10n` in the source tree. */
function bundleDirs(): string[] {
  const dirs: string[] = [];
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    dirs.push(path.join(dir, 'l10n'), path.join(dir, 'server', 'l10n'));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dirs;
}

/** A message bundle's text by file name (`bundle.l10n.zh-cn.json`), undefined when there is none: for a server without a file system. */
export type BundleReader = (name: string) => string | undefined;

/**
 * Loads the bundle for `locale` (if any) and installs it as the engine's
 * translator, so rule texts, messages and the server's own strings come out
 * in that language. Returns the bundle path used. A bundle that cannot be
 * read as one is reported to `onError` and the next one tried.
 */
export function installLocale(locale: string | undefined, onError?: (where: string, e: unknown) => void, readBundle?: BundleReader): string | undefined {
  const { setTranslator } = engine();
  setTranslator(undefined);
  if (!locale || /^en(-|$)/i.test(locale)) return undefined;
  for (const name of bundleNames(locale)) {
    for (const [p, read] of readBundle ? [[name, () => readBundle(name)] as const] : bundleDirs().map((dir) => [path.join(dir, name), () => fs.readFileSync(path.join(dir, name), 'utf8')] as const)) {
      let text: string | undefined;
      try {
        text = read();
      } catch {
        continue; // no bundle in this folder
      }
      if (text === undefined) continue;
      // Loaded only for a language other than English.
      const l10n = require('@vscode/l10n') as typeof L10n;
      try {
        l10n.config({ contents: JSON.parse(text) });
      } catch (e) {
        onError?.(`l10n bundle ${p}`, e);
        continue;
      }
      setTranslator((message, ...args) => l10n.t(message, ...args));
      return p;
    }
  }
  return undefined;
}
