import * as fs from 'fs';
import * as path from 'path';

let version: string | undefined;
/** This package's version, from its package.json (above out/server/src/cli/ in the tsc build, above dist/ in the bundle). */
export function VERSION(): string {
  if (version === undefined) {
    version = '0.0.0';
    let dir = __dirname;
    for (let i = 0; i < 5; i++) {
      try {
        const j = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (j.name === 'container-hardening' && j.version) {
          version = j.version;
          break;
        }
      } catch {
        // not here
      }
      dir = path.dirname(dir);
    }
  }
  return version;
}
