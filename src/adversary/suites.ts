/**
 * The adversarial property suites: which attacker actions each may take (weighted), which
 * properties are checked after every step, and how long a run is. `bantam props` runs them as
 * campaigns; properties/attacks.test.ts runs them bounded in `npm test`; `bantam claims` maps the
 * paper's claims onto them (./claims.ts).
 */
import type { SuiteDef } from './runner.js';

const honest = [
  { name: 'startInitial', weight: 2 },
  { name: 'startInter', weight: 2 },
  { name: 'deliver', weight: 3 },
  { name: 'deliverAll', weight: 3 },
] as const;

export const SUITES: readonly SuiteDef[] = [
  {
    name: 'network',
    summary: 'Dolev–Yao network attacker: eavesdrop, drop, reorder, modify (bit flips, fields from other sessions, attacker and identity points, other ids), replay into any session',
    actions: [...honest, { name: 'drop', weight: 1 }, { name: 'delay', weight: 1 }, { name: 'modify', weight: 4 }, { name: 'replay', weight: 4 }],
    properties: ['agreement', 'secrecy', 'integrity', 'replay'],
    maxCommands: 14,
  },
  {
    name: 'impersonation',
    summary: 'injection from an unregistered device, impersonation of patients (no key, forged key pair) and of hospitals (answering their opening messages)',
    actions: [
      ...honest,
      { name: 'unregistered', weight: 2 },
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
    summary: 'EMR confidentiality and access: a registered malicious insider hospital asks the record holder for records; non-repudiation of every report the patients keep',
    actions: [...honest, { name: 'insiderRequest', weight: 3 }, { name: 'attackerStep', weight: 4 }],
    properties: ['emr-access', 'non-repudiation', 'agreement'],
    maxCommands: 12,
  },
];

export function suiteByName(name: string): SuiteDef | undefined {
  return SUITES.find((s) => s.name === name);
}
