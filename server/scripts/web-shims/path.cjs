// `path` for the web worker bundle (dist/web-server.js): POSIX paths only, `/` as the current
// folder. The engine resolves sibling files' paths with it (URI paths are POSIX).
'use strict';
function normalizeArray(parts, absolute) {
  const out = [];
  for (const p of parts) {
    if (!p || p === '.') continue;
    if (p === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(p);
  }
  return out;
}
function normalize(p) {
  if (p === '') return '.';
  const absolute = p.startsWith('/');
  const trailing = p.endsWith('/');
  let s = normalizeArray(p.split('/'), absolute).join('/');
  if (!s && !absolute) s = '.';
  if (s && trailing) s += '/';
  return (absolute ? '/' : '') + s;
}
function resolve(...args) {
  let r = '';
  for (let i = args.length - 1; i >= 0 && !r.startsWith('/'); i--) {
    const a = args[i];
    if (a) r = r ? `${a}/${r}` : a;
  }
  if (!r.startsWith('/')) r = `/${r}`;
  const s = '/' + normalizeArray(r.split('/'), true).join('/');
  return s;
}
function join(...args) {
  const s = args.filter((a) => a !== '').join('/');
  return s ? normalize(s) : '.';
}
function dirname(p) {
  if (!p) return '.';
  const s = p.length > 1 ? p.replace(/\/+$/, '') : p;
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return s.slice(0, i);
}
function basename(p, ext) {
  const s = p.length > 1 ? p.replace(/\/+$/, '') : p;
  let b = s.slice(s.lastIndexOf('/') + 1);
  if (ext && b.endsWith(ext) && b !== ext) b = b.slice(0, -ext.length);
  return b;
}
function extname(p) {
  const b = basename(p);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i);
}
function isAbsolute(p) {
  return p.startsWith('/');
}
function relative(from, to) {
  const f = resolve(from).split('/').filter(Boolean);
  const t = resolve(to).split('/').filter(Boolean);
  let i = 0;
  while (i < f.length && i < t.length && f[i] === t[i]) i++;
  return [...f.slice(i).map(() => '..'), ...t.slice(i)].join('/');
}
const posix = { sep: '/', delimiter: ':', normalize, resolve, join, dirname, basename, extname, isAbsolute, relative };
posix.posix = posix;
module.exports = posix;
