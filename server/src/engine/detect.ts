/** Which reader a file gets: from its name (or path), else from its first lines. */
import * as path from 'path';
import type { SourceKind } from './types';

// Dockerfile, Dockerfile.dev, Dockerfile-prod, api.Dockerfile, api_Dockerfile, Containerfile…
const DOCKERFILE_NAME = /^(?:(?:docker|container)file(?:[.\-_].+)?|.+[._\-](?:docker|container)file)$/i;
// compose.yaml, compose.prod.yaml, docker-compose.yml, docker-compose.override.yml, app_compose.yaml…
const COMPOSE_NAME = /^(?:(?:.+[._\-])?compose(?:\.[^/]+)?\.ya?ml|docker-compose[^/]*\.ya?ml)$/i;
const SHELL_NAME = /\.(?:sh|bash|ksh|zsh|dash|ash)$/i;
const SHEBANG = /^#!\s*(?:\/usr)?\/bin\/(?:env\s+(?:-\S+\s+)*)?(?:sh|bash|zsh|dash|ksh|ash|mksh)\b/;
// .devcontainer/devcontainer.json, .devcontainer.json, .devcontainer/<folder>/devcontainer.json
const DEVCONTAINER_NAME = /^\.?devcontainer\.json$/i;
// A GitHub Actions workflow: .github/workflows/<name>.yml (not in a subfolder: GitHub reads none there).
const WORKFLOW_PATH = /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i;
// A Podman Quadlet container unit (foo.container, foo@.container).
const QUADLET_NAME = /^[^/]+\.container$/i;

/**
 * Which reader a file gets, from its name (and, for scripts without an extension, its shebang).
 * Workflows are known by their folder: pass the path, not only the name.
 */
export function detectKind(fileName: string | undefined, text?: string): SourceKind | undefined {
  const full = fileName ? fileName.replace(/\\/g, '/') : '';
  const base = full ? path.posix.basename(full) : '';
  if (base) {
    if (DOCKERFILE_NAME.test(base)) return 'dockerfile';
    if (DEVCONTAINER_NAME.test(base)) return 'devcontainer';
    if (QUADLET_NAME.test(base)) return 'quadlet';
    if (WORKFLOW_PATH.test(full)) return 'workflow';
    if (COMPOSE_NAME.test(base)) return 'compose';
    if (SHELL_NAME.test(base)) return 'shell';
  }
  if (text !== undefined) {
    const head = text.replace(/^\uFEFF/, '').slice(0, 256);
    if (SHEBANG.test(head)) return 'shell';
    if (!base) {
      if (/^\s*(#.*\n\s*)*(FROM|ARG)\s/i.test(head)) return 'dockerfile';
      const start = text.slice(0, 4096);
      if (/^jobs\s*:/m.test(start) && /^\s+(runs-on|steps)\s*:/m.test(start)) return 'workflow';
      if (/^(services|version)\s*:/m.test(start)) return 'compose';
      if (/^\s*\[Container\]\s*$/m.test(start)) return 'quadlet';
    }
  }
  return undefined;
}
