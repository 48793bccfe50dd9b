import type { AnalysisResult } from '../engine';

/** What the CLI found for one file, for the reports. */
export interface FileResult {
  path: string;
  displayPath: string;
  text?: string;
  result?: AnalysisResult;
  skipped?: string;
  fixed?: number;
  /** What --fix left for a decision, one sentence per container ("3 settings need a decision for myorg/app:1.0: …"). */
  decisions?: string[];
}
