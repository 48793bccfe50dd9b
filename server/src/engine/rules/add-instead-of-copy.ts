import { isKnown, variableShape } from '../launch';
import { meta, Rule } from './rule';
import { t } from './util';

const URL = /^(https?|git|ssh):\/\/|^git@/i;
const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma|tlz)$/i;
const ADD_ONLY_FLAGS = new Set(['checksum', 'keep-git-dir', 'unpack']);

/** The sources of an ADD/COPY (every argument but the last), unquoted as the builder reads them. */
export function addSources(ins: { args: Array<{ unquoted: string }>; json?: Array<{ value: string }> }): string[] {
  const words = ins.json ? ins.json.map((j) => j.value) : ins.args.map((a) => a.unquoted);
  return words.slice(0, -1);
}

export const rule: Rule = {
  meta: meta({
    id: 'add-instead-of-copy', title: 'ADD used for local files', guide: [17], cis: '4.9', severity: 'info', fix: 'safe', sources: 'D',
    short: 'ADD copies local files where COPY would do.',
    long:
      '`ADD` does more than copy: it fetches URLs and silently unpacks tar archives. Using it for plain local files hides that behaviour from reviewers, and a file that turns out to be a tar archive is extracted instead of copied.\n\n' +
      'Use `COPY` for local files and directories; keep `ADD` only when you mean to unpack a local archive (or fetch a URL with `--checksum`).',
  }),
  dockerfile(df, ctx) {
    for (const ins of df.instructions) {
      if (ins.keyword.toUpperCase() !== 'ADD') continue;
      const sources = addSources(ins).map((s) => variableShape(s, df.escape));
      if (!sources.length || sources.some((s) => !isKnown(s) || URL.test(s) || ARCHIVE.test(s) || s.startsWith('<<'))) continue;
      const safe = !ins.flags.some((f) => ADD_ONLY_FLAGS.has(f.name.toLowerCase()));
      ctx.report({
        span: ins.span,
        message: t('ADD copies local files here; it also unpacks archives and fetches URLs, which hides intent. Use COPY.'),
        fixes: safe && df.image ? [{ title: t('Replace ADD with COPY'), safe: true, intents: [{ type: 'set-keyword', span: ins.keywordSpan, keyword: 'COPY' }], launch: df.image }] : [],
      });
    }
  },
};
