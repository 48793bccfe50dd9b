import { variableShape } from '../launch';
import { meta, Rule } from './rule';
import { imageTag, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'image-latest', title: 'Image not pinned', guide: [1], cis: '4.2', severity: 'warning', fix: 'manual', sources: 'D, S, C, J, W, Q',
    short: 'The image has no tag or uses `latest`.',
    long:
      '`latest` (or no tag) names whatever was pushed last. Builds and deployments stop being reproducible, a compromised or broken upstream push reaches you without review, and you cannot tell which version is running.\n\n' +
      'Pin a version tag (`nginx:1.27-alpine`), better still a digest (`nginx@sha256:…`), and update it deliberately (Dependabot and Renovate can do that for you).',
  }),
  launch(l, ctx) {
    if (!l.image || (l.command !== 'run' && l.command !== 'create' && l.command !== 'service')) return;
    // A compose service that builds its image: the Dockerfile's FROM is what is pulled.
    if (l.options.some((o) => o.name === 'build' && !o.inherited)) return;
    if (imageTag(l.image.shape) !== 'latest') return;
    // A tag written as a variable (`app:${TAG:-latest}`) is the deployer's choice, even with a default.
    if (/:[^/]*[$]|\{\{/.test(ctx.text.slice(l.image.span.start, l.image.span.end))) return;
    if (l.image.shape.toLowerCase() === 'scratch') return;
    ctx.report({ span: l.image.span, message: t('Image `{0}` is not pinned to a version: `latest` changes under you. Pin a tag or a digest.', l.image.shape), context: l.label });
  },
  dockerfile(df, ctx) {
    const names = new Set<string>();
    for (const st of df.stages) {
      const img = st.image;
      if (img && st.parent === undefined && img.shape.toLowerCase() !== 'scratch' && !names.has(img.shape.toLowerCase()) && imageTag(img.shape) === 'latest') {
        ctx.report({ span: img.span, message: t('Base image `{0}` is not pinned to a version: `latest` changes under you. Pin a tag or a digest.', img.shape) });
      }
      if (st.name) names.add(st.name.toLowerCase());
      // COPY --from=<image> and RUN --mount=…,from=<image> pull an image as FROM does.
      for (const ins of st.instructions) {
        const kw = ins.keyword.toUpperCase();
        // Only these take such flags (asking an instruction for its flags re-reads it).
        if (kw !== 'COPY' && kw !== 'ADD' && kw !== 'RUN') continue;
        for (const f of ins.flags) {
          const flag = f.name.toLowerCase();
          let ref: string | undefined;
          if (flag === 'from' && kw !== 'RUN') ref = f.value ?? undefined;
          else if (flag === 'mount' && f.value) ref = /(?:^|,)from=([^,]+)/.exec(f.value)?.[1];
          if (!ref) continue;
          const shape = variableShape(ref, df.escape);
          if (/^\d+$/.test(shape) || names.has(shape.toLowerCase()) || shape.toLowerCase() === 'scratch') continue;
          if (imageTag(shape) === 'latest') ctx.report({ span: f.span, message: t('Image `{0}` is not pinned to a version: `latest` changes under you. Pin a tag or a digest.', shape) });
        }
      }
    }
  },
};
