/**
 * The EMR paper's refuted claims as shipped attack tests (issue 14): `bantam claims
 * spec/emr-flow.ban --export test/attacks/emr` wrote test/attacks/emr/attack-N.test.ts (run by this
 * suite: they pass while the paper's flow is vulnerable). Here, without searching (EMR searches are
 * costly): each shipped file's recorded scenario violates its query on spec/emr-flow.ban and does
 * NOT violate it on spec/emr-flow-fixed.ban (the fixes docs/claims.md proposes, same phase and step
 * ids, the same queries), so the exported test fails once the protocol is fixed. The untraceability
 * refutation has no attack scenario (it is a linking game between two worlds, not a trace): its
 * verdict is recomputed on both specs instead.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { attackContext, execute, judgeQuery, queriesOf, type Scenario } from '../src/attacker/index.js';
import { honestRunOf } from '../src/attacker/honest-run.js';
import { judgeUnlinkability } from '../src/attacker/unlinkability.js';
import { getSuite } from '../src/crypto/index.js';
import { loadExecutable } from '../src/interpret/load.js';
import { exportedAttack } from './helpers/exported-attack.js';

const SHIPPED = 'test/attacks/emr';
const PAPER = 'spec/emr-flow.ban';
const FIXED = 'spec/emr-flow-fixed.ban';
const files = readdirSync(SHIPPED).filter((f) => f.endsWith('.test.ts')).sort();


/** Replays the recorded scenario against a spec: whether its query is violated, or why it cannot be played. */
function replay(specPath: string, e: ReturnType<typeof exportedAttack>): { violated: boolean; crashed?: string } {
  const { spec, protocol } = loadExecutable(specPath);
  const q = queriesOf(spec, protocol).find((x) => x.text === e.query);
  expect(q, `${specPath} has the query '${e.query}'`).toBeDefined();
  const ctx = attackContext(protocol, getSuite(e.suite), e.seed);
  try {
    return { violated: judgeQuery(ctx, q!, execute(ctx, e.scenario)).violated };
  } catch (err) {
    // the recorded moves cannot be played on this spec at all (the exported test then fails too)
    return { violated: false, crashed: err instanceof Error ? err.message : String(err) };
  }
}

describe('the EMR paper\'s refuted claims as attack tests', () => {
  test('the shipped EMR attack tests: the eCK-style ephemeral leakage and the EMR access control', () => {
    const queries = files.map((f) => exportedAttack(readFileSync(join(SHIPPED, f), 'utf8')).query);
    expect(queries).toContain('confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after');
    expect(queries).toContain('agreement HA with P on ID_HPB, ID_PAT in inter');
  });

  test.each(files)('%s violates its query on the paper\'s flow and not on the fixed flow: the exported test fails once fixed', (f) => {
    const e = exportedAttack(readFileSync(join(SHIPPED, f), 'utf8'));
    expect(replay(PAPER, e)).toEqual({ violated: true });
    const fixed = replay(FIXED, e);
    expect(fixed.violated).toBe(false);
  }, 60_000);

  test('untraceability (§2.2.3, §4.3): the linking game links the patient on the paper\'s flow and not on the fixed one (initial treatment)', () => {
    const judge = (specPath: string) => {
      const { spec, protocol } = loadExecutable(specPath);
      const q = queriesOf(spec, protocol).find((x) => x.text === 'unlinkability P in initial')!;
      return judgeUnlinkability(protocol, getSuite('secp256k1'), '1', q as Parameters<typeof judgeUnlinkability>[3]);
    };
    const paper = judge(PAPER);
    expect(paper.status).toBe('refuted');
    // ID_PAT in clear: the same identity field in both runs only when one patient ran both
    expect(paper.detail).toMatch(/run1:initial\.1\.ID_PAT = run2:initial\.1\.ID_PAT/);
    // the prior phases ran first (registration), with the second patient registered in both worlds
    expect(paper.bound).toMatch(/after the phases it depends on \(setup, registration-patient, registration-hpa\) ran honestly, with P2 through P's chain \(registration-patient\)/);
    expect(judge(FIXED).status).toBe('holds');
  }, 60_000);

  test.each(files)('the honest run drawn beside %s runs the prior phases first: every session accepts', (f) => {
    const e = exportedAttack(readFileSync(join(SHIPPED, f), 'utf8'));
    const { protocol } = loadExecutable(PAPER);
    const h = honestRunOf(attackContext(protocol, getSuite(e.suite), e.seed), e.scenario);
    expect(h.runs.some((r) => r.sessions.some((s) => s.label.startsWith('prior:registration-patient')))).toBe(true);
    const last = h.runs.at(-1)!;
    expect(last.phase).toBe(e.scenario.config[0]!.phase);
    for (const r of h.runs) for (const s of r.sessions) expect(`${r.phase} ${s.principal} as ${s.role}: ${s.status}`).toMatch(/: accepted$/);
  }, 60_000);
});
