/** Databases, caches and brokers. Facts and their sources: see ./types.ts and docs/IMAGES.md. */
import { DOCS, need, OFFICIAL } from './common';
import type { ImageEntry } from './types';

const PG = 'docker-library/postgres:';
const PGE = `${PG}18/trixie/docker-entrypoint.sh`;

const postgres: ImageEntry = {
  id: 'postgres',
  title: 'PostgreSQL',
  names: ['postgres'],
  sources: [`${OFFICIAL}library/postgres#L5`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'postgres', uid: 999, gid: 999, via: 'gosu' },
    fix: 'postgres',
    fixSafe: true,
    otherUid: true,
    condition:
      'PGDATA (and POSTGRES_INITDB_WALDIR) must be owned by the uid. A root start chowns them to postgres on every start, and a fresh named volume copies the image-owned directory, so `user: postgres` keeps a container that worked. Another uid: PGDATA owned by it, and initdb needs the uid in /etc/passwd or the nss_wrapper fallback.',
    sources: [`${PG}18/trixie/Dockerfile#L11-L16`, `${PGE}#L56-L60`, `${PGE}#L336-L339`, `${PGE}#L68-L85`, `${DOCS}postgres/content.md#L192-L212`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the root entrypoint chowns PGDATA and /var/run/postgresql to postgres', [`${PGE}#L56-L60`], 'when a file there is not owned by postgres (bind mount, tmpfs, first start)'),
      need('DAC_READ_SEARCH', 'the root `find "$PGDATA"` must read PGDATA, which the postgres user chmods to 0700; under `set -e` the find error stops the start', [`${PGE}#L41`, `${PGE}#L58`, `${PGE}#L2`], 'on every start after the first (PGDATA already initialised)'),
      need('SETUID', '`exec gosu postgres` steps down from root', [`${PGE}#L338`]),
      need('SETGID', 'gosu sets the groups and gid of postgres', [`${PGE}#L338`]),
    ],
    complete: true,
    asFixUser: [],
    sources: [`${PGE}#L35-L61`, `${PGE}#L326-L378`],
  },
  writes: {
    tmpfs: ['/var/run/postgresql', '/tmp'],
    data: ['/var/lib/postgresql'],
    volumes: ['/var/lib/postgresql'],
    note: 'PGDATA is /var/lib/postgresql/18/docker; /tmp only holds the nss_wrapper files written when the uid is not in /etc/passwd.',
    sources: [`${PG}18/trixie/Dockerfile#L186-L192`, `${PGE}#L39-L45`, `${PGE}#L76-L77`],
  },
  readOnly: {
    ok: true,
    why: 'The entrypoint writes only PGDATA, the socket/lock directory /var/run/postgresql and mktemp files; the chmod of the socket directory may fail harmlessly (`|| :`).',
    sources: [`${PGE}#L39-L60`, `${PGE}#L76-L77`],
  },
  variants: [
    {
      tags: /alpine/,
      label: 'alpine: postgres is uid 70',
      facts: {
        user: {
          runsAs: { name: 'root', uid: 0 },
          dropsTo: { name: 'postgres', uid: 70, gid: 70, via: 'gosu' },
          fix: 'postgres',
          fixSafe: true,
          otherUid: true,
          condition:
            'As the Debian variants (the same entrypoint), with postgres = 70:70: PGDATA owned by the uid; a root start chowns it to postgres on every start.',
          sources: [`${PG}18/alpine3.23/Dockerfile#L12-L13`, `${PG}18/alpine3.23/docker-entrypoint.sh#L56-L60`, `${DOCS}postgres/content.md#L192`],
        },
      },
    },
    {
      tags: /^(9|1[0-7])([.-]|$)/,
      label: '≤ 17: VOLUME /var/lib/postgresql/data',
      facts: {
        writes: {
          tmpfs: ['/var/run/postgresql', '/tmp'],
          data: ['/var/lib/postgresql/data'],
          volumes: ['/var/lib/postgresql/data'],
          note: 'PGDATA is /var/lib/postgresql/data up to 17; 18 moved the VOLUME to /var/lib/postgresql.',
          sources: [`${PG}17/trixie/Dockerfile#L182-L187`, `${PG}17/trixie/docker-entrypoint.sh#L39-L45`],
        },
      },
    },
  ],
};

const MY = 'docker-library/mysql:';
const MYE = `${MY}8.4/docker-entrypoint.sh`;

const mysql: ImageEntry = {
  id: 'mysql',
  title: 'MySQL',
  names: ['mysql'],
  sources: [`${OFFICIAL}library/mysql#L5`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'mysql', uid: 999, gid: 999, via: 'gosu' },
    fix: 'mysql',
    fixSafe: true,
    otherUid: true,
    condition:
      'The data directory must be writable by the uid. A root start chowns the datadir, socket, pid-file and secure-file-priv directories to mysql every time, so `user: mysql` keeps a container that worked; /var/lib/mysql and /var/run/mysqld are 1777 in the image for any other uid.',
    sources: [`${MY}8.4/Dockerfile.oracle#L10-L11`, `${MY}8.4/Dockerfile.oracle#L89-L92`, `${MYE}#L168-L212`, `${MYE}#L378-L381`, `${DOCS}mysql/content.md#L171-L179`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the root entrypoint chowns the datadir and the socket/pid/secure-file-priv directories to mysql', [`${MYE}#L208-L211`], 'when a file there is not owned by mysql'),
      need('SETUID', '`exec gosu mysql` steps down from root', [`${MYE}#L380`]),
      need('SETGID', 'gosu sets the groups and gid of mysql', [`${MYE}#L380`]),
    ],
    complete: false,
    gap: 'The root `find` over the datadir (L210) descends into directories mysqld creates; their modes come from the server, not from the image\'s files, so DAC_READ_SEARCH could not be ruled out. Running as `user: mysql` needs no capability.',
    asFixUser: [],
    sources: [`${MYE}#L168-L212`, `${MYE}#L362-L414`],
  },
  writes: {
    tmpfs: ['/var/run/mysqld', '/tmp'],
    data: ['/var/lib/mysql'],
    volumes: ['/var/lib/mysql'],
    note: 'The socket and lock files go to /var/run/mysqld; the entrypoint also creates the pid-file, log and secure-file-priv directories that the packaged /etc/my.cnf names.',
    sources: [`${MY}8.4/Dockerfile.oracle#L76-L92`, `${MY}8.4/Dockerfile.oracle#L117`, `${MYE}#L180-L206`],
  },
  readOnly: {
    ok: false,
    why: 'Unknown: the log, pid-file and secure-file-priv paths come from the Oracle package\'s /etc/my.cnf, which is not in the image\'s repository; the entrypoint mkdirs whatever it names.',
    sources: [`${MYE}#L180-L206`],
  },
};

const MDB = 'MariaDB/mariadb-docker:';
const MDBE = `${MDB}11.8/docker-entrypoint.sh`;

const mariadb: ImageEntry = {
  id: 'mariadb',
  title: 'MariaDB',
  names: ['mariadb'],
  sources: [`${OFFICIAL}library/mariadb#L6`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'mysql', uid: null, gid: null, via: 'gosu' },
    fix: 'mysql',
    fixSafe: true,
    otherUid: true,
    condition:
      'The datadir must be owned by (writable for) the uid. A root start chowns it and the socket directory to mysql every time, so `user: mysql` keeps a container that worked. The mysql uid is not pinned (`useradd -r` without --uid), so set the name, not a number; /run/mysqld is 1777 for any uid.',
    sources: [`${MDB}11.8/Dockerfile#L5`, `${MDB}11.8/Dockerfile#L120-L123`, `${MDBE}#L199-L225`, `${MDBE}#L697-L700`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the root entrypoint chowns the datadir and socket directory to mysql', [`${MDBE}#L208-L214`], 'when a file there is not owned by mysql'),
      need('SETUID', '`exec gosu mysql` steps down from root', [`${MDBE}#L699`]),
      need('SETGID', 'gosu sets the groups and gid of mysql', [`${MDBE}#L699`]),
    ],
    complete: false,
    gap: 'The root `find "$DATADIR"` (L210) descends into directories mariadbd creates, whose modes come from the server; DAC_READ_SEARCH could not be ruled out. Running as `user: mysql` needs no capability.',
    asFixUser: [],
    sources: [`${MDBE}#L199-L225`, `${MDBE}#L685-L720`],
  },
  writes: {
    tmpfs: ['/run/mysqld', '/tmp'],
    data: ['/var/lib/mysql'],
    volumes: ['/var/lib/mysql'],
    note: 'Socket and lock files in /run/mysqld; the image comments out `log` settings so logs go to stderr.',
    sources: [`${MDB}11.8/Dockerfile#L120-L127`, `${MDB}11.8/Dockerfile#L137`],
  },
  readOnly: {
    ok: false,
    why: 'Unknown: the image\'s files show the socket/lock directory only; mariadbd\'s other run-time writes (tmpdir) are server defaults not visible in them.',
    sources: [`${MDB}11.8/Dockerfile#L122-L123`],
  },
};

const RD = 'docker-library/redis:';
const R8 = 'redis/docker-library-redis@0d55be9aa67b917c2a45cadabf07518f356443b0:debian/docker-entrypoint.sh';
const R8D = 'redis/docker-library-redis@0076c90a8028d29b25313f7272fa2d1245c3be76:';

const redis: ImageEntry = {
  id: 'redis',
  title: 'Redis',
  names: ['redis'],
  sources: [`${OFFICIAL}library/redis#L9-L14`, `${DOCS}redis/content.md#L17-L21`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'redis', uid: 999, gid: 999, via: 'setpriv in 8.x, only when SETUID and SETGID are available; gosu in the 2024 6.x/7.x sources' },
    fix: 'redis',
    fixSafe: true,
    otherUid: true,
    condition:
      '/data must be writable by the uid. A root start with SETUID/SETGID fixes the ownership of *.rdb and appendonlydir to redis; without them redis runs as uid 0 and its files may be root-owned, which `user: redis` cannot write.',
    sources: [`${R8D}debian/Dockerfile#"useradd -r -g redis -u 999 redis"`, `${R8}#"has_cap setuid && has_cap setgid"`, `${R8}#"fix_data_dir_perms() {"`, `${DOCS}redis/content.md#L19`],
  },
  capAdd: {
    caps: [
      need(
        'DAC_OVERRIDE',
        'without SETUID and SETGID the entrypoint does not step down and redis-server stays uid 0 with no capability; it must still read and write /data, which belongs to redis (its files are 0600 under the entrypoint\'s umask 0077)',
        [`${R8}#"has_cap setuid && has_cap setgid"`, `${R8}#"umask 0077"`, `${R8D}debian/Dockerfile#"RUN mkdir /data && chown redis:redis /data"`],
        'when /data or its files are not owned by root (the image\'s own /data is redis-owned)',
      ),
    ],
    complete: true,
    note: 'Do not add SETUID and SETGID alone: the entrypoint then steps down with `setpriv --bounding-set=-all` (the entrypoint\'s step-down branch), not verified to work without SETPCAP. To run as redis, set `user: redis` instead.',
    asFixUser: [],
    sources: [`${R8}#"--bounding-set=-all$CAPS_TO_KEEP"`, `${DOCS}redis/content.md#L19`],
  },
  writes: {
    tmpfs: [],
    data: ['/data'],
    volumes: [],
    note: 'The 8.x Dockerfiles declare no VOLUME: /data (the WORKDIR, where dump.rdb goes) must be mounted for persistence or read_only.',
    sources: [`${R8D}debian/Dockerfile#"RUN mkdir /data && chown redis:redis /data"`, `${DOCS}redis/content.md#L37`],
  },
  readOnly: {
    ok: true,
    why: 'The entrypoint writes nothing but ownership/mode fixes in /data and the config directory; with /data mounted the server\'s snapshot goes there.',
    sources: [`${R8}#"fix_perms_and_owner() {"`, `${R8}#"umask 0077"`],
  },
  variants: [
    {
      tags: /alpine/,
      label: 'alpine: redis is 999:1000',
      facts: {
        user: {
          runsAs: { name: 'root', uid: 0 },
          dropsTo: { name: 'redis', uid: 999, gid: 1000, via: 'setpriv in 8.x, only when SETUID and SETGID are available; gosu in the 2024 6.x/7.x sources' },
          fix: 'redis',
          fixSafe: true,
          otherUid: true,
          condition: 'As the Debian variant (same entrypoint); Alpine already uses gid 999, so redis is 999:1000.',
          sources: [`${R8D}alpine/Dockerfile#"addgroup -S -g 1000 redis"`, `${R8}#"has_cap setuid && has_cap setgid"`],
        },
      },
    },
    {
      tags: /^[67]([.-]|$)/,
      label: '6.x/7.x: gosu entrypoint (2024 sources)',
      facts: {
        capAdd: {
          caps: [
            need('CHOWN', 'the root entrypoint chowns everything in /data not owned by redis', [`${RD}7.2/debian/docker-entrypoint.sh#L12`], 'when a file in /data is not owned by redis'),
            need('SETUID', '`exec gosu redis`', [`${RD}7.2/debian/docker-entrypoint.sh#L13`]),
            need('SETGID', '`exec gosu redis`', [`${RD}7.2/debian/docker-entrypoint.sh#L13`]),
          ],
          complete: false,
          gap: 'The 6.x/7.x tags are built from redis/docker-library-redis commits not read here; the 2024 sources step down with gosu unconditionally, and their root `find .` would need DAC_READ_SEARCH for a 0700 directory (the entrypoint sets umask 0077, L21).',
          asFixUser: [],
          sources: [`${RD}7.2/debian/docker-entrypoint.sh#L10-L22`],
        },
        writes: {
          tmpfs: [],
          data: ['/data'],
          volumes: ['/data'],
          sources: [`${RD}7.2/debian/Dockerfile#L142-L144`],
        },
      },
    },
  ],
};

const MG = 'docker-library/mongo:';
const MGE = `${MG}8.0/docker-entrypoint.sh`;

const mongo: ImageEntry = {
  id: 'mongo',
  title: 'MongoDB',
  names: ['mongo'],
  sources: [`${OFFICIAL}library/mongo#L5`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'mongodb', uid: 999, gid: 999, via: 'gosu' },
    fix: 'mongodb',
    fixSafe: true,
    otherUid: true,
    condition:
      '/data/db and /data/configdb must be writable by the uid. A root `mongod` start chowns them to mongodb every time, so `user: mongodb` keeps a container that worked.',
    sources: [`${MG}8.0/Dockerfile#L11-L14`, `${MGE}#L10-L23`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the root entrypoint chowns /data/db and /data/configdb (and its stdout/stderr) to mongodb', [`${MGE}#L14`, `${MGE}#L19`], 'when a file there is not owned by mongodb'),
      need('SETUID', '`exec gosu mongodb`', [`${MGE}#L22`]),
      need('SETGID', '`exec gosu mongodb`', [`${MGE}#L22`]),
    ],
    complete: false,
    gap: 'The root `find -L /data/configdb /data/db` (L14, under `set -e`) descends into directories mongod creates, whose modes come from the server; DAC_READ_SEARCH could not be ruled out. Running as `user: mongodb` needs no capability.',
    asFixUser: [],
    sources: [`${MGE}#L1-L23`],
  },
  writes: {
    tmpfs: ['/tmp'],
    data: ['/data/db', '/data/configdb'],
    volumes: ['/data/db', '/data/configdb'],
    note: 'The entrypoint keeps its converted config and the temporary init server\'s pid file in $TMPDIR (/tmp).',
    sources: [`${MG}8.0/Dockerfile#L111`, `${MGE}#L177-L179`, `${MGE}#L338`],
  },
  readOnly: {
    ok: true,
    why: 'Outside the two data volumes the entrypoint writes only under $TMPDIR (/tmp).',
    sources: [`${MGE}#L177-L179`, `${MGE}#L338`],
  },
};

const MC = 'docker-library/memcached:';

const memcached: ImageEntry = {
  id: 'memcached',
  title: 'Memcached',
  names: ['memcached'],
  sources: [`${OFFICIAL}library/memcached#L5`],
  user: {
    runsAs: { name: 'memcache', uid: 11211 },
    dropsTo: null,
    fix: 'memcache',
    fixSafe: true,
    otherUid: true,
    condition: 'Already non-root (USER memcache); it keeps everything in memory, so any uid works.',
    sources: [`${MC}1/debian/Dockerfile#L11-L12`, `${MC}1/debian/Dockerfile#L98`, `${MC}1/alpine/Dockerfile#L11-L12`],
  },
  capAdd: { caps: [], complete: true, asFixUser: [], sources: [`${MC}1/debian/docker-entrypoint.sh#L1-L9`, `${MC}1/debian/Dockerfile#L96-L100`] },
  writes: { tmpfs: [], data: [], volumes: [], sources: [`${MC}1/debian/Dockerfile#L96-L100`, `${MC}1/debian/docker-entrypoint.sh#L1-L9`] },
  readOnly: { ok: true, why: 'No VOLUME, no file writes: the entrypoint only execs memcached.', sources: [`${MC}1/debian/docker-entrypoint.sh#L1-L9`] },
};

const RB = 'docker-library/rabbitmq:';
const RBE = `${RB}4.3/ubuntu/docker-entrypoint.sh`;

const rabbitmq: ImageEntry = {
  id: 'rabbitmq',
  title: 'RabbitMQ',
  names: ['rabbitmq'],
  sources: [`${OFFICIAL}library/rabbitmq#L5`],
  user: {
    runsAs: { name: 'root', uid: 0 },
    dropsTo: { name: 'rabbitmq', uid: 999, gid: 999, via: 'gosu' },
    fix: 'rabbitmq',
    fixSafe: true,
    otherUid: true,
    condition:
      '/var/lib/rabbitmq (also HOME, for the Erlang cookie) must be writable by the uid; it is 1777 in the image and a root start chowns its content to rabbitmq every time.',
    sources: [`${RB}4.3/ubuntu/Dockerfile#L228-L232`, `${RB}4.3/ubuntu/Dockerfile#L307-L308`, `${RBE}#L4-L11`],
  },
  capAdd: {
    caps: [
      need('CHOWN', 'the root entrypoint chowns /var/lib/rabbitmq content to rabbitmq', [`${RBE}#L7`], 'when a file there is not owned by rabbitmq'),
      need('SETUID', '`exec gosu rabbitmq`', [`${RBE}#L10`]),
      need('SETGID', '`exec gosu rabbitmq`', [`${RBE}#L10`]),
    ],
    complete: false,
    gap: 'The root `find /var/lib/rabbitmq` (L7, under `set -e`) descends into directories the broker creates (mnesia), whose modes come from Erlang; DAC_READ_SEARCH could not be ruled out. Running as `user: rabbitmq` needs no capability.',
    asFixUser: [],
    sources: [`${RBE}#L1-L11`],
  },
  writes: {
    tmpfs: ['/var/log/rabbitmq', '/tmp'],
    data: ['/var/lib/rabbitmq'],
    volumes: ['/var/lib/rabbitmq'],
    note: '/etc/rabbitmq, /var/log/rabbitmq and /tmp/rabbitmq-ssl are made 1777 for any uid; logs also go to the console.',
    sources: [`${RB}4.3/ubuntu/Dockerfile#L230-L232`, `${RB}4.3/ubuntu/Dockerfile#L310`, `${RB}4.3/ubuntu/10-defaults.conf#L10-L12`],
  },
  readOnly: {
    ok: false,
    why: 'Unknown: the image makes /etc/rabbitmq and /var/log/rabbitmq world-writable, but which of them the broker writes at run time (plugins file, log files) is not shown by its files.',
    sources: [`${RB}4.3/ubuntu/Dockerfile#L230-L232`],
  },
  variants: [
    {
      tags: /alpine/,
      label: 'alpine: rabbitmq is 100:101, su-exec',
      facts: {
        user: {
          runsAs: { name: 'root', uid: 0 },
          dropsTo: { name: 'rabbitmq', uid: 100, gid: 101, via: 'su-exec' },
          fix: 'rabbitmq',
          fixSafe: true,
          otherUid: true,
          condition: 'As the Ubuntu variant, with rabbitmq = 100:101 and su-exec instead of gosu.',
          sources: [`${RB}4.3/alpine/Dockerfile#L238-L239`, `${RB}4.3/alpine/docker-entrypoint.sh#L10`],
        },
      },
    },
  ],
};

const ES = 'elastic/dockerfiles:elasticsearch/';
const ESDOC = 'elastic/docs-content@25a613ef885a90b62109925ebb15f78ec5fca329:deploy-manage/deploy/self-managed/install-elasticsearch-docker-basic.md';

const elasticsearch: ImageEntry = {
  id: 'elasticsearch',
  title: 'Elasticsearch',
  names: ['elasticsearch', 'docker.elastic.co/elasticsearch/elasticsearch'],
  sources: [`${OFFICIAL}library/elasticsearch#L2-L8`, `${DOCS}elasticsearch/content.md#L19`, `${ESDOC}#"docker pull docker.elastic.co/elasticsearch/elasticsearch"`],
  user: {
    runsAs: { name: 'elasticsearch', uid: 1000 },
    dropsTo: null,
    fix: '1000:0',
    fixSafe: true,
    otherUid: null,
    condition: 'Already non-root (USER 1000:0, group 0 owns the writable directories); another uid is not shown to work by the image\'s files.',
    sources: [`${ES}Dockerfile#L73-L74`, `${ES}Dockerfile#L138`],
  },
  capAdd: { caps: [], complete: true, asFixUser: [], sources: [`${ES}Dockerfile#L134-L138`, `${ES}bin/docker-entrypoint.sh#L1-L84`] },
  writes: {
    tmpfs: ['/tmp'],
    data: ['/usr/share/elasticsearch/data'],
    volumes: [],
    conditional: [
      { path: '/usr/share/elasticsearch/config', when: 'ELASTIC_PASSWORD set (the keystore is created there) or ES_LOG_STYLE=file', sources: [`${ES}bin/docker-entrypoint.sh#L42-L47`, `${ES}bin/docker-entrypoint.sh#L65-L68`] },
    ],
    note: 'No VOLUME: the data directory must be mounted. bin, config, data, logs and plugins are owned by elasticsearch.',
    sources: [`${ES}Dockerfile#L98`],
  },
  readOnly: {
    ok: false,
    why: 'The image owns config/ to the elasticsearch user and the entrypoint writes there (keystore, log config); a tmpfs over it would hide the shipped configuration.',
    sources: [`${ES}Dockerfile#L98`, `${ES}bin/docker-entrypoint.sh#L43`],
  },
  minMemory: {
    value: '1g',
    why: 'Elastic\'s Docker quick start runs the container with `-m 1GB`, which sizes the JVM heap; machine-learning features need more (their example uses 6GB).',
    sources: [`${ESDOC}#"-m 1GB"`, `${ESDOC}#"require a larger container with more than 1GB of memory"`],
  },
};

const OS = 'opensearch-project/opensearch-build:docker/release/';
const OSE = `${OS}config/opensearch/opensearch-docker-entrypoint-3.x.sh`;

const opensearch: ImageEntry = {
  id: 'opensearch',
  title: 'OpenSearch',
  names: ['opensearchproject/opensearch'],
  sources: [`${OS}dockercomposefiles/docker-compose-3.x.yml#L4`],
  user: {
    runsAs: { name: 'opensearch', uid: 1000 },
    dropsTo: null,
    fix: '1000',
    fixSafe: true,
    otherUid: null,
    condition: 'Already non-root (USER 1000); the entrypoint refuses to run as root. Another uid is not shown to work by the image\'s files.',
    sources: [`${OS}dockerfiles/opensearch.al2023.dockerfile#L60`, `${OS}dockerfiles/opensearch.al2023.dockerfile#L89`, `${OSE}#L73-L76`],
  },
  capAdd: { caps: [], complete: true, asFixUser: [], sources: [`${OSE}#L69-L100`] },
  writes: {
    tmpfs: [],
    data: ['/usr/share/opensearch/data'],
    volumes: [],
    conditional: [
      { path: '/usr/share/opensearch/config', when: 'the security plugin\'s demo configuration runs (unless DISABLE_INSTALL_DEMO_CONFIG=true)', sources: [`${OSE}#L40-L45`] },
      { path: '/usr/share/opensearch/logs', when: 'the performance analyzer agent starts (unless DISABLE_PERFORMANCE_ANALYZER_AGENT_CLI=true)', sources: [`${OSE}#L56-L60`] },
    ],
    sources: [`${OS}dockerfiles/opensearch.al2023.dockerfile#L46`],
  },
  readOnly: {
    ok: false,
    why: 'The entrypoint writes into the image\'s config and logs directories by default (demo security configuration, analyzer log).',
    sources: [`${OSE}#L44`, `${OSE}#L60`],
  },
  minMemory: {
    value: '1g',
    why: 'The project\'s compose file sets a 512 MB heap and says to set it to 50% of the system RAM, so the container needs at least 1 GB.',
    sources: [`${OS}dockercomposefiles/docker-compose-3.x.yml#L12`],
  },
};

export const DATA_IMAGES: ImageEntry[] = [postgres, mysql, mariadb, redis, mongo, memcached, rabbitmq, elasticsearch, opensearch];
