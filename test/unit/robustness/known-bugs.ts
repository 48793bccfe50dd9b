/**
 * Engine or CLI bugs the robustness properties found and that are not fixed
 * yet. Each entry marks its test as `todo` (node:test) so the suite stays
 * green; the minimal input is kept in test/fixtures/robustness/. Delete the
 * entry once the bug is fixed and the test passes.
 */
export const KNOWN_FIX_BUGS: Record<string, string> = {
  'fixtures/robustness/unterminated-heredoc-user-fix.Dockerfile':
    'engine bug: the root-user fix is inserted inside an unterminated heredoc, so it never takes effect and every harden adds another USER (see test/fixtures/robustness/unterminated-heredoc-user-fix.md)',
};

/** Source kinds whose analysis does super-linear work (see engine.properties.test.ts). */
const RESCAN =
  'engine bug: daemon-tcp-no-tls runs /\\bDOCKER_TLS_VERIFY=.../ over the whole text once per launch (hasTlsVerifyEnv in launch()), so work is O(launches × size); see test/fixtures/robustness/daemon-tcp-no-tls-rescan.sh';
export const KNOWN_SCALING_BUGS: Partial<Record<'dockerfile' | 'compose' | 'shell', string>> = {
  dockerfile: RESCAN,
  compose: RESCAN,
  shell: RESCAN,
};

/** Deep YAML overflows the yaml parser's stack (see test/fixtures/robustness/deep-yaml-nesting.md). */
export const KNOWN_DEEP_YAML: string | undefined =
  'engine bug: compose files nested ~1,000+ levels overflow the yaml parser stack: "Invalid YAML: Maximum call stack size exceeded", or with a deeper caller stack an internal error "reader: RangeError" (see test/fixtures/robustness/deep-yaml-nesting.md)';

/** Regression inputs in test/fixtures/robustness whose analysis is not yet well-formed, by file name. */
export const KNOWN_REGRESSIONS: Record<string, string> = {
  'lone-cr-continuation.Dockerfile':
    "engine bug: RUN \\ followed by a lone CR makes dockerfile-ast's getHeredocs() throw; the whole file becomes a parse error with an internal error (see test/fixtures/robustness/lone-cr-continuation.md)",
  'crlf-split-span_compose.yaml':
    'engine bug: a YAML error span ends between \\r and \\n, so its range ends past the end of the line (see test/fixtures/robustness/crlf-split-span.md)',
};
