import { meta, Rule } from './rule';
import { all, capName, removeFix, shown, t } from './util';
import { lookupTable } from '../table';

const DANGEROUS = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'SYS_BOOT', 'SYS_TIME', 'NET_ADMIN', 'DAC_READ_SEARCH', 'MAC_ADMIN', 'MAC_OVERRIDE', 'BPF', 'PERFMON', 'SYSLOG']);
const WORST = new Set(['ALL', 'SYS_ADMIN', 'SYS_MODULE']);

const WHY: Record<string, string> = lookupTable({
  ALL: 'every capability, nearly the same as --privileged',
  SYS_ADMIN: 'mount, namespaces and many admin operations: the classic escape route',
  SYS_MODULE: 'loading kernel modules, i.e. running code in the host kernel',
  SYS_PTRACE: 'tracing and injecting into other processes',
  SYS_RAWIO: 'raw I/O ports and memory',
  SYS_BOOT: 'rebooting the host',
  SYS_TIME: 'setting the host clock',
  NET_ADMIN: 'reconfiguring interfaces, routes and firewall rules',
  DAC_READ_SEARCH: 'reading any file and opening files by handle (the "shocker" escape)',
  MAC_ADMIN: 'changing AppArmor/SELinux policy',
  MAC_OVERRIDE: 'bypassing AppArmor/SELinux policy',
  BPF: 'loading eBPF programs into the kernel',
  PERFMON: 'kernel performance monitoring and tracing',
  SYSLOG: 'reading and clearing the kernel log, which leaks kernel addresses',
});

export const rule: Rule = {
  meta: meta({
    id: 'cap-add-dangerous',
    title: 'Dangerous capability added',
    guide: [14],
    cis: '5.3',
    severity: 'warning',
    fix: 'manual',
    sources: 'S, C, J, W, Q',
    short: 'A capability that lets the container act on the host kernel, its devices or other processes is added.',
    long:
      'Some capabilities are close to full root on the host: `SYS_ADMIN` (mounts, namespaces), `SYS_MODULE` (kernel modules), `ALL`; others let a process trace other processes (`SYS_PTRACE`), reconfigure the network (`NET_ADMIN`), read any file (`DAC_READ_SEARCH`), change the clock, reboot, or load eBPF programs.\n\n' +
      'Remove the capability. If the workload really needs the operation, find a narrower way: a device with `--device`, a helper on the host, or a sandboxed runtime. Error for ALL, SYS_ADMIN and SYS_MODULE; warning for the rest.',
  }),
  launch(l, ctx) {
    for (const o of all(l, 'cap-add')) {
      if (o.inherited) continue;
      for (const part of o.value.split(',')) {
        const cap = capName(part);
        if (!DANGEROUS.has(cap)) continue;
        const single = o.value.split(',').length === 1;
        ctx.report({
          span: o.span,
          severity: WORST.has(cap) ? 'error' : 'warning',
          message: t('`{0}` grants {1}: {2}. Remove it, or find a narrower way to do what it is for.', shown(o, ctx.text), cap, t(WHY[cap])),
          fixes: single ? [removeFix(l, o, t('Remove `{0}`', shown(o, ctx.text)), false)] : [],
          context: l.label,
        });
      }
    }
  },
};
