#!/usr/bin/env node
/**
 * The `bantam` executable (package.json "bin" → dist/bin/bantam.cjs, bundled from this file by
 * scripts/bundle-cli.mjs; tsc also emits dist/cli/bin.js; in development `npm run bantam`
 * runs this file through tsx).
 *
 * A closed output pipe (`bantam derive … --json | head -c 100`: EPIPE) is not an error: the
 * command finishes quietly, writes nothing more, and exits with its verdict's code.
 */
import { main } from './main.js';

function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') return; // reader went away: drop the rest
    throw e;
  });
}
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);

// Set the exit code and let node exit when stdout has drained: process.exit() here would cut
// off output still buffered for a pipe (`bantam derive --json | wc -c`).
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
