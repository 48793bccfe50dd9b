/** Parsing of mount and port specifications, shared by the docker CLI grammar and compose. */
import { isKnown, Mount, Option, Port, UNKNOWN } from './launch';
import type { Edit } from './types';

const PROPAGATIONS = new Set(['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate']);

function isBindSource(src: string): boolean {
  return src.startsWith('/') || src.startsWith('.') || src.startsWith('~') || src.startsWith(UNKNOWN) || /^[A-Za-z]:[\\/]/.test(src);
}

/** `-v` / compose short syntax: `src:dst[:opts]`, or `dst` alone (anonymous volume). */
export function parseShortVolume(spec: string): Mount {
  // Windows drive letters (`C:\data:/data`) keep their colon.
  const parts: string[] = [];
  let rest = spec;
  const drive = /^[A-Za-z]:[\\/]/.exec(rest);
  let first = '';
  if (drive) {
    first = rest.slice(0, 2);
    rest = rest.slice(2);
  }
  parts.push(...rest.split(':'));
  parts[0] = first + parts[0];
  if (parts.length === 1) {
    return { type: 'volume', source: null, target: parts[0], readonly: false, style: 'short' };
  }
  const [src, dst, ...more] = parts;
  const flags = more.join(':').split(',').map((s) => s.trim());
  const propagation = flags.find((f) => PROPAGATIONS.has(f));
  return {
    type: isBindSource(src) ? 'bind' : 'volume',
    source: src,
    target: dst,
    readonly: flags.includes('ro') || flags.includes('readonly'),
    propagation,
    style: 'short',
  };
}

function truthy(v: string | undefined): boolean {
  if (v === undefined) return true;
  const s = v.trim().toLowerCase();
  return s === '' || s === 'true' || s === '1' || s === 'yes';
}

/** `--mount type=bind,source=/x,target=/y,readonly` */
export function parseMountSpec(spec: string): Mount {
  const m: Mount = { type: 'volume', source: null, target: null, readonly: false, style: 'mount' };
  for (const field of spec.split(',')) {
    const eq = field.indexOf('=');
    const key = (eq >= 0 ? field.slice(0, eq) : field).trim().toLowerCase();
    const value = eq >= 0 ? field.slice(eq + 1).trim() : undefined;
    switch (key) {
      case 'type':
        m.type = value === 'bind' || value === 'volume' || value === 'tmpfs' || value === 'npipe' ? value : 'unknown';
        break;
      case 'source':
      case 'src':
        m.source = value ?? null;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.target = value ?? null;
        break;
      case 'readonly':
      case 'ro':
        m.readonly = truthy(value);
        break;
      case 'bind-propagation':
        m.propagation = value;
        break;
    }
  }
  return m;
}

/** `[ip:][hostPort:]containerPort[/proto]` */
export function parsePortSpec(spec: string): Port {
  let s = spec.trim();
  let protocol: string | undefined;
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp: string | null = null;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close > 0) {
      hostIp = s.slice(1, close);
      s = s.slice(close + 1).replace(/^:/, '');
    }
  }
  const parts = s.split(':');
  let hostPort: string | null = null;
  let containerPort: string | null;
  if (hostIp !== null) {
    if (parts.length >= 2) {
      hostPort = parts[0] || null;
      containerPort = parts[parts.length - 1];
    } else containerPort = parts[0];
  } else if (parts.length === 1) {
    containerPort = parts[0];
  } else if (parts.length === 2) {
    hostPort = parts[0] || null;
    containerPort = parts[1];
  } else {
    containerPort = parts[parts.length - 1];
    hostPort = parts[parts.length - 2] || null;
    hostIp = parts.slice(0, parts.length - 2).join(':');
  }
  return { hostIp: hostIp === '' ? null : hostIp, hostPort, containerPort, protocol };
}

/** True when a port binds every interface of the host. */
export function bindsAllInterfaces(p: Port): boolean {
  if (p.all) return true;
  if (p.hostIp === null) return true;
  if (!isKnown(p.hostIp)) return false;
  return p.hostIp === '0.0.0.0' || p.hostIp === '::' || p.hostIp === '[::]';
}

/** Lowest port of a port or range (`8000-8010`), if known. */
export function lowestPort(s: string | null): number | undefined {
  if (!s || !isKnown(s)) return undefined;
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return undefined;
  return Number(m[1]);
}

/** True when a port spec or range covers the given port. */
export function portCovers(s: string | null, port: number): boolean {
  if (!s || !isKnown(s)) return false;
  const m = /^(\d+)(?:-(\d+))?$/.exec(s.trim());
  if (!m) return false;
  const lo = Number(m[1]);
  const hi = m[2] ? Number(m[2]) : lo;
  return port >= lo && port <= hi;
}

/** Collapses `//`, `.` and `..` segments and a trailing slash; keeps unknown parts. */
export function normalizePath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length && out[out.length - 1] !== '..' && !out[out.length - 1].includes(UNKNOWN)) out.pop();
    else if (seg === '..' && absolute && !out.length) continue;
    else out.push(seg);
  }
  const s = (absolute ? '/' : '') + out.join('/');
  return s === '' ? (absolute ? '/' : '.') : s;
}

/** A path read once for many `under` questions: normalised when fully known, else its known prefix as written. */
interface KnownPath {
  p: string;
  complete: boolean;
}

function knownPath(path: string): KnownPath {
  const i = path.indexOf(UNKNOWN);
  return i < 0 ? { p: normalizePath(path), complete: true } : { p: path.slice(0, i), complete: false };
}

function under(k: KnownPath, dir: string): boolean {
  if (k.complete) return dir === '/' ? k.p === '/' : k.p === dir || k.p.startsWith(dir + '/');
  // e.g. "/etc/␟": the known prefix already lies inside dir.
  return dir !== '/' && k.p.startsWith(dir + '/');
}

/** True when `path` is `dir` or lies under it; paths with unknown parts only when the known prefix decides. */
export function pathUnder(path: string, dir: string): boolean {
  return under(knownPath(path), dir);
}

export const SENSITIVE_DIRS = [
  '/', '/etc', '/proc', '/sys', '/boot', '/root', '/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib/modules',
  '/var/lib/docker', '/var/lib/kubelet', '/var/lib/containerd',
];
/** Read-only mounts that still reveal too much: these roots exactly… */
const READONLY_RISKY_EXACT = new Set(['/', '/etc', '/proc', '/sys', '/root', '/var/lib']);
/** …and anything in a runtime's state or a credential store. */
const READONLY_RISKY_UNDER = ['/var/lib/docker', '/var/lib/kubelet', '/var/lib/containerd', '/etc/shadow', '/etc/gshadow', '/etc/kubernetes', '/root/.ssh'];

export function sensitiveDir(path: string): string | undefined {
  const k = knownPath(path);
  let best: string | undefined;
  for (const d of SENSITIVE_DIRS) if (under(k, d) && (!best || d.length > best.length)) best = d;
  return best;
}

export function readonlyStillRisky(path: string): boolean {
  const k = knownPath(path);
  if (k.complete && READONLY_RISKY_EXACT.has(k.p)) return true;
  if (k.complete && /^\/home\/[^/]+\/\.ssh(\/|$)/.test(k.p)) return true;
  return READONLY_RISKY_UNDER.some((d) => under(k, d));
}

const SOCKETS = new Set(['docker.sock', 'containerd.sock', 'podman.sock', 'crio.sock', 'cri-dockerd.sock', 'dockershim.sock', 'buildkitd.sock']);

/** Folders that hold a runtime's socket: mounting them mounts the socket. */
const SOCKET_DIRS = new Set(['/var/run', '/run', '/run/containerd', '/var/run/containerd', '/run/podman', '/var/run/podman', '/run/docker', '/var/run/docker', '/run/crio', '/var/run/crio']);

export function isRuntimeSocket(path: string): boolean {
  const p = normalizePath(path);
  const base = p.slice(p.lastIndexOf('/') + 1);
  return SOCKETS.has(base) || SOCKET_DIRS.has(p);
}

export function isDevicePath(path: string): boolean {
  return pathUnder(path, '/dev');
}

/**
 * Binds a published port to one host address, in the port's own text: the address replaces
 * the one written, or goes in front (`127.0.0.1:` before `8080:80`, `127.0.0.1::` before a
 * lone container port). Shared by the command-line and compose writers (the same short syntax).
 */
export function bindPortEdit(text: string, o: Option, address: string): Edit | null {
  const p = o.port;
  const vs = o.valueSpan;
  if (!p || p.all || !vs) return null;
  const raw = text.slice(vs.start, vs.end);
  const q = raw[0] === '"' || raw[0] === "'" ? 1 : 0;
  if (p.hostIp !== null) {
    const i = raw.indexOf(p.hostIp);
    if (i < 0) return null;
    return { start: vs.start + i, end: vs.start + i + p.hostIp.length, newText: address };
  }
  if (/^\s*[{[]/.test(raw) || raw.includes('\n')) return null;
  return { start: vs.start + q, end: vs.start + q, newText: p.hostPort === null ? `${address}::` : `${address}:` };
}
