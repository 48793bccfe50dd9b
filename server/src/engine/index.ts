/**
 * The engine's public API. Pure: no vscode or LSP imports; used by the
 * language server and the CLI alike.
 *
 *   await initEngine();            // once: loads the tree-sitter-bash grammar
 *   analyze(text, { fileName })    // → { kind, findings }
 *   harden(text, { fileName })     // → every safe fix applied
 *   hoverAt(text, offset, { fileName })
 */
export * from './types';
export { applyEdits, LineIndex } from './text';
export { setTranslator, t } from './i18n';
export { DEFAULT_SETTINGS, DEFAULT_FIX, resolveSettings, parseConfigText, validateSettings, CONFIG_FILE_NAMES } from './settings';
export { ConfigLookup, readConfigFile, type ConfigFileSystem, type ConfigLookupOptions, type FoundConfig } from './config';
export { initEngine, analyze, detectKind, needsShellParser } from './analyze';
export { harden, type HardenResultWithEdits } from './harden';
export { hoverAt } from './hover';
export { suppressionEdit, canSuppress, ignoreComment, type SuppressionScope, type SuppressibleFinding } from './suppress';
export { RULES, getRule, RULE_IDS } from './rules';
