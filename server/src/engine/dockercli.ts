/**
 * The docker CLI option grammar, shared by docker, podman and nerdctl
 * (`run`, `create`, `container run|create`, `exec`, `login`, …) and dockerd:
 * long and short forms, `--opt=value`, bundled short flags, boolean
 * `=true/=false`, repeated options; the first non-option word is the image
 * and everything after it belongs to the container's command.
 */
import { Launch, LaunchCommand, LaunchWriter, Option, UNKNOWN } from './launch';
import { parseMountSpec, parsePortSpec, parseShortVolume } from './mounts';
import type { Span } from './types';
import { lookupTable } from './table';

/** One word of a command line, as the shell reader saw it. */
export interface Word {
  /** Value with quotes removed and unknown parts replaced by UNKNOWN. */
  shape: string;
  span: Span;
  /** May expand to any number of words (unquoted `$OPTS`, `"$@"`, `${arr[@]}`). */
  splat: boolean;
}

/**
 * Where an option stands among the command's words: what a writer of command lines needs to
 * edit it. Kept here, beside the grammar that found it, and read only by writers
 * (`optionWords`, `launchWords`): rules see the option, not its words.
 */
export interface OptionWords {
  /** Indexes into the launch's words: the flag word, and the value word when it is separate. */
  words: number[];
  /** Written `--flag=value`. */
  eq?: boolean;
  /** One letter of a bundle such as `-itd`… */
  bundled?: boolean;
  /** …at this index of its word. */
  char?: number;
}

export interface LaunchWords {
  /** The words after the program name. */
  words: Word[];
  /** Index of the image among them (words.length when there is none). */
  imageIndex?: number;
  /** `docker -d`: the flag that made this the old daemon mode. */
  daemonFlag?: Option;
}

// Options and launches carry their words under this key; it is not exported, so only the
// command-line writers read it (through optionWords and launchWords). A property, not a WeakMap:
// a WeakMap that outlives the analysis keeps each analysis's objects alive through the next
// minor garbage collections (its table holds them until a full one), which made every
// analysis of a script with many commands pay for the one before it.
const WORDS = Symbol('command-line words');
type Linked = Option & { [WORDS]?: OptionWords };
type LinkedLaunch = Launch & { [WORDS]?: LaunchWords };

export function optionWords(o: Option): OptionWords | undefined {
  return (o as Linked)[WORDS];
}

export function launchWords(l: Launch): LaunchWords | undefined {
  return (l as LinkedLaunch)[WORDS];
}

/** An option written with its words (`[WORDS]: …` in the literal: one shape, no property added later). */
function linked(o: Linked): Option {
  return o;
}

interface OptSpec {
  name: string;
  value: boolean;
}

function table(values: string, bools: string, aliases: Record<string, string> = {}): Map<string, OptSpec> {
  const m = new Map<string, OptSpec>();
  for (const v of values.split(/\s+/).filter(Boolean)) m.set(v, { name: v.replace(/^-+/, ''), value: true });
  for (const b of bools.split(/\s+/).filter(Boolean)) m.set(b, { name: b.replace(/^-+/, ''), value: false });
  for (const [alias, target] of Object.entries(aliases)) {
    const spec = m.get(target);
    if (spec) m.set(alias, spec);
  }
  return m;
}

const RUN = table(
  `--add-host --annotation --attach --blkio-weight --blkio-weight-device --cap-add --cap-drop --cgroup-parent --cgroupns
   --cidfile --cpu-count --cpu-percent --cpu-period --cpu-quota --cpu-rt-period --cpu-rt-runtime --cpu-shares --cpus
   --cpuset-cpus --cpuset-mems --cpuset --detach-keys --device --device-cgroup-rule --device-read-bps --device-read-iops
   --device-write-bps --device-write-iops --dns --dns-option --dns-search --domainname --entrypoint --env --env-file
   --expose --gpus --group-add --health-cmd --health-interval --health-retries --health-start-interval
   --health-start-period --health-timeout --hostname --io-maxbandwidth --io-maxiops --ip --ip6 --ipc --isolation
   --kernel-memory --label --label-file --link --link-local-ip --log-driver --log-opt --mac-address --memory
   --memory-reservation --memory-swap --memory-swappiness --mount --name --network --network-alias --oom-score-adj --pid
   --pids-limit --platform --publish --pull --restart --runtime --security-opt --shm-size --stop-signal --stop-timeout
   --storage-opt --sysctl --tmpfs --ulimit --user --userns --uts --volume --volume-driver --volumes-from --workdir
   --lxc-conf --arch --authfile --cert-dir --cgroup-conf --cgroups --chrootdirs --conmon-pidfile --creds --decryption-key
   --env-merge --gidmap --group-entry --hostuser --hosts-file --image-volume --init-path --log-opt --os --passwd-entry
   --personality --pidfile --pod --pod-id-file --preserve-fds --rdt-class --requires --retry --retry-delay --sdnotify
   --seccomp-policy --secret --shm-size-systemd --subgidname --subuidname --systemd --timeout --tz --uidmap --umask
   --unsetenv --variant --health-on-failure --health-log-destination --health-max-log-count --health-max-log-size
   --health-startup-cmd --health-startup-interval --health-startup-retries --health-startup-success
   --health-startup-timeout --uts --namespace --cosign-key --verify --ipfs-address --mac --init-binary`,
  `--detach --interactive --tty --init --no-healthcheck --oom-kill-disable --publish-all --privileged --read-only --rm
   --sig-proxy --disable-content-trust --quiet --help --use-api-socket --env-host --no-hosts --read-only-tmpfs --replace
   --rootfs --tls-verify --unsetenv-all --rmi --http-proxy`,
  {
    '-a': '--attach', '-c': '--cpu-shares', '-e': '--env', '-h': '--hostname', '-l': '--label', '-m': '--memory',
    '-p': '--publish', '-u': '--user', '-v': '--volume', '-w': '--workdir', '-d': '--detach', '-i': '--interactive',
    '-t': '--tty', '-P': '--publish-all', '-q': '--quiet', '--net': '--network', '--net-alias': '--network-alias',
    '--dns-opt': '--dns-option', '--health-start-interval': '--health-start-interval',
  },
);

const EXEC = table(
  '--env --env-file --user --workdir --detach-keys --preserve-fds --preserve-fd',
  '--detach --interactive --tty --privileged --latest --help',
  { '-e': '--env', '-u': '--user', '-w': '--workdir', '-d': '--detach', '-i': '--interactive', '-t': '--tty', '-l': '--latest' },
);

const LOGIN = table('--username --password --authfile --cert-dir', '--password-stdin --get-login --tls-verify --verbose', {
  '-u': '--username',
  '-p': '--password',
  '-v': '--verbose',
});

const DOCKERD = table(
  `--host --insecure-registry --userns-remap --tlscacert --tlscert --tlskey --bridge --bip --data-root --graph --group
   --exec-opt --exec-root --ip --label --log-driver --log-level --log-opt --mtu --pidfile --registry-mirror
   --storage-driver --storage-opt --default-ulimit --dns --dns-search --dns-opt --cgroup-parent --config-file
   --containerd --containerd-namespace --containerd-plugins-namespace --default-runtime --add-runtime
   --authorization-plugin --max-concurrent-downloads --max-concurrent-uploads --max-download-attempts
   --default-address-pool --seccomp-profile --fixed-cidr --fixed-cidr-v6 --default-gateway --default-gateway-v6
   --metrics-addr --shutdown-timeout --swarm-default-advertise-addr --default-shm-size --default-ipc-mode
   --default-cgroupns-mode --oom-score-adjust --init-path --userland-proxy-path --network-control-plane-mtu
   --node-generic-resource --cluster-advertise --cluster-store --cluster-store-opt --api-cors-header
   --allow-nondistributable-artifacts --feature --host-gateway-ip --http-proxy --https-proxy --no-proxy --log-format
   --cpu-rt-period --cpu-rt-runtime --default-runtime --exec-root --lxc-conf`,
  `--icc --tls --tlsverify --selinux-enabled --debug --experimental --live-restore --ip-forward --ip-masq --iptables
   --ip6tables --ipv6 --userland-proxy --no-new-privileges --rootless --init --raw-logs --validate --help --version`,
  { '-H': '--host', '-b': '--bridge', '-g': '--graph', '-G': '--group', '-l': '--log-level', '-p': '--pidfile', '-s': '--storage-driver', '-D': '--debug', '-v': '--version', '-h': '--help' },
);

const GLOBAL = table(
  `--host --config --context --log-level --tlscacert --tlscert --tlskey --url --connection --root --runroot
   --storage-driver --storage-opt --cgroup-manager --events-backend --runtime --runtime-flag --network-cmd-path
   --network-config-dir --cni-config-dir --conmon --hooks-dir --identity --module --ssh --tmpdir --imagestore
   --volumepath --db-backend --out --namespace --address --snapshotter --cni-path --cni-netconfpath --data-root
   --host-gateway-ip --bridge-ip`,
  '--debug --tls --tlsverify --version --help --remote --syslog --transient-store --noout --debug-full --insecure-registry --experimental',
  { '-H': '--host', '-c': '--context', '-l': '--log-level', '-D': '--debug', '-v': '--version', '-n': '--namespace', '-a': '--address', '-r': '--remote', '-h': '--help' },
);

/** Short flags that take a value, per table (for bundles such as `-itp 80:80`). */
function isValueShort(t: Map<string, OptSpec>, ch: string): boolean {
  return t.get('-' + ch)?.value === true;
}

interface ParsedOpts {
  options: Option[];
  /** Index of the first word after the options (the image, the container…). */
  rest: number;
  opaque: boolean;
}

/**
 * Parses options from words[start…] with the given table until the first
 * positional word. `unknownTakesValue`: an unknown `--flag` followed by a word
 * that is not an option takes that word (dockerd has no positional words).
 */
function parseOptions(words: Word[], start: number, t: Map<string, OptSpec>, unknownTakesValue: boolean, stopAtPositional = true): ParsedOpts {
  const options: Option[] = [];
  let opaque = false;
  let i = start;
  while (i < words.length) {
    const w = words[i];
    const s = w.shape;
    if (s === '--') {
      i++;
      break;
    }
    if (w.splat) {
      // `$DOCKER_OPTS`, "$@": may hold options (or the image); its content is unknown.
      opaque = true;
      if (!stopAtPositional) {
        i++;
        continue;
      }
      // A splat followed by nothing else is where the image would be.
      if (i === words.length - 1) break;
      i++;
      continue;
    }
    if (s.startsWith('--') && s.length > 2) {
      const eq = s.indexOf('=');
      const flag = eq >= 0 ? s.slice(0, eq) : s;
      const spec = t.get(flag);
      const name = spec?.name ?? flag.slice(2);
      if (eq >= 0) {
        options.push(linked({ name, value: s.slice(eq + 1), span: w.span, valueSpan: { start: w.span.start + eq + 1, end: w.span.end }, spelled: flag, [WORDS]: { words: [i], eq: true } }));
        i++;
        continue;
      }
      const takesValue = spec ? spec.value : unknownTakesValue && i + 1 < words.length && !words[i + 1].shape.startsWith('-');
      if (takesValue && i + 1 < words.length) {
        const v = words[i + 1];
        options.push(linked({ name, value: v.shape, span: { start: w.span.start, end: v.span.end }, valueSpan: v.span, spelled: flag, [WORDS]: { words: [i, i + 1] } }));
        i += 2;
      } else {
        options.push(linked({ name, value: takesValue ? UNKNOWN : 'true', span: w.span, spelled: flag, [WORDS]: { words: [i] } }));
        i++;
      }
      continue;
    }
    if (s.startsWith('-') && s.length > 1 && s !== '-') {
      // Short flags, possibly bundled: -itd, -p8080:80, -u=root
      let j = 1;
      let consumedNext = false;
      while (j < s.length) {
        const ch = s[j];
        const spec = t.get('-' + ch);
        const name = spec?.name ?? ch;
        const charSpan = { start: w.span.start + j, end: w.span.start + j + 1 };
        if (spec?.value || (!spec && isValueShort(t, ch))) {
          let value = s.slice(j + 1);
          let at = j + 1;
          if (value.startsWith('=')) {
            value = value.slice(1);
            at++;
          }
          if (value !== '') {
            // The flag letters are plain text, so the value starts right after them in the source too.
            options.push(linked({ name, value, span: w.span, valueSpan: { start: w.span.start + at, end: w.span.end }, spelled: '-' + ch, [WORDS]: { words: [i], bundled: j > 1, char: j } }));
          } else if (i + 1 < words.length) {
            const v = words[i + 1];
            options.push(linked({ name, value: v.shape, span: { start: j > 1 ? charSpan.start : w.span.start, end: v.span.end }, valueSpan: v.span, spelled: '-' + ch, [WORDS]: { words: [i, i + 1], bundled: j > 1, char: j } }));
            consumedNext = true;
          }
          break;
        }
        options.push(linked({ name, value: 'true', span: s.length > 2 ? charSpan : w.span, spelled: '-' + ch, [WORDS]: { words: [i], bundled: s.length > 2, char: j } }));
        j++;
      }
      i += consumedNext ? 2 : 1;
      continue;
    }
    if (stopAtPositional) break;
    i++;
  }
  return { options, rest: i, opaque };
}

/** Adds parsed mount/port details and splits comma lists. */
function normalize(options: Option[]): Option[] {
  const out: Option[] = [];
  for (const o of options) {
    switch (o.name) {
      case 'volume':
        o.mount = parseShortVolume(o.value);
        break;
      case 'mount':
        o.mount = parseMountSpec(o.value);
        break;
      case 'publish':
        o.port = parsePortSpec(o.value);
        break;
      case 'publish-all':
        if (o.value !== 'false') o.port = { hostIp: null, hostPort: null, containerPort: null, all: true };
        break;
    }
    out.push(o);
  }
  return out;
}

/** `--help` / `--version` (and their short forms where the grammar has them) print and exit: nothing is launched. */
function isQuery(options: Option[]): boolean {
  return options.some((o) => (o.name === 'help' || o.name === 'version') && o.value !== 'false');
}

/**
 * Reads `run`/`create` options that stand without a command line around them: a devcontainer's
 * `runArgs`, a workflow container's `options`, a Quadlet unit's `PodmanArgs`. The same grammar;
 * there is no program name, subcommand or image. Reading stops at the first word that is not an
 * option (`rest`). `optionWords` tells where each option stands among `words`.
 */
export function parseRunOptions(words: Word[]): { options: Option[]; rest: number; opaque: boolean } {
  const p = parseOptions(words, 0, RUN, false);
  return { options: normalize(p.options), rest: p.rest, opaque: p.opaque };
}

const SUBCOMMANDS: Record<string, LaunchCommand> = lookupTable({ run: 'run', create: 'create', exec: 'exec' });

/**
 * Reads one invocation of docker, podman, nerdctl (tool) or dockerd. `words`
 * are the words after the program name; `nameSpan` spans the program name.
 * `writer` renders fixes for the launch (the source's command-line writer).
 */
export function parseContainerCommand(tool: string, words: Word[], nameSpan: Span, writer: LaunchWriter): Launch {
  const launchOf = (command: LaunchCommand, anchor: Span, label: string, options: Option[], at: LaunchWords = { words }): Launch => {
    const l: Launch = { source: 'shell', tool, command, anchor, label, options, judgeMissing: false, writer };
    (l as LinkedLaunch)[WORDS] = at;
    return l;
  };
  if (tool === 'dockerd') {
    const p = parseOptions(words, 0, DOCKERD, true, false);
    // `dockerd --version` / `--help` only prints and exits: a query, not a daemon.
    const l = launchOf(isQuery(p.options) ? 'other' : 'dockerd', nameSpan, tool, normalize(p.options));
    l.opaque = p.opaque;
    return l;
  }
  const g = parseOptions(words, 0, GLOBAL, false);
  if (isQuery(g.options)) return launchOf('other', nameSpan, tool, g.options);
  // (The copy keeps the option's words: a spread copies the symbol-keyed link too.)
  const globals = g.options.map((o) => linked({ ...o, name: o.name === 'host' ? 'global-host' : o.name === 'tlsverify' ? 'global-tlsverify' : 'global-' + o.name }));
  let i = g.rest;
  // `docker -d` is the old daemon mode.
  const daemonFlag = g.options.find((o) => o.spelled === '-d' || o.spelled === '--daemon');
  if (daemonFlag) {
    const p = parseOptions(words, i, DOCKERD, true, false);
    const l = launchOf(isQuery(p.options) ? 'other' : 'dockerd', { start: nameSpan.start, end: daemonFlag.span.end }, `${tool} -d`, [...globals, ...normalize(p.options)], { words, daemonFlag });
    l.subcommand = '-d';
    return l;
  }
  if (i >= words.length || words[i].splat || words[i].shape.includes(UNKNOWN)) {
    const l = launchOf('other', nameSpan, tool, globals);
    l.opaque = true;
    return l;
  }
  let sub = words[i].shape;
  let anchorEnd = words[i].span.end;
  i++;
  if ((sub === 'container' || sub === 'image') && i < words.length) {
    sub = `${sub} ${words[i].shape}`;
    anchorEnd = words[i].span.end;
    i++;
  }
  const verb = sub.startsWith('container ') ? sub.slice(10) : sub;
  const anchor = { start: nameSpan.start, end: anchorEnd };
  const label = `${tool} ${sub}`;
  if (sub === 'daemon') {
    const p = parseOptions(words, i, DOCKERD, true, false);
    const l = launchOf(isQuery(p.options) ? 'other' : 'dockerd', anchor, label, [...globals, ...normalize(p.options)]);
    l.subcommand = 'daemon';
    return l;
  }
  const command = SUBCOMMANDS[verb];
  if (command === 'run' || command === 'create') {
    const p = parseOptions(words, i, RUN, false);
    const launch = launchOf(isQuery(p.options) ? 'other' : command, anchor, label, [...globals, ...normalize(p.options)], { words, imageIndex: p.rest });
    launch.subcommand = sub;
    launch.opaque = p.opaque;
    if (p.rest < words.length && !words[p.rest].splat) {
      launch.image = { shape: words[p.rest].shape, span: words[p.rest].span };
      // The container's own command: never read as docker options, kept for rules about what runs inside.
      const cmd = words.slice(p.rest + 1);
      if (cmd.length) {
        launch.options.push({ name: 'command', value: cmd.map((w) => w.shape).join(' '), span: { start: cmd[0].span.start, end: cmd[cmd.length - 1].span.end }, spelled: 'command' });
      }
    } else if (p.rest < words.length) {
      launch.opaque = true;
    }
    // A complete command line: settings it lacks are really missing.
    launch.judgeMissing = launch.command !== 'other' && !launch.opaque;
    return launch;
  }
  if (command === 'exec') {
    const p = parseOptions(words, i, EXEC, false);
    const l = launchOf(command, anchor, label, [...globals, ...normalize(p.options)]);
    l.subcommand = sub;
    l.opaque = p.opaque;
    return l;
  }
  if (verb === 'login') {
    // Flags may follow the registry name (cobra intersperses them).
    const p = parseOptions(words, i, LOGIN, false, false);
    const l = launchOf('other', anchor, label, [...globals, ...p.options]);
    l.subcommand = sub;
    return l;
  }
  // Other subcommands (pull, build, push, …): only flags we can read without
  // knowing their grammar: `--flag` and `--flag=value`.
  const extra: Option[] = [];
  for (let k = i; k < words.length; k++) {
    const s = words[k].shape;
    if (s === '--') break;
    if (!s.startsWith('--disable-content-trust')) continue;
    const m = /^--(disable-content-trust)(?:=(.*))?$/.exec(s);
    if (m) extra.push(linked({ name: m[1], value: m[2] ?? 'true', span: words[k].span, spelled: '--' + m[1], [WORDS]: { words: [k] } }));
  }
  const l = launchOf('other', anchor, label, [...globals, ...extra]);
  l.subcommand = sub;
  return l;
}

export const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl', 'dockerd']);
