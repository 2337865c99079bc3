/**
 * The `bantam costs` report: Table 2 and Table 3 of Chen et al. 2020 (§4.7–4.8) beside an
 * instrumented run of the executable model, the real encoded sizes per suite, and the measured
 * CPU time per phase and party. Text, Markdown (docs/costs.md) and JSON renderings of one value.
 */
import { SUITE_NAMES, type OpCounts } from '../crypto/index.js';
import { COST_PHASES, PHASE_LABEL, RATES, ROLES, ROLE_LABEL, type CostPhase, type Role } from './paper.js';
import { eventsOf, measureRun, PARTY_IDS, type RunMeasure } from './measure.js';
import { compareCell, formatCounts, type Table2Cell } from './table2.js';
import { MESSAGE_SCHEMAS, isStepId } from '../net/messages.js';
import type { SizeClass } from './paper.js';
import { compareTable3, FIELD_CLASS, printTime, seconds, type Table3Comparison } from './table3.js';
import { tableLines } from '../report/table.js';

export const ASSURANCE =
  'counts are exact for one honest, seeded run of the executable model (in-order delivery, no adversary); ' +
  'times are CPU time on this machine in this run (median over the runs), reported against T measured in the same process: measurement, not proof.';

export interface RealSizes {
  readonly suite: string;
  readonly phases: readonly {
    readonly phase: CostPhase;
    readonly messages: readonly { step: string; from: string; to: string; bytes: number; fields: { name: string; size: number }[] }[];
    readonly bytes: number;
    /** Bytes per §4.8 size class (field contents), plus `framing` (the one-byte message tags; a field's length prefix counts with the field). */
    readonly byClass: Record<SizeClass | 'framing', number>;
    readonly rounds: number;
    readonly times: readonly { rate: string; time: string }[];
  }[];
}

export interface TimingRow {
  readonly phase: CostPhase;
  readonly party: string;
  readonly role: Role;
  readonly cpuUs: number;
  readonly T: number;
}

export interface CostsReport {
  readonly command: 'costs';
  readonly assurance: string;
  readonly suite: string;
  readonly seed: string;
  readonly runs: number;
  readonly runOk: boolean;
  readonly failures: readonly string[];
  readonly table2: readonly Table2Cell[];
  readonly table2Summary: { match: number; explained: number; unexplained: number };
  readonly table3: readonly Table3Comparison[];
  readonly realSizes: readonly RealSizes[];
  readonly unitTUs: number;
  readonly timing: readonly TimingRow[];
  /** Ledger work per row and party (signing and verifying transactions): outside Table 2. */
  readonly ledger: readonly { phase: CostPhase; party: string; ops: OpCounts }[];
}

const ROLE_OF: Record<string, Role> = { [PARTY_IDS.center]: 'center', [PARTY_IDS.HA]: 'HA', [PARTY_IDS.HB]: 'HB', [PARTY_IDS.patient]: 'patient' };

export function table2From(m: RunMeasure): Table2Cell[] {
  const out: Table2Cell[] = [];
  for (const phase of COST_PHASES) {
    const row = m.rows[phase];
    for (const role of ROLES) {
      const party = PARTY_IDS[role];
      const counts = row.counts[party] ?? { mul: 0, h: 0, cmp: 0, enc: 0, sig: 0 };
      const cell = compareCell(phase, role, party, counts, eventsOf(row, party));
      if (cell.verdict !== 'n/a') out.push(cell);
    }
  }
  return out;
}

export function realSizesFrom(m: RunMeasure): RealSizes {
  return {
    suite: m.suite,
    phases: COST_PHASES.map((phase) => {
      const sends = m.rows[phase].sends;
      const bytes = sends.reduce((a, e) => a + e.size, 0);
      const byClass: Record<SizeClass | 'framing', number> = { ec: 0, aes: 0, hash: 0, sig: 0, other: 0, framing: bytes };
      for (const e of sends) {
        if (!isStepId(e.step)) continue;
        const types = new Map<string, string>(MESSAGE_SCHEMAS[e.step].fields.map((f) => [f.name, f.type]));
        for (const f of e.fields) {
          const t = types.get(f.name);
          if (!t) continue;
          byClass[FIELD_CLASS[t as keyof typeof FIELD_CLASS]] += f.size;
          byClass.framing -= f.size;
        }
      }
      return {
        phase,
        messages: sends.map((e) => ({ step: e.step, from: e.from, to: e.to, bytes: e.size, fields: e.fields })),
        bytes,
        byClass,
        rounds: sends.length,
        times: RATES.map((r) => ({ rate: r.name, time: printTime(seconds(bytes * 8, r.bitsPerSecond), r.bitsPerSecond >= 1e9 ? 'us' : 'ms') })),
      };
    }),
  };
}

export function buildReport(opts: { suite?: string; seed?: string | number; runs?: number; sizesForAllSuites?: boolean } = {}): CostsReport {
  const m = measureRun(opts);
  const table2 = table2From(m);
  const summary = { match: 0, explained: 0, unexplained: 0 };
  for (const c of table2) if (c.verdict !== 'n/a') summary[c.verdict]++;
  const realSizes = (opts.sizesForAllSuites ?? true)
    ? SUITE_NAMES.map((s) => (s === m.suite ? realSizesFrom(m) : realSizesFrom(measureRun({ suite: s, seed: m.seed, runs: 1 }))))
    : [realSizesFrom(m)];
  const timing: TimingRow[] = [];
  const ledger: CostsReport['ledger'][number][] = [];
  for (const phase of COST_PHASES) {
    const row = m.rows[phase];
    for (const [party, ns] of Object.entries(row.cpuNs)) {
      const role = ROLE_OF[party];
      if (role) timing.push({ phase, party, role, cpuUs: ns / 1000, T: ns / m.unitTNs });
    }
    for (const [party, ops] of Object.entries(row.ledger)) ledger.push({ phase, party, ops });
  }
  return {
    command: 'costs',
    assurance: ASSURANCE,
    suite: m.suite,
    seed: m.seed,
    runs: m.runs,
    runOk: m.ok,
    failures: m.failures,
    table2,
    table2Summary: summary,
    table3: COST_PHASES.map(compareTable3),
    realSizes,
    unitTUs: m.unitTNs / 1000,
    timing,
    ledger,
  };
}

// -------------------------------------------------------------------------------------------------
// rendering

const VERDICT: Record<string, string> = { match: 'match', explained: 'differs (explained)', unexplained: 'DIFFERS (unexplained)', 'n/a': 'n/a' };

function cellReasons(c: Table2Cell): string[] {
  return c.units.filter((u) => u.verdict === 'explained' || u.verdict === 'unexplained').map((u) => `${u.unit}: model ${u.model}, paper ${u.paper ?? 'N/A'}${u.reasons.length ? ` — ${u.reasons.join('; ')}` : ''}${u.verdict === 'explained' ? ` ⇒ ${u.adjusted} in the paper's convention` : ''}`);
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(mdEscape).join(' | ')} |`)];
}

export function toMarkdown(r: CostsReport): string {
  const L: string[] = [];
  L.push(`<!-- generated by \`bantam costs --markdown --suite ${r.suite} --seed ${r.seed}\`; do not edit by hand -->`);
  L.push('');
  L.push(`Suite **${r.suite}**, seed ${r.seed}, ${r.runs} run(s). Assurance: ${r.assurance}`);
  L.push('');
  L.push('### Table 2 (§4.7): operations per phase and party');
  L.push('');
  L.push(
    ...table(
      ['Phase', 'Party', 'Paper (Table 2)', 'Model (counted)', 'Verdict', 'Why'],
      r.table2.map((c) => [PHASE_LABEL[c.phase], `${ROLE_LABEL[c.role]} (${c.party})`, formatCounts(c.paper), formatCounts(c.model), VERDICT[c.verdict]!, cellReasons(c).join('<br>') || '']),
    ),
  );
  L.push('');
  L.push(`${r.table2Summary.match} cells match, ${r.table2Summary.explained} differ with a counted reason, ${r.table2Summary.unexplained} differ without one.`);
  if (r.ledger.length) {
    L.push('');
    L.push('Ledger work the model does in the same rows (signing and verifying ledger transactions; Table 2 does not count the blockchain):');
    L.push('');
    L.push(...table(['Phase', 'Party', 'Ops'], r.ledger.map((x) => [PHASE_LABEL[x.phase], x.party, `${formatCounts(x.ops)}${x.ops.digest ? ` + ${x.ops.digest} digest` : ''}`])));
  }
  L.push('');
  L.push('### Table 3 (§4.8): message length under the paper\'s size assumptions');
  L.push('');
  L.push('Sizes of §4.8: EC point 160 bits, AES ciphertext 256, hash (CHK) 160, signature 1024, other (id, scalar) 80. Bits counted from the message schemas the model sends (src/net/messages.ts).');
  L.push('');
  L.push(
    ...table(
      ['Phase', 'Paper bits', 'Schema bits', 'Sum', 'Rounds (paper / model)', 'Verdict', 'Why'],
      r.table3.map((t) => [
        PHASE_LABEL[t.phase], String(t.paper.bits), String(t.model.bits), t.model.sum, `${t.paper.rounds} / ${t.model.rounds}`,
        t.bitsMatch && t.roundsMatch ? 'match' : 'differs', t.reasons.join('; '),
      ]),
    ),
  );
  L.push('');
  L.push('The paper\'s printed transmission times, recomputed from its printed bits (decimal rates: 1 Mbps = 10^6 bit/s):');
  L.push('');
  L.push(
    ...table(
      ['Phase', ...RATES.map((x) => `${x.name} printed → recomputed`), 'Arithmetic'],
      r.table3.map((t) => [
        PHASE_LABEL[t.phase], ...t.paperTimes.map((x) => `${x.printed} → ${x.recomputed}${x.ok ? '' : ' ✗'}`),
        t.paperTimes.every((x) => x.ok) ? 'correct' : t.paperTimes.filter((x) => !x.ok).map((x) => x.note ?? 'wrong').join('; '),
      ]),
    ),
  );
  L.push('');
  L.push('### Real encoded sizes per suite (this implementation\'s wire format)');
  L.push('');
  L.push(
    ...table(
      ['Suite', 'Phase', 'Messages', 'Bytes', 'points / CHK / ciphertexts / signatures / ids+scalars / tags (B, fields with their length prefixes)', 'Bits', ...RATES.map((x) => x.name)],
      r.realSizes.flatMap((s) =>
        s.phases.map((p) => [
          s.suite, PHASE_LABEL[p.phase], String(p.rounds), String(p.bytes),
          [p.byClass.ec, p.byClass.hash, p.byClass.aes, p.byClass.sig, p.byClass.other, p.byClass.framing].join(' / '),
          String(p.bytes * 8), ...p.times.map((x) => x.time),
        ]),
      ),
    ),
  );
  L.push('');
  L.push('Ciphertexts carry the real payloads (symptoms, EMR with certificate), so they are larger than §4.8\'s 256 bits; signatures are 64 bytes, points 32–33.');
  L.push('');
  L.push(`### Measured time per phase and party (${r.suite}; T = ${r.unitTUs.toFixed(0)} µs CPU in this run)`);
  L.push('');
  L.push('Time of each party\'s steps in the model (decoding, equations, ledger contracts, tracing), CPU time, median over runs.');
  L.push('');
  L.push(...table(['Phase', 'Party', 'CPU µs', '× T'], r.timing.map((x) => [PHASE_LABEL[x.phase], `${ROLE_LABEL[x.role]} (${x.party})`, x.cpuUs.toFixed(0), x.T.toFixed(2)])));
  if (!r.runOk) {
    L.push('');
    L.push(`**The run failed:** ${r.failures.join('; ')}`);
  }
  return L.join('\n');
}

export function toText(r: CostsReport): string {
  const L: string[] = [];
  L.push(`bantam costs — Chen et al. 2020 Tables 2 and 3 (§4.7–4.8) against the executable model`);
  L.push(`suite ${r.suite}, seed ${r.seed}, ${r.runs} run(s)`);
  L.push(`assurance: ${r.assurance}`);
  L.push('');
  L.push('Table 2 — operations per phase and party (paper | model | verdict):');
  // one table row per cell, each followed by its counted reasons
  const t2 = tableLines(r.table2.map((c) => [PHASE_LABEL[c.phase], `${ROLE_LABEL[c.role]} (${c.party})`, `paper ${formatCounts(c.paper)}`, `model ${formatCounts(c.model)}`, VERDICT[c.verdict] ?? c.verdict]), { indent: '  ' });
  r.table2.forEach((c, i) => {
    L.push(t2[i]!);
    for (const why of cellReasons(c)) L.push(`      ${why}`);
  });
  L.push(`  ${r.table2Summary.match} match, ${r.table2Summary.explained} differ with a counted reason, ${r.table2Summary.unexplained} differ without one`);
  for (const x of r.ledger) L.push(`  (ledger, outside Table 2) ${PHASE_LABEL[x.phase]} ${x.party}: ${formatCounts(x.ops)}${x.ops.digest ? ` + ${x.ops.digest} digest` : ''}`);
  L.push('');
  L.push("Table 3 — bits under §4.8's sizes (EC 160, AES 256, hash 160, signature 1024, other 80):");
  const t3 = tableLines(
    r.table3.map((t) => [PHASE_LABEL[t.phase], 'paper', `${t.paper.bits} bits`, `/ ${t.paper.rounds} rounds`, 'schemas', `${t.model.bits} bits`, `/ ${t.model.rounds} rounds`, t.bitsMatch && t.roundsMatch ? 'match' : 'DIFFERS']),
    { indent: '  ', align: ['left', 'left', 'right', 'left', 'left', 'right'] },
  );
  r.table3.forEach((t, i) => {
    L.push(t3[i]!);
    L.push(`      ${t.model.sum}`);
    for (const why of t.reasons) L.push(`      why: ${why}`);
    L.push(`      paper's times: ${t.paperTimes.map((x) => `${x.printed} (${x.rate}: ${x.ok ? 'correct' : `recomputed ${x.recomputed}, ${x.note}`})`).join('; ')}`);
  });
  L.push('');
  L.push('Real encoded sizes (bytes; messages):');
  L.push(...tableLines(r.realSizes.map((s) => [s.suite, ...s.phases.map((p) => `${p.phase} ${p.bytes} B/${p.rounds}`)]), { indent: '  ' }));
  L.push('');
  L.push(`Measured CPU time per phase and party (T = ${r.unitTUs.toFixed(0)} µs):`);
  L.push(
    ...tableLines(
      r.timing.map((x) => [PHASE_LABEL[x.phase], `${ROLE_LABEL[x.role]} (${x.party})`, `${x.cpuUs.toFixed(0)} µs`, `${x.T.toFixed(2)} T`]),
      { indent: '  ', align: ['left', 'left', 'right', 'right'] },
    ),
  );
  L.push('');
  L.push(r.runOk ? (r.table2Summary.unexplained === 0 ? 'verdict: every Table 2 cell matches or differs for a counted reason' : 'verdict: some Table 2 cells differ without a counted reason') : `verdict: the run FAILED — ${r.failures.join('; ')}`);
  return L.join('\n');
}
