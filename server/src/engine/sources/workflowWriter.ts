/**
 * Renders fix intents for a workflow's job and service containers: inside an `options` string
 * only the words of the option change (and the blanks that separate them), and only where the
 * file holds them as they read; a string left empty goes with its key. `volumes` items and `env`
 * pairs are YAML nodes like a compose service's, edited by the compose writer. The commands of
 * `run:` steps are edited by the shell writer.
 */
import type { Document, Pair, YAMLMap } from 'yaml';
import { optionWords } from '../dockercli';
import type { Intent, Launch, LaunchWriter, Option } from '../launch';
import type { Edit } from '../types';
import { plainOnly, removeWords, wordEdits, type ArgWords } from './argv';
import { composeWriter, withNode } from './composeWriter';
import { spellFlag } from './shellWriter';

/** An option read from an `options` string: the string's words, and its pair (to remove when it empties). */
export interface ArgsRef {
  args: ArgWords;
  pair: Pair;
  map: YAMLMap;
}

// The reader links each option to its options string under this key; it is not exported, so only this
// writer reads the link. (A property, not a WeakMap: see dockercli.ts.)
const ARGS = Symbol('options string');
type Linked = Option & { [ARGS]?: ArgsRef };

export function withArgs(o: Option, ref: ArgsRef): Option {
  (o as Linked)[ARGS] = ref;
  return o;
}

export function workflowWriter(text: string, doc: Document): LaunchWriter {
  const nodes = composeWriter(text, doc);

  function render(launch: Launch, intents: Intent[]): Edit[] | null {
    const edits: Edit[] = [];
    const yamlIntents: Intent[] = [];
    const removals = new Map<ArgsRef, Set<number>>();
    for (const it of intents) {
      if (it.type === 'add' || it.type === 'use-dockerd' || it.type === 'set-keyword') return null;
      const ref = (it.option as Linked)[ARGS];
      if (!ref) {
        yamlIntents.push(it);
        continue;
      }
      if (it.type === 'remove') {
        const at = optionWords(it.option);
        if (!at) return null;
        const set = removals.get(ref) ?? new Set<number>();
        at.words.forEach((k) => set.add(k));
        removals.set(ref, set);
        continue;
      }
      const e = wordEdits(text, ref.args, it, plainOnly);
      if (!e) return null;
      edits.push(...e);
    }
    for (const [ref, set] of removals) {
      if (set.size >= ref.args.words.length) {
        // Nothing left in the string: the `options` key goes.
        const whole = withNode({ name: 'options', value: '', span: { start: 0, end: 0 }, spelled: 'options' }, { kind: 'pair', pair: ref.pair, map: ref.map });
        yamlIntents.push({ type: 'remove', option: whole });
        continue;
      }
      const sorted = [...set].sort((a, b) => a - b);
      for (let k = 0; k < sorted.length; ) {
        let j = k;
        while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
        const e = removeWords(text, ref.args, sorted[k], sorted[j]);
        if (!e) return null;
        edits.push(e);
        k = j + 1;
      }
    }
    if (yamlIntents.length) {
      const e = nodes.render(launch, yamlIntents);
      if (!e) return null;
      edits.push(...e);
    }
    return edits;
  }
  return { render, spell: spellFlag };
}
