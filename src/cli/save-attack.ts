/**
 * `--save-attack FILE` (bantam props): each refuted experiment's counterexample as an attack file
 * (src/adversary/attack-file.ts) that `bantam replay FILE` runs again. One refuted experiment is
 * written to FILE; several go to FILE with the experiment's name before the extension
 * (`attack.json` → `attack.impersonation.json`; a mutant hunt `mutant:NAME` → `attack.mutant-NAME.json`). Written through
 * src/io/safe-write.ts (no device, FIFO or directory; a symbolic link only with --force).
 */
import { basename, dirname, extname, join } from 'node:path';
import { attackFileOf } from '../adversary/attack-file.js';
import type { SuiteResult } from '../adversary/runner.js';
import { lstatSync } from 'node:fs';
import { fileKind } from '../io/read-bounded.js';
import { checkOutputDir, safeWriteFile } from '../io/safe-write.js';
import { UserError } from '../spec/diagnostics.js';

export interface SavedAttack {
  experiment: string;
  file: string;
}

/** The file for one experiment's attack when `count` experiments were refuted. */
export function attackPath(file: string, experiment: string, count: number): string {
  if (count <= 1) return file;
  const ext = extname(file) || '.json';
  const base = basename(file, extname(file));
  return join(dirname(file), `${base}.${experiment.replace(/:/g, '-')}${ext}`);
}

/**
 * Checks --save-attack FILE before a campaign runs (so a bad target does not cost the campaign):
 * its folder must exist on ordinary storage and FILE, if present, be a regular file (or, with
 * --force, a symbolic link; safeWriteFile checks the link's target when writing).
 */
export function checkAttackTarget(file: string, opts: { force?: boolean } = {}): void {
  checkOutputDir(dirname(file) || '.', 'for --save-attack: folder');
  let st;
  try {
    st = lstatSync(file);
  } catch {
    return; // a new file
  }
  if (st.isFile() || (st.isSymbolicLink() && opts.force)) return;
  throw new UserError(`--save-attack ${file}: ${fileKind(st)}, not a regular file${st.isSymbolicLink() ? ' (give --force to write through the link)' : ''}`);
}

export function saveAttacks(results: readonly SuiteResult[], file: string, opts: { force?: boolean } = {}): SavedAttack[] {
  const refuted = results.filter((r) => !r.ok && r.failure);
  return refuted.map((r) => {
    const path = attackPath(file, r.name, refuted.length);
    safeWriteFile(path, `${JSON.stringify(attackFileOf(r), null, 2)}\n`, { force: opts.force ?? false });
    return { experiment: r.name, file: path };
  });
}
