/**
 * The honest EMR run rebuilt from docs/model.md "What the interpreter must reproduce" alone: the
 * documented random streams and draw order, wire tags and field encodings, AEAD associated data,
 * the canonical encoding of what E encrypts and S signs, and the EMR environment module
 * (src/emr-env) for everything the paper leaves to the application (contracts, records, clinic).
 * It uses the suite's primitives directly and none of src/model's protocol code, so a
 * byte-for-byte match with `runScenario` shows the documented rules are complete — the same rules
 * the flow interpreter must follow on spec/emr-flow.ban.
 */
import { utf8 } from '../../src/crypto/encoding.js';
import { forkRng, getSuite, seededRng } from '../../src/crypto/index.js';
import type { CryptoSuite, Point, Rng } from '../../src/crypto/suite.js';
import * as D from '../../src/emr-env/data.js';
import * as Env from '../../src/emr-env/state.js';
import type { RecordedEnvelope, RecordedKey, RunRecord } from '../../src/emr-env/differential.js';

/** Tags: 1 + index of the step among the flow's distinct step ids in order of first appearance. */
const STEPS = ['registration.1', 'registration.2', 'initial.1', 'initial.2', 'initial.3', 'initial.4', 'inter.1', 'inter.2', 'inter.3', 'inter.5', 'inter.6', 'inter.7', 'inter.8', 'inter.10'];

type Field = { name: string; type: 'id' | 'point' | 'scalar' | 'check' | 'ciphertext' | 'signature'; v: string | Point | bigint | Uint8Array };

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const cat = (...xs: Uint8Array[]) => {
  const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of xs) (out.set(x, o), (o += x.length));
  return out;
};
/** A `bytes` item inside a tuple (docs/flow.md): u16be length ‖ bytes; a lone value is its raw bytes. */
const item = (b: Uint8Array) => cat(u16(b.length), b);
const aad = (step: string) => utf8(`bantam/v1/aad/${step}`);

function must<T>(x: T | null | undefined, what: string): T {
  if (x === null || x === undefined) throw new Error(`straight-line run: ${what}`);
  return x;
}

function need<R>(o: Env.Outcome<R>, what: string): { state: Env.EmrEnvState; result: R } {
  if (!o.ok) throw new Error(`straight-line run: ${what} refused: ${o.detail}`);
  return { state: o.state, result: o.result };
}

export function straightLineRun(suiteName: string, seed: number | string, ids = { P: 'PAT-1', A: 'HPA', B: 'HPB' }): RunRecord {
  const cs: CryptoSuite = getSuite(suiteName);
  const root = seededRng(seed);
  const center = forkRng(root, 'party:CENTER');
  const rng: Record<string, Rng> = { [ids.P]: forkRng(root, `party:${ids.P}`), [ids.A]: forkRng(root, `party:${ids.A}`), [ids.B]: forkRng(root, `party:${ids.B}`) };
  const envelopes: RecordedEnvelope[] = [];
  const keys: RecordedKey[] = [];
  const send = (step: string, from: string, to: string, fields: Field[]) => {
    const parts = fields.map((f) => {
      switch (f.type) {
        case 'id': {
          const b = utf8(f.v as string);
          return cat(Uint8Array.of(b.length), b);
        }
        case 'point':
          return cs.encodePoint(f.v as Point);
        case 'scalar':
          return cs.encodeScalar(f.v as bigint);
        case 'ciphertext':
          return item(f.v as Uint8Array);
        default:
          return f.v as Uint8Array;
      }
    });
    const bytes = cat(Uint8Array.of(STEPS.indexOf(step) + 1), ...parts);
    envelopes.push({ step, from, to, bytes, fields: fields.map((f, i) => ({ name: f.name, type: f.type, bytes: parts[i]! })) });
  };
  const derivePK = (id: string, R: Point) => cs.add(R, cs.mul(PK, cs.H1(utf8(id), R)));
  const agree = (S: bigint, Tpeer: Point, x: bigint, PKpeer: Point) => cs.H2(cs.add(cs.mul(Tpeer, S), cs.mul(PKpeer, x)), cs.mul(Tpeer, x));

  // §3.2 (1)
  const s = cs.randomScalar(center);
  const PK = cs.mulG(s);
  let env = Env.initEmrEnv({
    suite: cs, PK,
    principals: [{ id: ids.P, role: 'patient' }, { id: ids.A, role: 'hospital', slot: 'A' }, { id: ids.B, role: 'hospital', slot: 'B' }],
  });

  // §3.4–3.5: registrations, in order P, A, B
  const creds: Record<string, { R: Point; S: bigint }> = {};
  for (const [id, kind] of [[ids.P, 'ptins'], [ids.A, 'hains'], [ids.B, 'hbins']] as const) {
    send('registration.1', id, 'CENTER', [{ name: 'ID_X', type: 'id', v: id }]);
    need(Env.registrationValid(env, id, kind), 'registrationValid');
    const r = cs.randomScalar(center); // (2)/(6)/(10)
    const R = cs.mulG(r);
    const S = cs.addMod(r, cs.mulMod(cs.H1(utf8(id), R), s)); // (3)–(4)
    env = need(Env.register(env, { caller: 'CENTER', rng: center }, kind, id, R, s), kind).state;
    send('registration.2', 'CENTER', id, [
      { name: 'R_X', type: 'point', v: R }, { name: 'S_X', type: 'scalar', v: S }, { name: 'PK_X', type: 'point', v: cs.mulG(S) }, { name: 'SK_X', type: 'scalar', v: S },
    ]);
    must(cs.equals(cs.mulG(S), derivePK(id, R)) || null, `(5)/(9)/(13) for ${id}`);
    creds[id] = { R, S };
  }
  const { P, A, B } = ids;
  const [cP, cA, cB] = [creds[P]!, creds[A]!, creds[B]!];

  // §3.6 initial treatment
  const a = cs.randomScalar(rng[P]!); // (14)
  const T_PAT = cs.mulG(a);
  send('initial.1', P, A, [{ name: 'ID_PAT', type: 'id', v: P }, { name: 'R_PAT', type: 'point', v: cP.R }, { name: 'T_PAT', type: 'point', v: T_PAT }]);
  const b = cs.randomScalar(rng[A]!); // (15)
  const T_HPA = cs.mulG(b);
  const SEK_AP_A = agree(cA.S, T_PAT, b, derivePK(P, cP.R)); // (16)–(19)
  send('initial.2', A, P, [
    { name: 'ID_HPA', type: 'id', v: A }, { name: 'R_HPA', type: 'point', v: cA.R }, { name: 'T_HPA', type: 'point', v: T_HPA }, { name: 'CHK_PA', type: 'check', v: cs.H3(SEK_AP_A, T_PAT) },
  ]);
  const PK_HPA = derivePK(A, cA.R); // (21)
  const SEK_AP = agree(cP.S, T_HPA, a, PK_HPA); // (22)–(24)
  must(cs.ctEqual(cs.H3(SEK_AP, T_PAT), cs.H3(SEK_AP_A, T_PAT)) || null, '(25)');
  need(Env.hachk(env, A, cA.R), 'hachk');
  const symptoms1 = 'fever 38.5 C for three days, dry cough';
  const c_PAT = cs.encrypt(SEK_AP, D.symptomsMessage(P, symptoms1), rng[P]!, aad('initial.3')); // (26)
  send('initial.3', P, A, [{ name: 'ID_PAT', type: 'id', v: P }, { name: 'c_PAT', type: 'ciphertext', v: c_PAT }, { name: 'CHK_AP', type: 'check', v: cs.H3(SEK_AP, T_HPA) }]);
  need(Env.ptchk(env, P), 'ptchk');
  const message = must(D.symptomsOf(must(cs.decrypt(SEK_AP_A, c_PAT, aad('initial.3')), '(29)'), P), 'symptoms');
  const w1 = need(Env.writeRecord(env, { caller: A }, P, message, cA.R, null), 'writeRecord');
  env = w1.state;
  const pair1 = cat(item(w1.result.emr), item(w1.result.cert));
  const c_HPA = cs.encrypt(SEK_AP_A, pair1, rng[A]!, aad('initial.4')); // (30)
  const Sig_HPA = cs.sign(cA.S, pair1, rng[A]!); // (31)
  env = need(Env.mrins(env, { caller: A, rng: rng[A]! }, w1.result.emr, cA.S), 'mrins').state;
  env = need(Env.ptlink(env, { caller: A, rng: rng[A]! }, P, w1.result.emr, cA.S), 'ptlink').state;
  send('initial.4', A, P, [{ name: 'ID_HPA', type: 'id', v: A }, { name: 'c_HPA', type: 'ciphertext', v: c_HPA }, { name: 'Sig_HPA', type: 'signature', v: Sig_HPA }]);
  must(cs.verify(PK_HPA, pair1, Sig_HPA) || null, '(33)');
  must(D.certProblems(cs, w1.result.emr, w1.result.cert, A, cA.R, P).length === 0 || null, 'Cert_HPA');
  const index = must(D.indexOf(cs, w1.result.emr, A), 'index');
  keys.push({ party: P, session: 'initial', key: SEK_AP }, { party: A, session: 'initial', key: SEK_AP_A });

  // §3.7 inter-hospital
  const c = cs.randomScalar(rng[P]!); // (34)
  const T_PAT2 = cs.mulG(c);
  send('inter.1', P, B, [{ name: 'ID_PAT', type: 'id', v: P }, { name: 'R_PAT', type: 'point', v: cP.R }, { name: 'T_PAT2', type: 'point', v: T_PAT2 }]);
  const d = cs.randomScalar(rng[B]!); // (35)
  const T_HPB = cs.mulG(d);
  const SEK_BP_B = agree(cB.S, T_PAT2, d, derivePK(P, cP.R)); // (36)–(39)
  send('inter.2', B, P, [
    { name: 'ID_HPB', type: 'id', v: B }, { name: 'R_HPB', type: 'point', v: cB.R }, { name: 'T_HPB', type: 'point', v: T_HPB }, { name: 'CHK_PB', type: 'check', v: cs.H3(SEK_BP_B, T_PAT2) },
  ]);
  const PK_HPB = derivePK(B, cB.R); // (41)
  const SEK_BP = agree(cP.S, T_HPB, c, PK_HPB); // (42)–(44)
  need(Env.hbchk(env, B, cB.R), 'hbchk');
  const symptoms2 = 'cough persists after two weeks';
  const c_PAT2 = cs.encrypt(SEK_BP, must(D.visitMessage(P, symptoms2, index), 'visit'), rng[P]!, aad('inter.3')); // (46)
  send('inter.3', P, B, [{ name: 'ID_PAT', type: 'id', v: P }, { name: 'c_PAT2', type: 'ciphertext', v: c_PAT2 }, { name: 'CHK_BP', type: 'check', v: cs.H3(SEK_BP, T_HPB) }]);
  need(Env.ptchk(env, P), 'ptchk');
  const visit = must(D.visitOf(must(cs.decrypt(SEK_BP_B, c_PAT2, aad('inter.3')), '(49)'), P), 'visit record');
  need(Env.ptchkMapped(env, P, visit.index), 'ptchk mapping');
  const e = cs.randomScalar(rng[B]!); // (50)
  const T_HPB2 = cs.mulG(e);
  send('inter.5', B, A, [{ name: 'ID_HPB', type: 'id', v: B }, { name: 'R_HPB', type: 'point', v: cB.R }, { name: 'T_HPB2', type: 'point', v: T_HPB2 }]);
  const f = cs.randomScalar(rng[A]!); // (51)
  const T_HPA2 = cs.mulG(f);
  const SEK_AB_A = agree(cA.S, T_HPB2, f, derivePK(B, cB.R)); // (52)–(55)
  send('inter.6', A, B, [
    { name: 'ID_HPA', type: 'id', v: A }, { name: 'R_HPA', type: 'point', v: cA.R }, { name: 'T_HPA2', type: 'point', v: T_HPA2 }, { name: 'CHK_BA', type: 'check', v: cs.H3(SEK_AB_A, T_HPB2) },
  ]);
  const PK_HPA_B = derivePK(A, cA.R); // (57)
  const SEK_AB = agree(cB.S, T_HPA2, e, PK_HPA_B); // (58)–(60)
  const diagnosisId = must(D.parseIndex(visit.index), 'index').diagnosisId;
  const c_HPB = cs.encrypt(SEK_AB, D.requestMessage(B, P, diagnosisId), rng[B]!, aad('inter.7')); // (62)
  send('inter.7', B, A, [{ name: 'ID_HPB', type: 'id', v: B }, { name: 'c_HPB', type: 'ciphertext', v: c_HPB }, { name: 'CHK_AB', type: 'check', v: cs.H3(SEK_AB, T_HPA2) }]);
  const req = must(D.requestOf(must(cs.decrypt(SEK_AB_A, c_HPB, aad('inter.7')), '(65)'), B), 'request');
  const held = need(Env.lookupRecord(env, { caller: A }, req.patientId, req.diagnosisId), 'record').result;
  const c_HPA2 = cs.encrypt(SEK_AB_A, held, rng[A]!, aad('inter.8')); // (66)
  const Sig_HPA2 = cs.sign(cA.S, held, rng[A]!); // (67)
  send('inter.8', A, B, [{ name: 'ID_HPA', type: 'id', v: A }, { name: 'c_HPA2', type: 'ciphertext', v: c_HPA2 }, { name: 'Sig_HPA2', type: 'signature', v: Sig_HPA2 }]);
  const EMR = must(cs.decrypt(SEK_AB, c_HPA2, aad('inter.8')), '(68)');
  must(cs.verify(PK_HPA_B, EMR, Sig_HPA2) || null, '(69)');
  need(Env.mrchk(env, EMR, P, visit.index, A), 'mrchk');
  env = need(Env.keepReceived(env, { caller: B }, EMR, A, Sig_HPA2), 'keep').state;
  const w2 = need(Env.writeRecord(env, { caller: B }, P, visit.symptoms, cB.R, { emr: EMR, index: visit.index }), 'writeRecord');
  env = w2.state;
  const pair2 = cat(item(w2.result.emr), item(w2.result.cert));
  const c_HPB2 = cs.encrypt(SEK_BP_B, pair2, rng[B]!, aad('inter.10')); // (70)
  const Sig_HPB = cs.sign(cB.S, pair2, rng[B]!); // (71)
  env = need(Env.mrins(env, { caller: B, rng: rng[B]! }, w2.result.emr, cB.S), 'mrins').state;
  env = need(Env.ptlink(env, { caller: B, rng: rng[B]! }, P, w2.result.emr, cB.S), 'ptlink').state;
  send('inter.10', B, P, [{ name: 'ID_HPB', type: 'id', v: B }, { name: 'c_HPB2', type: 'ciphertext', v: c_HPB2 }, { name: 'Sig_HPB', type: 'signature', v: Sig_HPB }]);
  must(cs.verify(PK_HPB, pair2, Sig_HPB) || null, '(73)');
  must(D.continuesIndex(w2.result.emr, index) || null, 'EMR continues the index');
  keys.push({ party: P, session: 'inter', key: SEK_BP }, { party: B, session: 'inter', key: SEK_BP_B }, { party: B, session: 'inter-sub', key: SEK_AB }, { party: A, session: 'inter', key: SEK_AB_A });

  return { suite: cs.name, seed: root.seed, envelopes, keys, ledger: env.ledger };
}
