import { fileURLToPath } from 'node:url';

/** Just enough of a URI for the server: scheme, a file-system path for `file:`, a path otherwise. */
export class URI {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly fsPath: string,
  ) {}

  static parse(uri: string): URI | undefined {
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/[^/?#]*)?([^?#]*)/.exec(uri);
    if (!m) return undefined;
    const scheme = m[1].toLowerCase();
    let p: string;
    try {
      p = decodeURIComponent(m[2]);
    } catch {
      p = m[2];
    }
    let fsPath = p;
    if (scheme === 'file') {
      try {
        fsPath = fileURLToPath(uri.replace(/[?#].*$/, ''));
      } catch {
        fsPath = p;
      }
    }
    return new URI(scheme, p, fsPath);
  }
}

/** The name the engine sees: a file path for `file:` URIs, the URI's path otherwise. */
export function fileNameOf(uri: string): string {
  const u = URI.parse(uri);
  if (!u) return uri;
  return u.scheme === 'file' ? u.fsPath : u.path;
}
