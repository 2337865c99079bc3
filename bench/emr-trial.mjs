// One trial of bench/compare-builds.ts, in a fresh process: `node bench/emr-trial.mjs <dist> <warm> <iters>`
// loads spec/emr-*.ban with the build in <dist> (a `tsc -p tsconfig.build.json` output), runs the whole
// EMR analysis <warm> times, then <iters> times under the clock, and prints CPU and wall ns per run.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, warm, iters] = [resolve(process.argv[2] ?? 'dist'), Number(process.argv[3] ?? 150), Number(process.argv[4] ?? 60)];
const { analyse, checkProof } = await import(pathToFileURL(`${dir}/ban/index.js`).href);
const { loadSpec } = await import(pathToFileURL(`${dir}/spec/load.js`).href);
const c = loadSpec('spec/emr-corrected.ban');
const p = loadSpec('spec/emr-printed.ban');
const whole = () => [analyse(c), analyse(p), checkProof(c), checkProof(p)];
for (let i = 0; i < warm; i++) whole();
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
};
const c0 = cpu();
const w0 = process.hrtime.bigint();
for (let i = 0; i < iters; i++) whole();
const n = Math.max(iters, 1);
console.log(JSON.stringify({ cpuNs: (cpu() - c0) / n, wallNs: Number(process.hrtime.bigint() - w0) / n }));
