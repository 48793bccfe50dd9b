import { meta, Rule } from './rule';
import { all, looksLikeSecret, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'secret-in-env', title: 'Secret in an environment variable', guide: [17], severity: 'warning', fix: 'manual', sources: 'D, S, C, J, W, Q',
    short: 'A secret is written as a literal environment value.',
    long:
      'A password or token written into `ENV`/`ARG`, `-e` or compose `environment` ends up in the image history, `docker inspect`, shell history, CI logs and version control, and every process in the container inherits it.\n\n' +
      'Keep secrets out of files: Dockerfile build secrets (`RUN --mount=type=secret`), compose `secrets:` (and `*_FILE` variables where the image supports them), `--env-file` kept outside version control, a variable from the environment (`${DB_PASSWORD}`), and `docker login --password-stdin`.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'env')) {
      if (o.inherited) continue;
      const eq = o.value.indexOf('=');
      if (eq < 0) continue;
      const name = o.value.slice(0, eq).trim();
      if (!looksLikeSecret(name, o.value.slice(eq + 1))) continue;
      ctx.report({ span: o.span, message: t('`{0}` holds a literal secret, which leaks through inspect, logs and version control. Pass it from a secret store or the environment instead.', name), context: l.label });
    }
    if (l.subcommand === 'login') {
      for (const o of all(l, 'password')) {
        if (o.value.includes('\u241F') || !o.value) continue;
        ctx.report({ span: o.span, message: t('`{0}` puts the registry password on the command line, where shell history and process lists keep it. Use --password-stdin.', shown(o, ctx.text)), context: l.label });
      }
    }
  },
  dockerfile(df, ctx) {
    for (const a of df.assigns) {
      if (!looksLikeSecret(a.name, a.value)) continue;
      ctx.report({ span: a.span, message: t('{0} `{1}` bakes a literal secret into the image, where its history keeps it. Use a build secret (RUN --mount=type=secret) or pass it at run time.', a.keyword, a.name) });
    }
  },
};
