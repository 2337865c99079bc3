/** Runs the bantam CLI in-process (src/cli/main.ts) and captures what it prints and its exit code. */
import type { CliIo } from '../../src/cli/args.js';
import { main } from '../../src/cli/main.js';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}
