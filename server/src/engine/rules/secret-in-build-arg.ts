import { meta, Rule } from './rule';
import { secretName, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'secret-in-build-arg', title: 'Secret passed as a build argument', guide: [17], severity: 'warning', fix: 'manual', sources: 'D',
    short: 'An ARG whose name says it holds a secret: its value is recorded in the image.',
    long:
      'A build argument\'s value is not a secret: `docker history` shows it in the image\'s metadata, and a `RUN` that uses it keeps it in the layer\'s history and build cache, for anyone who can pull the image.\n\n' +
      'Pass secrets to the build as BuildKit secrets: `RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci`, built with `docker build --secret id=npm_token,env=NPM_TOKEN .` (compose: `build.secrets`). They are mounted for that one step and never stored.',
  }),
  dockerfile(df, ctx) {
    for (const ins of df.instructions) {
      if (ins.keyword.toUpperCase() !== 'ARG') continue;
      for (const a of ins.args) {
        // `ARG NAME` or `ARG NAME=$OTHER`: the value comes from --build-arg. A literal default is secret-in-env's.
        const eq = a.value.indexOf('=');
        const name = eq < 0 ? a.value : a.value.slice(0, eq);
        const value = eq < 0 ? '' : a.value.slice(eq + 1);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !secretName(name)) continue;
        if (value !== '' && !/^\$\{?[A-Za-z_]/.test(value)) continue;
        ctx.report({ span: a.span, message: t('ARG `{0}` is meant to carry a secret, but build arguments are recorded in the image history. Use a build secret (RUN --mount=type=secret) instead.', name) });
      }
    }
  },
};
