/**
 * Message translation. Engine texts are written in English with `{0}`-style
 * placeholders; a host (the language server) may install a translator such as
 * `@vscode/l10n`'s `t`, which looks the English text up in a bundle.
 */
export type Translator = (message: string, ...args: Array<string | number>) => string;

function format(message: string, args: Array<string | number>): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));
}

let translator: Translator = (message, ...args) => format(message, args);

export function setTranslator(fn: Translator | undefined): void {
  translator = fn ?? ((message, ...args) => format(message, args));
}

export function t(message: string, ...args: Array<string | number>): string {
  return translator(message, ...args);
}
