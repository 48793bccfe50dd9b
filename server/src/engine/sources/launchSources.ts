/**
 * The sources that are launches and nothing else: devcontainer.json (J), GitHub Actions workflows
 * (W; with the shell of their `run:` steps) and Podman Quadlet units (Q). One entry point for the
 * pipeline, one for "does this text still parse" after a fix.
 */
import type { Launch } from '../launch';
import type { CommentMarker } from '../suppress';
import type { Span } from '../types';
import { parseDevcontainer, readDevcontainer } from './devcontainer';
import { parseUnit, readQuadlet } from './quadlet';
import type { Assign, Cmd } from './shell';
import { parseWorkflow, readWorkflow } from './workflow';

export type LaunchSourceKind = 'devcontainer' | 'workflow' | 'quadlet';

export interface LaunchSource {
  launches: Launch[];
  /** The shell commands of a workflow's `run:` steps. */
  shell?: { commands: Cmd[]; assigns: Assign[] };
  /** Spans a suppression comment before their first line covers: a whole `run:` script or `options:` block, a unit entry over several lines. */
  blocks?: Span[];
  error?: { span: Span; message: string };
}

export function isLaunchSource(kind: string | undefined): kind is LaunchSourceKind {
  return kind === 'devcontainer' || kind === 'workflow' || kind === 'quadlet';
}

/** `keep`: the statements of `run:` scripts worth reading (see readShell). */
export function readLaunchSource(kind: LaunchSourceKind, text: string, keep?: (s: string) => boolean): LaunchSource {
  if (kind === 'devcontainer') {
    const r = readDevcontainer(text);
    return { launches: r.launch ? [r.launch] : [], error: r.error };
  }
  if (kind === 'quadlet') {
    const r = readQuadlet(text);
    return { launches: r.launch ? [r.launch] : [], blocks: r.blocks, error: r.error };
  }
  const r = readWorkflow(text, keep);
  return { launches: r.launches, shell: { commands: r.commands, assigns: r.assigns }, blocks: r.blocks, error: r.error };
}

/** True when the text still parses as this kind (a fix did not break it). A byte-order mark is read as the analysis reads it. */
export function launchSourceParses(kind: LaunchSourceKind, text: string): boolean {
  if (kind === 'workflow') return !parseWorkflow(text).error;
  const src = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  if (kind === 'devcontainer') return !parseDevcontainer(src).error;
  return !parseUnit(src).error;
}

