/**
 * The engine's public API. Pure: no vscode or LSP imports, and no file
 * system access besides loading its grammar in initEngine (sibling and
 * config files are read through functions the caller passes); used by the
 * language server and the CLI alike.
 *
 *   await initEngine();                          // once: loads the tree-sitter-bash grammar
 *   detectKind(fileName, text?)                  // → 'dockerfile' | 'compose' | 'shell' | undefined
 *   analyze(text, { fileName, settings, readFile })
 *                                                // → { kind, findings, groups, hoverSpots, silenced, internalErrors }
 *   presented(findings, groups)                  // → what the editor and CLI text show: each
 *                                                //   missing-hardening group in place of its members
 *   harden(text, options)                        // → every safe fix applied: { text, edits, applied,
 *                                                //   appliedRules, remaining, decisions, internalErrors };
 *                                                //   applyEdits(text, edits) === result.text
 *   hoverAt(text, offset, options, analysis?)    // → markdown and range, or null
 *   suppressionEdit(text, kind, finding, 'line' | 'file')
 *                                                // → the edit adding `# harden-ignore[-file]: <id>`
 *                                                //   where it silences that finding (no re-analysis)
 *   new ConfigLookup({ exists, readFile }, () => RULE_IDS).forDir(dir)
 *                                                // → the nearest .container-hardening.yaml upward, parsed
 *   resolveSettings(editor, file)                // → the settings analyze() takes
 *   applyEdits(text, edits), LineIndex           // offsets ↔ text, lines and positions
 */
export * from './types';
export { applyEdits, LineIndex } from './text';
export { setTranslator, t } from './i18n';
export { DEFAULT_SETTINGS, DEFAULT_FIX, resolveSettings, parseConfigText, validateSettings, CONFIG_FILE_NAMES } from './settings';
export { ConfigLookup, readConfigFile, type ConfigFileSystem, type ConfigLookupOptions, type FoundConfig } from './config';
export { initEngine, analyze, detectKind, needsShellParser } from './analyze';
export type { WasmBinaries } from './sources/shell';
export { harden, type HardenResultWithEdits } from './harden';
export { hoverAt } from './hover';
export { suppressionEdit, canSuppress, ignoreComment, groupSuppressible, type SuppressionScope, type SuppressibleFinding } from './suppress';
export { MISSING_HARDENING, GROUP_MEMBERS, presented, isGroup, decisionSentence, type Decision } from './group';
export { RULES, getRule, RULE_IDS } from './rules';
export { PEER_CHECKS, PEER_SOURCES, PEER_TOOLS, PEER_NAMES, peerIdsText, type PeerCheck } from './peerIds';
