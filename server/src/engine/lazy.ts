/**
 * The parsers, loaded on first use: a shell script never needs `yaml`,
 * `dockerfile-ast` or `jsonc-parser`, and a Dockerfile without a config file never needs `yaml`.
 * Loading them up front cost a cold CLI run ~35 ms. Types come from
 * `import type`; values from these functions.
 */
import type * as Yaml from 'yaml';
import type * as DockerfileAst from 'dockerfile-ast';
import type * as JsoncParser from 'jsonc-parser';

let yamlModule: typeof Yaml | undefined;
let dockerfileAstModule: typeof DockerfileAst | undefined;
let jsoncModule: typeof JsoncParser | undefined;

export function yaml(): typeof Yaml {
  return (yamlModule ??= require('yaml') as typeof Yaml);
}

export function dockerfileAst(): typeof DockerfileAst {
  return (dockerfileAstModule ??= require('dockerfile-ast') as typeof DockerfileAst);
}

export function jsonc(): typeof JsoncParser {
  return (jsoncModule ??= require('jsonc-parser') as typeof JsoncParser);
}

// yaml's node tests, forwarded (they only read a symbol on the node).
export const isAlias = (n: unknown): n is Yaml.Alias => yaml().isAlias(n);
export const isMap = (n: unknown): n is Yaml.YAMLMap => yaml().isMap(n);
export const isScalar = (n: unknown): n is Yaml.Scalar => yaml().isScalar(n);
export const isSeq = (n: unknown): n is Yaml.YAMLSeq => yaml().isSeq(n);
