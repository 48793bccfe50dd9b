/** The few assertions the web leg needs (node:assert is not in a web worker). */
function fail(message: string): never {
  throw new Error(message);
}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) fail(message);
}

export function equal<T>(actual: T, expected: T, message?: string): void {
  if (actual !== expected) fail(message ?? `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function match(text: string, re: RegExp, message?: string): void {
  if (!re.test(text)) fail(message ?? `expected ${re} to match ${JSON.stringify(text)}`);
}

export function doesNotMatch(text: string, re: RegExp, message?: string): void {
  if (re.test(text)) fail(message ?? `expected ${re} not to match ${JSON.stringify(text)}`);
}
