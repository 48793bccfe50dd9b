import type { Cmd } from '../model';
import { meta, Rule } from './rule';
import { t } from './util';

const FETCHERS = new Set(['curl', 'wget', 'fetch', 'http', 'https']);
const INTERPRETERS = /^(sh|bash|dash|zsh|ash|ksh|mksh|fish|python[0-9.]*|perl|ruby|node|nodejs|php|pwsh|powershell)$/;

/** An interpreter that executes what it reads (not `python -c …`, `python -m json.tool`, `sh -c …`). */
function executesInput(c: Cmd): boolean {
  if (!INTERPRETERS.test(c.name)) return false;
  const inline = /^(sh|bash|dash|zsh|ash|ksh|mksh|fish)$/.test(c.name) ? /^-[A-Za-z]*c[A-Za-z]*$/ : /^python/.test(c.name) ? /^-[A-Za-z]*[cm]/ : /^-[A-Za-z]*[eEr]/;
  for (const a of c.args) {
    const s = a.shape;
    if (inline.test(s)) return false;
    // `sh -s …`: the script comes from stdin, later words are its arguments.
    if (/^-[A-Za-z]*s[A-Za-z]*$/.test(s) && !/^python|^perl|^ruby|^node|^php/.test(c.name)) return true;
    if (!s.startsWith('-')) {
      // `bash script.sh` reads a file, not stdin; `bash -` and `sh -s` read stdin.
      return s === '-';
    }
  }
  return true;
}

export const rule: Rule = {
  meta: meta({
    id: 'pipe-to-shell', title: 'Download piped into a shell', guide: [1], severity: 'warning', fix: 'manual', sources: 'D, S',
    short: 'A script downloaded with curl or wget is executed without verification.',
    long:
      '`curl … | sh` runs whatever the server (or anyone between you and it) sends at that moment, unreviewed and unpinned; a truncated download can even run half a script. In a Dockerfile it bakes that into the image.\n\n' +
      'Download to a file, verify it against a published checksum or signature (`sha256sum -c`, `gpg --verify`), then run it, or install the tool from a package repository or a pinned release.',
  }),
  shellTriggers: /curl|wget|fetch|\bhttps?(?![\w:.-])/i,
  shell(s, ctx) {
    for (const c of s.commands) {
      // `tee` passes the download on: follow the pipeline through it.
      let target = c.pipeTo;
      for (let k = 0; k < 4 && target && target.name === 'tee'; k++) target = target.pipeTo;
      if (FETCHERS.has(c.name) && target && executesInput(target)) {
        ctx.report({ span: { start: c.span.start, end: target.span.end }, message: t('Output of `{0}` is executed by `{1}` unverified. Download to a file, check its checksum or signature, then run it.', c.name, target.name) });
        continue;
      }
      if (INTERPRETERS.test(c.name)) {
        const fetch = c.substitutions.find((x) => FETCHERS.has(x.name));
        if (fetch) ctx.report({ span: c.span, message: t('Output of `{0}` is executed by `{1}` unverified. Download to a file, check its checksum or signature, then run it.', fetch.name, c.name) });
      }
    }
  },
};
