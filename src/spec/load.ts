/**
 * Reads a spec file from disk: the file itself, every `include FILE` (path relative to the
 * including file, cycles and missing files reported at the include line), and the sources map
 * that lets the CLI print the offending line under each diagnostic.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Spec } from './ast.js';
import { diag, UserError } from './diagnostics.js';
import { parseSpec } from './parse.js';

/** Positions name files relative to the working directory when that is shorter. */
function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

function readText(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message) };
  }
}

export function loadSpec(path: string): Spec {
  const abs = resolve(path);
  const r = readText(abs);
  const file = displayName(abs);
  if ('error' in r) {
    throw new UserError(`cannot read spec '${path}': ${r.error}`, [
      diag('error', 'file.read', `cannot read spec '${path}': ${r.error}`, { file, line: 1, col: 1 }),
    ]);
  }
  // Display names map back to absolute paths so nested includes resolve against their own folder.
  const absOf = new Map<string, string>([[file, abs]]);
  return parseSpec(file, r.text, {
    include: (fromFile, inc) => {
      const base = absOf.get(fromFile) ?? resolve(fromFile);
      const target = isAbsolute(inc) ? inc : join(dirname(base), inc);
      const got = readText(target);
      if ('error' in got) return got;
      const name = displayName(target);
      absOf.set(name, target);
      return { file: name, text: got.text };
    },
  });
}
