import { isKnown } from '../launch';
import { applyEdits } from '../text';
import { DockerfileModel, readDockerfile, Stage } from '../sources/dockerfile';
import { meta, Rule } from './rule';
import { addFix, all, isRootUser, missingApplies, reportMissing, shown, t } from './util';

/** Walks a stage and the earlier stages it builds on, last first. */
export function stageChain(df: DockerfileModel, index: number): Stage[] {
  const chain: Stage[] = [];
  const seen = new Set<number>();
  let i: number | undefined = index;
  while (i !== undefined && !seen.has(i) && df.stages[i]) {
    seen.add(i);
    chain.push(df.stages[i]);
    i = df.stages[i].parent;
  }
  return chain;
}

/** Where a new instruction goes in the final stage: before the trailing CMD/ENTRYPOINT block, else at the end. */
export function finalInsertionPoint(df: DockerfileModel): { at: number; before: boolean } {
  const st = df.stages[df.stages.length - 1];
  const ins = st.instructions;
  let k = ins.length;
  while (k > 0 && ['CMD', 'ENTRYPOINT', 'EXPOSE', 'HEALTHCHECK', 'LABEL', 'STOPSIGNAL', 'VOLUME'].includes(ins[k - 1].keyword.toUpperCase())) k--;
  const firstTrailing = ins.slice(k).find((i) => ['CMD', 'ENTRYPOINT'].includes(i.keyword.toUpperCase()));
  if (firstTrailing) {
    const ls = df.index.lineStart(df.index.positionAt(firstTrailing.span.start).line);
    return { at: ls, before: true };
  }
  const last = ins[ins.length - 1] ?? st.from;
  return { at: last.span.end, before: false };
}

function takesEffect(text: string, user: string): boolean {
  try {
    const after = readDockerfile(text, { runShells: false });
    const st = after.stages[after.stages.length - 1];
    return !!st && st.instructions.some((i) => i.keyword.toUpperCase() === 'USER' && i.args.map((a) => a.value).join(' ') === user);
  } catch {
    return false;
  }
}

const NONROOT_TAG = /[:@-]nonroot\b|:nonroot$/i;

export const rule: Rule = {
  meta: meta({
    id: 'root-user',
    title: 'Container runs as root',
    guide: [5],
    cis: '4.1',
    severity: 'warning',
    fix: 'safe',
    sources: 'S (run, create), C, D',
    short: 'The container process runs as root.',
    long:
      'Unless told otherwise a container runs its process as root (uid 0). Namespaces make that root weaker than the host\'s, but it still owns every file in the image, can use every capability the container keeps, and is root on the host the moment a kernel or runtime bug lets it out. Files it writes to bind mounts belong to root on the host.\n\n' +
      'Run as an unprivileged user: set `USER` in the Dockerfile\'s final stage, `-u`/`--user` on the command line, or `user:` in compose. Give that user ownership of only the paths it writes.',
  }),
  launch(l, ctx) {
    if (l.command !== 'run' && l.command !== 'create' && l.command !== 'service') return;
    const users = all(l, 'user');
    const last = users[users.length - 1];
    const user = ctx.settings.fix.user;
    if (!last) {
      if (!missingApplies(l)) return;
      reportMissing(ctx, l, t('No user is set, so the container runs as root. Add `{0}` with an unprivileged uid.', l.source === 'compose' ? 'user:' : '--user'),
        addFix(l, t('Run as user {0}', user), true, { name: 'user', value: user }));
      return;
    }
    if (last.inherited || !isRootUser(last.value)) return;
    ctx.report({
      span: last.span,
      message: t('`{0}` runs the container as root. Use an unprivileged uid such as {1}.', shown(last, ctx.text), user),
      fixes: [{ title: t('Run as user {0}', user), safe: true, intents: [{ type: 'set-value', option: last, value: l.source === 'compose' ? `"${user}"` : user }], launch: l }],
      context: l.label,
    });
  },
  dockerfile(df, ctx) {
    if (!df.stages.length) return;
    const finalIdx = df.stages.length - 1;
    const final = df.stages[finalIdx];
    const chain = stageChain(df, finalIdx);
    let lastUser: { value: string; span: { start: number; end: number } } | undefined;
    for (const st of chain) {
      const users = st.instructions.filter((i) => i.keyword.toUpperCase() === 'USER');
      const u = users[users.length - 1];
      if (u) {
        lastUser = { value: u.args.map((a) => a.value).join(' '), span: u.span };
        break;
      }
    }
    const base = chain[chain.length - 1];
    if (!lastUser && base.image && NONROOT_TAG.test(base.image.shape)) return;
    const du = ctx.settings.fix.dockerfileUser;
    const ip = finalInsertionPoint(df);
    const eol = df.index.eol;
    const newText = ip.before ? `USER ${du}${eol}` : `${eol}USER ${du}`;
    // A file that ends inside a continued instruction would swallow an appended line.
    // (nor can an unterminated heredoc): offer the fix only when the new USER really ends up as an instruction.
    const danglingContinuation = !ip.before && ctx.text.trimEnd().endsWith(df.escape);
    const edits = [{ start: ip.at, end: ip.at, newText }];
    // Inserted before a CMD/ENTRYPOINT it is an instruction of its own; appended at the end, check by
    // re-reading (a second parse of the file, so only when the fix is asked for).
    const fixes = () => (!danglingContinuation && (ip.before || takesEffect(applyEdits(ctx.text, edits), du)) ? [{ title: t('Add `USER {0}`', du), safe: true, edits }] : []);
    if (!lastUser) {
      ctx.report({ span: final.from.span, message: t('The final stage sets no USER, so the image runs as root. Add `USER {0}` (an unprivileged uid) before the CMD/ENTRYPOINT.', du), fixes });
      return;
    }
    const v = lastUser.value.replace(/\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/g, '\u241F');
    if (isKnown(v) && isRootUser(v)) {
      ctx.report({ span: lastUser.span, message: t('The last USER of the final stage is root, so the image runs as root. Switch to an unprivileged uid such as {0} after the steps that need root.', du), fixes });
    }
  },
};
