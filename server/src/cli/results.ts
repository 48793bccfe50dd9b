import type { AnalysisResult } from '../engine';

/** What the CLI found for one file, for the reports. */
export interface FileResult {
  path: string;
  displayPath: string;
  text?: string;
  result?: AnalysisResult;
  skipped?: string;
  fixed?: number;
}
