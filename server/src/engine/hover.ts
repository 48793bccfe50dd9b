/**
 * Hovers, short enough to read without scrolling: at a finding, what to do (one
 * sentence), why, and the rule's link, most severe first, without repeating the
 * diagnostic's own line; at a launch's grouped missing settings, one line per
 * setting; at a setting that is set well, what it protects against.
 */
import { analyze } from './analyze';
import { t } from './i18n';
import { PEER_NAMES } from './peerIds';
import { getRule } from './rules';
import { LineIndex } from './text';
import type { AnalysisResult, AnalyzeOptions, Finding, FindingGroup, HoverInfo, HoverSpot, Severity, SilencedFinding } from './types';

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** The rule's link line: id, guide sections, CIS number. */
function ruleLink(id: string): string {
  const m = getRule(id);
  if (!m) return '';
  const guide = m.guide.map((g) => `§${g}`).join(', ');
  const cis = m.cis ? ` · CIS ${m.cis}` : '';
  return `_[\`${m.id}\`](${m.docsUrl}) · ${t('hardening guide')} ${guide}${cis}_`;
}

/** A rule's explanation split into what to do (the first sentence of its advice) and why. */
function advice(id: string): { act: string; why: string } {
  const m = getRule(id);
  if (!m) return { act: '', why: '' };
  const [why, todo = ''] = t(m.long).split('\n\n');
  const act = /^.*?[.\u3002!](?=\s|$)/s.exec(todo)?.[0] ?? todo;
  return { act, why };
}

/** One finding: what to do, why (for the first only: hovers stay short), the link. */
function findingBlock(f: Finding, full: boolean): string {
  const { act, why } = advice(f.ruleId);
  const title = getRule(f.ruleId) ? t(getRule(f.ruleId)!.title) : f.ruleId;
  const head = `**${title}.** ${act}`;
  const note = f.note ? `\n\n${f.note}` : '';
  return full ? `${head}${note}\n\n${why}\n\n${ruleLink(f.ruleId)}` : `${head}${note} ${ruleLink(f.ruleId)}`;
}

/**
 * A launch's grouped missing settings. The diagnostic line above already names each setting, so
 * this stays short enough for VS Code's hover box (about a dozen lines) without scrolling: the
 * settings whose fix depends on the image, one line each with what the fix does for it and the
 * sources; the others as one line of rule links.
 */
function groupBlock(g: FindingGroup): string {
  const link = (f: Finding) => `[\`${f.ruleId}\`](${getRule(f.ruleId)!.docsUrl})`;
  const noted = g.members.filter((f) => f.note);
  const rest = g.members.filter((f) => !f.note);
  // The notes all start "For `postgres:16`: ": said once, before the list.
  const lead = noted.length > 1 ? sharedLead(noted.map((f) => f.note!)) : '';
  const lines = noted.map((f) => `- ${link(f)} — ${f.note!.slice(lead.length)}`);
  // The others as one line of links named by what is missing (plain text: code spans are wider).
  const plain = rest.map((f) => `[${t(getRule(f.ruleId)!.title)}](${getRule(f.ruleId)!.docsUrl})`).join(' · ');
  if (rest.length) lines.push(`- ${plain}`);
  const harden = g.fixes.length ? ` ${t('“{0}” adds the safe ones.', g.fixes[0].title)}` : '';
  return `**${t('{0} hardening settings are missing.', g.members.length)}**${harden}${lead ? ` ${lead.trim()}` : ''}\n\n${lines.join('\n')}`;
}

/** The text several notes start with, up to and including its last colon (`For \`postgres:16\`: `, `对于 … ：`). */
function sharedLead(notes: string[]): string {
  let n = 0;
  while (n < notes[0].length && notes.every((x) => x[n] === notes[0][n])) n++;
  const head = notes[0].slice(0, n);
  const colon = Math.max(head.lastIndexOf(': '), head.lastIndexOf('：'));
  if (colon < 0) return '';
  return head.slice(0, colon + (head[colon] === '：' ? 1 : 2));
}

/** A finding another tool's comment silenced: which comment, where. */
function silencedBlock(quiet: SilencedFinding[]): string {
  return quiet
    .map((s) => {
      const m = getRule(s.ruleId);
      const title = m ? t(m.title) : s.ruleId;
      const link = m ? ` [\`${m.id}\`](${m.docsUrl})` : '';
      return `${t('{0}: silenced by the {1} comment `{2}` (line {3}).', title, PEER_NAMES[s.tool], s.comment.replace(/`/g, "'"), s.line + 1)}${link}`;
    })
    .join('\n\n');
}

/** What a setting that is set well protects against: `Process limit: 100. Stops a fork bomb …`. */
function protects(spot: HoverSpot): string | undefined {
  const v = spot.setting?.value ?? '';
  switch (spot.setting?.name) {
    case 'pids-limit':
      return t('Process limit: {0}. Stops a fork bomb in the container from exhausting the host\'s process table.', v);
    case 'memory':
      return t('Memory limit: {0}. A leak or a load spike kills this container, not the host.', v);
    case 'cpus':
    case 'cpu-quota':
    case 'cpu-shares':
    case 'cpuset-cpus':
      return t('CPU limit: {0}. The container cannot starve the host and its neighbours.', v);
    case 'cap-drop':
      return /^all$/i.test(v.trim()) ? t('All capabilities dropped. The container keeps only those added back with cap_add.') : undefined;
    case 'user':
      return t('Runs as {0}, not root: a process that breaks out does not start with root\'s powers.', v);
    case 'read-only':
      return /^(true|1|yes)$/i.test(v.trim()) ? t('Read-only root filesystem. An intruder cannot replace the image\'s programs or leave tools behind.') : undefined;
    case 'security-opt':
      return /^no-new-privileges([:=]true)?$/i.test(v.trim()) ? t('no-new-privileges is set. setuid programs cannot raise a process\'s privileges.') : undefined;
    case 'healthcheck':
      return v !== 'false' ? t('Health check. The engine can tell a hung container from a working one and restart or replace it.') : undefined;
  }
  return undefined;
}

/**
 * What to show when hovering at `offset`: the findings there, else what a
 * security-relevant option or instruction protects against. Answers from
 * `prior` (an analysis of this very text) when given, else analyses the text.
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
  const at = (s: { start: number; end: number }) => s.start <= offset && offset <= s.end && (s.end > s.start || s.start === offset);
  const groups = (a.groups ?? []).filter((g) => at(g.span));
  const grouped = new Set(groups.flatMap((g) => g.members));
  const here = a.findings.filter((f) => at(f.span) && !grouped.has(f)).sort((x, y) => RANK[x.severity] - RANK[y.severity]);
  // Findings another tool's comment silenced here: the hover names the comment.
  const quiet = (a.silenced ?? []).filter((s) => at(s.span));
  const quietText = quiet.length ? silencedBlock(quiet) : '';
  if (here.length || groups.length) {
    const spans = [...here.map((f) => f), ...groups];
    // The innermost span: the latest start and the earliest end, with the positions the findings carry.
    let first = spans[0];
    let last = spans[0];
    for (const f of spans) {
      if (f.span.start > first.span.start) first = f;
      if (f.span.end < last.span.end) last = f;
    }
    const parts = [...here.map((f, i) => findingBlock(f, i === 0)), ...groups.map(groupBlock), ...(quietText ? [quietText] : [])];
    return { span: { start: first.span.start, end: last.span.end }, range: { start: first.range.start, end: last.range.end }, contents: parts.join('\n\n---\n\n') };
  }
  // A security-relevant setting with nothing wrong: say what it protects against.
  const spots = a.hoverSpots ?? [];
  const spot = spots.find((s) => s.kind === 'option' && at(s.span)) ?? spots.find((s) => s.kind === 'instruction' && at(s.span));
  if (!spot) return quiet.length ? { span: quiet[0].span, range: quiet[0].range, contents: quietText } : null;
  const m = getRule(spot.ruleId)!;
  const index = new LineIndex(text);
  const shown = text.slice(spot.span.start, spot.span.end);
  const good = protects(spot);
  const head = spot.kind === 'option' ? `\`${shown.split(/\s/)[0]}\`` : shown.toUpperCase();
  const body = good ? `**${good}**` : `**${head}**: ${t(m.short)}`;
  const said = `${body}\n\n${ruleLink(spot.ruleId)}`;
  return { span: spot.span, range: index.rangeOf(spot.span), contents: quietText ? `${quietText}\n\n---\n\n${said}` : said };
}
