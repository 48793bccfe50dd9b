/**
 * Files read through the client, for a server without a file system (the web
 * build in vscode.dev and github.dev): a compose file's base or override, the
 * target of `extends`, the Dockerfile a service builds, `.container-hardening.yaml`.
 *
 * The engine reads sibling files synchronously while it analyses, and the client
 * can only answer a request later. So an analysis takes what is known, every path
 * it asked for that is not known (or was known more than `maxAgeMs` ago) is
 * remembered, and {@link RemoteFiles.settle} asks the client for all of them in one
 * `containerHardening/readFiles` request; when an answer differs from what the
 * analysis saw, the caller analyses again (see Analyses.current).
 */
import type { ConfigFileSystem } from '../engine';

/** Server → client: the texts of these URIs (null: absent, a folder, too large, not text). */
export const READ_FILES_REQUEST = 'containerHardening/readFiles';

export interface ReadFilesParams {
  uris: string[];
}

export type ReadFilesResult = Array<string | null>;

/** Sibling files (compose base files, a service's Dockerfile) larger than this are not read: by the node server from disk, by the client for the web build. */
export const MAX_SIBLING_FILE = 1024 * 1024;

interface Entry {
  text: string | undefined;
  at: number;
}

export class RemoteFiles {
  private readonly known = new Map<string, Entry>();
  private readonly wanted = new Set<string>();
  private inFlight: Promise<boolean> | undefined;
  /** Requests sent to the client — for tests. */
  requests = 0;

  constructor(
    private readonly ask: (uris: string[]) => Promise<ReadFilesResult>,
    private readonly maxAgeMs = 3000,
    private readonly now: () => number = Date.now,
  ) {}

  /** What is known of `uri` now (undefined: absent or not known yet); unknown or old answers are asked for at the next {@link settle}. */
  read(uri: string): string | undefined {
    const hit = this.known.get(uri);
    if (!hit || this.now() - hit.at > this.maxAgeMs) this.wanted.add(uri);
    return hit?.text;
  }

  /** Reads were made that only the client can answer (or its answer is on the way). */
  get pending(): boolean {
    return this.wanted.size > 0 || this.inFlight !== undefined;
  }

  /**
   * Asks the client for every file wanted, waiting for a request already on its way (it
   * may carry another analysis's reads); true when an answer differs from what {@link read}
   * returned before.
   */
  async settle(): Promise<boolean> {
    let changed = false;
    while (this.inFlight || this.wanted.size) {
      if (!this.inFlight) this.inFlight = this.askClient().finally(() => (this.inFlight = undefined));
      changed = (await this.inFlight) || changed;
    }
    return changed;
  }

  private async askClient(): Promise<boolean> {
    const uris = [...this.wanted];
    this.wanted.clear();
    this.requests++;
    let answers: ReadFilesResult;
    try {
      answers = await this.ask(uris);
    } catch {
      // A client that does not answer this request: the files are absent for it.
      answers = [];
    }
    let changed = false;
    const at = this.now();
    uris.forEach((uri, i) => {
      const a = answers[i];
      const text = typeof a === 'string' && a.length <= MAX_SIBLING_FILE && !a.includes('\u0000') ? a : undefined;
      if (this.known.get(uri)?.text !== text) changed = true;
      this.known.set(uri, { text, at });
    });
    return changed;
  }

  /** Forgets every answer (the client said files changed). */
  clear(): void {
    this.known.clear();
  }

  /** The file system of the config look-up for documents under `root` (`scheme://authority`): paths below it. */
  configFileSystem(root: string): ConfigFileSystem {
    return {
      exists: (p) => this.read(uriAt(root, p)) !== undefined,
      readFile: (p) => {
        const text = this.read(uriAt(root, p));
        if (text === undefined) throw new Error('not readable');
        return text;
      },
    };
  }
}

/** `scheme://authority` of a URI (the part a path is put after), or undefined. */
export function rootOf(uri: string): string | undefined {
  return /^[A-Za-z][A-Za-z0-9+.-]*:(?:\/\/[^/?#]*)?/.exec(uri)?.[0];
}

/** The URI of absolute path `p` beside `root`, its segments encoded. */
export function uriAt(root: string, p: string): string {
  return root + p.split('/').map((s) => encodeURIComponent(s)).join('/');
}
