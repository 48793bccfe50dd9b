import type { Cmd } from '../model';
import type { Span } from '../types';
import { meta, Rule } from './rule';
import { t } from './util';
import { lookupTable } from '../table';

/** curl short options that take a value: a bundle stops at the first of them. */
const CURL_VALUE_SHORT = new Set('AbcCdDeEFhHKmoOPQrtTuUwxXyYz'.split('').filter((c) => c !== 'O'));

function curlInsecure(c: Cmd): Span | undefined {
  for (const a of c.args) {
    const s = a.shape;
    if (s === '--insecure' || s === '-k') return a.span;
    if (/^-[A-Za-z]+$/.test(s)) {
      for (const ch of s.slice(1)) {
        if (ch === 'k') return a.span;
        if (CURL_VALUE_SHORT.has(ch)) break;
      }
    }
  }
  return undefined;
}

function find(c: Cmd, re: RegExp): Span | undefined {
  return c.args.find((a) => re.test(a.shape))?.span;
}

function configSet(c: Cmd, key: RegExp, value: RegExp): Span | undefined {
  const words = c.args.map((a) => a.shape);
  for (let i = 0; i < words.length; i++) {
    if (key.test(words[i]) && i + 1 < words.length && value.test(words[i + 1])) return { start: c.args[i].span.start, end: c.args[i + 1].span.end };
    const m = /^([^=]+)=(.*)$/.exec(words[i]);
    if (m && key.test(m[1]) && value.test(m[2])) return c.args[i].span;
  }
  return undefined;
}

const FALSY = /^(false|0|no|off)$/i;
const NO_VERIFY_VARS: Record<string, (v: string) => boolean> = lookupTable({
  // git only checks that the variable is set, so even "false" turns verification off; an empty value reads as clearing it.
  GIT_SSL_NO_VERIFY: (v) => v !== '',
  NODE_TLS_REJECT_UNAUTHORIZED: (v) => v === '0',
  PYTHONHTTPSVERIFY: (v) => v === '0',
  CURL_INSECURE: (v) => v !== '' && !FALSY.test(v),
  PIP_TRUSTED_HOST: (v) => v !== '',
});

export const rule: Rule = {
  meta: meta({
    id: 'tls-verify-disabled', title: 'TLS verification disabled', guide: [1], severity: 'warning', fix: 'manual', sources: 'D, S',
    short: 'A download or package install skips TLS certificate or signature verification.',
    long:
      'Turning off certificate checks (`curl -k`, `wget --no-check-certificate`, `pip --trusted-host`, `npm config set strict-ssl false`, `git -c http.sslVerify=false`, `GIT_SSL_NO_VERIFY`) or package signatures (`apk --allow-untrusted`, `apt-get --allow-unauthenticated`) lets anyone on the network path replace what you install.\n\n' +
      'Fix the trust instead: install the right CA certificates (`ca-certificates`, or your proxy\'s CA via `update-ca-certificates`/`NODE_EXTRA_CA_CERTS`/`PIP_CERT`), and import the repository\'s signing key.',
  }),
  shellTriggers: /curl|wget|trusted.host|strict.ssl|sslverify|allow-untrusted|allow-unauthenticated|allow-insecure|force-yes|nogpgcheck|GIT_SSL_NO_VERIFY|NODE_TLS_REJECT_UNAUTHORIZED|PYTHONHTTPSVERIFY|CURL_INSECURE|PIP_TRUSTED_HOST/i,
  shell(s, ctx) {
    const report = (span: Span, what: string) => ctx.report({ span, message: t('`{0}` turns off verification, so a man-in-the-middle can replace what is downloaded. Install the right CA certificate or signing key instead.', what) });
    for (const c of s.commands) {
      let span: Span | undefined;
      switch (c.name) {
        case 'curl':
          span = curlInsecure(c);
          break;
        case 'wget':
          span = find(c, /^--no-check-certificate$/);
          break;
        case 'pip':
        case 'pip2':
        case 'pip3':
        case 'uv':
          span = find(c, /^--trusted-host(=|$)/) ?? configSet(c, /^(global|install|download)\.trusted-host$/, /./);
          break;
        case 'python':
        case 'python2':
        case 'python3':
          if (c.args.some((a, i) => a.shape === '-m' && c.args[i + 1]?.shape === 'pip')) span = find(c, /^--trusted-host(=|$)/);
          break;
        case 'npm':
        case 'yarn':
        case 'pnpm':
          span = configSet(c, /^strict-ssl$/, FALSY) ?? find(c, /^--strict-ssl=(false|0)$/);
          break;
        case 'git':
          span = configSet(c, /^http\.sslverify$/i, FALSY);
          break;
        case 'apk':
          span = find(c, /^--allow-untrusted$/);
          break;
        case 'apt-get':
        case 'apt':
        case 'aptitude':
          span = find(c, /^--allow-unauthenticated$|^--allow-insecure-repositories$|^--force-yes$/);
          break;
        case 'yum':
        case 'dnf':
        case 'microdnf':
          span = find(c, /^--nogpgcheck$/);
          break;
      }
      if (span) report(span, ctx.text.slice(span.start, span.end));
    }
    for (const a of s.assigns) {
      const check = NO_VERIFY_VARS[a.name];
      if (check && check(a.value.trim())) report(a.span, ctx.text.slice(a.span.start, a.span.end).split('\n')[0]);
    }
  },
};
