/**
 * Cold first contact in a FRESH process (issue 17: "cold" covers everything a first contact costs,
 * table building included): starts bench/cold-probe.ts in a new Node process per sample and returns
 * what it measured there (CPU time of that process), plus the child's wall time from spawn to exit
 * (Node start-up and module loading included) for reference.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface ColdSample {
  libraryNs: number;
  tablesNs: number;
  phaseNs: number;
  /** noble's T measured in the same child after the cold part. */
  unitNs: number;
  /** Spawn to exit, wall clock (process start, tsx, module loading, setup, the cold part, the unit). */
  processWallNs: number;
}

export interface ColdOptions {
  suite: string;
  backend: string;
  impl: 'fast' | 'naive';
  phase: 'initial' | 'inter' | 'registration';
}

const PROBE = fileURLToPath(new URL('./cold-probe.ts', import.meta.url));

export function coldSample(o: ColdOptions): ColdSample {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const t0 = process.hrtime.bigint();
  const out = execFileSync(process.execPath, ['--import', tsx, PROBE, JSON.stringify(o)], { encoding: 'utf8' });
  const processWallNs = Number(process.hrtime.bigint() - t0);
  const r = JSON.parse(out.trim().split('\n').at(-1)!) as Omit<ColdSample, 'processWallNs'>;
  return { ...r, processWallNs };
}

/** First contact in T: (library + tables + phase) / T, each sample in its own process's T. */
export function coldInT(s: ColdSample): { total: number; library: number; tables: number; phase: number } {
  return { total: (s.libraryNs + s.tablesNs + s.phaseNs) / s.unitNs, library: s.libraryNs / s.unitNs, tables: s.tablesNs / s.unitNs, phase: s.phaseNs / s.unitNs };
}
