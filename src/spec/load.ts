/**
 * Reads a spec file from disk: the file itself, every `include FILE` (path relative to the
 * including file, cycles and missing files reported at the include line), and the sources map
 * that lets the CLI print the offending line under each diagnostic.
 */
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Spec } from './ast.js';
import { diag, UserError } from './diagnostics.js';
import { parseSpec } from './parse.js';
import { readBoundedText } from '../io/read-bounded.js';
import { resolveLimits, type SpecLimits } from './limits.js';

/** Positions name files relative to the working directory when that is shorter. */
function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** Size-bounded: /dev/zero, a FIFO or a huge file is refused before it is read (src/io/read-bounded.ts). */
function readText(path: string, maxBytes: number): { text: string } | { error: string; tooLarge: boolean } {
  const r = readBoundedText(path, maxBytes);
  if (!('error' in r)) return r;
  const tooLarge = r.code === 'too-large';
  return { error: tooLarge ? `${r.error} (raise with --limits bytes=N)` : r.error, tooLarge };
}

export interface LoadOptions {
  /** Bounds on the spec (src/spec/limits.ts); the CLI's `--limits` sets them. */
  limits?: Partial<SpecLimits>;
}

export function loadSpec(path: string, opts: LoadOptions = {}): Spec {
  const limits = resolveLimits(opts.limits);
  const abs = resolve(path);
  const r = readText(abs, limits.maxSpecBytes);
  const file = displayName(abs);
  if ('error' in r) {
    throw new UserError(`cannot read spec '${path}': ${r.error}`, [
      diag('error', r.tooLarge ? 'limit.size' : 'file.read', `cannot read spec '${path}': ${r.error}`, { file, line: 1, col: 1 }),
    ]);
  }
  // Display names map back to absolute paths so nested includes resolve against their own folder.
  const absOf = new Map<string, string>([[file, abs]]);
  return parseSpec(file, r.text, {
    limits,
    include: (fromFile, inc) => {
      const base = absOf.get(fromFile) ?? resolve(fromFile);
      const target = isAbsolute(inc) ? inc : join(dirname(base), inc);
      const got = readText(target, limits.maxSpecBytes);
      if ('error' in got) return { error: got.error };
      const name = displayName(target);
      absOf.set(name, target);
      return { file: name, text: got.text };
    },
  });
}
