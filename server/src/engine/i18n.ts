/**
 * Message translation. Engine texts are written in English with `{0}`-style
 * placeholders; a host (the language server) may install a translator such as
 * `@vscode/l10n`'s `t`, which looks the English text up in a bundle.
 */
export type Translator = (message: string, ...args: Array<string | number>) => string;

/** Replaces `{N}` with args[N] (left as written when there is no such argument). */
function format(message: string, args: Array<string | number>): string {
  // By hand rather than with replace(/\{(\d+)\}/g, fn): this runs for every finding.
  let i = message.indexOf('{');
  if (i < 0) return message;
  let out = '';
  let last = 0;
  while (i >= 0) {
    let j = i + 1;
    let n = 0;
    for (let c = message.charCodeAt(j); c >= 48 && c <= 57; c = message.charCodeAt(++j)) n = n * 10 + (c - 48);
    if (j > i + 1 && message.charCodeAt(j) === 125) {
      // Number() of the digits, as the pattern did (a long run of digits rounds the same way).
      const a = args[j - i - 1 > 15 ? Number(message.slice(i + 1, j)) : n];
      if (a !== undefined) {
        out += message.slice(last, i) + String(a);
        last = j + 1;
      }
      i = message.indexOf('{', j + 1);
    } else i = message.indexOf('{', i + 1);
  }
  return last === 0 ? message : out + message.slice(last);
}

let translator: Translator = (message, ...args) => format(message, args);

export function setTranslator(fn: Translator | undefined): void {
  translator = fn ?? ((message, ...args) => format(message, args));
}

export function t(message: string, ...args: Array<string | number>): string {
  return translator(message, ...args);
}
