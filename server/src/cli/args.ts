/** The command line: options, their checks and the help text. */
import { RULE_IDS, type Severity } from '../engine';
import { VERSION } from './version';

export function helpText(): string {
  return `container-hardening ${VERSION()}: flags insecure Docker settings in Dockerfiles, compose files and shell scripts.

Usage:
  container-hardening check [paths…] [options]    check files and folders (default: .)
  container-hardening check - --stdin-filename F   check standard input as file F
  container-hardening --list-rules                 list the rules
  container-hardening --version | --help

Options:
  --format text|json|sarif   output format (default: text)
  --fix                      apply every safe fix in place and report what changed
  --fail-on LEVEL            exit 1 when a finding is at or above LEVEL: error, warning, info, none (default: warning)
  --disable ID[,ID…]         turn rules off (repeatable)
  --config FILE              use this config file instead of looking up .container-hardening.yaml
  --stdin-filename NAME      the name (and kind) of the text read from -
  --output FILE, -o FILE     write the report to FILE instead of standard output
  --baseline FILE            report only findings not in FILE (from --write-baseline, or a JSON or SARIF report)
  --write-baseline FILE      record every finding in FILE, to pass to --baseline later
  --no-peer-comments         do not honour other tools' suppression comments (hadolint, Checkov, Trivy, KICS, Semgrep, BuildKit)
  --no-color                 no colours (also when NO_COLOR is set or output is not a terminal)

Folders are searched recursively; .git, node_modules and what .gitignore ignores are skipped.
Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage or I/O errors.`;
}

export class UsageError extends Error {}

export interface Options {
  paths: string[];
  format: 'text' | 'json' | 'sarif';
  fix: boolean;
  failOn: Severity | 'none';
  disable: string[];
  config?: string;
  stdinFilename?: string;
  output?: string;
  /** Report only findings not in this baseline (a --write-baseline file, or an earlier JSON or SARIF report). */
  baseline?: string;
  /** Write every finding's fingerprint here (a JSON report). */
  writeBaseline?: string;
  color: boolean;
  /** Honour other tools' suppression comments (default true; --no-peer-comments). */
  peerComments: boolean;
  listRules: boolean;
  version: boolean;
  help: boolean;
}

export function parseArgs(argv: string[]): Options {
  const o: Options = { paths: [], format: 'text', fix: false, failOn: 'warning', disable: [], color: true, peerComments: true, listRules: false, version: false, help: false };
  let sawCommand = false;
  const value = (i: number, name: string): string => {
    const v = argv[i + 1];
    if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i];
    let inline: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const take = (name: string): string => {
      if (inline !== undefined) return inline;
      const v = value(i, name);
      i++;
      return v;
    };
    switch (a) {
      case 'check':
        if (sawCommand || o.paths.length) o.paths.push(a);
        sawCommand = true;
        break;
      case '--format':
      case '-f': {
        const f = take('--format');
        if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format '${f}' (use text, json or sarif)`);
        o.format = f;
        break;
      }
      case '--fix':
        o.fix = true;
        break;
      case '--fail-on': {
        const f = take('--fail-on');
        if (!['error', 'warning', 'info', 'none'].includes(f)) throw new UsageError(`--fail-on takes error, warning, info or none, not '${f}'`);
        o.failOn = f as Options['failOn'];
        break;
      }
      case '--disable':
        for (const id of take('--disable').split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!RULE_IDS.has(id)) throw new UsageError(`unknown rule id '${id}' (see --list-rules)`);
          o.disable.push(id);
        }
        break;
      case '--config':
        o.config = take('--config');
        break;
      case '--baseline':
        o.baseline = take('--baseline');
        break;
      case '--write-baseline':
        o.writeBaseline = take('--write-baseline');
        break;
      case '--stdin-filename':
        o.stdinFilename = take('--stdin-filename');
        break;
      case '--output':
      case '-o':
        o.output = take('--output');
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--no-peer-comments':
        o.peerComments = false;
        break;
      case '--list-rules':
        o.listRules = true;
        break;
      case '--version':
      case '-V':
        o.version = true;
        break;
      case '--help':
      case '-h':
        o.help = true;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        if (!sawCommand) throw new UsageError(`unknown command '${a}' (try: container-hardening check ${a})`);
        o.paths.push(a);
    }
  }
  if (!sawCommand && !o.listRules && !o.version && !o.help) throw new UsageError('missing command (try: container-hardening check .)');
  if (o.fix && o.paths.includes('-')) throw new UsageError('--fix cannot write to standard input');
  return o;
}
