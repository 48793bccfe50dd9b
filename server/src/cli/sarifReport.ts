/** The SARIF 2.1.0 report (`--format sarif`), for code-scanning services. */
import * as path from 'path';
import { LineIndex, RULES, type Finding, type Severity } from '../engine';
import { fingerprintsOf, FINGERPRINT_KEY } from './baseline';
import type { FileResult } from './results';
import { VERSION } from './version';

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.5', info: '2.0' };

function toUri(p: string): string {
  return p.split(path.sep).map(encodeURIComponent).join('/');
}

export function sarifReport(results: FileResult[]): string {
  const rules = RULES.map((r) => ({
    id: r.id,
    name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
    shortDescription: { text: r.short },
    fullDescription: { text: r.long.replace(/`/g, '') },
    help: { text: `${r.short}\n\n${r.long.replace(/`/g, '')}`, markdown: `**${r.title}**\n\n${r.long}\n\nHardening guide § ${r.guide.join(', ')}${r.cis ? ` · CIS Docker Benchmark ${r.cis}` : ''}` },
    helpUri: r.docsUrl,
    defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
    properties: { tags: ['security', 'docker', 'container'], 'security-severity': SECURITY_SEVERITY[r.severity], precision: 'high', ...(r.cis ? { cis: r.cis } : {}) },
  }));
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i]));
  const sarifResults: unknown[] = [];
  for (const r of results) {
    if (!r.result || !r.text) continue;
    const uri = toUri(r.displayPath);
    const region = (f: { range: Finding['range'] }) => ({
      startLine: f.range.start.line + 1,
      startColumn: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
    });
    const index = new LineIndex(r.text);
    const fps = fingerprintsOf(r);
    for (const [i, f] of r.result.findings.entries()) {
      const out: Record<string, unknown> = {
        ruleId: f.ruleId,
        ruleIndex: ruleIndex.get(f.ruleId),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message.replace(/`/g, "'") },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: region(f) } }],
        partialFingerprints: { primaryLocationLineHash: `${f.ruleId}:${f.range.start.line + 1}:${index.lineText(f.range.start.line).trim().slice(0, 80)}`, [FINGERPRINT_KEY]: fps[i] },
      };
      if (f.severity !== getDefault(f.ruleId)) out.properties = { 'security-severity': SECURITY_SEVERITY[f.severity] };
      if (f.fixes.length) {
        out.fixes = f.fixes.map((x) => ({
          description: { text: x.title.replace(/`/g, "'") },
          artifactChanges: [
            {
              artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
              replacements: x.edits.map((e) => {
                const s = index.positionAt(e.start);
                const en = index.positionAt(e.end);
                return { deletedRegion: { startLine: s.line + 1, startColumn: s.character + 1, endLine: en.line + 1, endColumn: en.character + 1 }, insertedContent: { text: e.newText } };
              }),
            },
          ],
        }));
      }
      sarifResults.push(out);
    }
  }
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'container-hardening', semanticVersion: VERSION(), version: VERSION(), informationUri: 'https://github.com/container-hardening/container-hardening', rules } },
          originalUriBaseIds: { '%SRCROOT%': { uri: toUri(process.cwd()).replace(/^/, 'file://') + '/' } },
          columnKind: 'utf16CodeUnits',
          results: sarifResults,
        },
      ],
    },
    null,
    2,
  ) + '\n';
}

function getDefault(id: string): Severity | undefined {
  return RULES.find((r) => r.id === id)?.severity;
}
