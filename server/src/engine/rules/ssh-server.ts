import type { Launch } from '../launch';
import { portCovers } from '../mounts';
import type { Cmd } from '../model';
import type { Span } from '../types';
import { meta, Rule, RuleContext } from './rule';
import { all, bareWords, t } from './util';
import { lookupTable } from '../table';

const INSTALLERS: Record<string, string[]> = lookupTable({
  'apt-get': ['install'], apt: ['install'], aptitude: ['install'], yum: ['install'], dnf: ['install'], microdnf: ['install'],
  zypper: ['install', 'in'], apk: ['add'], pacman: ['-S', '-Sy', '-Syu'], emerge: [],
});
const SSH_PACKAGES = /^(openssh-server|dropbear|dropbear-[a-z]+)(=.*)?$/;
const SSHD = /^(sshd|dropbear)$/;
const SSH_WORDS = /ssh|dropbear/i;

function installsSsh(c: Cmd): Span | undefined {
  const verbs = INSTALLERS[c.name];
  if (!verbs) return undefined;
  const words = c.args.map((a) => a.shape);
  if (verbs.length && !words.some((w) => verbs.includes(w))) return undefined;
  return c.args.find((a) => SSH_PACKAGES.test(a.shape))?.span;
}

function runsSshd(c: Cmd): boolean {
  if (SSHD.test(c.name)) return true;
  // service ssh start, /etc/init.d/ssh start, systemctl start sshd
  const w = c.args.map((a) => a.shape);
  if (c.name === 'service' && /^(ssh|sshd)$/.test(w[0] ?? '') && /^(start|restart)$/.test(w[1] ?? '')) return true;
  if ((c.name === 'ssh' || c.name === 'sshd') && /^(start|restart)$/.test(w[0] ?? '')) return true;
  if (c.name === 'systemctl' && /^(start|restart|enable)$/.test(w[0] ?? '') && w.slice(1).some((x) => /^(ssh|sshd)(\.service)?$/.test(x))) return true;
  return false;
}

const MSG_INSTALL = 'An SSH server is installed in the image. Containers should not run sshd: use `docker exec` (or `kubectl exec`) to get a shell.';
const MSG_RUN = 'An SSH server is started in the container. Use `docker exec` for shells instead of running sshd.';
const MSG_PORT = 'Container port 22 (SSH) is exposed. Use `docker exec` for shells instead of running sshd in the container.';

function checkLaunch(l: Launch, ctx: RuleContext) {
  for (const o of all(l, 'publish')) {
    if (!o.inherited && o.port && portCovers(o.port.containerPort, 22)) ctx.report({ span: o.span, message: t(MSG_PORT), context: l.label });
  }
  for (const o of all(l, 'expose')) {
    if (!o.inherited && portCovers(o.value.replace(/\/tcp$/i, ''), 22)) ctx.report({ span: o.span, message: t(MSG_PORT), context: l.label });
  }
  for (const o of [...all(l, 'command'), ...all(l, 'entrypoint')]) {
    if (!o.inherited && /(^|[\s/])(sshd|dropbear)(\s|$)/.test(o.value)) ctx.report({ span: o.span, message: t(MSG_RUN), context: l.label });
  }
}

export const rule: Rule = {
  meta: meta({
    id: 'ssh-server', title: 'SSH server in a container', guide: [9], cis: '5.6', severity: 'warning', fix: 'manual', sources: 'D, S, C',
    short: 'The container installs, runs or exposes an SSH server.',
    long:
      'An sshd in a container is one more network service with its own keys, users and vulnerabilities to manage, usually without the updates and monitoring the host\'s sshd gets, and it tempts people to treat containers as pets.\n\n' +
      'Remove it: `docker exec -it <container> sh` gives a shell without opening a port; copy files with `docker cp`. Where SSH is the product (a Git server, a bastion), keep it deliberately and suppress this finding with a reason.',
  }),
  launch: checkLaunch,
  shellTriggers: SSH_WORDS,
  shell(s, ctx) {
    for (const c of s.commands) {
      const pkg = installsSsh(c);
      if (pkg) ctx.report({ span: pkg, message: t(MSG_INSTALL) });
      else if (runsSshd(c)) ctx.report({ span: c.span, message: t(MSG_RUN) });
    }
  },
  dockerfile(df, ctx) {
    for (const ins of df.instructions) {
      const kw = ins.keyword.toUpperCase();
      if (kw === 'EXPOSE') {
        for (const a of ins.args) if (portCovers(a.value.replace(/\/tcp$/i, ''), 22)) ctx.report({ span: a.span, message: t(MSG_PORT) });
      } else if (kw === 'CMD' || kw === 'ENTRYPOINT') {
        const words = ins.json ? ins.json.map((j) => j.value) : [];
        const first = words[0] ?? '';
        const name = first.slice(first.lastIndexOf('/') + 1);
        if (SSHD.test(name) || words.some((w) => /(^|[\s/;&|])(sshd|dropbear)(\s|$)|service\s+sshd?\s+start/.test(w) && words.length > 1 && /^(ba|da|z|a)?sh$/.test(name))) {
          ctx.report({ span: ins.span, message: t(MSG_RUN) });
        } else if (!ins.json && SSH_WORDS.test(bareWords(ctx.text.slice(ins.keywordSpan.end, ins.span.end))) && ins.args.length) {
          // Shell form: a command line of its own.
          if (df.commandsOf(ins).some(runsSshd)) ctx.report({ span: ins.span, message: t(MSG_RUN) });
        }
      }
    }
  },
};
