/**
 * What `bantam run SPEC`, `bantam costs SPEC` and `bantam demo SPEC` print for an executable
 * flow: the transcript (one line per message, per check and environment call, per session
 * outcome — the same trace format as the EMR model's), key agreement, operation counts per
 * principal, role and phase, and message sizes. Every output names the spec's declared wire and
 * AEAD options (they are choices of the spec, not of the paper it transcribes).
 */
import { getSuite } from '../crypto/index.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import type { TraceEvent } from '../net/trace.js';
import { traceLines } from '../net/trace-text.js';
import type { FlowOpCounts, FlowPartyCosts } from './costs.js';
import type { FlowRunResult } from './run.js';
import { tableLines } from '../report/table.js';

export const FLOW_RUN_ASSURANCE =
  'one honest execution of the spec\'s flow on real elliptic-curve crypto over the model network ' +
  '(in-order delivery, no adversary): testing, not proof. Replayable from the seed.';

export function optionsLine(p: TypedProtocol['options']): string {
  const how = (o: 'wire' | 'aead-ad') => (p.defaulted?.includes(o) ? ', the default: the spec does not declare it' : '');
  return (
    `wire options: wire ${p.wire} (${p.wire === 'tagged' ? 'a one-byte step tag starts every message' : 'no type tag: a receiver decodes any bytes as the step it waits for'}${how('wire')}), ` +
    `aead-ad ${p.aeadAd} (${p.aeadAd === 'field-step' ? 'AEAD associated data = the step carrying the ciphertext' : 'no associated data'}${how('aead-ad')})`
  );
}

export function fmtOps(c: FlowOpCounts): string {
  const parts: string[] = [];
  const add = (n: number, label: string) => n && parts.push(`${n} ${label}`);
  add(c.mulG, 'MulG');
  add(c.mul, 'Mul');
  add(c.hash, 'H');
  add(c.mac, 'MAC');
  add(c.aeadEnc, 'Enc');
  add(c.aeadDec, 'Dec');
  add(c.sign, 'Sign');
  add(c.verify, 'Verify');
  add(c.cmp, 'Cmp');
  add(c.fresh, 'Rand');
  return parts.join(' + ') || '—';
}

/** The readable transcript of one run. */
export function flowTranscript(r: FlowRunResult, title: string): string {
  const out: string[] = [];
  const roles = r.trace.roles ?? {};
  out.push(`bantam run — ${title} (${r.protocol}), executable flow`);
  out.push(`suite ${r.suite}: ${getSuite(r.suite).description}`);
  out.push(`seed ${r.seed}`);
  out.push(`assurance: ${FLOW_RUN_ASSURANCE}`);
  out.push(optionsLine(r.options));
  out.push(`parties: ${Object.entries(roles).map(([id, role]) => `${id} (${role})`).join(', ')}`);
  out.push('');
  out.push(...traceLines(r.trace.events, { phaseHeading: (phase) => `── ${phase}` }));
  out.push('');
  if (r.agreements.length) {
    out.push('shared keys (every side\'s value compared byte for byte; fingerprint = first 8 bytes of a digest):');
    out.push(...tableLines(r.agreements.map((a) => [a.phase, a.name, ...a.parties.map((p, i) => `${p} ${a.fingerprints[i] ?? '(none)'}`), `→ ${a.agreed ? 'AGREED' : 'DIFFER'}`]), { indent: '  ' }));
  } else out.push('shared keys: none (no value of sort key is computed by two sides of a phase)');
  out.push('');
  out.push('operations per principal and phase (counted in this run):');
  out.push(...tableLines(r.costs.map((c) => [c.phase, `${c.principal} (${c.role})`, fmtOps(c.ops), `${c.bytesSent} B`, `in ${c.messagesSent} msg`]), { indent: '  ', align: ['left', 'left', 'left', 'right'] }));
  out.push('  units: MulG = x·G, Mul = x·Y, H = hash/kdf/H1–H3, Enc/Dec = AEAD, Cmp = equality checks, Rand = fresh values');
  out.push('');
  out.push(r.ok ? 'verdict: every session accepted; every shared key agreed' : `verdict: FAILED — ${r.failures.join('; ') || 'a key did not agree'}`);
  return out.join('\n');
}

export function flowRunJson(r: FlowRunResult) {
  return {
    command: 'run',
    assurance: FLOW_RUN_ASSURANCE,
    spec: r.protocol,
    suite: r.suite,
    seed: r.seed,
    options: r.options,
    ok: r.ok,
    sessions: r.sessions,
    agreements: r.agreements,
    costs: r.costs,
    failures: r.failures,
    trace: r.trace as { suite: string; seed: string; events: TraceEvent[]; roles?: Record<string, string> },
  };
}

/** Message sizes per step as sent in a run: total and per field. */
export function messageSizes(r: FlowRunResult): { step: string; from: string; to: string; size: number; fields: { name: string; size: number }[] }[] {
  const seen = new Set<string>();
  const out: { step: string; from: string; to: string; size: number; fields: { name: string; size: number }[] }[] = [];
  for (const e of r.trace.events) {
    if (e.kind !== 'send' || seen.has(`${e.phase}|${e.step}`)) continue;
    seen.add(`${e.phase}|${e.step}`);
    out.push({ step: e.step, from: e.from, to: e.to, size: e.size, fields: e.fields });
  }
  return out;
}

export interface FlowCostReport {
  command: 'costs';
  spec: string;
  suite: string;
  seed: string;
  options: TypedProtocol['options'];
  runOk: boolean;
  failures: readonly string[];
  costs: readonly FlowPartyCosts[];
  /** Per suite: each step's encoded size (bytes) and field sizes. */
  sizes: { suite: string; ok: boolean; messages: ReturnType<typeof messageSizes>; total: number }[];
}

export function flowCostReport(spec: string, main: FlowRunResult, perSuite: readonly FlowRunResult[]): FlowCostReport {
  return {
    command: 'costs',
    spec,
    suite: main.suite,
    seed: main.seed,
    options: main.options,
    runOk: main.ok && perSuite.every((r) => r.ok),
    failures: [...main.failures, ...perSuite.flatMap((r) => r.failures.map((f) => `${r.suite}: ${f}`))],
    costs: main.costs,
    sizes: perSuite.map((r) => {
      const messages = messageSizes(r);
      return { suite: r.suite, ok: r.ok, messages, total: messages.reduce((n, m) => n + m.size, 0) };
    }),
  };
}

export function flowCostText(c: FlowCostReport): string {
  const out: string[] = [];
  out.push(`bantam costs — ${c.spec}: operation counts and message sizes of one honest run (suite ${c.suite}, seed ${c.seed})`);
  out.push(optionsLine(c.options));
  out.push('');
  out.push('operations per principal (role) and phase:');
  const head = ['phase', 'principal (role)', 'MulG', 'Mul', 'H', 'MAC', 'Enc', 'Dec', 'Sign', 'Verify', 'Cmp', 'Rand', 'bytes', 'msgs'];
  const rows = c.costs.map((x) => [x.phase, `${x.principal} (${x.role})`, x.ops.mulG, x.ops.mul, x.ops.hash, x.ops.mac, x.ops.aeadEnc, x.ops.aeadDec, x.ops.sign, x.ops.verify, x.ops.cmp, x.ops.fresh, x.bytesSent, x.messagesSent].map(String));
  out.push(...table(head, rows));
  out.push('  suite-level Table 2 units (src/crypto/counters.ts) of the same run:');
  out.push(
    ...tableLines(
      c.costs.map((x) => {
        const u = x.suiteOps;
        return [x.phase, `${x.principal} (${x.role})`, `${u.mul} T_Mul + ${u.h} T_H + ${u.cmp} T_Cmp + ${u.enc} T_Enc + ${u.sig} T_Sig + ${u.digest} digest`];
      }),
      { indent: '    ' },
    ),
  );
  out.push('');
  out.push('message sizes in bytes (encoded on the wire), per suite:');
  const steps = c.sizes[0]?.messages.map((m) => `${m.step} ${m.from}→${m.to}`) ?? [];
  out.push(...table(['message', ...c.sizes.map((s) => s.suite)], [
    ...steps.map((s, i) => [s, ...c.sizes.map((z) => String(z.messages[i]?.size ?? '—'))]),
    ['total', ...c.sizes.map((z) => String(z.total))],
  ]));
  const first = c.sizes.find((s) => s.suite === c.suite) ?? c.sizes[0];
  if (first) {
    out.push(`  fields (${first.suite}): ${first.messages.map((m) => `${m.step}: ${m.fields.map((f) => `${f.name}[${f.size}]`).join(' ')}`).join('; ')}`);
  }
  out.push('');
  out.push(c.runOk ? 'result: every run completed honestly' : `result: FAILED — ${c.failures.join('; ')}`);
  return out.join('\n');
}

/** A table with a header row: the first two columns are names (left), the rest counts (right). */
function table(head: string[], rows: string[][]): string[] {
  return tableLines([head, ...rows], { indent: '  ', align: head.map((_, i) => (i < 2 ? 'left' : 'right')) });
}
