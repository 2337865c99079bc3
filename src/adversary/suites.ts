/**
 * The adversarial property suites that stay: which attacker actions each may take (weighted), which
 * properties are checked after every step, and how long a run is. `bantam props` runs them as
 * campaigns; properties/attacks.test.ts runs them bounded in `npm test`; `bantam claims` (without
 * SPEC) and `bantam demo` use them for the claims in ./claims.ts.
 *
 * Only what the generic attacker (src/attacker, the queries of spec/emr-flow.ban) cannot express is
 * here (docs/claims.md "What src/adversary still does, and why it stays"). Retired, because the spec's
 * queries decide them: `network` (the injective agreements, session-key secrecy; byte tampering is
 * `bantam sweep`), `kci` (the six KCI queries: P ↔ HA in initial, P ↔ HB and HA ↔ HB in inter; `compromise`, whose
 * moves include all of `kci`'s, keeps KCI with a key revealed mid-run), `ephemeral-leakage` (the both-ephemerals query), `records` (the
 * access-control query), `forward-secrecy` (the forward-secrecy query; its other-session key reveals
 * stay in `compromise`, whose moves and properties include all of it) and the `untraceability`
 * experiment (the two unlinkability queries).
 */
import type { SuiteDef } from './runner.js';

const honest = [
  { name: 'startInitial', weight: 3 },
  { name: 'startInter', weight: 3 },
  { name: 'deliver', weight: 3 },
  { name: 'deliverAll', weight: 6 },
] as const;

export const SUITES: readonly SuiteDef[] = [
  {
    // stays: unregistered devices, a patient lured to an unregistered hospital and key pairs forged
    // for a registered name are moves the generic attacker does not make (its identity is registered
    // as an insider, or not at all with --outsider; it claims no other principal's name)
    name: 'impersonation',
    summary: 'injection from an unregistered device, impersonation of patients (no key, forged key pair) and of hospitals (answering their opening messages)',
    actions: [
      ...honest,
      { name: 'unregistered', weight: 2 },
      { name: 'illegalHospital', weight: 1 },
      { name: 'impersonatePatient', weight: 3 },
      { name: 'impersonateHospital', weight: 3 },
      { name: 'attackerStep', weight: 5 },
    ],
    properties: ['agreement', 'unregistered', 'integrity', 'secrecy'],
    maxCommands: 14,
  },
  {
    // stays: compromise events in the middle of a run over up to 16 moves in one world (two patients,
    // both phases): long-term keys, the center's s, other sessions' keys and one ephemeral, with
    // impersonation and replays — the generic queries reveal a value before, after, or of one earlier
    // session, within 2 sessions (3 in inter)
    name: 'compromise',
    summary: "compromise events (long-term keys before/after sessions, session keys, one ephemeral, the center's s) with impersonation: forward secrecy, KCI, key independence",
    actions: [
      ...honest,
      { name: 'revealLt', weight: 2 },
      { name: 'revealCenter', weight: 1 },
      { name: 'revealSek', weight: 2 },
      { name: 'revealEph', weight: 1 },
      { name: 'impersonatePatient', weight: 2 },
      { name: 'impersonateHospital', weight: 2 },
      { name: 'attackerStep', weight: 4 },
      { name: 'replay', weight: 1 },
    ],
    properties: ['agreement', 'secrecy', 'integrity', 'replay'],
    maxCommands: 16,
  },
  {
    // stays: the paper's Table 1 evidence, kept by its holder and verified under every hospital's key
    // (the generic non-repudiation query asks who can produce a signature, a different property)
    name: 'reports',
    summary: 'non-repudiation of every report a patient keeps, with modified messages and hospital impersonation on the way',
    actions: [...honest, { name: 'modify', weight: 2 }, { name: 'impersonateHospital', weight: 2 }, { name: 'replay', weight: 1 }],
    properties: ['non-repudiation', 'agreement', 'integrity'],
    maxCommands: 14,
  },
];
