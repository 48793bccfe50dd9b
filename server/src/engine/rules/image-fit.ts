/**
 * Fixes that depend on the image (a user, dropped capabilities, a read-only
 * root filesystem, limits): fitted to what the image table knows, and safe
 * only for a known image. The hover note says what the fix adds for this image
 * and cites where that comes from.
 */
import { citeUrl, type Cite } from '../images';
import type { Launch } from '../launch';
import { t } from './util';

/** Markdown links to the first few sources of a fact: `sources 1, 2` (numbers linked; hovers are short). */
function sources(cites: readonly Cite[]): string {
  const links = cites.map((c) => citeUrl(c)).filter((u): u is string => !!u).slice(0, 2);
  return links.length ? `${t('sources')} ${links.map((u, i) => `[${i + 1}](${u})`).join(', ')}` : '';
}

/** A hover note: "For postgres: … (source 1, source 2)". */
export function imageNote(l: Launch, text: string, cites: readonly Cite[]): string | undefined {
  if (!l.known) return undefined;
  const src = sources(cites);
  return `${t('For {0}: {1}', `\`${l.image?.shape ?? l.known.title}\``, text)}${src ? ` (${src})` : ''}`;
}

/** Sizes such as `512m`, `1g`, `1.5G` in bytes; undefined when not a plain size. */
export function bytes(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)i?b?$/i.exec(s.trim());
  if (!m) return undefined;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'b' | 'k' | 'm' | 'g' | 't'];
  return Number(m[1]) * unit;
}

/** The larger of the configured limit and the image's known minimum. */
export function atLeast(value: string, min: string | undefined, parse: (s: string) => number | undefined): string {
  if (!min) return value;
  const a = parse(value);
  const b = parse(min);
  return a !== undefined && b !== undefined && b > a ? min : value;
}
