import { meta, Rule } from './rule';
import { addSources } from './add-instead-of-copy';
import { t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'remote-add', title: 'Remote ADD without checksum', guide: [1], severity: 'warning', fix: 'manual', sources: 'D',
    short: 'ADD downloads a URL without verifying a checksum.',
    long:
      '`ADD https://…` puts whatever the server returns into the image, unverified; if the file changes upstream, or someone tampers with it in transit or at the source, your next build silently includes it.\n\n' +
      'Pin the content with `ADD --checksum=sha256:<digest> https://… /dest` (BuildKit), or download in a RUN step and verify with `sha256sum -c` before use.',
  }),
  dockerfile(df, ctx) {
    for (const ins of df.instructions) {
      if (ins.keyword.toUpperCase() !== 'ADD') continue;
      if (ins.flags.some((f) => f.name.toLowerCase() === 'checksum')) continue;
      if (!addSources(ins).some((s) => /^https?:\/\//i.test(s))) continue;
      ctx.report({ span: ins.span, message: t('ADD downloads a URL without --checksum, so changed or tampered content goes into the image unnoticed. Add --checksum=sha256:… or verify the download.') });
    }
  },
};
