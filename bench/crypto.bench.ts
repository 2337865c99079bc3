/**
 * Cost of each suite operation in units of T (one constant-time variable-base scalar mult on the
 * same suite, measured in the same run). Table 2 of the paper counts T_Mul, T_H, T_Enc, T_Sig;
 * these ratios say how those units compare on each suite. The first row measures T against itself
 * (a ratio near 1 shows the noise of the run).
 */
import { getSuite, seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import { row, type BenchReport, type BenchRow, type Harness } from './harness.js';

export default async function cryptoBench(h: Harness): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const units: Record<string, number> = {};
  for (const name of SUITE_NAMES) {
    const s = getSuite(name);
    const rng = seededRng(`bench-crypto-${name}`);
    const N = 16;
    const ks = Array.from({ length: N }, () => s.randomScalar(rng));
    const pts = Array.from({ length: N }, () => s.decodePoint(s.encodePoint(s.mulG(s.randomScalar(rng))), 'X'));
    const PK = s.precompute(s.mulG(s.randomScalar(rng)));
    const key = rng.bytes(32);
    const msg = rng.bytes(64); // a typical payload: a few ids and a timestamp
    const ct = s.encrypt(key, msg, rng);
    const ids = Array.from({ length: N }, (_, i) => new TextEncoder().encode(`PAT-${i}`));
    const sk = ks[0]!;
    const PKsig = s.mulG(sk);
    const sigs = Array.from({ length: N }, (_, i) => s.sign(sk, ids[i]!, rng));
    const encoded = pts.map((p) => s.encodePoint(p));

    const T = h.unitT(name);
    const at = (i: number) => i & (N - 1);
    const m = (op: string, fn: (i: number) => unknown) => h.relative(op, fn, T);
    const ms = [
      m('T = mul (variable base, constant-time)', (i) => s.mul(pts[at(i)]!, ks[at(i * 7)]!)),
      m('mulEphemeral (single-use secret: constant-time, unblinded)', (i) => s.mulEphemeral(pts[at(i)]!, ks[at(i * 7)]!)),
      m('mulG (fixed base P, constant-time)', (i) => s.mulG(ks[at(i)]!)),
      m('mul on precomputed base (PK, window 8)', (i) => s.mul(PK, ks[at(i)]!)),
      m('precompute (build the window-8 table once)', (i) => s.precompute(pts[at(i)]!)),
      m('mulAddPublic a·X + b·Y (variable-time)', (i) => s.mulAddPublic(pts[at(i)]!, ks[at(i + 1)]!, pts[at(i + 3)]!, ks[at(i + 5)]!)),
      m('decodePoint (strict)', (i) => s.decodePoint(encoded[at(i)]!, 'X')),
      m('H1 (hash_to_field)', (i) => s.H1(ids[at(i)]!, pts[at(i)]!)),
      m('H2', (i) => s.H2(pts[at(i)]!, pts[at(i + 1)]!)),
      m('H3', (i) => s.H3(key, pts[at(i)]!)),
      m('AEAD encrypt 64 B', () => s.encrypt(key, msg, rng)),
      m('AEAD decrypt 64 B', () => s.decrypt(key, ct)),
      m('sign', (i) => s.sign(sk, ids[at(i)]!, rng)),
      m('verify', (i) => s.verify(PKsig, ids[at(i)]!, sigs[at(i)]!)),
    ];
    for (const r of ms) rows.push(row(name, r));
    units[name] = ms[0]!.unitNs;
  }
  return {
    name: 'crypto',
    unit: 'T = one constant-time variable-base scalar multiplication (suite.mul) on the same suite, same run',
    units,
    rows,
  };
}
