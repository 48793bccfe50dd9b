/** Findings about the file itself rather than a Docker setting. */
import { meta, Rule } from './rule';

export const parseError: Rule = {
  meta: meta({
    id: 'parse-error', title: 'File could not be parsed', guide: [17], severity: 'error', fix: 'manual', sources: 'C, D, S, J, W, Q',
    short: 'The file has a syntax error; findings after it may be missing.',
    long: 'The file could not be read completely, so the analysis may have missed settings. Fix the syntax error at the marked place.',
  }),
};

export const unknownSuppression: Rule = {
  meta: meta({
    id: 'unknown-suppression', title: 'Suppression names an unknown rule', guide: [17], severity: 'info', fix: 'manual', sources: 'D, S, C, J, W, Q',
    short: 'A harden-ignore comment names a rule id that does not exist.',
    long: 'A `# harden-ignore:` comment only silences the rule ids it names. An id that does not exist (often a typo) silences nothing. Use an id from the rule list (`container-hardening check --list-rules`).',
  }),
};
