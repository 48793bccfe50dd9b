import * as path from 'path';
import { readDockerfile, DockerfileModel } from '../sources/dockerfile';
import { meta, Rule } from './rule';
import { stageChain } from './root-user';
import { all, missingApplies, t } from './util';

/** HEALTHCHECK of the final stage (through the stages it builds on): 'set', 'none' or undefined. */
export function finalHealthcheck(df: DockerfileModel): 'set' | 'none' | undefined {
  if (!df.stages.length) return undefined;
  for (const st of stageChain(df, df.stages.length - 1)) {
    const hcs = st.instructions.filter((i) => i.keyword.toUpperCase() === 'HEALTHCHECK');
    const last = hcs[hcs.length - 1];
    if (last) return last.args[0]?.value.toUpperCase() === 'NONE' ? 'none' : 'set';
  }
  return undefined;
}

export const rule: Rule = {
  meta: meta({
    id: 'healthcheck-missing', title: 'No health check', guide: [17], cis: '4.6', severity: 'info', fix: 'manual', sources: 'D, C',
    short: 'The image or service defines no health check.',
    long:
      'Without a health check the engine only knows whether the process is alive, not whether it works. A hung or half-broken container keeps receiving traffic, `depends_on: condition: service_healthy` cannot wait for it, and orchestrators cannot replace it.\n\n' +
      'Add a `HEALTHCHECK CMD …` to the final stage (or `healthcheck:` to the compose service) that probes the service cheaply, e.g. `wget -qO- http://localhost:8080/health || exit 1`.',
  }),
  dockerfile(df, ctx) {
    // HEALTHCHECK NONE switches the base image's check off: no health check either.
    if (!df.stages.length || finalHealthcheck(df) === 'set') return;
    ctx.report({ span: df.stages[df.stages.length - 1].from.span, message: t('The final stage has no HEALTHCHECK, so a hung container looks healthy. Add a HEALTHCHECK that probes the service.') });
  },
  launch(l, ctx) {
    if (l.command !== 'service' || !missingApplies(l)) return;
    if (all(l, 'healthcheck').some((o) => o.value !== 'false')) return;
    const build = (l.ref as { build?: { context: string; dockerfile: string } } | undefined)?.build;
    if (build && ctx.fileName && ctx.readFile) {
      const file = path.resolve(path.dirname(ctx.fileName), build.context, build.dockerfile);
      const text = ctx.readFile(file);
      if (text !== undefined) {
        try {
          if (finalHealthcheck(readDockerfile(text, { runShells: false })) === 'set') return;
        } catch {
          /* unreadable Dockerfile: judge the service alone */
        }
      }
    }
    ctx.report({ span: l.anchor, message: t('Service has no healthcheck, so a hung container looks healthy and dependants cannot wait for it. Add a healthcheck.'), context: l.label });
  },
};
