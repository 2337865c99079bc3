/**
 * Every security claim of Chen et al. 2020 (§2.2, §4.1–4.6, Table 1, Table 4), each mapped to the
 * experiments whose runs decide it. A verdict is COMPUTED: "holds under bounded testing" when every
 * experiment ran its runs without a violation of the claim's properties, "refuted" with the shrunk
 * counterexample of the first experiment that found one. Claims a property test cannot decide
 * (the BAN proof, the blockchain architecture) say so instead of carrying a verdict.
 */
import { honestRuns } from './correctness.js';
import { EXPERIMENTS } from './experiments.js';
import { runSuite, type SuiteResult } from './runner.js';
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
}

export const CLAIMS: readonly Claim[] = [
  {
    id: 'mutual-authentication',
    source: '§2.2.1, §4.1, Table 4',
    statement: 'each party confirms the legal identity of the other (patient–HA, patient–HB, HB–HA): no party accepts a session its peer did not run',
    experiments: ['network', 'impersonation'],
    properties: ['agreement'],
  },
  {
    id: 'illegal-device',
    source: '§4.1 (scenario)',
    statement: 'an illegal (unregistered) patient or hospital device cannot complete a session with a legal device',
    experiments: ['impersonation'],
    properties: ['unregistered', 'agreement'],
  },
  {
    id: 'inter-hospital-authentication',
    source: '§3.7, §4.1, Table 4',
    statement: 'hospital B and hospital A authenticate each other before a record is released',
    experiments: ['network', 'impersonation', 'kci'],
    properties: ['agreement'],
  },
  {
    id: 'data-integrity',
    source: '§2.2.2, §4.2, Table 4',
    statement: 'a modified message is never accepted (CHK values (25)(28)(45)(48)(61)(64) and the AEAD detect it)',
    experiments: ['network', 'reports'],
    properties: ['integrity'],
  },
  {
    id: 'session-key-secrecy',
    source: '§4.2',
    statement: 'only the two legal parties can compute SEK_AP, SEK_BP, SEK_AB',
    experiments: ['network', 'impersonation'],
    properties: ['secrecy'],
  },
  {
    id: 'user-untraceability',
    source: '§2.2.3, §4.3, Table 4',
    statement: "an attacker cannot trace a patient's device across sessions (\"the session key is changed for every communication round\")",
    experiments: ['untraceability'],
    properties: ['untraceability'],
  },
  {
    id: 'replay-resistance',
    source: '§2.2.4, §4.4, Table 4',
    statement: 'a replayed message never makes a receiver accept (again)',
    experiments: ['network', 'compromise'],
    properties: ['replay'],
  },
  {
    id: 'forward-backward-secrecy',
    source: '§2.2.5, §4.5, Table 4',
    statement: 'a compromised session key reveals neither earlier nor later session keys; (usual meaning) past session keys stay secret when long-term keys are revealed',
    experiments: ['forward-secrecy', 'compromise'],
    properties: ['secrecy'],
  },
  {
    id: 'center-compromise',
    source: '§2.2.5 (forward secrecy, applied to the center)',
    statement: "past session keys stay secret when the center's master secret s is revealed (S_X = r_X + h_X·s needs r_X too)",
    experiments: ['forward-secrecy'],
    properties: ['secrecy'],
    note: 'the forward-secrecy suite reveals s among its compromise events',
  },
  {
    id: 'non-repudiation',
    source: '§2.2.6, §4.6, Table 1',
    statement: "every EMR proof (c_HPA, Sig_HPA), (c_HPA2, Sig_HPA2), (c_HPB2, Sig_HPB) verifies under its issuer's key and no other",
    experiments: ['table-1', 'reports'],
    properties: ['non-repudiation'],
  },
  {
    id: 'emr-security',
    source: 'Abstract, §1, §3.7 ("through the programmatic authorization mechanism by smart contracts, the security of EMR is guaranteed")',
    statement: 'only hospitals the patient authorised (by presenting the medical index) obtain the patient\'s EMR',
    experiments: ['records'],
    properties: ['emr-access'],
  },
  {
    id: 'kci-resistance',
    source: 'not claimed by the paper (asked of every AKE)',
    statement: "with X's own long-term key, the attacker still cannot impersonate others to X",
    experiments: ['kci'],
    properties: ['agreement'],
  },
  {
    id: 'ephemeral-leakage',
    source: 'not claimed by the paper (eCK-style)',
    statement: 'a session key stays secret when the ephemerals of both sides leak (long-term keys intact)',
    experiments: ['ephemeral-leakage'],
    properties: ['secrecy'],
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
  /** Per experiment: runs, seed, ok for this claim's properties. */
  readonly evidence: readonly { name: string; runs: number; seeds: readonly number[]; ok: boolean; acceptances: number }[];
  readonly counterexample?: { experiment: string; property: string; detail: string; trace: readonly string[]; replay: string };
}

/** Every experiment, correctness first. */
export function experimentNames(): string[] {
  return [honestRuns.name, ...SUITES.map((s) => s.name), ...EXPERIMENTS.map((e) => e.name)];
}

/** The experiments a claim needs. */
export function claimExperiments(): string[] {
  return [...new Set(CLAIMS.flatMap((c) => c.experiments))];
}

/** Runs one named experiment (command suite or custom experiment). */
export function runExperiment(name: string, opts: { runs: number; seed: number; suite?: string; backend?: string; path?: string; replayPath?: string; onRun?: () => void; noShrink?: boolean }): SuiteResult {
  const s = SUITES.find((x) => x.name === name);
  if (s) return runSuite(s, opts);
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
      // A run that stopped on ANOTHER property did not test this one to the end: say so by
      // counting only the runs completed before that failure (fast-check's numRuns).
      return { claim, verdict: 'holds', evidence: ev };
    }
    const f = bad.r.failure!;
    return { claim, verdict: 'refuted', evidence: ev, counterexample: { experiment: bad.name, property: f.property, detail: f.detail, trace: f.trace, replay: f.replay } };
  });
}
