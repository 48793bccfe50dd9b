import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './lspClient';

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

describe('extension manifest', () => {
  it('activates only for Dockerfiles, compose files, shell scripts, devcontainer.json, workflows and Quadlet units', () => {
    const events: string[] = pkg.activationEvents;
    assert.ok(events.includes('onLanguage:dockerfile'));
    assert.ok(events.includes('onLanguage:dockercompose'));
    assert.ok(events.includes('onLanguage:shellscript'));
    const known = /^(onLanguage:(dockerfile|dockercompose|shellscript)|workspaceContains:(\*\*\/(docker-)?compose.*\.ya?ml|\*\*\/\.devcontainer(\/\*)?\/devcontainer\.json|\*\*\/\.devcontainer\.json|\.github\/workflows\/\*\.ya?ml|\*\*\/\*\.container))$/;
    for (const e of events) assert.match(e, known, e);
    assert.ok(!events.includes('*'));
  });

  it('declares untrusted and virtual workspace support', () => {
    assert.deepEqual(pkg.capabilities, { untrustedWorkspaces: { supported: true }, virtualWorkspaces: true });
  });

  it('maps Containerfile names to the dockerfile language', () => {
    const df = pkg.contributes.languages.find((l: { id: string }) => l.id === 'dockerfile');
    assert.ok(df.filenames.includes('Containerfile'));
    assert.ok(df.filenamePatterns.includes('Containerfile.*'));
    assert.ok(df.filenamePatterns.includes('*.containerfile'));
  });

  it('contributes the command to the palette, the editor title and the context menu', () => {
    const cmd = pkg.contributes.commands.find((c: { command: string }) => c.command === 'containerHardening.hardenFile');
    assert.ok(cmd);
    for (const menu of ['commandPalette', 'editor/title', 'editor/context']) {
      const item = pkg.contributes.menus[menu].find((m: { command: string }) => m.command === 'containerHardening.hardenFile');
      assert.ok(item, menu);
      assert.match(item.when, /editorLangId == dockerfile/);
      assert.match(item.when, /resourceFilename =~/);
    }
  });

  it('documents every setting the server reads', () => {
    const props = Object.keys(pkg.contributes.configuration.properties);
    for (const k of ['enable', 'rules', 'fix.user', 'fix.dockerfileUser', 'fix.memory', 'fix.cpus', 'fix.pidsLimit', 'configFile', 'trace.server']) {
      assert.ok(props.includes(`containerHardening.${k}`), k);
      assert.ok(pkg.contributes.configuration.properties[`containerHardening.${k}`].markdownDescription);
    }
    // The defaults shown in the settings UI are the engine's defaults.
    const { DEFAULT_FIX } = require('../../server/src/engine') as typeof import('../../server/src/engine');
    for (const [k, v] of Object.entries(DEFAULT_FIX)) assert.equal(pkg.contributes.configuration.properties[`containerHardening.fix.${k}`].default, v, k);
  });

  it('points main at the bundle and ships only the bundle', () => {
    assert.equal(pkg.main, './dist/extension.js');
    assert.ok(fs.existsSync(path.join(ROOT, 'dist', 'extension.js')), 'run npm run bundle');
    for (const f of ['server.js', 'engine.js', 'tree-sitter.wasm', 'tree-sitter-bash.wasm', 'l10n/bundle.l10n.zh-cn.json']) assert.ok(fs.existsSync(path.join(ROOT, 'dist', f)), f);
    // One allowlist, package.json `files`, for the .vsix and the npm package (vsce refuses a
    // .vscodeignore next to it). The server loads the engine from its own file next to it: both ship.
    assert.ok(!fs.existsSync(path.join(ROOT, '.vscodeignore')), 'vsce uses either .vscodeignore or `files`, not both');
    const files: string[] = pkg.files;
    assert.ok(files.includes('dist/*.js'));
    assert.ok(!files.some((f) => /^(node_modules|out|test|server\/src|client\/src)\b/.test(f)), files.join(', '));
  });

  it('has the metadata the Marketplace and npm show', () => {
    const repo = 'https://github.com/container-hardening/container-hardening';
    assert.equal(pkg.repository.url, `${repo}.git`);
    // The rule documentation links (hovers, SARIF) point into the same repository.
    const { RULES } = require('../../server/src/engine') as typeof import('../../server/src/engine');
    for (const r of RULES) assert.ok(r.docsUrl.startsWith(`${repo}/`), r.docsUrl);
    assert.ok(pkg.bugs.url.startsWith(repo));
    assert.ok(pkg.homepage.startsWith(repo));
    assert.match(pkg.publisher, /^[a-z0-9][a-z0-9-]*$/);
    assert.equal(pkg.private, undefined, 'a private package cannot be published to npm');
    assert.ok(pkg.categories.includes('Linters'));
    assert.ok(!pkg.categories.includes('Programming Languages'), 'it contributes no language support of its own');
    for (const k of ['docker', 'security', 'compose', 'dockerfile']) assert.ok(pkg.keywords.includes(k), k);
    assert.ok(pkg.keywords.length <= 30, 'the Marketplace takes at most 30 keywords');
    assert.equal(pkg.pricing, 'Free');
    assert.match(pkg.galleryBanner.color, /^#[0-9a-fA-F]{6}$/);
    assert.ok(fs.existsSync(path.join(ROOT, pkg.icon)), pkg.icon);
  });
});
