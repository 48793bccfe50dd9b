/**
 * Engine or CLI bugs the robustness properties found and that are not fixed
 * yet. Each entry marks its test as `todo` (node:test) so the suite stays
 * green; the minimal input is kept in test/fixtures/robustness/. Delete the
 * entry once the bug is fixed and the test passes. (All found so far were fixed in 2635b9e.)
 */
export const KNOWN_FIX_BUGS: Record<string, string> = {};

/** Source kinds whose analysis does super-linear work (see engine.properties.test.ts). */
export const KNOWN_SCALING_BUGS: Partial<Record<'dockerfile' | 'compose' | 'shell', string>> = {};

/** Deep YAML overflows the yaml parser's stack (see test/fixtures/robustness/deep-yaml-nesting.md). */
export const KNOWN_DEEP_YAML: string | undefined = undefined;

/** Regression inputs in test/fixtures/robustness whose analysis is not yet well-formed, by file name. */
export const KNOWN_REGRESSIONS: Record<string, string> = {};
