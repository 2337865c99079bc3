/**
 * Runs benchmarks: every bench/*.bench.ts, or only those named (`crypto` → bench/crypto.bench.ts).
 *   npx tsx bench/run.ts [names...] [--json] [--quick] [--wall]
 * Prints one table per report (ratios to the report's unit, measured in this run) and, with
 * --json, writes bench/results.json. Exit codes: 0 ok, 2 bad arguments (unknown bench name).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createHarness, DEFAULT_OPTIONS, QUICK_OPTIONS, type BenchReport, type Harness, type MeasureOptions } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));

export function formatReport(r: BenchReport): string {
  const bytes = r.unitKind === 'bytes';
  const lines = [
    bytes
      ? `## ${r.name}   (× unit = ratio to ${r.unit})`
      : `## ${r.name}   (× unit = fastest sample / fastest sample of ${r.unit}; (median) = median of alternating-pair ratios)`,
  ];
  for (const [g, v] of Object.entries(r.units))
    lines.push(bytes ? `   unit for ${g}: ${(v / 1024).toFixed(1)} KiB on this machine, this run` : `   unit for ${g}: ${(v / 1000).toFixed(1)} µs on this machine, this run`);
  const w = Math.max(...r.rows.map((x) => x.op.length), 2);
  const gw = Math.max(...r.rows.map((x) => x.group.length), 5);
  lines.push(
    bytes
      ? `${'group'.padEnd(gw)}  ${'op'.padEnd(w)}  ${'× unit'.padStart(8)}`
      : `${'group'.padEnd(gw)}  ${'op'.padEnd(w)}  ${'× unit'.padStart(8)}  ${'(median)'.padStart(9)}  ${'median µs'.padStart(10)}`,
  );
  for (const x of r.rows) {
    const med = x.medianRatio === undefined ? '' : x.medianRatio.toFixed(3);
    const head = `${x.group.padEnd(gw)}  ${x.op.padEnd(w)}  ${x.ratio.toFixed(3).padStart(8)}`;
    const note = x.note ? '  ' + x.note : '';
    lines.push(bytes ? `${head}${note}` : `${head}  ${med.padStart(9)}  ${(x.medianNs / 1000).toFixed(2).padStart(10)}${note}`);
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const wall = argv.includes('--wall');
  const bad = argv.filter((a) => a.startsWith('--') && !['--json', '--quick', '--wall'].includes(a));
  const available = readdirSync(here)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.slice(0, -'.bench.ts'.length))
    .sort();
  const wanted = argv.filter((a) => !a.startsWith('--'));
  const unknown = wanted.filter((w) => !available.includes(w));
  if (bad.length || unknown.length) {
    console.error(
      `bench: ${bad.length ? `unknown flag ${bad.join(', ')}` : `unknown bench ${unknown.join(', ')}`}; ` +
        `benches: ${available.join(', ')}; flags: --json --quick --wall`,
    );
    return 2;
  }
  const names = wanted.length ? wanted : available;
  const options: MeasureOptions = { ...(quick ? QUICK_OPTIONS : DEFAULT_OPTIONS), ...(wall ? { clock: 'wall' as const } : {}) };
  const h: Harness = createHarness(options);
  const reports: BenchReport[] = [];
  for (const n of names) {
    const mod = (await import(pathToFileURL(join(here, `${n}.bench.ts`)).href)) as {
      default: (h: Harness) => Promise<BenchReport>;
    };
    const r = await mod.default(h);
    reports.push(r);
    console.log(formatReport(r) + '\n');
  }
  console.log(
    `Assurance: timings on one machine in one run (node ${process.version}, ${cpus().length} cpus, ` +
      `${quick ? 'quick' : 'default'} settings, ${options.clock === 'cpu' ? 'process CPU time' : 'wall-clock time'}: warm-up ${options.warmupMs} ms, ≥${options.minSamples} samples over ≥${options.minTimeMs} ms, op and unit sampled alternately). Compare ratios, not µs.` +
      (reports.some((r) => r.unitKind === 'bytes') ? ' Heap figures: growth of heapUsed between full garbage collections, in the same process; compare ratios, not KiB.' : ''),
  );
  if (json) {
    const out = join(here, 'results.json');
    const doc = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      options,
      reports,
    };
    writeFileSync(out, JSON.stringify(doc, null, 2) + '\n');
    console.log(`wrote ${out}`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`bench: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    process.exit(70);
  },
);
