/**
 * Classic protocols built in code, for sanity tests and benchmarks of the engine.
 *
 * Needham–Schroeder shared-key, idealised as in [BAN89] §6 (DEC SRC 39, "The Needham-Schroeder
 * protocol with shared keys"): message 1 is cleartext and omitted; the nonce Nb-1 of message 5
 * is written Nb (the idealisation keeps only that it is a reply to Nb). The paper's assumption
 * B |= #(A <-Kab-> B) is the one BAN flag as unjustified; without it B's goals fail.
 */
import { specOf } from './build.js';
import { atom, believes, controls, enc, fresh, sharedKey, tuple, v, type Term } from './terms.js';
import type { Spec } from '../spec/ast.js';

const A = atom('A');
const B = atom('B');
const S = atom('S');
const Kas = atom('Kas');
const Kbs = atom('Kbs');
const Kab = atom('Kab');
const Na = atom('Na');
const Nb = atom('Nb');

export function needhamSchroederSK(opts: { withDubiousAssumption?: boolean } = {}): Spec {
  const kab: Term = sharedKey(A, Kab, B);
  const assumptions = [
    { label: 'A1', formula: believes(A, sharedKey(A, Kas, S)) },
    { label: 'A2', formula: believes(B, sharedKey(B, Kbs, S)) },
    { label: 'A3', formula: believes(S, sharedKey(A, Kas, S)) },
    { label: 'A4', formula: believes(S, sharedKey(B, Kbs, S)) },
    { label: 'A5', formula: believes(S, sharedKey(A, Kab, B)) },
    { label: 'A6', formula: believes(A, controls(S, sharedKey(A, v('K'), B))) },
    { label: 'A7', formula: believes(B, controls(S, sharedKey(A, v('K'), B))) },
    { label: 'A8', formula: believes(A, controls(S, fresh(sharedKey(A, v('K'), B)))) },
    { label: 'A9', formula: believes(A, fresh(Na)) },
    { label: 'A10', formula: believes(B, fresh(Nb)) },
    { label: 'A11', formula: believes(S, fresh(kab)) },
  ];
  if (opts.withDubiousAssumption !== false) assumptions.push({ label: 'A12', formula: believes(B, fresh(kab)) });
  return specOf({
    name: 'Needham-Schroeder shared-key (BAN 1989 §6)',
    principals: ['A', 'B', 'S'],
    atoms: { key: ['Kas', 'Kbs', 'Kab'], nonce: ['Na', 'Nb'] },
    messages: [
      { label: 'M2', from: 'S', to: 'A', body: enc(tuple(Na, kab, fresh(kab), enc(kab, Kbs, S)), Kas) },
      { label: 'M3', from: 'A', to: 'B', body: enc(kab, Kbs, S) },
      { label: 'M4', from: 'B', to: 'A', body: enc(tuple(Nb, kab), Kab) },
      { label: 'M5', from: 'A', to: 'B', body: enc(tuple(Nb, kab), Kab) },
    ],
    assumptions,
    goals: [
      { label: 'G1', formula: believes(A, kab) },
      { label: 'G2', formula: believes(B, kab) },
      { label: 'G3', formula: believes(A, believes(B, kab)) },
      { label: 'G4', formula: believes(B, believes(A, kab)) },
    ],
  });
}
