/**
 * `bantam replay FILE [--json]` — runs a saved attack again (an attack file written by
 * `bantam props --save-attack FILE`, src/adversary/attack-file.ts) and says whether it still
 * violates its property, with the numbered trace of the replayed run. A command-suite attack is
 * re-executed from its stored actions and world seed (exact, no search); a custom experiment
 * (untraceability, table-1) from its fast-check seed and path. The short command-line form
 * (`bantam props --only … --path … --replay-path …`) stays available and is printed.
 *
 * Exit codes: 0 the attack no longer works (the property held on replay); 1 the attack
 * reproduced (the property is violated again); 2 bad input (unreadable or malformed file).
 */
import { parseAttackFile, replayAttack } from '../../adversary/attack-file.js';
import { getSuite } from '../../crypto/index.js';
import { readInputText } from '../../io/read-bounded.js';
import { UserError } from '../../spec/diagnostics.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { jsonOutput } from '../json-output.js';

export const OPTIONS = {} as const satisfies OptionTable;

const USAGE = 'bantam replay FILE   (an attack file from bantam props --save-attack FILE)';

export const REPLAY_ASSURANCE = 'one concrete run replayed on real crypto: evidence that the attack works (or no longer does), not a proof';

export const command: Command = {
  name: 'replay',
  summary: 'run a saved attack (bantam props --save-attack) again and show its trace',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 the attack no longer works, 1 the attack reproduced (property violated), 2 bad input',
  async run(argv: string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, OPTIONS);
    if (args.positional.length !== 1) throw new UserError(`expected one attack FILE\nusage: ${USAGE}`);
    const file = args.positional[0]!;
    const attack = parseAttackFile(readInputText(file, 'attack file'), file);
    getSuite(attack.suite, attack.backend); // an unknown suite or backend in the file → UserError (exit 2)
    const r = replayAttack(attack);
    const verdict = r.reproduced ? 'reproduced' : 'no-longer-works';
    if (args.booleans.has('json')) {
      io.out(
        jsonOutput(
          {
            command: 'replay',
            ok: !r.reproduced,
            assurance: REPLAY_ASSURANCE,
            seed: attack.seed,
            suite: attack.suite,
            runs: attack.runs,
            verdicts: [{ name: `${attack.experiment}/${attack.property}`, verdict, ok: !r.reproduced }],
          },
          { file, experiment: attack.experiment, backend: attack.backend, worldSeed: attack.worldSeed, mode: r.mode, reproduced: r.reproduced, property: r.property, detail: r.detail, trace: r.trace, command: attack.command },
        ),
      );
    } else {
      const out: string[] = [];
      out.push(`bantam replay ${file} — ${REPLAY_ASSURANCE}`);
      out.push(`experiment ${attack.experiment}, property ${attack.property}; crypto suite ${attack.suite} (backend ${attack.backend}), world seed ${attack.worldSeed}`);
      out.push(r.mode === 'actions' ? `replayed from the file's ${attack.steps.length} action(s)` : `replayed by fast-check seed ${attack.seed}, path ${attack.path || '(none)'}`);
      out.push('');
      for (const line of r.trace) out.push(`  ${line}`);
      out.push('');
      out.push(r.reproduced ? `REPRODUCED  ${r.property}: ${r.detail}` : `no longer works  ${attack.property}: ${r.detail}`);
      out.push(`short form: ${attack.command}`);
      io.out(out.join('\n'));
    }
    return r.reproduced ? 1 : 0;
  },
};
