/** Hovers: why a finding matters, or what a well-set option protects against. */
import { analyze } from './analyze';
import { t } from './i18n';
import { getRule } from './rules';
import { LineIndex } from './text';
import type { AnalysisResult, AnalyzeOptions, HoverInfo } from './types';

function ruleDoc(id: string): string {
  const m = getRule(id);
  if (!m) return '';
  const guide = m.guide.map((g) => `§${g}`).join(', ');
  const cis = m.cis ? ` · CIS Docker Benchmark ${m.cis}` : '';
  return `${t(m.long)}\n\n_${t('Rule')} [\`${m.id}\`](${m.docsUrl}) · ${t('hardening guide')} ${guide}${cis}_`;
}

/**
 * What to show when hovering at `offset`: the findings there (why, and what to
 * do instead), else what a security-relevant option or instruction protects
 * against. Answers from `prior` (an analysis of this very text) when given,
 * else analyses the text.
 */
export function hoverAt(text: string, offset: number, options: AnalyzeOptions = {}, prior?: AnalysisResult): HoverInfo | null {
  let a = prior;
  if (!a) {
    try {
      a = analyze(text, options);
    } catch {
      return null;
    }
  }
  if (a.skipped) return null;
  const here = a.findings.filter((f) => f.span.start <= offset && offset <= f.span.end && (f.span.end > f.span.start || f.span.start === offset));
  if (here.length) {
    // The innermost span: the latest start and the earliest end, with the positions the findings carry.
    let first = here[0];
    let last = here[0];
    for (const f of here) {
      if (f.span.start > first.span.start) first = f;
      if (f.span.end < last.span.end) last = f;
    }
    const parts = here.map((f) => {
      const m = getRule(f.ruleId);
      const title = m ? t(m.title) : f.ruleId;
      return `**${title}** (\`${f.ruleId}\`, ${t(f.severity)})\n\n${f.message}\n\n${ruleDoc(f.ruleId)}`;
    });
    return { span: { start: first.span.start, end: last.span.end }, range: { start: first.range.start, end: last.range.end }, contents: parts.join('\n\n---\n\n') };
  }
  // A security-relevant option with nothing wrong: say what it protects against.
  const spots = a.hoverSpots ?? [];
  const spot = spots.find((s) => s.kind === 'option' && s.span.start <= offset && offset <= s.span.end) ?? spots.find((s) => s.kind === 'instruction' && s.span.start <= offset && offset <= s.span.end);
  if (!spot) return null;
  const m = getRule(spot.ruleId)!;
  const index = new LineIndex(text);
  const shown = text.slice(spot.span.start, spot.span.end);
  const head = spot.kind === 'option' ? `**\`${shown.split(/\s/)[0]}\`**` : `**${shown.toUpperCase()}**`;
  return { span: spot.span, range: index.rangeOf(spot.span), contents: `${head} — ${t(m.title)}\n\n${t(m.short)}\n\n${ruleDoc(spot.ruleId)}` };
}
