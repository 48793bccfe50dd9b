/** Reading chmod modes, for the setuid and world-writable rules. */
import type { Cmd, DockerfileView } from '../model';
import type { Span } from '../types';

export interface ChmodMode {
  setid: boolean;
  worldWritable: boolean;
  span: Span;
}

/** The mode a chmod sets: its own command, or one run by `find … -exec` / `xargs`. */
export function chmodModes(c: Cmd): ChmodMode | undefined {
  let args = c.args;
  if (c.name === 'find') {
    const k = args.findIndex((a, i) => /^-(exec|execdir|ok|okdir)$/.test(a.shape) && args[i + 1]?.shape.replace(/^.*\//, '') === 'chmod');
    if (k < 0) return undefined;
    args = args.slice(k + 2);
  } else if (c.name === 'xargs') {
    const k = args.findIndex((a) => a.shape.replace(/^.*\//, '') === 'chmod');
    if (k < 0) return undefined;
    args = args.slice(k + 1);
  } else if (c.name !== 'chmod') return undefined;
  const mode = args.find((a) => !/^-[RvcfH]+$|^--(recursive|verbose|changes|silent|quiet|no-preserve-root|preserve-root)$|^--reference=/.test(a.shape));
  if (!mode) return undefined;
  const m = modeBits(mode.shape);
  return m && { ...m, span: { start: c.span.start, end: mode.span.end } };
}

/** Reads an octal or symbolic mode. */
export function modeBits(s: string): { setid: boolean; worldWritable: boolean } | undefined {
  if (/^[0-7]{1,5}$/.test(s)) {
    const digits = s.padStart(4, '0');
    const special = Number(digits[digits.length - 4]);
    const other = Number(digits[digits.length - 1]);
    return { setid: (special & 6) !== 0, worldWritable: (other & 2) !== 0 && (special & 1) === 0 };
  }
  let setid = false;
  let ww = false;
  for (const clause of s.split(',')) {
    const m = /^([ugoa]*)((?:[-+=][rwxXstugo]*)+)$/.exec(clause);
    if (!m) continue;
    const who = m[1];
    for (const op of m[2].match(/[-+=][rwxXstugo]*/g) ?? []) {
      if (op[0] === '-') continue;
      if (op.includes('s')) setid = true;
      if (op.includes('w') && (who.includes('o') || who.includes('a')) && !op.includes('t')) ww = true;
    }
  }
  return { setid, worldWritable: ww };
}

/** Reports COPY/ADD `--chmod` flags whose mode has the given bit: they set modes as a chmod in RUN would. */
export function checkCopyChmod(df: DockerfileView, bit: 'setid' | 'worldWritable', report: (span: Span) => void): void {
  for (const ins of df.instructions) {
    const kw = ins.keyword.toUpperCase();
    if (kw !== 'COPY' && kw !== 'ADD') continue;
    for (const f of ins.flags) {
      if (f.name.toLowerCase() === 'chmod' && f.value && modeBits(f.value)?.[bit]) report(f.span);
    }
  }
}
