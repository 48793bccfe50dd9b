/**
 * The shape of the per-image table (see ../images.ts and docs/IMAGES.md).
 * Every fact carries `sources`: the lines of the image's own Dockerfile,
 * entrypoint or documentation that show it. A fact that could not be read
 * from those files is left unknown (null, `complete: false`, `ok: false`
 * with the reason), and a fix that depends on it needs a decision.
 */

export type Cap =
  | 'AUDIT_WRITE'
  | 'CHOWN'
  | 'DAC_OVERRIDE'
  | 'DAC_READ_SEARCH'
  | 'FOWNER'
  | 'FSETID'
  | 'IPC_LOCK'
  | 'KILL'
  | 'MKNOD'
  | 'NET_ADMIN'
  | 'NET_BIND_SERVICE'
  | 'NET_RAW'
  | 'SETFCAP'
  | 'SETGID'
  | 'SETPCAP'
  | 'SETUID'
  | 'SYS_CHROOT'
  | 'SYS_RESOURCE';

/**
 * Where a fact comes from. One of:
 *   `owner/repo:path#L12` or `owner/repo:path#L12-L20`  (lines at the repository's pin, see PINS)
 *   `owner/repo@<commit>:path#L12`                       (lines at that commit)
 *   `owner/repo@<commit>:path#"exact text"`              (a file read without line numbers: search for the text)
 *   `https://github.com/owner/repo/(issues|pull)/N`      (a maintainers' thread)
 */
export type Cite = string;

export interface UserFact {
  /** The user the container's first process runs as: the image's USER, else root. */
  runsAs: { name: string; uid: number | null };
  /** The user a root entrypoint or daemon steps down to, and how; null when it does not. */
  dropsTo: { name: string; uid: number | null; gid: number | null; via: string } | null;
  /** The `user:` value to set as a fix (a name the image's /etc/passwd has, or uid:gid); null when none is known to work. */
  fix: string | null;
  /** True when a container that worked with the image's default user keeps working with `user: <fix>` (no other change). */
  fixSafe: boolean;
  /** Whether the image runs under another, arbitrary non-root uid: true, false, or null (unknown). */
  otherUid: boolean | null;
  /** The exact condition for `fix` and `otherUid`. */
  condition: string;
  sources: Cite[];
}

export interface CapNeed {
  cap: Cap;
  /** What the image does that needs it. */
  why: string;
  /** Set when the need arises only in some launches; adding the capability anyway is the safe choice. */
  when?: string;
  sources: Cite[];
}

export interface CapFact {
  /** Capabilities to keep (`cap_add`) under `cap_drop: [ALL]` when the image starts its default way. */
  caps: CapNeed[];
  /** False when a need could not be ruled out from the image's files: dropping all capabilities then needs a decision. */
  complete: boolean;
  /** What is unknown, when `complete` is false. */
  gap?: string;
  /** A caution for whoever adds capabilities (e.g. a set that makes the entrypoint take an unverified path). */
  note?: string;
  /** Capabilities needed when the container runs as `user.fix` instead (absent: not verified). */
  asFixUser?: CapNeed[];
  /** The files read to conclude (entrypoint, Dockerfile), beyond each need's own sources. */
  sources: Cite[];
}

export interface WritesFact {
  /** Scratch paths outside volumes that the image writes at run time: tmpfs mounts under `read_only: true`. */
  tmpfs: string[];
  /** Data paths that must stay writable (persistent). */
  data: string[];
  /** The image's VOLUME lines (Docker gives them an anonymous volume, writable under read_only). */
  volumes: string[];
  /** Writes that happen only with some settings (an environment variable, a feature). */
  conditional?: { path: string; when: string; sources: Cite[] }[];
  note?: string;
  sources: Cite[];
}

export interface ReadOnlyFact {
  /** True when the image works with `read_only: true` given `writes.tmpfs` as tmpfs and `writes.data` writable. */
  ok: boolean;
  why: string;
  sources: Cite[];
}

export interface Minimum {
  /** A compose size: `512m`, `1g`; or a count for pids. */
  value: string;
  why: string;
  sources: Cite[];
}

export interface ImageFacts {
  user: UserFact;
  capAdd: CapFact;
  writes: WritesFact;
  readOnly: ReadOnlyFact;
  minMemory?: Minimum;
  minPids?: Minimum;
  /** Set when the image documents that it needs `privileged: true`. */
  privileged?: { why: string; sources: Cite[] };
}

export interface Variant {
  /** Matched against the tag (the default tag is `latest`). */
  tags: RegExp;
  label: string;
  /** The facts this variant replaces (each fact wholesale). */
  facts: Partial<ImageFacts>;
}

export interface ImageEntry extends ImageFacts {
  id: string;
  title: string;
  /**
   * Repository names, as short as Docker spells them: `postgres` (a Docker Hub
   * official image: also `library/postgres`, `docker.io/library/postgres`),
   * `prom/prometheus` (Docker Hub), `quay.io/prometheus/prometheus` (another registry).
   */
  names: string[];
  /** Tag variants whose facts differ, applied in order (several may match). */
  variants?: Variant[];
  /** Where the name → source mapping and the tag list come from. */
  sources: Cite[];
}

/** An entry with its matching variants applied, as lookupImage returns it. */
export interface ImageInfo extends ImageFacts {
  id: string;
  title: string;
  /** The reference's repository, normalized (`docker.io/library/postgres`). */
  repository: string;
  /** The tag as written; `latest` when absent. Undefined for a digest-only reference. */
  tag?: string;
  digest?: string;
  /** Labels of the variants applied. */
  variants: string[];
  entry: ImageEntry;
}
