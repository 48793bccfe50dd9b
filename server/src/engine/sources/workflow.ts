/**
 * GitHub Actions workflow reader (`.github/workflows/*.yml`): a job's `container:` and its
 * `services:` are `docker create` launches (the runner appends `options` unchanged; `volumes`,
 * `env` and `credentials` are native keys), and every `run:` step whose shell is bash or sh (the
 * default off Windows, unless `defaults.run.shell` or the step's `shell:` say otherwise) is read
 * as a shell script. Positions inside plain, quoted and block scalars map back to the file
 * character by character; `${{ … }}` expressions are unknown values. CI containers are
 * throwaway: judged neither for missing settings nor for running as root (the catalog's W).
 */
import type { Document, Node as YNode, Pair, Scalar, YAMLMap } from 'yaml';
import { launchWords, type Word } from '../dockercli';
import { isMap, isScalar, isSeq, yaml } from '../lazy';
import { UNKNOWN, type Launch, type Option } from '../launch';
import { parseShortVolume } from '../mounts';
import type { Span } from '../types';
import { readArgOptions, splitArgs } from './argv';
import { withNode } from './composeWriter';
import { fileSpan, maskUnknown, MappedBuilder, verbatim, type MappedText } from './mapped';
import { readShell, type Assign, type Cmd, type ShellModel } from './shell';
import { READ_ONLY_COMMAND_WRITER } from './shellWriter';
import { withArgs, workflowWriter } from './workflowWriter';
import { errorSpan } from './yamlErrors';
import { resolve } from './composeNodes';
import { scalarText } from './yamlScalar';

export interface WorkflowModel {
  launches: Launch[];
  commands: Cmd[];
  assigns: Assign[];
  /** `run:` scripts and `options:` blocks: a suppression comment before the key covers the whole string. */
  blocks: Span[];
  error?: { span: Span; message: string };
}

const EXPRESSION = /\$\{\{[\s\S]*?\}\}/g;

const keyOf = (p: Pair) => (isScalar(p.key) ? String(p.key.value) : '');

function get(map: unknown, key: string, doc: Document): Pair | undefined {
  const m = resolve(map, doc);
  if (!isMap(m)) return undefined;
  let found: Pair | undefined;
  for (const p of m.items) if (keyOf(p) === key) found = p;
  return found;
}

const spanOf = (n: { range?: [number, number, number] | null } | null | undefined): Span | undefined => (n?.range ? { start: n.range[0], end: n.range[1] } : undefined);

function pairSpan(p: Pair): Span {
  const k = spanOf(p.key as YNode);
  const v = spanOf(p.value as YNode);
  const start = k?.start ?? v?.start ?? 0;
  return { start, end: v?.end ?? k?.end ?? start };
}

/**
 * A scalar's value with its characters' places. When the style cannot be mapped exactly, every
 * character stands at the whole scalar (findings point there; writers find no exact word).
 */
function located(text: string, n: Scalar): MappedText {
  const m = scalarText(text, n);
  if (m) return m;
  const span = spanOf(n) ?? { start: 0, end: 0 };
  const b = new MappedBuilder();
  b.push(String(n.value ?? ''), span.start, span.end);
  return b.finish(span.end);
}

/** A scalar's value shape, `${{ … }}` as UNKNOWN. */
function shapeOf(n: unknown, doc: Document): string | undefined {
  const r = resolve(n, doc);
  if (!isScalar(r) || r.value === null || r.value === undefined) return undefined;
  return String(r.value).replace(EXPRESSION, UNKNOWN);
}

export function parseWorkflow(text: string): { doc?: Document; error?: WorkflowModel['error'] } {
  const doc = yaml().parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: false, maxAliasCount: 1000 } as never);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const message = /Maximum call stack/.test(e.message) ? 'the document is nested too deeply to read' : e.message.split('\n')[0];
    return { error: { span: errorSpan(text, e.pos[0], e.pos[1]), message } };
  }
  return { doc };
}

export function readWorkflow(text: string, keep?: (s: string) => boolean): WorkflowModel {
  const out: WorkflowModel = { launches: [], commands: [], assigns: [], blocks: [] };
  let parsed: ReturnType<typeof parseWorkflow>;
  try {
    parsed = parseWorkflow(text);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    parsed = { error: { span: { start: 0, end: Math.max(0, text.indexOf('\n')) }, message: 'the document is nested too deeply to read' } };
  }
  if (parsed.error || !parsed.doc) return { ...out, error: parsed.error };
  const doc = parsed.doc;
  const jobs = resolve(get(doc.contents, 'jobs', doc)?.value, doc);
  if (!isMap(jobs)) return out;
  const writer = workflowWriter(text, doc);
  const workflowShell = shapeOf(get(get(get(doc.contents, 'defaults', doc)?.value, 'run', doc)?.value, 'shell', doc)?.value, doc);
  for (const jp of jobs.items) {
    const id = keyOf(jp);
    const job = resolve(jp.value, doc);
    if (!isMap(job)) continue;
    const c = get(job, 'container', doc);
    if (c) {
      const l = containerLaunch(text, doc, c, `job ${id} container`, writer, out.blocks);
      if (l) out.launches.push(l);
    }
    const services = resolve(get(job, 'services', doc)?.value, doc);
    if (isMap(services)) {
      for (const sp of services.items) {
        const l = containerLaunch(text, doc, sp, `job ${id} service ${keyOf(sp)}`, writer, out.blocks);
        if (l) out.launches.push(l);
      }
    }
    const runsOn = labels(get(job, 'runs-on', doc)?.value, doc);
    const jobShell = shapeOf(get(get(get(job, 'defaults', doc)?.value, 'run', doc)?.value, 'shell', doc)?.value, doc) ?? workflowShell;
    const steps = resolve(get(job, 'steps', doc)?.value, doc);
    if (!isSeq(steps)) continue;
    for (const st of steps.items) {
      const step = resolve(st, doc);
      const rp = get(step, 'run', doc);
      const run = resolve(rp?.value, doc);
      if (!rp || !isScalar(run) || typeof run.value !== 'string') continue;
      const shell = shapeOf(get(step, 'shell', doc)?.value, doc) ?? jobShell ?? (/windows/i.test(runsOn) ? 'pwsh' : 'bash');
      if (!isPosixShell(shell)) continue;
      readRunStep(text, run, keep, out);
      out.blocks.push(pairSpan(rp));
    }
  }
  return out;
}

/** The runner labels of `runs-on`: a label, a list of labels, or `{ group, labels }`. */
function labels(n: unknown, doc: Document): string {
  const v = resolve(n, doc);
  if (isSeq(v)) return v.items.map((i) => shapeOf(i, doc) ?? '').join(' ');
  if (isMap(v)) return labels(get(v, 'labels', doc)?.value, doc);
  return shapeOf(v, doc) ?? '';
}

/** `bash`, `sh`, `bash -e {0}`, `/usr/bin/bash --noprofile --norc -eo pipefail {0}`. */
function isPosixShell(shell: string): boolean {
  const prog = shell.trim().split(/\s+/)[0] ?? '';
  return /^(?:.*\/)?(?:ba|da|z|k)?sh$/.test(prog) && !prog.includes(UNKNOWN);
}

/** A job `container:` (an image string, or a map) or a service, as the launch `docker create` makes of it. */
/** A `|` or `>` block: a suppression comment cannot go inside it, only before its key. */
const isBlock = (n: Scalar) => n.type === 'BLOCK_FOLDED' || n.type === 'BLOCK_LITERAL';

function containerLaunch(text: string, doc: Document, p: Pair, label: string, writer: Launch['writer'], blocks: Span[]): Launch | undefined {
  const v = resolve(p.value, doc);
  const options: Option[] = [];
  let image: Launch['image'];
  const imageNode = isMap(v) ? resolve(get(v, 'image', doc)?.value, doc) : v;
  if (isScalar(imageNode) && imageNode.value !== null && imageNode.value !== '') {
    const span = spanOf(imageNode);
    const shape = shapeOf(imageNode, doc);
    if (span && shape !== undefined) image = { shape, span };
  }
  if (!image && !isMap(v)) return undefined;
  if (isMap(v)) {
    const op = get(v, 'options', doc);
    const on = resolve(op?.value, doc);
    if (op && isScalar(on) && typeof on.value === 'string') {
      const m = maskUnknown(located(text, on), EXPRESSION, (k) => UNKNOWN.repeat(k));
      const a = readArgOptions(splitArgs(m, text, { systemd: false }));
      for (const o of a.options) options.push(withArgs(o, { args: a, pair: op, map: v }));
      if (isBlock(on)) blocks.push(pairSpan(op));
    }
    const vp = get(v, 'volumes', doc);
    const vols = resolve(vp?.value, doc);
    if (vp && isSeq(vols)) {
      for (const it of vols.items) {
        const item = resolve(it, doc);
        const span = spanOf(item as YNode);
        if (!isScalar(item) || item.value === null || !span) continue;
        const m = maskUnknown(located(text, item), EXPRESSION, (k) => UNKNOWN.repeat(k));
        const valueSpan = verbatim(m, text, 0, m.text.length) ? fileSpan(m, 0, m.text.length) : undefined;
        const o: Option = { name: 'volume', value: m.text, span, valueSpan, spelled: 'volumes', mount: parseShortVolume(m.text) };
        options.push(withNode(o, { kind: 'item', item: item as YNode, seq: vols, parentPair: vp }));
      }
    }
    const env = resolve(get(v, 'env', doc)?.value, doc);
    if (isMap(env)) {
      for (const q of env.items) {
        const value = shapeOf(q.value, doc);
        if (value === undefined) continue;
        options.push(withNode({ name: 'env', value: `${keyOf(q)}=${value}`, span: pairSpan(q), valueSpan: spanOf(q.value as YNode), spelled: 'env' }, { kind: 'pair', pair: q, map: env }));
      }
    }
    // A registry password written into the file: the secret-in-env rule judges it like an env value.
    const pw = get(get(v, 'credentials', doc)?.value, 'password', doc);
    const pwValue = pw ? shapeOf(pw.value, doc) : undefined;
    if (pw && pwValue !== undefined) options.push({ name: 'env', value: `password=${pwValue}`, span: pairSpan(pw), spelled: 'credentials.password' });
  }
  return {
    source: 'workflow',
    tool: 'docker',
    command: 'create',
    anchor: spanOf(p.key as YNode) ?? { start: 0, end: 0 },
    label,
    image,
    options,
    judgeMissing: false,
    purpose: 'ci',
    writer,
  };
}

/** A shell variable of the same length: the script reads a `${{ … }}` expression as an unknown value. */
const asVariable = (k: number) => (k >= 4 ? '${' + '_'.repeat(k - 3) + '}' : '_'.repeat(k));

/** Reads one `run:` script and maps everything it found back to the workflow file. */
function readRunStep(text: string, run: Scalar, keep: ((s: string) => boolean) | undefined, out: WorkflowModel): void {
  const exact = scalarText(text, run);
  const m = maskUnknown(exact ?? located(text, run), EXPRESSION, asVariable);
  const model = readShell(m.text, { fileText: text, source: 'shell', keep });
  remap(model, m);
  // The shell writer edits the file's own lines: right for a literal block or a one-line scalar
  // written as it reads; a folded or escaped script gets no fix.
  const editable = !!exact && (run.type === 'BLOCK_LITERAL' || (!m.text.includes('\n') && verbatim(m, text, 0, m.text.length)));
  for (const l of model.launches) {
    l.judgeMissing = false;
    l.purpose = 'ci';
    if (!editable) l.writer = READ_ONLY_COMMAND_WRITER;
  }
  out.launches.push(...model.launches);
  out.commands.push(...model.commands);
  out.assigns.push(...model.assigns);
}

/**
 * Moves every span of a script's model from the script to the file. Spans and words are replaced,
 * never changed in place (the reader may share them, or keep constants); one object shared by
 * several places maps to one new object.
 */
function remap(model: ShellModel, m: MappedText): void {
  const spans = new Map<Span, Span>();
  const mapped = new Set<Span>();
  const span = (s: Span): Span => {
    if (mapped.has(s)) return s;
    let r = spans.get(s);
    if (!r) {
      spans.set(s, (r = fileSpan(m, s.start, s.end)));
      mapped.add(r);
    }
    return r;
  };
  const words = new Map<Word, Word>();
  const newWords = new Set<Word>();
  const word = (w: Word): Word => {
    if (newWords.has(w)) return w;
    let r = words.get(w);
    if (!r) {
      words.set(w, (r = { ...w, span: span(w.span) }));
      newWords.add(r);
    }
    return r;
  };
  const assign = (a: Assign) => {
    a.span = span(a.span);
    if (a.valueSpan) a.valueSpan = span(a.valueSpan);
  };
  const seen = new Set<Cmd>();
  const cmd = (c: Cmd) => {
    if (seen.has(c)) return;
    seen.add(c);
    c.span = span(c.span);
    c.nameSpan = span(c.nameSpan);
    for (let k = 0; k < c.args.length; k++) c.args[k] = word(c.args[k]);
    c.wrapperSpans = c.wrapperSpans.map(span);
    c.assigns.forEach(assign);
    if (c.pipeTo) cmd(c.pipeTo);
    c.substitutions.forEach(cmd);
  };
  model.commands.forEach(cmd);
  model.assigns.forEach(assign);
  for (const l of model.launches) {
    l.anchor = span(l.anchor);
    if (l.image) l.image = { ...l.image, span: span(l.image.span) };
    for (const o of l.options) {
      o.span = span(o.span);
      if (o.valueSpan) o.valueSpan = span(o.valueSpan);
      if (o.via) o.via = span(o.via);
    }
    const lw = launchWords(l)?.words;
    if (lw) for (let k = 0; k < lw.length; k++) lw[k] = word(lw[k]);
  }
  if (model.error) model.error = span(model.error);
}
