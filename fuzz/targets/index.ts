/** Every fuzz target by name (`npm run fuzz -- --target NAME`). */
import type { FuzzTarget } from '../target.js';
import { cliTarget } from './cli.js';
import { flowTarget } from './flow.js';
import { codecTarget } from './codec.js';
import { ledgerTarget } from './ledger.js';
import { deriveTarget, parserTarget } from './parser.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const TARGETS: Record<string, FuzzTarget<any, any>> = {
  parser: parserTarget,
  derive: deriveTarget,
  codec: codecTarget,
  ledger: ledgerTarget,
  cli: cliTarget,
  flow: flowTarget,
};
