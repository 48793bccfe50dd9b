import { isKnown } from '../launch';
import { meta, Rule } from './rule';
import { imageTag, t } from './util';

/** A reference with a tag that is not pinned to a digest (`nginx:1.27`; not `nginx@sha256:…`, not untagged: that is image-latest's). */
function tagOnly(shape: string): boolean {
  return imageTag(shape) === 'pinned' && !shape.includes('@') && isKnown(shape);
}

export const rule: Rule = {
  meta: meta({
    id: 'image-digest-missing', title: 'Image not pinned to a digest', guide: [1], severity: 'info', off: true, fix: 'manual', sources: 'D, S, C',
    short: 'The image is pinned by tag, not by digest.',
    long:
      'A tag is a name the registry can point at other content: a re-pushed `1.27` or a compromised registry account changes what you run without any change in your files. A digest (`nginx:1.27@sha256:…`) names the exact content.\n\n' +
      'Pin digests where reproducibility matters (production deployments, base images) and let Dependabot or Renovate update them. This rule is off by default; turn it on with a severity in the settings.',
  }),
  launch(l, ctx) {
    if (!l.image || (l.command !== 'run' && l.command !== 'create' && l.command !== 'service')) return;
    if (l.options.some((o) => o.name === 'build' && !o.inherited)) return;
    if (!tagOnly(l.image.shape)) return;
    ctx.report({ span: l.image.span, message: t('Image `{0}` is pinned by tag only; the tag can be moved to other content. Add its digest (`@sha256:…`).', l.image.shape), context: l.label });
  },
  dockerfile(df, ctx) {
    const names = new Set<string>();
    for (const st of df.stages) {
      const img = st.image;
      if (img && st.parent === undefined && !names.has(img.shape.toLowerCase()) && tagOnly(img.shape)) {
        ctx.report({ span: img.span, message: t('Base image `{0}` is pinned by tag only; the tag can be moved to other content. Add its digest (`@sha256:…`).', img.shape) });
      }
      if (st.name) names.add(st.name.toLowerCase());
    }
  },
};
