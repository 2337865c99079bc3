/**
 * Attack 2 found by bantam's generic Dolev–Yao attacker (bantam claims spec/emr-flow.ban --seed 1 --suite secp256k1):
 *   confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after  — REFUTED
 *   violated: the attacker computes SEK_AP of session s1 (PAT-1 as P with HA = HPA, BC = CENTER), which accepted and whose peers are all honest: computed by the group algebra as H2(0x9f940750…·PK@CENTER#4 + b#25·R_PAT#10 + a#24·R_HPA#12, K_AP2#27) (where a (PAT-1 in s1) = a#24; b (HPA in s2) = b#25; H1(ID_PAT, R_PAT) = H1(PAT-1#0, R_PAT#10); H1(ID_HPA, R_HPA) = H1(HPA#1, R_HPA#12)), confirmed on real crypto [group algebra: points as polynomials in secret scalars times G; the attacker forms Z_q-linear combinations of the points it holds (and G) with coefficients computed from scalars it holds, solves linear equations for unknown scalars, and re-makes deterministic hashes of what it derives — no discrete logs, no pairings, no point-to-scalar map other than the spec's hashes, products of unknown scalars treated as independent unknowns]
 *
 * The trace, as bantam printed it:
 * prior phases, run honestly before the search (part of the bound): setup (BC = CENTER); registration-patient (P = PAT-1, BC = CENTER); registration-hpa (HA = HPA, BC = CENTER)
 * start session s1: PAT-1 as P in initial with HA = HPA, BC = CENTER
 *     envelope #34 initial.1: PAT-1 → HPA (session s1, 73 bytes)
 *     attacker learns R_PAT#10 = 02f1a738de2d313e… — observed in envelope #34 (initial.1.R_PAT, PAT-1 → HPA)
 *     attacker learns T_PAT#11 = 02f8fb953b8abd0a… — observed in envelope #34 (initial.1.T_PAT, PAT-1 → HPA)
 * start session s2: HPA as HA in initial with P = PAT-1, BC = CENTER
 * initial.1: attacker (as PAT-1) → HPA [s2]: ID_PAT = PAT-1#0, R_PAT = R_PAT#10, T_PAT = T_PAT#11
 *     HPA [s2] continues
 *     envelope #44 initial.2: HPA → PAT-1 (session s2, 103 bytes)
 *     attacker learns R_HPA#12 = 0217736a619a30c5… — observed in envelope #44 (initial.2.R_HPA, HPA → PAT-1)
 *     attacker learns T_HPA#13 = 033a3c1c8ec2c9ea… — observed in envelope #44 (initial.2.T_HPA, HPA → PAT-1)
 *     attacker learns CHK_PA#14 = 3c8d736ee234a015… — observed in envelope #44 (initial.2.CHK_PA, HPA → PAT-1)
 *     attacker learns CHK_PA#15 = 3c8d736ee234a015… — envelope #44 (initial.2.CHK_PA) re-read as a scalar (type confusion: the encoding accepts it)
 * initial.2: attacker (as HPA) → PAT-1 [s1]: ID_HPA = HPA#1, R_HPA = R_HPA#12, T_HPA = T_HPA#13, CHK_PA = CHK_PA#14
 *     PAT-1 [s1] continues
 *     envelope #56 initial.3: PAT-1 → HPA (session s1, 150 bytes)
 *     attacker learns c_PAT#16 = 34573566cc112bdd… — observed in envelope #56 (initial.3.c_PAT, PAT-1 → HPA)
 *     attacker learns CHK_AP#17 = 504d5cce131f6f6c… — observed in envelope #56 (initial.3.CHK_AP, PAT-1 → HPA)
 *     attacker learns c_PAT#18 = 34573566cc112bdd… — envelope #56 (initial.3.c_PAT) re-read as a bytes (type confusion: the encoding accepts it)
 *     attacker learns CHK_AP#19 = 504d5cce131f6f6c… — envelope #56 (initial.3.CHK_AP) re-read as a scalar (type confusion: the encoding accepts it)
 * initial.3: attacker (as PAT-1) → HPA [s2]: ID_PAT = PAT-1#0, c_PAT = c_PAT#16, CHK_AP = CHK_AP#17
 *     HPA [s2] ACCEPTS (HA = HPA, P = PAT-1, BC = CENTER)
 *     envelope #67 initial.4: HPA → PAT-1 (session s2, 412 bytes)
 *     attacker learns c_HPA#21 = a36ccaf2ef0eaa3e… — observed in envelope #67 (initial.4.c_HPA, HPA → PAT-1)
 *     attacker learns Sig_HPA#22 = a672da5d85b401a4… — observed in envelope #67 (initial.4.Sig_HPA, HPA → PAT-1)
 *     attacker learns c_HPA#23 = a36ccaf2ef0eaa3e… — envelope #67 (initial.4.c_HPA) re-read as a bytes (type confusion: the encoding accepts it)
 * initial.4: attacker (as HPA) → PAT-1 [s1]: ID_HPA = HPA#1, c_HPA = c_HPA#21, Sig_HPA = Sig_HPA#22
 *     PAT-1 [s1] ACCEPTS (P = PAT-1, HA = HPA, BC = CENTER)
 *
 * This test replays the recorded scenario on real crypto through bantam's public API and asserts
 * that the query is still violated. It fails once the protocol is fixed. BANTAM_SPEC=path runs it
 * against another spec (e.g. the fixed one) without editing this file.
 */
import { expect, test } from 'vitest';
import { attacker, getSuite, loadExecutable } from "../../../src/index.js";

const SPEC = process.env.BANTAM_SPEC ?? "spec/emr-flow.ban";
const QUERY = "confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after";
const SUITE = "secp256k1";
const SEED = "1";
const SCENARIO: attacker.Scenario = {
  "config": [
    {
      "phase": "initial",
      "role": "P",
      "binding": {
        "P": "PAT-1",
        "HA": "HPA",
        "BC": "CENTER"
      }
    },
    {
      "phase": "initial",
      "role": "HA",
      "binding": {
        "HA": "HPA",
        "P": "PAT-1",
        "BC": "CENTER"
      }
    }
  ],
  "moves": [
    {
      "session": 1,
      "step": "initial.1",
      "fields": [
        {
          "name": "ID_PAT",
          "recipe": {
            "kind": "known",
            "item": 0
          }
        },
        {
          "name": "R_PAT",
          "recipe": {
            "kind": "known",
            "item": 10
          }
        },
        {
          "name": "T_PAT",
          "recipe": {
            "kind": "known",
            "item": 11
          }
        }
      ]
    },
    {
      "session": 0,
      "step": "initial.2",
      "fields": [
        {
          "name": "ID_HPA",
          "recipe": {
            "kind": "known",
            "item": 1
          }
        },
        {
          "name": "R_HPA",
          "recipe": {
            "kind": "known",
            "item": 12
          }
        },
        {
          "name": "T_HPA",
          "recipe": {
            "kind": "known",
            "item": 13
          }
        },
        {
          "name": "CHK_PA",
          "recipe": {
            "kind": "known",
            "item": 14
          }
        }
      ]
    },
    {
      "session": 1,
      "step": "initial.3",
      "fields": [
        {
          "name": "ID_PAT",
          "recipe": {
            "kind": "known",
            "item": 0
          }
        },
        {
          "name": "c_PAT",
          "recipe": {
            "kind": "known",
            "item": 16
          }
        },
        {
          "name": "CHK_AP",
          "recipe": {
            "kind": "known",
            "item": 17
          }
        }
      ]
    },
    {
      "session": 0,
      "step": "initial.4",
      "fields": [
        {
          "name": "ID_HPA",
          "recipe": {
            "kind": "known",
            "item": 1
          }
        },
        {
          "name": "c_HPA",
          "recipe": {
            "kind": "known",
            "item": 21
          }
        },
        {
          "name": "Sig_HPA",
          "recipe": {
            "kind": "known",
            "item": 22
          }
        }
      ]
    }
  ]
};

test("attack 2: confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after is violated (replayed on real crypto)", () => {
  const { spec, protocol } = loadExecutable(SPEC);
  const query = attacker.queriesOf(spec, protocol).find((q) => q.text === QUERY);
  expect(query, `${SPEC} has no query '${QUERY}'`).toBeDefined();
  // the query's compromise events (revealed before, or in an earlier session), as in the search
  const ctx = attacker.withCompromise(attacker.attackContext(protocol, getSuite(SUITE), SEED), query!.reveals ?? []);
  const run = attacker.execute(ctx, SCENARIO);
  expect(attacker.judgeQuery(ctx, query!, run).violated).toBe(true);
});
