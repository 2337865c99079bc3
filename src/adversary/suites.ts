/**
 * The adversarial property suites: which attacker actions each may take (weighted), which
 * properties are checked after every step, and how long a run is. `bantam props` runs them as
 * campaigns; properties/attacks.test.ts runs them bounded in `npm test`; `bantam claims` maps the
 * paper's claims onto them (./claims.ts).
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
    name: 'network',
    summary: 'Dolev–Yao network attacker: eavesdrop, drop, reorder, modify (bit flips, fields from other sessions, attacker and identity points, other ids), replay into any session',
    actions: [...honest, { name: 'drop', weight: 1 }, { name: 'delay', weight: 1 }, { name: 'modify', weight: 3 }, { name: 'tamper', weight: 3 }, { name: 'replay', weight: 4 }],
    properties: ['agreement', 'secrecy', 'integrity', 'replay', 'invalid-point'],
    maxCommands: 14,
  },
  {
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
    name: 'records',
    summary: "EMR access: a registered malicious insider hospital asks the record holder for records listed on the public ledger; a patient whose key the attacker holds presents another patient's medical index",
    actions: [...honest, { name: 'insiderRequest', weight: 6 }, { name: 'revealLt', weight: 1 }, { name: 'impersonatePatient', weight: 2 }],
    properties: ['emr-access'],
    maxCommands: 12,
  },
  {
    name: 'reports',
    summary: 'non-repudiation of every report a patient keeps, with modified messages and hospital impersonation on the way',
    actions: [...honest, { name: 'modify', weight: 2 }, { name: 'impersonateHospital', weight: 2 }, { name: 'replay', weight: 1 }],
    properties: ['non-repudiation', 'agreement', 'integrity'],
    maxCommands: 14,
  },
  {
    name: 'forward-secrecy',
    summary: "honest sessions, then long-term keys, the center's s and other sessions' keys revealed: past and other session keys must stay secret",
    actions: [...honest, { name: 'revealLt', weight: 3 }, { name: 'revealCenter', weight: 2 }, { name: 'revealSek', weight: 2 }, { name: 'replay', weight: 1 }],
    properties: ['secrecy', 'agreement'],
    maxCommands: 16,
  },
  {
    name: 'kci',
    summary: "key-compromise impersonation: a party's own long-term key is revealed, then the attacker tries to impersonate others TO that party",
    actions: [
      ...honest,
      { name: 'revealLt', weight: 3 },
      { name: 'impersonatePatient', weight: 3 },
      { name: 'impersonateHospital', weight: 4 },
    ],
    properties: ['agreement'],
    maxCommands: 14,
  },
  {
    name: 'ephemeral-leakage',
    summary: 'eCK-style ephemeral leakage (not claimed by the paper): session keys with ephemerals revealed on BOTH sides must stay secret',
    actions: [...honest, { name: 'revealEph', weight: 2 }, { name: 'revealEphPair', weight: 4 }],
    properties: ['secrecy'],
    maxCommands: 12,
    strictEphemerals: true,
  },
];

export function suiteByName(name: string): SuiteDef | undefined {
  return SUITES.find((s) => s.name === name);
}
