/**
 * Registration in the hand-written EMR model (§3.4–3.5, eqs. (2)–(13)): the center issues credentials
 * once, only to an enrolled id, only at the request of that id over the secure channel; a party stores
 * what it is issued only when its check (5) / (9) / (13), PK_X = S_X·P and SK_X = S_X hold. Over random
 * suites, ids and seeds:
 *
 * - a registration request replayed to the center after the reply: refused by 'ID_X not yet registered';
 * - a request whose ID_X is not the secure channel's sender: refused by 'ID_X names the sender on the
 *   secure channel';
 * - a request for an id the center never enrolled: refused by 'valid(ID_X): enrolled';
 * - each party's reply with R_X, S_X, PK_X or SK_X altered: that party aborts naming (5), (9) or (13)
 *   (by its role and slot), 'PK_X = S_X·P' or 'SK_X = S_X', and stores no credentials.
 *
 * - and registration writes the ledger as the paper's contracts say (§3.4–3.5): the patient by ptins, hospital
 *   A by hains and hospital B by hbins, each with the R_X its party stores.
 *
 * Every refusal changes nothing: no credentials issued, no ledger entry. The expected checks are this
 * file's table from the paper, not read off the model. Bounded testing (RUNS cases from the seed printed
 * by properties/seed.ts), not proof.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../src/crypto/index.js';
import { addParty, createSystem, deliver, startRegistration, tamperField, type DeliverResult, type System } from '../src/model/index.js';
import { hachk, hbchk, ptchk } from '../src/ledger/contracts.js';
import { encodeMessage } from '../src/net/codec.js';
import type { Envelope } from '../src/net/network.js';
import { propParams, propSeed } from './seed.js';

const SEED = propSeed('registration');
const RUNS = 4;
const CENTER = 'CENTER';

const idArb = fc.stringMatching(/^[A-Za-z0-9._:-]{1,16}$/).filter((s) => s !== CENTER && s !== 'ghost');

type Role = { readonly role: 'patient' | 'hospital'; readonly slot?: 'A' | 'B' };
/** The registration check of each role (§3.4 (5), §3.5 (9) for hospital A, (13) for hospital B). */
const CHECK_EQ = (r: Role): number => (r.role === 'patient' ? 5 : r.slot === 'B' ? 13 : 9);
/** Each field of registration.2, and the check that must refuse it altered. */
const REPLY_FIELDS: readonly { field: string; check: (r: Role) => string }[] = [
  { field: 'R_X', check: (r) => `(${CHECK_EQ(r)})` },
  { field: 'S_X', check: (r) => `(${CHECK_EQ(r)})` },
  { field: 'PK_X', check: () => 'PK_X = S_X·P' },
  { field: 'SK_X', check: () => 'SK_X = S_X' },
];

function describeResult(r: DeliverResult): string {
  if (r.kind === 'ok') return `completed (sent ${r.out.map((o) => o.step).join(', ') || 'nothing'})`;
  if (r.kind === 'aborted') return `aborted ${r.abort.code} by '${r.abort.check}' (${r.abort.detail})`;
  return `rejected ${JSON.stringify(r.rejection)}`;
}

/** A system with the three parties enrolled (and registration started for none). */
function enrolled(suite: string, seed: number, ids: readonly string[]): { sys: System; roles: Map<string, Role> } {
  const sys = createSystem({ suite, seed });
  const roles = new Map<string, Role>([
    [ids[0]!, { role: 'patient' }],
    [ids[1]!, { role: 'hospital', slot: 'A' }],
    [ids[2]!, { role: 'hospital', slot: 'B' }],
  ]);
  for (const [id, r] of roles) addParty(sys, id, r.role, r.slot ? { slot: r.slot } : {});
  return { sys, roles };
}

/** The center must refuse `bad` by `check` (code registration-refused or id-mismatch) and issue nothing. */
function centerRefuses(sys: System, what: string, bad: Envelope, check: string): string[] {
  const issued = sys.center.issued.size;
  const ledger = sys.ledger;
  const label = `the center given ${what} (registration.1 for ${bad.from})`;
  let r: DeliverResult;
  try {
    r = deliver(sys, bad);
  } catch (e) {
    return [`${label}: expected a refusal by '${check}', but the model threw ${e instanceof Error ? e.message : String(e)}`];
  }
  const problems: string[] = [];
  if (r.kind !== 'aborted' || r.abort.check !== check) problems.push(`${label}: expected a refusal by '${check}', got ${describeResult(r)}`);
  if (sys.center.issued.size !== issued) problems.push(`${label} ('${check}'): credentials were issued`);
  if (sys.ledger !== ledger) problems.push(`${label} ('${check}'): the ledger changed`);
  return problems;
}

const caseArb = fc.record({ suite: fc.constantFrom(...SUITE_NAMES), ids: fc.uniqueArray(idArb, { minLength: 3, maxLength: 3 }), seed: fc.integer() });

describe(`registration in the EMR model (bounded: ${RUNS} runs, seed ${SEED})`, () => {
  it('the center issues credentials once, to an enrolled id, at that id\'s own request, and records it by its role\'s contract (ptins, hains, hbins): a replayed request, a request naming another id and one for an unenrolled id are refused by their checks', () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids, seed }) => {
        const { sys, roles } = enrolled(suite, seed, ids);
        const requests: Envelope[] = [];
        const problems: string[] = [];
        // one registration at a time, so that each one's computations can be read off the trace
        for (const id of ids) {
          const seen = sys.tracer.trace.events.length;
          startRegistration(sys, id);
          for (let e = sys.net.next(); e; e = sys.net.next()) {
            const r = deliver(sys, e);
            if (r.kind !== 'ok') problems.push(`the honest delivery of ${e.step} to ${e.to} did not complete: ${describeResult(r)}`);
            if (e.step === 'registration.1') requests.push(e);
          }
          // the center issues by its role's equations ((2)–(4), (6)–(8), (10)–(12)), the party checks by (5), (9) or (13)
          const role = roles.get(id)!;
          const issue = role.role === 'patient' ? [2, 3, 4] : role.slot === 'B' ? [10, 11, 12] : [6, 7, 8];
          const events = sys.tracer.trace.events.slice(seen);
          const computed = events.filter((x) => x.kind === 'compute' && x.party === CENTER).map((x) => (x as { eq: number }).eq);
          if (issue.some((n) => !computed.includes(n)) || computed.some((n) => n < 14 && !issue.includes(n))) problems.push(`registration of ${id} (${role.role}${role.slot ?? ''}): the center computed (${computed.join('), (')}), not (${issue.join('), (')})`);
          const checkedEq = events.filter((x) => x.kind === 'check' && x.party === id && x.eq !== undefined).map((x) => (x as { eq?: number }).eq);
          if (!checkedEq.includes(CHECK_EQ(role))) problems.push(`registration of ${id} (${role.role}${role.slot ?? ''}): its registration.2 check is recorded as (${checkedEq.join('), (')}), not (${CHECK_EQ(role)})`);
        }
        expect(problems, problems.join('\n')).toEqual([]);
        expect(requests.length, 'not vacuous: three registration requests were delivered').toBe(3);
        expect(sys.center.issued.size, 'not vacuous: three parties registered').toBe(3);
        // the ledger records each party by its role's contract, with the R it stores (ptins, hains, hbins)
        const [p, a, b] = ids as [string, string, string];
        const Rof = (id: string) => sys.suite.encodePoint(sys.parties.get(id)!.store.credentials!.R);
        const same = (x: Uint8Array | undefined, y: Uint8Array) => !!x && x.length === y.length && x.every((v, i) => v === y[i]);
        if (!ptchk(sys.ledger, p).exists) problems.push(`patient ${p} is not on the ledger (ptins)`);
        for (const [id, contract, check] of [[a, 'hains', hachk], [b, 'hbins', hbchk]] as const) {
          const h = check(sys.ledger, id);
          if (!h.exists || h.contract !== contract || !same(h.R, Rof(id))) problems.push(`hospital ${id} is not on the ledger as registered by ${contract} with its R (found: ${h.exists ? `${h.contract}, R ${same(h.R, Rof(id)) ? 'matches' : 'differs'}` : 'nothing'})`);
        }
        if (ptchk(sys.ledger, a).exists || ptchk(sys.ledger, b).exists || hachk(sys.ledger, p).exists) problems.push('a party is on the ledger under another role (ptins / hains / hbins)');
        expect(problems, problems.join('\n')).toEqual([]);
        for (const [i, req] of requests.entries()) {
          problems.push(...centerRefuses(sys, 'a replayed request', { ...req, origin: 'replayed' }, 'ID_X not yet registered'));
          const other = requests[(i + 1) % requests.length]!.from;
          problems.push(...centerRefuses(sys, `a request sent by ${other} for ${req.from}`, { ...req, from: other, origin: 'modified' }, 'ID_X names the sender on the secure channel'));
        }
        const ghost = encodeMessage(sys.suite, { step: 'registration.1', fields: { ID_X: 'ghost' } } as never).bytes;
        problems.push(...centerRefuses(sys, 'a request for an id it never enrolled', { ...requests[0]!, from: 'ghost', bytes: ghost, origin: 'injected' }, 'valid(ID_X): enrolled'));
        expect(problems, `registration requests were not refused as they must be:\n${problems.join('\n')}`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });

  it('a party stores the credentials it is issued only when (5) / (9) / (13), PK_X = S_X·P and SK_X = S_X hold: each field of its reply altered makes it abort by that check and store nothing', () => {
    fc.assert(
      fc.property(caseArb, ({ suite, ids, seed }) => {
        const problems: string[] = [];
        for (const target of ids) {
          for (const { field, check } of REPLY_FIELDS) {
            const { sys, roles } = enrolled(suite, seed, ids);
            startRegistration(sys, target);
            const req = sys.net.next()!;
            const issued = deliver(sys, req);
            const reply = sys.net.next();
            if (issued.kind !== 'ok' || !reply) {
              problems.push(`registration of ${target}: the center did not reply (${describeResult(issued)})`);
              continue;
            }
            const bytes = tamperField(sys, 'registration.2', reply.bytes, field);
            if (!bytes) throw new Error(`registration.2 of ${target} does not decode`);
            const expected = check(roles.get(target)!);
            const r = deliver(sys, { ...reply, bytes, origin: 'modified' });
            const label = `registration.2 to ${target} (${roles.get(target)!.role}${roles.get(target)!.slot ?? ''}) with ${field} altered`;
            if (r.kind !== 'aborted' || !r.abort.check.includes(expected)) problems.push(`${label}: expected an abort by the check ${expected}, got ${describeResult(r)}`);
            if (sys.parties.get(target)!.store.credentials) problems.push(`${label} (${expected}): the party stored the altered credentials`);
          }
        }
        expect(problems, `altered registration replies were not refused as they must be:\n${problems.join('\n')}`).toEqual([]);
      }),
      propParams(SEED, RUNS),
    );
  });
});
