/**
 * Harden keeps containers that worked working: known images get the fitting variant from the
 * image table, an unknown image gets no user, cap_drop or read-only root filesystem, and the
 * summary says what was left for a decision.
 */
import * as assert from 'assert/strict';
import { before, describe, it } from 'node:test';
import { harden } from '../../server/src/engine';
import { init } from './helpers';

const STACK = `services:
  db:
    image: postgres:16
  web:
    image: nginx:1.27-alpine
    ports:
      - "8080:80"
  app:
    image: myorg/app:1.0
`;

/** The lines of one service's block in a compose text. */
function block(text: string, name: string): string {
  const m = new RegExp(`^  ${name}:\\n((?: {4,}.*\\n)*)`, 'm').exec(text);
  return m ? m[1] : '';
}

describe('Harden and the image table', () => {
  before(init);

  it('postgres runs as its own user and keeps no capability; nginx keeps its root master with what it needs; the unknown image is left to a decision', () => {
    const h = harden(STACK, { fileName: 'compose.yaml' });
    const db = block(h.text, 'db');
    assert.match(db, /user: postgres/);
    assert.match(db, /cap_drop:\n\s+- ALL/);
    assert.doesNotMatch(db, /cap_add/, 'as postgres the entrypoint needs no capability');
    assert.match(db, /read_only: true/);
    assert.match(db, /- \/var\/run\/postgresql/);

    const web = block(h.text, 'web');
    assert.doesNotMatch(web, /user:/, 'nginx starts as root and drops to nginx itself');
    for (const cap of ['CHOWN', 'SETUID', 'SETGID', 'NET_BIND_SERVICE']) assert.match(web, new RegExp(`- ${cap}\\b`));
    assert.match(web, /- \/var\/cache\/nginx/);
    assert.match(web, /- \/var\/run/);

    const app = block(h.text, 'app');
    assert.doesNotMatch(app, /user:|cap_drop|read_only/, 'nobody knows what myorg/app needs');
    assert.match(app, /no-new-privileges/, 'what is safe for any image is still added');
    // nginx's root master is its design (no other user is known to work): a decision, like everything about the unknown image.
    assert.deepEqual(h.decisions.map((d) => [d.image, d.rules]), [
      ['nginx:1.27-alpine', ['root-user']],
      ['myorg/app:1.0', ['root-user', 'cap-drop-missing', 'read-only-rootfs-missing']],
    ]);
  });

  it('a second Harden changes nothing (the fitting variants do not fight each other)', () => {
    const once = harden(STACK, { fileName: 'compose.yaml' }).text;
    assert.equal(harden(once, { fileName: 'compose.yaml' }).text, once);
  });

  it('a JVM image gets at least the memory it needs to start', () => {
    const h = harden('services:\n  es:\n    image: docker.elastic.co/elasticsearch/elasticsearch:9.1.0\n', { fileName: 'compose.yaml' });
    assert.match(h.text, /memory: 1g/);
  });
});
