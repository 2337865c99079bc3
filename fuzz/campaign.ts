/**
 * Running a fuzz campaign: `count` inputs of one target from `seed`, each timed, each classified
 * (fuzz/target.ts). The result carries what docs/fuzzing.md reports: inputs tried, crashes, hangs
 * over the bound, peak memory, wrong accepts, and the indices to replay.
 */
import type { FuzzTarget, OutcomeKind } from './target.js';
import { inputRng } from './rng.js';

export interface CampaignOptions {
  seed: string;
  count: number;
  /** First index (inputs are seed:index, so a campaign can be split or resumed). */
  start?: number;
  /** Inputs slower than this are hangs (default 2000 ms). */
  hangMs?: number;
  /** Called after each input (progress). */
  onInput?: (index: number, kind: OutcomeKind, ms: number) => void;
  /** Stop early once this much wall time has passed (the result says how many inputs ran). */
  maxWallMs?: number;
}

export interface Finding {
  index: number;
  kind: OutcomeKind | 'hang';
  detail: string;
  input: string;
}

export interface CampaignResult {
  target: string;
  seed: string;
  start: number;
  tried: number;
  counts: Record<OutcomeKind, number>;
  hangs: number;
  /** Slowest input, ms. */
  maxMs: number;
  /** Peak resident memory of this process (and, for the CLI, of any child), MiB. */
  peakRssMiB: number;
  /** Per class (ledger tamper class, CLI command, first diagnostic code): tried / accepted. */
  classes: Record<string, { tried: number; accepted: number }>;
  findings: Finding[];
  wallMs: number;
}

export async function runCampaign<C, I>(target: FuzzTarget<C, I>, opts: CampaignOptions): Promise<CampaignResult> {
  const hangMs = opts.hangMs ?? 2000;
  const start = opts.start ?? 0;
  const ctx = await target.prepare();
  const counts: Record<OutcomeKind, number> = { accepted: 0, rejected: 0, crash: 0, 'wrong-accept': 0, 'bad-error': 0 };
  const classes: CampaignResult['classes'] = {};
  const findings: Finding[] = [];
  let hangs = 0;
  let maxMs = 0;
  let childPeakKiB = 0;
  let tried = 0;
  const t0 = performance.now();
  try {
    for (let k = 0; k < opts.count; k++) {
      if (opts.maxWallMs !== undefined && performance.now() - t0 > opts.maxWallMs) break;
      const index = start + k;
      const input = target.input(inputRng(opts.seed, index), ctx);
      const s = performance.now();
      let out;
      try {
        out = await target.run(input, ctx);
      } catch (e) {
        out = { kind: 'crash' as const, detail: `harness: ${(e as Error)?.name}: ${(e as Error)?.message}` };
      }
      const ms = out.ms ?? performance.now() - s;
      tried++;
      counts[out.kind]++;
      if (out.klass !== undefined) {
        const c = (classes[out.klass] ??= { tried: 0, accepted: 0 });
        c.tried++;
        if (out.kind === 'accepted' || out.kind === 'wrong-accept') c.accepted++;
      }
      if (out.childMaxRssKiB && out.childMaxRssKiB > childPeakKiB) childPeakKiB = out.childMaxRssKiB;
      if (ms > maxMs) maxMs = ms;
      const record = (kind: Finding['kind'], detail: string): void => {
        if (findings.length < 200) findings.push({ index, kind, detail, input: target.show(input) });
      };
      if (ms > hangMs) {
        hangs++;
        record('hang', `${ms.toFixed(0)} ms`);
      }
      if (out.kind === 'crash' || out.kind === 'wrong-accept' || out.kind === 'bad-error') record(out.kind, out.detail ?? '');
      opts.onInput?.(index, out.kind, ms);
    }
  } finally {
    target.cleanup?.(ctx);
  }
  const selfPeakKiB = process.resourceUsage().maxRSS;
  return {
    target: target.name,
    seed: opts.seed,
    start,
    tried,
    counts,
    hangs,
    maxMs,
    peakRssMiB: Math.max(selfPeakKiB, childPeakKiB) / 1024,
    classes,
    findings,
    wallMs: performance.now() - t0,
  };
}

export function formatCampaign(r: CampaignResult): string {
  const out = [
    `target ${r.target}  seed ${JSON.stringify(r.seed)}  indices ${r.start}..${r.start + r.tried - 1}`,
    `inputs tried:   ${r.tried}  (accepted ${r.counts.accepted}, rejected ${r.counts.rejected})`,
    `crashes:        ${r.counts.crash}`,
    `hangs > 2 s:    ${r.hangs}  (slowest input ${r.maxMs.toFixed(0)} ms)`,
    `wrong accepts:  ${r.counts['wrong-accept']}`,
    `bad errors:     ${r.counts['bad-error']}  (unbounded or missing diagnostics)`,
    `peak memory:    ${r.peakRssMiB.toFixed(0)} MiB RSS`,
    `wall time:      ${(r.wallMs / 1000).toFixed(1)} s`,
  ];
  const cls = Object.entries(r.classes).sort((a, b) => b[1].tried - a[1].tried);
  if (cls.length && cls.length <= 40) {
    out.push('classes (tried / accepted):');
    for (const [k, v] of cls) out.push(`  ${k.padEnd(22)} ${String(v.tried).padStart(7)} / ${v.accepted}`);
  }
  for (const f of r.findings.slice(0, 20)) out.push(`finding #${f.index} ${f.kind}: ${f.detail}\n    replay: npm run fuzz -- --target ${r.target} --seed ${JSON.stringify(r.seed)} --index ${f.index}\n    input: ${f.input.slice(0, 300)}`);
  return out.join('\n');
}
