/**
 * `npm run fuzz -- --target parser|derive|codec|ledger|cli|flow [--count N] [--seed S] [--start I]
 *                 [--index I] [--max-seconds T] [--json]`
 *
 * Runs one campaign and prints inputs tried, crashes, hangs over 2 s, peak memory and wrong
 * accepts (docs/fuzzing.md). `--index I` replays input I of the seed alone and prints it.
 * Exit code: 0 when there are no crashes, hangs, wrong accepts or bad errors; 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { formatCampaign, runCampaign } from './campaign.js';
import { inputRng } from './rng.js';
import { TARGETS } from './targets/index.js';

const { values } = parseArgs({
  options: {
    target: { type: 'string' },
    count: { type: 'string', default: '1000' },
    seed: { type: 'string', default: 'bantam' },
    start: { type: 'string', default: '0' },
    index: { type: 'string' },
    'max-seconds': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});

const target = TARGETS[values.target ?? ''];
if (!target) {
  console.error(`fuzz: --target must be one of ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}
const int = (s: string, name: string): number => {
  if (!/^\d+$/.test(s)) {
    console.error(`fuzz: --${name} takes a whole number, got '${s}'`);
    process.exit(2);
  }
  return Number(s);
};

if (values.index !== undefined) {
  const i = int(values.index, 'index');
  const ctx = await target.prepare();
  const input = target.input(inputRng(values.seed!, i), ctx);
  console.log(`input #${i} of seed ${JSON.stringify(values.seed)}: ${target.show(input)}`);
  const t0 = performance.now();
  const out = await target.run(input, ctx);
  target.cleanup?.(ctx);
  console.log(`outcome: ${out.kind}${out.klass ? ` [${out.klass}]` : ''}${out.detail ? `: ${out.detail}` : ''} (${(out.ms ?? performance.now() - t0).toFixed(0)} ms)`);
  process.exitCode = out.kind === 'crash' || out.kind === 'wrong-accept' || out.kind === 'bad-error' ? 1 : 0;
} else {
  const count = int(values.count!, 'count');
  let last = performance.now();
  const r = await runCampaign(target, {
    seed: values.seed!,
    count,
    start: int(values.start!, 'start'),
    ...(values['max-seconds'] !== undefined ? { maxWallMs: int(values['max-seconds'], 'max-seconds') * 1000 } : {}),
    onInput: (index) => {
      if (performance.now() - last > 10_000) {
        last = performance.now();
        process.stderr.write(`… ${index + 1} inputs\n`);
      }
    },
  });
  console.log(values.json ? JSON.stringify(r, null, 2) : formatCampaign(r));
  process.exitCode = r.counts.crash + r.hangs + r.counts['wrong-accept'] + r.counts['bad-error'] > 0 ? 1 : 0;
}
