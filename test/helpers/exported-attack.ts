/**
 * Reads the constants an exported attack test declares (`bantam claims SPEC --export`,
 * src/attacker/export.ts): its query, suite, seed and recorded scenario.
 */
import type { Scenario } from '../../src/attacker/index.js';

export function exportedAttack(text: string): { query: string; suite: string; seed: string; scenario: Scenario } {
  const str = (name: string) => JSON.parse(new RegExp(`^const ${name} = (.*);$`, 'm').exec(text)![1]!) as string;
  const scenario = JSON.parse(/^const SCENARIO: attacker\.Scenario = ([\s\S]*?);\n\ntest\(/m.exec(text)![1]!) as Scenario;
  return { query: str('QUERY'), suite: str('SUITE'), seed: str('SEED'), scenario };
}
