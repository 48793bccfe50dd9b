/** The JSON report (`--format json`). */
import { fingerprintsOf } from './baseline';
import type { FileResult } from './results';
import { VERSION } from './version';

export function jsonReport(results: FileResult[]): string {
  return JSON.stringify(
    {
      tool: { name: 'container-hardening', version: VERSION() },
      files: results.map((r) => {
        const fps = fingerprintsOf(r);
        return {
        path: r.displayPath,
        kind: r.result?.kind,
        skipped: r.skipped,
        fixed: r.fixed,
        findings: (r.result?.findings ?? []).map((f, i) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          line: f.range.start.line + 1,
          column: f.range.start.character + 1,
          endLine: f.range.end.line + 1,
          endColumn: f.range.end.character + 1,
          context: f.context,
          fingerprint: fps[i],
          fixes: f.fixes,
        })),
        };
      }),
    },
    null,
    2,
  ) + '\n';
}
