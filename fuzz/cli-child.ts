/**
 * Child process of the CLI fuzz target: runs bantam's main() on its argv in a real process (real
 * stdout/stderr, real exit code) and writes how long main() took — without Node and tsx start-up,
 * which alone take seconds on a loaded machine — and its peak memory to $BANTAM_FUZZ_TIMING.
 */
import { writeFileSync } from 'node:fs';
import { main } from '../src/cli/main.js';

const t0 = performance.now();
const code = await main(process.argv.slice(2));
const ms = performance.now() - t0;
const file = process.env.BANTAM_FUZZ_TIMING;
if (file) writeFileSync(file, JSON.stringify({ code, ms, maxRssKiB: process.resourceUsage().maxRSS }));
process.exitCode = code;
