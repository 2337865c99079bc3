/**
 * The claims of Chen et al. 2020 that the scripted campaigns still decide: the ones the generic
 * attacker (src/attacker, the `queries` of spec/emr-flow.ban) cannot express, each with `why`
 * (docs/claims.md "What src/adversary still does, and why it stays"). Session-key secrecy, mutual
 * authentication, untraceability, EMR access control, KCI, forward secrecy and ephemeral leakage
 * are the spec's queries, decided by the generic attacker (`bantam claims` runs both, src/claims/emr.ts).
 * A verdict here is COMPUTED: "holds under bounded testing" when every experiment ran its runs
 * without a violation of the claim's properties, "refuted" with the shrunk counterexample of the
 * first experiment that found one. Claims no run can decide (the BAN proof, the blockchain
 * architecture) say so instead of carrying a verdict.
 */
import { honestRuns } from './correctness.js';
import { EXPERIMENTS } from './experiments.js';
import { MUTANTS } from './mutants.js';
import { runSuite, type SuiteDef, type SuiteResult } from './runner.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { SUITES } from './suites.js';

export interface Claim {
  readonly id: string;
  /** Where the paper makes the claim. */
  readonly source: string;
  readonly statement: string;
  /** Experiments (suite or experiment names) whose results decide it; empty: not decidable here. */
  readonly experiments: readonly string[];
  /** Only violations of these properties count against the claim. */
  readonly properties: readonly string[];
  readonly note?: string;
  /** Why the generic attacker does not decide it (so the scripted campaign stays). */
  readonly why?: string;
}

export const CLAIMS: readonly Claim[] = [
  {
    id: 'illegal-device',
    source: '§4.1 (scenario)',
    statement: 'an illegal (unregistered) patient or hospital device, or an attacker with a key pair forged for a registered name, cannot complete a session with a legal device',
    experiments: ['impersonation'],
    properties: ['unregistered', 'agreement'],
    why: "unregistered devices, lures to an unregistered hospital and forged key pairs are moves the generic attacker does not make (its identity is registered as an insider, or not at all with --outsider)",
  },
  {
    id: 'data-integrity',
    source: '§2.2.2, §4.2, Table 4',
    statement: 'a modified message is never accepted (CHK values (25)(28)(45)(48)(61)(64) and the AEAD detect it), over many sessions of two patients in one world',
    experiments: ['impersonation', 'compromise', 'reports'],
    properties: ['integrity'],
    why: 'the generic counterpart is the single-fault sweep of one honest run (bantam sweep spec/emr-flow.ban), not run by claims',
  },
  {
    id: 'replay-resistance',
    source: '§2.2.4, §4.4, Table 4',
    statement: 'a replayed message never makes a receiver accept (again), across more sessions than the generic bound',
    experiments: ['compromise'],
    properties: ['replay'],
    why: "the generic injective agreements decide replays within 2 sessions (3 in inter); the campaign replays any observed message into up to 16 moves' worth of sessions",
  },
  {
    id: 'compromise-mid-run',
    source: '§2.2.5, §4.5, Table 4 (key independence; forward secrecy and KCI in both phases)',
    statement: "long-term keys, the center's s, other sessions' keys and one ephemeral revealed in the middle of a run never give another clean session's key nor let the attacker impersonate a peer to it",
    experiments: ['compromise'],
    properties: ['secrecy', 'agreement'],
    why: 'the generic queries reveal a value before or after the searched sessions, or of one earlier session, and ask KCI between the sessions they search (P ↔ HA in initial; P ↔ HB and HA ↔ HB in inter), not with a key revealed in the middle of a run',
  },
  {
    id: 'non-repudiation',
    source: '§2.2.6, §4.6, Table 1',
    statement: "every EMR proof (c_HPA, Sig_HPA), (c_HPA2, Sig_HPA2), (c_HPB2, Sig_HPB) is kept by its holder and verifies under its issuer's key and no other",
    experiments: ['table-1', 'reports'],
    properties: ['non-repudiation'],
    why: 'a property of stored evidence; the generic non-repudiation query asks who can produce a signature (on EMR the center computes every SK_X, so it would be refuted by the paper\'s own key issuance)',
  },
  {
    id: 'ban-proof',
    source: 'Table 4 "BAN Logic Proof", §4.1',
    statement: 'the BAN-logic proof establishes G1–G24',
    experiments: [],
    properties: [],
    note: 'a belief-logic claim, not a property of runs: decided by `bantam derive` / `bantam check` (docs/errata.md)',
  },
  {
    id: 'blockchain-architecture',
    source: 'Table 4 "Blockchain Architecture"',
    statement: 'the scheme is built on a blockchain',
    experiments: [],
    properties: [],
    note: 'a design fact, not a security property: see src/ledger and `bantam ledger verify`',
  },
];

export interface ClaimVerdict {
  readonly claim: Claim;
  readonly verdict: 'holds' | 'refuted' | 'not-tested';
  /** Why a claim with experiments is not tested: a run stopped on another property or crashed, or no session was accepted. */
  readonly reason?: string;
  /** Per experiment: runs, seed, ok for this claim's properties. */
  readonly evidence: readonly { name: string; runs: number; seeds: readonly number[]; ok: boolean; acceptances: number }[];
  readonly counterexample?: { experiment: string; property: string; detail: string; trace: readonly string[]; replay: string };
}

/**
 * Experiments retired because the generic attacker decides their claims from spec/emr-flow.ban's
 * queries (docs/claims.md "Retired suites"): named so that `--only NAME` and an old attack file say
 * where the claim went instead of only "unknown".
 */
export const RETIRED_EXPERIMENTS: Readonly<Record<string, string>> = {
  network: 'the injective agreements and confidentiality queries; byte tampering: bantam sweep spec/emr-flow.ban',
  kci: 'the six KCI queries (P ↔ HA in initial; P ↔ HB and HA ↔ HB in inter)',
  'ephemeral-leakage': "the query 'confidentiality SEK_AP of P in initial given reveal a of P after, reveal b of HA after'",
  records: "the access-control query 'agreement HA with P on ID_HPB, ID_PAT in inter'",
  'forward-secrecy': 'the forward-secrecy query (other sessions\' keys revealed: the compromise suite)',
  untraceability: "the queries 'unlinkability P in initial' and 'unlinkability P in inter'",
};

/** Why an experiment name is unknown: retired (and what decides its claim now), or never existed. */
export function retiredNote(name: string): string {
  const r = RETIRED_EXPERIMENTS[name];
  return r ? ` ('${name}' is retired: bantam claims decides its claim by ${r})` : '';
}

/** Every experiment, correctness first. */
export function experimentNames(): string[] {
  return [honestRuns.name, ...SUITES.map((s) => s.name), ...EXPERIMENTS.map((e) => e.name)];
}

/** The experiments a claim needs. */
export function claimExperiments(): string[] {
  return [...new Set(CLAIMS.flatMap((c) => c.experiments))];
}

/**
 * `mutant:NAME` runs the hunt of one scripted mutant (./mutants.ts) against that broken suite: a
 * campaign that must refute, so `bantam props --only mutant:NAME --save-attack` and `bantam replay`
 * show what a counterexample of the kept campaigns looks like. Not part of the default campaign.
 */
export const MUTANT_PREFIX = 'mutant:';

export function mutantExperimentNames(): string[] {
  return MUTANTS.map((m) => MUTANT_PREFIX + m.name);
}

/** The command suite an experiment name runs, with the mutant wrapped around the crypto suite if any. */
export function commandSuiteOf(name: string): { def: SuiteDef; wrapSuite?: (cs: CryptoSuite) => CryptoSuite } | undefined {
  const s = SUITES.find((x) => x.name === name);
  if (s) return { def: s };
  const m = name.startsWith(MUTANT_PREFIX) ? MUTANTS.find((x) => x.name === name.slice(MUTANT_PREFIX.length)) : undefined;
  return m ? { def: { ...m.hunt, name }, wrapSuite: m.wrap } : undefined;
}

/** Runs one named experiment (command suite, mutant hunt or custom experiment). */
export function runExperiment(name: string, opts: { runs: number; seed: number; suite?: string; backend?: string; path?: string; replayPath?: string; onRun?: () => void; noShrink?: boolean }): SuiteResult {
  const s = commandSuiteOf(name);
  if (s) return runSuite(s.def, { ...opts, ...(s.wrapSuite ? { wrapSuite: s.wrapSuite } : {}) });
  const e = [honestRuns, ...EXPERIMENTS].find((x) => x.name === name);
  if (e) return e.run(opts);
  throw new RangeError(`unknown experiment ${name}`);
}

/** Verdicts from experiment results (run once each; a claim reads the results it names). */
export function judge(results: ReadonlyMap<string, SuiteResult>): ClaimVerdict[] {
  return CLAIMS.map((claim) => {
    if (!claim.experiments.length) return { claim, verdict: 'not-tested', evidence: [] };
    const evidence = claim.experiments.map((n) => {
      const r = results.get(n);
      if (!r) throw new RangeError(`experiment ${n} was not run`);
      const against = !r.ok && claim.properties.includes(r.failure!.property);
      return { name: n, runs: r.runs, seeds: r.seeds ?? [r.seed], ok: !against, acceptances: r.coverage.acceptances, r };
    });
    const bad = evidence.find((e) => !e.ok);
    const ev = evidence.map(({ r: _r, ...rest }) => rest);
    if (!bad) {
      // never a "holds" from a run that stopped on ANOTHER property (or crashed: property 'error'),
      // nor from runs in which no session was accepted (vacuous)
      const stopped = evidence.find((e) => !e.r.ok);
      if (stopped) return { claim, verdict: 'not-tested', evidence: ev, reason: `${stopped.name} stopped after ${stopped.runs} run(s) at ${stopped.r.failure!.property === 'error' ? 'an error' : `another property (${stopped.r.failure!.property})`}: ${stopped.r.failure!.detail}` };
      const vacuous = evidence.find((e) => e.acceptances === 0);
      if (vacuous) return { claim, verdict: 'not-tested', evidence: ev, reason: `no session was accepted in the ${vacuous.runs} run(s) of ${vacuous.name} (vacuous)` };
      return { claim, verdict: 'holds', evidence: ev };
    }
    const f = bad.r.failure!;
    return { claim, verdict: 'refuted', evidence: ev, counterexample: { experiment: bad.name, property: f.property, detail: f.detail, trace: f.trace, replay: f.replay } };
  });
}
