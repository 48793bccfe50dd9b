import { meta, Rule } from './rule';
import { all, isTrue, removeFix, shown, t } from './util';

export const rule: Rule = {
  meta: meta({
    id: 'content-trust-disabled', title: 'Content trust disabled', guide: [1], cis: '4.5', severity: 'warning', fix: 'safe', sources: 'D, S',
    short: 'Image signature verification is switched off.',
    long:
      'Docker Content Trust makes pulls and runs fail unless the image is signed by its publisher. `DOCKER_CONTENT_TRUST=0` or `--disable-content-trust` switches that check off, so a tampered or spoofed image is accepted silently.\n\n' +
      'Remove the override. Where you sign images (Notation, cosign), verify signatures in the pipeline or with an admission policy as well.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'disable-content-trust')) {
      if (o.inherited || !isTrue(o)) continue;
      ctx.report({ span: o.span, message: t('`{0}` skips image signature verification. Remove it.', shown(o, ctx.text)), fixes: [removeFix(l, o, t('Remove `{0}`', shown(o, ctx.text)), true)], context: l.label });
    }
  },
  shellTriggers: /DOCKER_CONTENT_TRUST/i,
  shell(s, ctx) {
    for (const a of s.assigns) {
      if (a.name !== 'DOCKER_CONTENT_TRUST') continue;
      const v = a.value.trim().toLowerCase();
      if (v !== '0' && v !== 'false' && v !== 'no' && v !== 'off') continue;
      ctx.report({ span: a.span, message: t('DOCKER_CONTENT_TRUST={0} turns off image signature verification. Set it to 1 or remove it.', a.value) });
    }
  },
};
