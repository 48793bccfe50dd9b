// Node's built-in modules the web worker bundle (dist/web-server.js) must not need: what
// still names one (web-tree-sitter's Node branch, the node server's disk reads, which the
// web build never takes) gets this, and fails like a missing file if it is ever called.
'use strict';
function absent() {
  const e = new Error('not available in the web worker: there is no file system');
  e.code = 'ENOENT';
  throw e;
}
module.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' ? false : key === 'default' ? module.exports : absent) });
