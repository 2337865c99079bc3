/**
 * Attack 3 found by bantam's generic Dolev–Yao attacker (bantam claims spec/protocols/nspk.ban --seed 1 --suite secp256k1):
 *   injective-agreement B with A on Na, Nb  — REFUTED
 *   violated: s2 (B as B with A = A) accepted, but no session of A run by A with B = B holds the same Na, Nb
 *
 * The trace, as bantam printed it:
 * start session s1: A as A in ns with B = Attacker
 *     envelope #1 ns.1: A → Attacker (session s1, 98 bytes)
 *     attacker learns c1#14 = 039177b00e9f4058… — observed in envelope #1 (ns.1.c1, A → Attacker)
 *     attacker learns Na#15 = 90dd7d038e6fc16a… — pdec(skB@Attacker#11, c1#14) as in '(Na, A) = pdec(skB, c1)'
 * start session s2: B as B in ns with A = A
 * ns.1: attacker (as A) → B [s2]: c1 = penc(pkB@B#5, (Na#15, A#0))
 *     B [s2] continues
 *     envelope #5 ns.2: B → A (session s2, 128 bytes)
 *     attacker learns c2#16 = 031add602b3c8cff… — observed in envelope #5 (ns.2.c2, B → A)
 * ns.2: attacker → A [s1]: c2 = c2#16
 *     A [s1] ACCEPTS (A = A, B = Attacker)
 *     envelope #9 ns.3: A → Attacker (session s1, 96 bytes)
 *     attacker learns c3#17 = 034a6bc881b6072c… — observed in envelope #9 (ns.3.c3, A → Attacker)
 *     attacker learns Nb#18 = 32f1c962c9da93a5… — pdec(skB@Attacker#11, c3#17) as in 'Nb = pdec(skB, c3)'
 * ns.3: attacker (as A) → B [s2]: c3 = penc(pkB@B#5, Nb#18)
 *     B [s2] ACCEPTS (B = B, A = A)
 *
 * This test replays the recorded scenario on real crypto through bantam's public API and asserts
 * that the query is still violated. It fails once the protocol is fixed. BANTAM_SPEC=path runs it
 * against another spec (e.g. the fixed one) without editing this file.
 */
import { expect, test } from 'vitest';
import { attacker, getSuite, loadExecutable } from "../../../src/index.js";

const SPEC = process.env.BANTAM_SPEC ?? "spec/protocols/nspk.ban";
const QUERY = "injective-agreement B with A on Na, Nb";
const SUITE = "secp256k1";
const SEED = "1";
const SCENARIO: attacker.Scenario = {
  "config": [
    {
      "phase": "ns",
      "role": "A",
      "binding": {
        "A": "A",
        "B": "Attacker"
      }
    },
    {
      "phase": "ns",
      "role": "B",
      "binding": {
        "B": "B",
        "A": "A"
      }
    }
  ],
  "moves": [
    {
      "session": 1,
      "step": "ns.1",
      "fields": [
        {
          "name": "c1",
          "recipe": {
            "kind": "build",
            "prim": "penc",
            "key": 5,
            "plain": [
              15,
              0
            ],
            "plainSort": {
              "kind": "tuple",
              "items": [
                {
                  "kind": "base",
                  "name": "nonce"
                },
                {
                  "kind": "base",
                  "name": "id"
                }
              ]
            },
            "sort": {
              "kind": "base",
              "name": "pke"
            }
          }
        }
      ]
    },
    {
      "session": 0,
      "step": "ns.2",
      "fields": [
        {
          "name": "c2",
          "recipe": {
            "kind": "known",
            "item": 16
          }
        }
      ]
    },
    {
      "session": 1,
      "step": "ns.3",
      "fields": [
        {
          "name": "c3",
          "recipe": {
            "kind": "build",
            "prim": "penc",
            "key": 5,
            "plain": 18,
            "plainSort": {
              "kind": "base",
              "name": "nonce"
            },
            "sort": {
              "kind": "base",
              "name": "pke"
            }
          }
        }
      ]
    }
  ]
};

test("attack 3: injective-agreement B with A on Na, Nb is violated (replayed on real crypto)", () => {
  const { spec, protocol } = loadExecutable(SPEC);
  const query = attacker.queriesOf(spec, protocol).find((q) => q.text === QUERY);
  expect(query, `${SPEC} has no query '${QUERY}'`).toBeDefined();
  // the query's compromise events (revealed before, or in an earlier session), as in the search
  const ctx = attacker.withCompromise(attacker.attackContext(protocol, getSuite(SUITE), SEED), query!.reveals ?? []);
  const run = attacker.execute(ctx, SCENARIO);
  expect(attacker.judgeQuery(ctx, query!, run).violated).toBe(true);
});
