/**
 * The single-fault sweep (src/attacker/fault-sweep.ts): on shipped specs every fault is rejected at
 * the check that should reject it; canaries (a shipped spec with one `check` removed, in
 * test/fixtures/sweep/) show an accepted fault at exactly that step and field, which the original
 * rejects; a crash inside the interpreter is reported as a crash, never as a rejection.
 */
import { describe, expect, test } from 'vitest';
import { getSuite } from '../src/crypto/index.js';
import { drive, outcomeOf, sweepFaults, sweepSetup, type FaultResult, type SweepReport } from '../src/attacker/fault-sweep.js';
import { sweepText } from '../src/attacker/fault-sweep-report.js';
import type { FaultClass } from '../src/attacker/fault-classes.js';
import { queriesOf } from '../src/attacker/queries.js';
import { loadExecutable } from '../src/interpret/load.js';
import { main } from '../src/cli/main.js';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';

const path = (p: string) => new URL(`../${p}`, import.meta.url).pathname;

function sweep(file: string, opts: { phase?: string; classes?: FaultClass[] } = {}): SweepReport {
  const { spec, protocol } = loadExecutable(path(file));
  return sweepFaults(protocol, { seed: 7, ...opts, queries: spec.queries?.length ? queriesOf(spec, protocol) : [] });
}

const results = (r: SweepReport) => r.phases.flatMap((p) => p.results);
const byId = (r: SweepReport, id: string): FaultResult => {
  const x = results(r).find((y) => y.fault.id === id);
  if (!x) throw new Error(`no fault ${id} in ${results(r).map((y) => y.fault.id).join(', ')}`);
  return x;
};
const accepted = (r: SweepReport) => results(r).filter((x) => x.outcome.kind === 'accepted');

describe('shipped specs: every single fault is rejected', () => {
  for (const file of ['spec/protocols/nspk.ban', 'spec/protocols/nsl.ban']) {
    test(file, () => {
      const r = sweep(file);
      expect(r.phases.every((p) => p.baseline.ok && p.baseline.violated.length === 0)).toBe(true);
      // every public step, every field, the network classes and the dishonest sender's
      expect(results(r).length).toBeGreaterThan(30);
      expect(new Set(results(r).map((x) => x.fault.cls))).toEqual(new Set(['bit-flip', 'other-run', 'other-field', 'degenerate', 'trailing', 'truncated', 'sender-other', 'sender-fresh']));
      expect(results(r).filter((x) => x.outcome.kind !== 'rejected').map((x) => `${x.fault.id}: ${x.outcome.kind}`)).toEqual([]);
      // the rejection is typed: who, where, which check
      const c1 = byId(r, 'ns.1/c1/bit-flip').outcome;
      expect(c1).toMatchObject({ kind: 'rejected', at: { step: 'ns.1', party: 'B', by: 'check', check: '(Na, A) = pdec(skB, c1)' } });
      expect(byId(r, 'ns.1/(message)/trailing').outcome).toMatchObject({ kind: 'rejected', at: { step: 'ns.1', by: 'codec', code: 'trailing-bytes' } });
      // a dishonest A that encrypts another nonce: A's own check of message 2 stops the run
      expect(byId(r, 'ns.2/Nb@c2/sender-fresh').outcome).toMatchObject({ kind: 'rejected', at: { step: 'ns.3', party: 'B' } });
    });
  }

  test('EMR initial phase (after the registrations, run honestly): rejections name the check and its equation', () => {
    const r = sweep('spec/emr-flow.ban', { phase: 'initial', classes: ['bit-flip', 'degenerate', 'sender-other', 'sender-field'] });
    const ph = r.phases[0]!;
    // the phases initial depends on (read off the flow), run honestly: not hospital B's registration
    expect(ph.prior.map((l) => l.split(' ')[0])).toEqual(['setup', 'registration-patient', 'registration-hpa']);
    expect(byId(r, 'initial.2/CHK_PA/bit-flip').outcome).toMatchObject({ kind: 'rejected', at: { step: 'initial.2', party: 'PAT-1', eq: 25, writtenAt: 'initial.3' } });
    expect(byId(r, 'initial.4/Sig_HPA/bit-flip').outcome).toMatchObject({ kind: 'rejected', at: { step: 'initial.4', party: 'PAT-1', eq: 33 } });
    // a degenerate point is refused by the codec, never a crash
    expect(byId(r, 'initial.1/T_PAT/degenerate').outcome).toMatchObject({ kind: 'rejected', at: { by: 'codec', check: 'initial.1.T_PAT' } });
    // the dishonest hospital seals a certificate naming another issuer: the patient's certificate check
    expect(byId(r, 'initial.4/ID_HPA@EMR,Cert_HPA/sender-other').outcome).toMatchObject({ kind: 'rejected', at: { step: 'initial.4', party: 'PAT-1', check: 'index_HPA = certified(Cert_HPA, EMR, ID_HPA, R_HPA, ID_PAT)' } });
    // one field alone of the certificate (the environment module names them): each is caught by the same check
    for (const f of ['issuer', 'R', 'patient', 'diagnosis', 'digest']) {
      expect(byId(r, `initial.4/Cert_HPA.${f}/sender-field`).outcome, f).toMatchObject({ kind: 'rejected', at: { step: 'initial.4', party: 'PAT-1', check: 'index_HPA = certified(Cert_HPA, EMR, ID_HPA, R_HPA, ID_PAT)' } });
    }
    // a consistent (EMR, Cert) pair whose record names another hospital: only the issuer is wrong
    expect(byId(r, 'initial.4/EMR,Cert_HPA.hospital+digest/sender-field').outcome).toMatchObject({ kind: 'rejected', at: { party: 'PAT-1', check: 'index_HPA = certified(Cert_HPA, EMR, ID_HPA, R_HPA, ID_PAT)' } });
    // a dishonest patient's symptoms record naming another patient: hospital A's check
    expect(byId(r, 'initial.3/ID_PAT@message/sender-other').outcome).toMatchObject({ kind: 'rejected', at: { step: 'initial.3', party: 'HPA', check: 'complaint = symptoms_of(message, ID_PAT)' } });
    expect(results(r).filter((x) => x.outcome.kind === 'crash')).toEqual([]);
  });
});

describe('canaries: one check removed, the sweep shows an accepted fault at that step and field', () => {
  test("MAC challenge-response without A's check of tB: tB is malleable and a substituted Nb violates agreement", () => {
    const orig = sweep('spec/protocols/mac-challenge-response.ban');
    const broken = sweep('test/fixtures/sweep/mac-cr-no-check.ban');
    expect(accepted(orig)).toEqual([]);
    expect(byId(orig, 'cr.2/tB/bit-flip').outcome).toMatchObject({ kind: 'rejected', at: { step: 'cr.2', party: 'A', check: 'tB =? mac(Kab, (Na, Nb, A))' } });
    expect(byId(broken, 'cr.2/tB/bit-flip').outcome).toEqual({ kind: 'accepted', violated: [] });
    expect(new Set(accepted(broken).map((x) => `${x.fault.step}/${x.fault.field.split(' ')[0]}`))).toEqual(new Set(['cr.1/Na', 'cr.2/tB', 'cr.2/Nb', 'cr.2/Kab', 'cr.2/Na', 'cr.2/A']));
    const attack = byId(broken, 'cr.2/Nb/other-run').outcome;
    expect(attack.kind === 'accepted' && attack.violated.map((v) => v.query)).toEqual(['agreement A with B on Na, Nb', 'injective-agreement A with B on Na, Nb']);
  });

  test("ISO 9798-3 without B's signature check: sA at iso.3 is accepted", () => {
    const orig = sweep('spec/protocols/iso9798-3.ban');
    const broken = sweep('test/fixtures/sweep/iso9798-3-no-check.ban');
    expect(accepted(orig)).toEqual([]);
    expect(byId(orig, 'iso.3/sA/bit-flip').outcome).toMatchObject({ kind: 'rejected', at: { step: 'iso.3', party: 'B', check: '(Nb, Na, B) =? V_pkA(sA)' } });
    expect(byId(broken, 'iso.3/sA/bit-flip').outcome.kind).toBe('accepted');
    expect(new Set(accepted(broken).map((x) => x.fault.step))).toEqual(new Set(['iso.3']));
  });

  test('EMR without check (25): CHK_PA at initial.2 is accepted', () => {
    const orig = sweep('spec/emr-flow.ban', { phase: 'initial', classes: ['bit-flip'] });
    const broken = sweep('test/fixtures/sweep/emr-flow-no-25.ban', { phase: 'initial', classes: ['bit-flip'] });
    expect(accepted(orig)).toEqual([]);
    expect(byId(orig, 'initial.2/CHK_PA/bit-flip').outcome).toMatchObject({ kind: 'rejected', at: { eq: 25 } });
    expect(accepted(broken).map((x) => x.fault.id)).toEqual(['initial.2/CHK_PA/bit-flip']);
  });
});

test('a crash inside the interpreter is reported as a crash (a bantam bug), never as a rejection', () => {
  const { protocol } = loadExecutable(path('spec/protocols/nspk.ban'));
  const S = sweepSetup(protocol, getSuite('secp256k1'), '7', 'ns');
  expect(drive(S).run.every((s) => s.status === 'accepted')).toBe(true);
  const o = outcomeOf(S, { step: 'ns.1', bytes: () => { throw new TypeError('boom'); } }, []).outcome;
  expect(o).toEqual({ kind: 'crash', error: 'TypeError: boom' });
});

test('bantam sweep: the report prints the bound and a summary, never "holds"; exit 0 on a shipped spec, 1 on an attack', async () => {
  const out: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
  expect(await main(['sweep', path('spec/protocols/nsl.ban'), '--seed', '3'], io)).toBe(0);
  const text = out.join('\n');
  expect(text).toMatch(/seed 3/);
  expect(text).toMatch(/bound: /);
  expect(text).toMatch(/^summary: \d+ faults: \d+ rejected, 0 accepted/m);
  expect(text).not.toMatch(/holds/);
  out.length = 0;
  expect(await main(['sweep', path('test/fixtures/sweep/mac-cr-no-check.ban'), '--classes', 'other-run'], io)).toBe(1);
  expect(out.join('\n')).toMatch(/ATTACK cr\.2\/Nb\/other-run: agreement A with B on Na, Nb violated/);
  out.length = 0;
  expect(await main(['sweep', path('spec/protocols/nsl.ban'), '--phase', 'nope'], io)).toBe(2);
  expect(out.join('\n')).toMatch(/has no phase 'nope'/);
  expect(await main(['sweep', path('spec/protocols/nsl.ban'), '--classes', 'bit-flop'], io)).toBe(2);
  expect(sweepText(sweep('spec/protocols/nsl.ban', { classes: ['truncated'] }), 'nsl')).toMatch(/summary: 3 faults: 3 rejected/);
});

test('bantam sweep --json: the common shape and schemas/sweep.schema.json; one verdict per fault', async () => {
  const out: string[] = [];
  const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };
  expect(await main(['sweep', path('spec/protocols/iso9798-3.ban'), '--json', '--classes', 'bit-flip,sender-fresh'], io)).toBe(0);
  const j = JSON.parse(out.join('')) as { ok: boolean; runs: number; verdicts: { name: string; verdict: string }[]; counts: { faults: number } };
  const ajv = new Ajv({ allErrors: true, strict: false });
  for (const f of ['common', 'sweep']) ajv.addSchema(JSON.parse(readFileSync(path(`schemas/${f}.schema.json`), 'utf8')) as object);
  const check = ajv.getSchema('https://bantam.dev/schemas/sweep.schema.json')!;
  expect(check(j), JSON.stringify(check.errors)).toBe(true);
  expect(j.ok).toBe(true);
  expect(j.verdicts.length).toBe(j.counts.faults);
  expect(j.runs).toBe(j.counts.faults);
  expect(j.verdicts.find((v) => v.name === 'iso:iso.2/sB/bit-flip')?.verdict).toMatch(/^rejected: A at iso\.2: \(Na, Nb, A\) =\? V_pkB\(sB\)/);
});
