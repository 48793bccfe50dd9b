/** Findings about the file itself rather than a Docker setting. */
import { meta, Rule } from './rule';

export const parseError: Rule = {
  meta: meta({
    id: 'parse-error', title: 'File could not be parsed', guide: [17], severity: 'error', fix: 'manual', sources: 'C, D, S, J, W, Q',
    short: 'The file has a syntax error; findings after it may be missing.',
    long: 'The file could not be read completely, so the analysis may have missed settings. Fix the syntax error at the marked place.',
  }),
};

export const unresolvedExtends: Rule = {
  meta: meta({
    id: 'unresolved-extends', title: 'extends names what cannot be found', guide: [17], severity: 'warning', fix: 'manual', sources: 'C',
    short: 'A compose service extends a service or file that cannot be read, so what it inherits is not checked.',
    long: 'A service with `extends` takes the settings of another service, in this file or another one. When that service or file cannot be found, Compose itself fails to start the stack, and this check cannot see the settings the service would inherit (privileges, mounts, user). Fix the name or the path.',
  }),
};

export const unknownSuppression: Rule = {
  meta: meta({
    id: 'unknown-suppression', title: 'Suppression names an unknown rule', guide: [17], severity: 'info', fix: 'manual', sources: 'D, S, C, J, W, Q',
    short: 'A harden-ignore comment names a rule id that does not exist.',
    long: 'A `# harden-ignore:` comment only silences the rule ids it names. An id that does not exist (often a typo) silences nothing. Use an id from the rule list (`container-hardening check --list-rules`).',
  }),
};
