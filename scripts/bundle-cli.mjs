#!/usr/bin/env node
/**
 * Bundles the CLI for start-up speed (`npm run build` runs it after tsc): src/cli/bin.ts and
 * everything it imports from src/ become a few ES modules in dist/bin/: the entry
 * dist/bin/bantam.js (package.json "bin") and one chunk per command, still loaded lazily with
 * `import()`. Packages in node_modules stay external (imported by name, as from dist/).
 *
 * Why: a compiled `bantam derive` loads about 35 modules, and Node's ES-module resolution and
 * linking took about a fifth of its start-up (bench/startup.bench.ts, docs/cli.md "Start-up").
 * dist/bin sits one level below the package root like dist/cli, so paths the code builds from
 * import.meta.url (package files, the worker script) resolve the same in both. The library
 * (`exports`, dist/index.js and the .d.ts files) is tsc's output and is not bundled.
 */
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bin');
rmSync(outdir, { recursive: true, force: true }); // no stale chunks from an earlier build

await build({
  absWorkingDir: root,
  entryPoints: { bantam: 'src/cli/bin.ts' },
  outdir,
  bundle: true,
  splitting: true, // one chunk per command: `bantam derive` does not parse the attacker or the model
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: '[name]-[hash]',
  logLevel: 'warning',
});
