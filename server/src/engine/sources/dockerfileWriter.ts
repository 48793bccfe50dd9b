/**
 * Renders fix intents for a Dockerfile: a `USER` for the final stage (placed
 * before its trailing CMD/ENTRYPOINT block, else at the end, and only when it
 * really becomes an instruction of that stage), and keyword changes (ADD → COPY)
 * in the keyword's own case.
 */
import type { Intent, Launch, LaunchWriter } from '../launch';
import type { DockerfileView } from '../model';
import { applyEdits } from '../text';
import type { Edit } from '../types';

/** Instructions that conventionally close a Dockerfile; a new USER goes before the first CMD/ENTRYPOINT among them. */
const TRAILING = new Set(['CMD', 'ENTRYPOINT', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'STOPSIGNAL', 'VOLUME']);

/** How a Dockerfile spells a setting: `USER 1000`, `HEALTHCHECK`. */
function spellInstruction(name: string, value?: string): string {
  const kw = name === 'user' ? 'USER' : name.toUpperCase();
  return value === undefined ? kw : `${kw} ${value}`;
}

/**
 * `reread` reads a Dockerfile again (the reader, passed in so that reader and writer do not
 * import each other): an appended USER is checked to land in the final stage.
 */
export function dockerfileWriter(text: string, df: DockerfileView, reread: (text: string) => DockerfileView): LaunchWriter {
  /** Where a new instruction goes in the final stage: before the trailing CMD/ENTRYPOINT block, else at the end. */
  function insertionPoint(): { at: number; before: boolean } {
    const st = df.stages[df.stages.length - 1];
    const ins = st.instructions;
    let k = ins.length;
    while (k > 0 && TRAILING.has(ins[k - 1].keyword.toUpperCase())) k--;
    const firstTrailing = ins.slice(k).find((i) => ['CMD', 'ENTRYPOINT'].includes(i.keyword.toUpperCase()));
    if (firstTrailing) return { at: df.index.lineStart(df.index.positionAt(firstTrailing.span.start).line), before: true };
    const last = ins[ins.length - 1] ?? st.from;
    return { at: last.span.end, before: false };
  }

  function addUser(user: string): Edit | null {
    if (!df.stages.length) return null;
    const ip = insertionPoint();
    const eol = df.index.eol;
    const edit = { start: ip.at, end: ip.at, newText: ip.before ? `USER ${user}${eol}` : `${eol}USER ${user}` };
    if (ip.before) return edit;
    // Appended at the end: a file that ends inside a continued instruction (or an unterminated
    // heredoc) would swallow the line, so check by reading the result again.
    if (text.trimEnd().endsWith(df.escape)) return null;
    try {
      const after = reread(applyEdits(text, [edit]));
      const st = after.stages[after.stages.length - 1];
      return st?.instructions.some((i) => i.keyword.toUpperCase() === 'USER' && i.args.map((a) => a.value).join(' ') === user) ? edit : null;
    } catch {
      return null;
    }
  }

  function render(_launch: Launch, intents: Intent[]): Edit[] | null {
    const edits: Edit[] = [];
    for (const it of intents) {
      if (it.type === 'add' && it.name === 'user' && it.value !== undefined) {
        const e = addUser(it.value);
        if (!e) return null;
        edits.push(e);
      } else if (it.type === 'set-keyword') {
        const kw = text.slice(it.span.start, it.span.end);
        const newText = kw === kw.toLowerCase() ? it.keyword.toLowerCase() : kw === kw.toUpperCase() ? it.keyword.toUpperCase() : it.keyword[0].toUpperCase() + it.keyword.slice(1).toLowerCase();
        edits.push({ start: it.span.start, end: it.span.end, newText });
      } else return null;
    }
    return edits;
  }

  return { render, spell: spellInstruction };
}
