import type { Launch } from '../launch';
import { meta, Rule, RuleContext } from './rule';
import { imageNote } from './image-fit';
import { addFix, all, isKnown, isRootUser, missingApplies, reportMissing, shown, spell, t } from './util';

/** Distroless and similar images that name their non-root default in the tag. */
const NONROOT_TAG = /[:@-]nonroot\b|:nonroot$/i;

/** A Dockerfile's final stage: the user every container of the image starts as. */
function imageUser(l: Launch, ctx: RuleContext): void {
  const users = all(l, 'user');
  const last = users[users.length - 1];
  if (!last && l.image && NONROOT_TAG.test(l.image.shape)) return;
  const du = ctx.settings.fix.dockerfileUser;
  const fixes = [{ title: t('Add `USER {0}`', du), safe: true, intents: [{ type: 'add' as const, name: 'user', value: du }], launch: l }];
  if (!last) {
    ctx.report({ span: l.anchor, message: t('The final stage sets no USER, so the image runs as root. Add `USER {0}` (an unprivileged uid) before the CMD/ENTRYPOINT.', du), fixes });
  } else if (isKnown(last.value) && isRootUser(last.value)) {
    ctx.report({ span: last.span, message: t('The last USER of the final stage is root, so the image runs as root. Switch to an unprivileged uid such as {0} after the steps that need root.', du), fixes });
  }
}

export const rule: Rule = {
  meta: meta({
    id: 'root-user',
    title: 'Container runs as root',
    guide: [5],
    cis: '4.1',
    severity: 'warning',
    fix: 'safe',
    sources: 'S (run, create), C, D, Q',
    short: 'The container process runs as root.',
    long:
      'Unless told otherwise a container runs its process as root (uid 0). Namespaces make that root weaker than the host\'s, but it still owns every file in the image, can use every capability the container keeps, and is root on the host the moment a kernel or runtime bug lets it out. Files it writes to bind mounts belong to root on the host.\n\n' +
      'Run as an unprivileged user: set `USER` in the Dockerfile\'s final stage, `-u`/`--user` on the command line, or `user:` in compose. Give that user ownership of only the paths it writes.',
  }),
  launch(l, ctx) {
    // Devcontainers and CI job containers run as root by design (the catalog judges neither).
    if (l.purpose) return;
    if (l.command === 'image') {
      imageUser(l, ctx);
      return;
    }
    if (l.command !== 'run' && l.command !== 'create' && l.command !== 'service') return;
    const users = all(l, 'user');
    const last = users[users.length - 1];
    const user = ctx.settings.fix.user;
    if (!last) {
      if (!missingApplies(l)) return;
      // podman `--userns=keep-id` (Quadlet `UserNS=keep-id`) runs the process as the caller's uid.
      if (all(l, 'userns').some((o) => /^keep-id(:|$)/i.test(o.value.trim()))) return;
      // A compose service whose Dockerfile sets a user that is not root runs as that user.
      if (l.built?.user !== undefined && (!isKnown(l.built.user) || !isRootUser(l.built.user))) return;
      // So does a known image whose own default user is not root (memcached, grafana, prometheus…).
      const k = l.known?.user;
      if (k && k.runsAs.name !== 'root' && k.runsAs.uid !== 0) return;
      // Safe only where the image table names the image's own user; any other uid may not own what the image writes.
      const own = k?.fix && k.fixSafe ? k.fix : undefined;
      const fix = () => own
        ? addFix(l, t('Run as {0} (the image\'s own user)', own), true, { name: 'user', value: own })
        : addFix(l, t('Run as user {0}', user), false, { name: 'user', value: user });
      const note = k ? () => imageNote(l, own ? t('the fix sets its own user `{0}`, owner of what it writes.', own) : t('it starts as root and {0}; no other user is known to work.', k.dropsTo ? t('drops to `{0}` itself', k.dropsTo.name) : t('needs root')), k.sources) : undefined;
      reportMissing(ctx, l, t('No user is set, so the container runs as root. Add `{0}` with an unprivileged uid.', spell(l, 'user')), fix, note);
      return;
    }
    if (last.inherited || !isRootUser(last.value)) return;
    ctx.report({
      span: last.span,
      message: t('`{0}` runs the container as root. Use an unprivileged uid such as {1}.', shown(last, ctx.text), user),
      fixes: [{ title: t('Run as user {0}', user), safe: true, intents: [{ type: 'set-value', option: last, value: user }], launch: l }],
      context: l.label,
    });
  },
};
