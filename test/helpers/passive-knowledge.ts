/**
 * The knowledge of a passive attacker after a run of the interpreter (for tests of the group
 * algebra, which do not depend on the search): every identity, every published value, every field
 * of every public envelope (decoded with its step's wire format), plus the values a test reveals.
 */
import type { TStep } from '../../src/flow-lang/typed.js';
import type { Value } from '../../src/flow-lang/values.js';
import { decodeMessage } from '../../src/interpret/wire.js';
import type { Session, World } from '../../src/interpret/world.js';
import type { Known } from '../../src/attacker/group-deduce.js';

function stepOf(w: World, id: string): TStep | undefined {
  for (const ph of w.protocol.phases) for (const s of ph.steps) if (s.id === id) return s;
  return undefined;
}

export function passiveKnowledge(w: World): Known[] {
  const out: Known[] = [];
  const add = (value: Value, label: string) => out.push({ value, label: `${label}#${out.length}` });
  for (const p of w.principals.values()) {
    add({ sort: { kind: 'base', name: 'id' }, v: p.id }, p.id);
    for (const [n, v] of p.published) add(v, `${n}@${p.id}`);
  }
  for (const e of w.network.adversary.observed()) {
    const step = stepOf(w, e.step);
    if (!step) continue;
    const got = decodeMessage(w.suite, step, w.protocol.options.wire === 'tagged', e.bytes);
    if (!got.ok) continue;
    for (const f of step.fields) add(got.fields.get(f.name)!, f.name);
  }
  return out;
}

/** The named values of a session, as revealed knowledge (`a@P/initial#1`). */
export function reveal(s: Session, ...names: string[]): Known[] {
  return names.map((n) => {
    const v = s.values.get(n);
    if (!v) throw new Error(`session ${s.id} of ${s.principal} holds no ${n}`);
    return { value: v, label: `${n}@${s.principal}/${s.id}` };
  });
}
