/**
 * Base images, language runtimes and Docker itself. A base or runtime image
 * runs whatever command it is given: its own files fix the default user and
 * little else, so capabilities and read-only stay unknown (a decision).
 * Facts and their sources: see ./types.ts and docs/IMAGES.md.
 */
import { DOCS, OFFICIAL } from './common';
import type { Cite, ImageEntry, ImageFacts } from './types';

const COMMAND_DEPENDENT = 'The image runs whatever command it is given; what that command needs is not a property of the image.';

/** Facts of an image that is root by default and otherwise only runs the given command. */
function generic(runsAsSources: Cite[], extra: Partial<ImageFacts> = {}): ImageFacts {
  return {
    user: {
      runsAs: { name: 'root', uid: 0 },
      dropsTo: null,
      fix: null,
      fixSafe: false,
      otherUid: null,
      condition: `No USER line: root by default. ${COMMAND_DEPENDENT}`,
      sources: runsAsSources,
    },
    capAdd: { caps: [], complete: false, gap: COMMAND_DEPENDENT, sources: runsAsSources },
    writes: { tmpfs: [], data: [], volumes: [], note: COMMAND_DEPENDENT, sources: runsAsSources },
    readOnly: { ok: false, why: `Unknown: ${COMMAND_DEPENDENT}`, sources: runsAsSources },
    ...extra,
  };
}

const ND = 'nodejs/docker-node:';

const node: ImageEntry = {
  id: 'node',
  title: 'Node.js',
  names: ['node'],
  sources: [`${OFFICIAL}library/node#L4`],
  ...generic([`${ND}26/trixie/Dockerfile#L1-L52`, `${ND}26/trixie/docker-entrypoint.sh#L7-L11`]),
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: null,
    fix: 'node',
    fixSafe: false,
    otherUid: null,
    condition:
      'The image creates a `node` user (1000:1000) and its best practices recommend `-u node`; whether the application works as node (files it writes, ports below 1024) depends on the application, so the fix needs a decision.',
    sources: [`${ND}26/trixie/Dockerfile#L3-L4`, `${ND}26/alpine3.23/Dockerfile#L5-L6`, `${ND}docs/BestPractices.md#L72-L86`],
  },
};

const python: ImageEntry = {
  id: 'python',
  title: 'Python',
  names: ['python'],
  sources: [`${OFFICIAL}library/python#L5`],
  ...generic(['docker-library/python:3.14/trixie/Dockerfile#L7', 'docker-library/python:3.14/trixie/Dockerfile#L130']),
};

const GO = 'docker-library/golang:1.27/trixie/Dockerfile';

const golang: ImageEntry = {
  id: 'golang',
  title: 'Go',
  names: ['golang'],
  sources: [`${OFFICIAL}library/golang#L6`],
  ...generic([`${GO}#L131-L136`], {}),
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: null,
    fix: null,
    fixSafe: false,
    otherUid: null,
    condition: `No USER line: root by default. GOPATH (/go) is world-writable so that any uid can use it; beyond that, ${COMMAND_DEPENDENT.toLowerCase()}`,
    sources: [`${GO}#L131-L136`, `${DOCS}golang/content.md#L11`],
  },
};

const TM = 'adoptium/containers:21/jre/ubuntu/noble/';

const temurin: ImageEntry = {
  id: 'eclipse-temurin',
  title: 'Eclipse Temurin (Java)',
  names: ['eclipse-temurin'],
  sources: [`${OFFICIAL}library/eclipse-temurin#L5`],
  ...generic([`${TM}Dockerfile#L20`, `${TM}Dockerfile#L108-L109`]),
  writes: {
    tmpfs: [],
    data: [],
    volumes: [],
    conditional: [{ path: '/tmp', when: 'USE_SYSTEM_CA_CERTS is set and the JVM truststore is not writable (non-root or read-only): a temporary truststore is built in $TMPDIR', sources: [`${TM}entrypoint.sh#L26`, `${TM}entrypoint.sh#L32-L67`, `${DOCS}eclipse-temurin/content.md#L27-L29`] }],
    note: COMMAND_DEPENDENT,
    sources: [`${TM}entrypoint.sh#L26-L67`],
  },
};

const busybox: ImageEntry = {
  id: 'busybox',
  title: 'BusyBox',
  names: ['busybox'],
  sources: [`${OFFICIAL}library/busybox#L5-L11`],
  ...generic(['docker-library/busybox@70ce0fb98bee360bbcce132660d727bf6ce55a99:latest-1/glibc/amd64/image-config.json#L2-L9', 'docker-library/busybox:latest-1/glibc/Dockerfile#L3-L5']),
};

const alpine: ImageEntry = {
  id: 'alpine',
  title: 'Alpine Linux',
  names: ['alpine'],
  sources: [`${OFFICIAL}library/alpine#L2`],
  ...generic(['alpinelinux/docker-alpine:x86_64/Dockerfile#L1-L3']),
};

const debian: ImageEntry = {
  id: 'debian',
  title: 'Debian',
  names: ['debian'],
  sources: [`${OFFICIAL}library/debian#L6`],
  ...generic(['debuerreotype/docker-debian-artifacts:bookworm/oci/blobs/image-config.json#L1', 'debuerreotype/docker-debian-artifacts:bookworm/Dockerfile#L3-L5']),
};

const DK = 'docker-library/docker:29/';

const docker: ImageEntry = {
  id: 'docker',
  title: 'Docker (docker:dind, docker:cli)',
  names: ['docker'],
  sources: [`${OFFICIAL}library/docker#L5`, `${OFFICIAL}library/docker#L8-L18`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: null,
    fix: null,
    fixSafe: false,
    otherUid: false,
    condition: 'dockerd runs as root in this variant; the rootless variant (tag *-dind-rootless) is the non-root form.',
    sources: [`${DK}dind/Dockerfile#L104-L108`],
  },
  capAdd: {
    caps: [],
    complete: false,
    gap: 'Docker-in-Docker requires `privileged: true`; it is not meant to run with capabilities dropped.',
    sources: [`${DOCS}docker/content.md#L48`],
  },
  writes: {
    tmpfs: [],
    data: ['/var/lib/docker', '/certs'],
    volumes: ['/var/lib/docker'],
    note: 'DOCKER_TLS_CERTDIR=/certs: dockerd-entrypoint.sh generates TLS certificates there.',
    sources: [`${DK}dind/Dockerfile#L104`, `${DK}cli/Dockerfile#L158-L163`],
  },
  readOnly: { ok: false, why: 'dockerd needs a privileged container and writes its state and generated certificates; read-only is not a supported setup.', sources: [`${DOCS}docker/content.md#L48`, `${DK}cli/Dockerfile#L158-L163`] },
  privileged: { why: '`--privileged` is required for Docker-in-Docker to function properly.', sources: [`${DOCS}docker/content.md#L48`] },
  variants: [
    {
      tags: /(^|-)cli(-|$)/,
      label: 'cli: the Docker client only',
      facts: {
        ...generic([`${DK}cli/Dockerfile#L161-L167`]),
        privileged: undefined,
      },
    },
    {
      tags: /dind-rootless/,
      label: 'dind-rootless: USER rootless (1000)',
      facts: {
        user: {
          runsAs: { name: 'rootless', uid: 1000 },
          dropsTo: null,
          fix: 'rootless',
          fixSafe: true,
          otherUid: null,
          condition: 'Already non-root (USER rootless, 1000).',
          sources: [`${DK}dind-rootless/Dockerfile#L20`, `${DK}dind-rootless/Dockerfile#L54`],
        },
        capAdd: {
          caps: [],
          complete: false,
          gap: 'What rootless dockerd needs from its container (user namespaces, privileged or not) is not stated by the image\'s files or documentation read here.',
          sources: [`${DK}dind-rootless/Dockerfile#L16-L54`],
        },
        writes: {
          tmpfs: [],
          data: ['/home/rootless/.local/share/docker', '/run/user'],
          volumes: ['/home/rootless/.local/share/docker'],
          sources: [`${DK}dind-rootless/Dockerfile#L16`, `${DK}dind-rootless/Dockerfile#L53`],
        },
        privileged: undefined,
      },
    },
  ],
};

export const PLATFORM_IMAGES: ImageEntry[] = [node, python, golang, temurin, busybox, alpine, debian, docker];
