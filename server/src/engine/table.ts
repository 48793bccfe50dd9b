/**
 * A lookup table for keys that come from the user's file (command names,
 * compose keys, capability and variable names): without a prototype, so
 * `constructor`, `toString` or `__proto__` find nothing instead of one of
 * Object's own members.
 */
export function lookupTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
