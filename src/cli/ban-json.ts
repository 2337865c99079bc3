/**
 * The --json output of the BAN commands (derive, why) in the common shape (./json-output.ts):
 * belief logic draws no randomness and uses no crypto, so seed, suite and runs are null.
 */
import { ASSURANCE, type Analysis } from '../ban/index.js';
import { jsonOutput } from './json-output.js';

export function banJson(command: string, a: Analysis, body: object): string {
  return jsonOutput(
    {
      command,
      ok: a.goals.every((g) => g.derived),
      assurance: ASSURANCE,
      seed: null,
      suite: null,
      runs: null,
      verdicts: a.goals.map((g) => ({ name: g.label, verdict: g.derived ? 'derived' : 'not derived', ok: g.derived })),
    },
    body,
  );
}
