/**
 * A synthetic protocol family for benchmarks and termination tests: n principals A1..An in a
 * ring and a server S. For each i, S hands Ai and Ai+1 a session key Kerberos-style:
 *
 *   S    -> Ai   : {Ti, Ai <-Ki-> Ai+1, {Ti, Ai <-Ki-> Ai+1}_K(i+1)s}_Kis
 *   Ai   -> Ai+1 : {Ti, Ai <-Ki-> Ai+1}_K(i+1)s from S, {Ti, Ai <-Ki-> Ai+1}_Ki
 *   Ai+1 -> Ai   : {Ti, Ai+1 |= Ai <-Ki-> Ai+1, Ai <-Ki-> Ai+1}_Ki
 *
 * with one schematic jurisdiction assumption for everyone (?W |= S |=> ?W <-?K-> ?U), timestamp
 * freshness for the two parties of each session, and four goals per session. Sizes: 3n messages,
 * 2n+2n+1 assumptions, 4n goals. The dense variant adds every principal's belief in the freshness of
 * every timestamp (about n² more assumptions). `dropReceiverFreshness` leaves out each receiver's
 * `Ai+1 |= #(Ti)`, so half the goals are underivable and the why-not search has work (issue 17).
 */
import { specOf } from './build.js';
import { atom, believes, controls, enc, fresh, sharedKey, tuple, v } from './terms.js';
import type { Spec } from '../spec/ast.js';

export function syntheticSpec(n: number, opts: { dense?: boolean; dropReceiverFreshness?: boolean } = {}): Spec {
  if (!Number.isInteger(n) || n < 2) throw new Error('syntheticSpec: n must be an integer >= 2');
  const S = atom('S');
  const A = (i: number) => atom(`A${(i % n) + 1}`);
  const messages = [];
  const assumptions = [{ label: 'J', formula: believes(v('W'), controls(S, sharedKey(v('W'), v('K'), v('U')))) }];
  const goals = [];
  for (let i = 0; i < n; i++) {
    const a = A(i);
    const b = A(i + 1);
    const Ki = atom(`K${i + 1}`);
    const Ti = atom(`T${i + 1}`);
    const Kas = atom(`K${(i % n) + 1}s`);
    const Kbs = atom(`K${((i + 1) % n) + 1}s`);
    const key = sharedKey(a, Ki, b);
    const ticket = enc(tuple(Ti, key), Kbs, S);
    messages.push({ label: `M${i + 1}a`, from: 'S', to: a.kind === 'atom' ? a.name : '', body: enc(tuple(Ti, key, ticket), Kas) });
    messages.push({ label: `M${i + 1}b`, from: (a as { name: string }).name, to: (b as { name: string }).name, body: tuple(ticket, enc(tuple(Ti, key), Ki)) });
    messages.push({ label: `M${i + 1}c`, from: (b as { name: string }).name, to: (a as { name: string }).name, body: enc(tuple(Ti, believes(b, key), key), Ki) });
    assumptions.push({ label: `F${i + 1}a`, formula: believes(a, fresh(Ti)) });
    // Without it (the why-not benchmark), B's goals are underivable: Kerberos without B |= #(Ts).
    if (!opts.dropReceiverFreshness) assumptions.push({ label: `F${i + 1}b`, formula: believes(b, fresh(Ti)) });
    goals.push({ label: `G${i + 1}a`, formula: believes(a, key) });
    goals.push({ label: `G${i + 1}b`, formula: believes(b, key) });
    goals.push({ label: `G${i + 1}c`, formula: believes(b, believes(a, key)) });
    goals.push({ label: `G${i + 1}d`, formula: believes(a, believes(b, key)) });
  }
  if (opts.dense) {
    // Dense variant: every principal believes every timestamp fresh (n² assumptions), so
    // freshness spreads to every tuple and every session's messages interact.
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j !== i && j !== (i + n - 1) % n) assumptions.push({ label: `D${i + 1}_${j + 1}`, formula: believes(A(i), fresh(atom(`T${j + 1}`))) });
  }
  for (let i = 0; i < n; i++) {
    assumptions.push({ label: `K${i + 1}a`, formula: believes(A(i), sharedKey(A(i), atom(`K${i + 1}s`), S)) });
  }
  return specOf({
    name: `synthetic-${n}${opts.dense ? '-dense' : ''}${opts.dropReceiverFreshness ? '-nofresh' : ''}`,
    principals: [...Array.from({ length: n }, (_, i) => `A${i + 1}`), 'S'],
    messages,
    assumptions,
    goals,
  });
}
