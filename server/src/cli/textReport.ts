/** The text report (`--format text`, the default). */
import { isGroup, presented } from '../engine';
import type { FileResult } from './results';

function colorize(on: boolean) {
  const c = (code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);
  return { red: c('31'), yellow: c('33'), blue: c('34'), dim: c('2'), bold: c('1'), green: c('32') };
}

export function textReport(results: FileResult[], color: boolean, fixing: boolean): string {
  const c = colorize(color);
  const lines: string[] = [];
  const count = { error: 0, warning: 0, info: 0 };
  let files = 0;
  for (const r of results) {
    if (r.skipped) continue;
    files++;
    if (r.fixed) lines.push(c.green(`${r.displayPath}: fixed ${r.fixed} finding${r.fixed === 1 ? '' : 's'}`));
    for (const d of r.decisions ?? []) lines.push(c.yellow(`${r.displayPath}: ${d}`));
    // A container's missing settings as one line (the missing-hardening group); JSON and SARIF keep one result per rule.
    for (const f of presented(r.result?.findings ?? [], r.result?.groups)) {
      const members = isGroup(f) ? f.members : [f];
      for (const m of members) count[m.severity]++;
      const sev = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
      const pos = `${r.displayPath}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const fixable = members.some((m) => m.fixes.some((x) => x.safe)) ? c.dim(' [fixable]') : '';
      const id = isGroup(f) ? f.id : f.ruleId;
      lines.push(`${pos}  ${sev}  ${c.bold(id)}  ${f.message}${fixable}`);
    }
  }
  const total = count.error + count.warning + count.info;
  const fixedTotal = results.reduce((n, r) => n + (r.fixed ?? 0), 0);
  const summary =
    total === 0
      ? c.green(`No findings in ${files} file${files === 1 ? '' : 's'}.`)
      : `${total} finding${total === 1 ? '' : 's'} (${count.error} error${count.error === 1 ? '' : 's'}, ${count.warning} warning${count.warning === 1 ? '' : 's'}, ${count.info} info) in ${files} file${files === 1 ? '' : 's'}.`;
  const fixable = results.reduce((n, r) => n + (r.result?.findings.filter((f) => f.fixes.some((x) => x.safe)).length ?? 0), 0);
  const tail = fixing ? ` Fixed ${fixedTotal}.` : fixable ? ` ${fixable} can be fixed with --fix.` : '';
  if (lines.length) lines.push('');
  lines.push(summary + tail);
  return lines.join('\n') + '\n';
}
