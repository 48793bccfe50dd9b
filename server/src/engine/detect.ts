/** Which reader a file gets: from its name, else from its first lines. */
import * as path from 'path';
import type { SourceKind } from './types';

// Dockerfile, Dockerfile.dev, Dockerfile-prod, api.Dockerfile, api_Dockerfile, Containerfile…
const DOCKERFILE_NAME = /^(?:(?:docker|container)file(?:[.\-_].+)?|.+[._\-](?:docker|container)file)$/i;
// compose.yaml, compose.prod.yaml, docker-compose.yml, docker-compose.override.yml, app_compose.yaml…
const COMPOSE_NAME = /^(?:(?:.+[._\-])?compose(?:\.[^/]+)?\.ya?ml|docker-compose[^/]*\.ya?ml)$/i;
const SHELL_NAME = /\.(?:sh|bash|ksh|zsh|dash|ash)$/i;
const SHEBANG = /^#!\s*(?:\/usr)?\/bin\/(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|zsh|dash|ksh|ash|mksh)\b/;

/** Which reader a file gets, from its name (and, for scripts without an extension, its shebang). */
export function detectKind(fileName: string | undefined, text?: string): SourceKind | undefined {
  const base = fileName ? path.basename(fileName.replace(/\\/g, '/')) : '';
  if (base) {
    if (DOCKERFILE_NAME.test(base)) return 'dockerfile';
    if (COMPOSE_NAME.test(base)) return 'compose';
    if (SHELL_NAME.test(base)) return 'shell';
  }
  if (text !== undefined) {
    const head = text.replace(/^\uFEFF/, '').slice(0, 256);
    if (SHEBANG.test(head)) return 'shell';
    if (!base) {
      if (/^\s*(#.*\n\s*)*(FROM|ARG)\s/i.test(head)) return 'dockerfile';
      if (/^(services|version)\s*:/m.test(text.slice(0, 4096))) return 'compose';
    }
  }
  return undefined;
}
