// The one use of Node's Buffer in the web worker bundle: dockerfile-ast's UTF-8 BOM check,
// `Buffer.from(char, "UTF-8")`. Injected by bundle.mjs for the web build only.
export const Buffer = {
  from: (text) => new TextEncoder().encode(String(text)),
};
