/**
 * Experiments that are not command sequences: the three proofs of Table 1 (§4.6) checked against
 * every hospital key, a fast-check property over random seeds with the same result shape as a
 * command suite. (The untraceability linking game that was here is retired: the generic attacker's
 * `unlinkability P in initial` / `in inter` queries of spec/emr-flow.ban decide it, docs/claims.md.)
 */
import fc from 'fast-check';
import { decodeMessage } from '../net/codec.js';
import { getSuite } from '../crypto/index.js';
import { runScenario, sessionKeyOf, aadFor } from '../model/index.js';
import { bytesEq, decodeEmr, decodeEmrCert, sigInputEmr, sigInputEmrCert } from '../model/records.js';
import { replayCommand, type SuiteResult } from './runner.js';

export interface ExperimentDef {
  readonly name: string;
  readonly summary: string;
  run(opts: { runs: number; seed: number; suite?: string; backend?: string; path?: string; onRun?: () => void }): SuiteResult;
}

class Refuted extends Error {
  constructor(
    readonly property: string,
    readonly detail: string,
    readonly trace: string[],
  ) {
    super(detail);
  }
}

function result(name: string, properties: string[], opts: { runs: number; seed: number; suite?: string; backend?: string }, details: fc.RunDetails<[number, ...unknown[]]>, t0: number, acceptances: number): SuiteResult {
  const base = {
    name,
    runs: details.numRuns,
    seed: opts.seed,
    cryptoSuite: opts.suite ?? 'ristretto255',
    cryptoBackend: opts.backend ?? 'noble',
    properties: properties as never,
    coverage: { commands: 0, acceptances, attackerSessions: 0, reveals: 0 },
  };
  if (!details.failed) return { ...base, ok: true, ms: performance.now() - t0 };
  const e = details.errorInstance;
  const r = e instanceof Refuted ? e : null;
  return {
    ...base,
    ok: false,
    ms: performance.now() - t0,
    failure: {
      replay: replayCommand(name, base.cryptoSuite, opts.seed, opts.runs, details.counterexamplePath ?? '', undefined, base.cryptoBackend),
      path: details.counterexamplePath ?? '',
      property: r?.property ?? 'error',
      detail: r?.detail ?? (e instanceof Error ? e.message : String(e)),
      trace: r?.trace ?? [],
      actions: [],
      worldSeed: details.counterexample?.[0] ?? 0,
    },
  };
}

/**
 * Table 1 (§4.6): each proof — (c_HPA, Sig_HPA) held by the patient, (c_HPA2, Sig_HPA2) held by
 * hospital B, (c_HPB2, Sig_HPB) held by the patient — is decrypted with the holder's session key
 * and verified under EVERY hospital's public key: it must verify under the issuer's and no other.
 * The holder must also have KEPT the signature with the record in its own state (a proof it does not
 * keep proves nothing later): the patient's reports, hospital B's received record.
 */
export const table1: ExperimentDef = {
  name: 'table-1',
  summary: "the three non-repudiation proofs of Table 1, decrypted by their holder, verified under every hospital's key",
  run(opts) {
    const t0 = performance.now();
    let acceptances = 0;
    const prop = fc.property(fc.nat({ max: 1_000_000 }), (seed) => {
      opts.onRun?.();
      const r = runScenario({ suite: getSuite(opts.suite ?? 'ristretto255', opts.backend ?? 'noble'), seed });
      const sys = r.system;
      acceptances += r.trace.events.filter((e) => e.kind === 'accept').length;
      const trace = [`0. honest scenario (seed ${seed}) on ${sys.suite.name}`];
      const hospitals = [...sys.parties.values()].filter((p) => p.role === 'hospital');
      const rows: { step: string; holder: string; issuer: string; c: string; sig: string; pair: boolean }[] = [
        { step: 'initial.4', holder: 'PAT-1', issuer: 'HPA', c: 'c_HPA', sig: 'Sig_HPA', pair: true },
        { step: 'inter.8', holder: 'HPB', issuer: 'HPA', c: 'c_HPA2', sig: 'Sig_HPA2', pair: false },
        { step: 'inter.10', holder: 'PAT-1', issuer: 'HPB', c: 'c_HPB2', sig: 'Sig_HPB', pair: true },
      ];
      let n = 0;
      for (const row of rows) {
        const env = sys.net.adversary.observed().find((e) => e.step === row.step);
        if (!env) throw new Refuted('non-repudiation', `no ${row.step} message in the honest run`, trace);
        const d = decodeMessage(sys.suite, env.bytes, { expect: row.step as never });
        if (!d.ok) throw new Error('decode');
        const f = d.message.fields as unknown as Record<string, Uint8Array>;
        const key = sessionKeyOf(sys, row.holder, env.session);
        if (!key) throw new Refuted('non-repudiation', `${row.holder} holds no session key for ${row.step}`, trace);
        const plain = sys.suite.decrypt(key, f[row.c]!, aadFor(row.step));
        if (!plain) throw new Refuted('non-repudiation', `${row.holder} cannot decrypt ${row.c}`, trace);
        const pair = row.pair ? decodeEmrCert(plain) : null;
        const emr = row.pair ? (pair?.emr ?? null) : decodeEmr(plain);
        const msg = emr === null ? null : pair ? sigInputEmrCert(pair.emr, pair.cert) : sigInputEmr(emr);
        if (!msg || !emr) throw new Refuted('non-repudiation', `${row.c} does not hold the record Table 1 names`, trace);
        const holder = sys.parties.get(row.holder)!;
        const kept =
          holder.role === 'patient'
            ? holder.store.reports.find((r) => r.emr.diagnosisId === emr.diagnosisId)?.signature
            : holder.store.records.get(emr.diagnosisId)?.received?.signature;
        const keptOk = kept !== undefined && bytesEq(kept, f[row.sig]!);
        trace.push(`${++n}. ${row.holder} keeps ${row.sig} with record ${emr.diagnosisId}: ${keptOk ? 'yes' : 'no'}`);
        if (!keptOk) throw new Refuted('non-repudiation', `${row.holder} does not keep ${row.sig} with record ${emr.diagnosisId}, so it cannot show it later`, trace);
        for (const h of hospitals) {
          const ok = sys.suite.verify(h.store.credentials!.PK, msg, f[row.sig]!);
          trace.push(`${++n}. ${row.holder} verifies ${row.sig} (${row.step}) under PK_${h.id}: ${ok ? 'valid' : 'invalid'}`);
          if (ok !== (h.id === row.issuer)) throw new Refuted('non-repudiation', `${row.sig} ${ok ? 'verifies' : 'fails'} under ${h.id} (issuer ${row.issuer})`, trace);
        }
      }
    });
    const details = fc.check(prop, { numRuns: opts.runs, seed: opts.seed, ...(opts.path ? { path: opts.path } : {}) });
    return result('table-1', ['non-repudiation'], opts, details as never, t0, acceptances);
  },
};

export const EXPERIMENTS: readonly ExperimentDef[] = [table1];
