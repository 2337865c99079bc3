/**
 * The faults of a phase (./fault-sweep.ts), enumerated on the honest baseline run: every public
 * message × every field × every network class (./fault-classes.ts), and for each step the dishonest
 * sender's faults — each value it reads or binds in a `compute` action that builds the message (not
 * those its own checks of the step use) × `sender-other` / `sender-fresh`, and the fields of the
 * structured values it computes that the environment module names (`sender-field`).
 */
import { showSort } from '../flow-lang/sorts.js';
import type { TAction, TStep } from '../flow-lang/typed.js';
import { valuesEqual, type Value } from '../flow-lang/values.js';
import type { Dishonesty } from '../interpret/world.js';
import { networkAlterations, type FaultClass, type NetworkPool, type SenderClass } from './fault-classes.js';
import { otherRunFields, seenIn, SWEPT_RUN, type Alter, type Drive, type Fault, type SweepSetup } from './fault-replay.js';
import { namesBound, namesRead } from '../flow-lang/typed-names.js';

// ---------------------------------------------------------------------------------------------
// The faults of a phase

export interface PlannedFault {
  fault: Fault;
  alter: Alter;
}

/** The network faults of one public message of the baseline's `sweep:run`. */
function networkFaults(S: SweepSetup, base: Drive, step: TStep, classes: ReadonlySet<FaultClass>): PlannedFault[] {
  const tagged = S.protocol.options.wire === 'tagged';
  const x = base.deliveries.find((d) => d.envelope.step === step.id);
  if (!x) return [];
  // the faults are enumerated on the baseline's message; each replay recomputes its alteration on the live bytes
  const log = base.w.network.adversary.observed();
  const idx = log.findIndex((e) => e.id === x.envelope.id);
  const firstRun = log.findIndex((e) => e.session === SWEPT_RUN);
  const pool: NetworkPool = {
    otherRun: otherRunFields(S, log, step.id),
    seen: [...seenIn(S, log.slice(0, firstRun < 0 ? idx : firstRun)), ...seenIn(S, log.slice(firstRun < 0 ? idx : firstRun, idx))],
    attacker: S.attackerValues,
  };
  return networkAlterations(S.suite, step, tagged, x.envelope.bytes, pool, classes).map((a) => {
    const id = `${step.id}/${a.field}/${a.cls}${a.cls === 'other-field' ? `:${a.note.replace(/^value of /, '')}` : ''}`;
    return {
      fault: { id, phase: S.phase.id, step: step.id, field: a.field, cls: a.cls, note: a.note },
      alter: { step: step.id, bytes: (e, live) => networkAlterations(S.suite, step, tagged, e.bytes, live, new Set([a.cls])).find((b) => b.field === a.field && b.note === a.note)?.bytes },
    };
  });
}

/** A substitute for a dishonest sender's value of a name: another session's or party's value of the same sort, or a fresh one. */
function senderSubstitute(S: SweepSetup, base: Drive, role: string, name: string, honest: Value, cls: SenderClass): { value: Value; note: string } | undefined {
  const suite = S.suite;
  const sort = showSort(honest.sort);
  if (cls === 'sender-fresh') {
    const v = honest.sort.kind === 'base' ? S.attackerValues.get(honest.sort.name) : undefined;
    if (!v || valuesEqual(suite, v, honest)) return undefined;
    return { value: v, note: honest.sort.kind === 'base' && honest.sort.name === 'id' ? `an outsider's identity (${String(v.v)})` : `a fresh ${sort}` };
  }
  const donor = base.other.find((s) => s.role === role)?.values.get(name);
  if (donor && !valuesEqual(suite, donor, honest)) return { value: donor, note: `${name} of the other run` };
  const self = base.run.find((s) => s.role === role);
  const names = [...(self?.values.keys() ?? [])].filter((n) => n !== name && n !== S.protocol.generator).sort();
  for (const n of names) {
    const v = self!.values.get(n)!;
    if (showSort(v.sort) === sort && !valuesEqual(suite, v, honest)) return { value: v, note: `the sender's ${n}` };
  }
  return undefined;
}

/** The dishonest-sender faults of one step: each compute action of the sender × each name it reads or binds × each sender class. */
function senderFaults(S: SweepSetup, base: Drive, step: TStep, classes: ReadonlySet<FaultClass>): PlannedFault[] {
  const out: PlannedFault[] = [];
  const self = base.run.find((s) => s.role === step.from);
  if (!self) return out;
  const cls = (['sender-other', 'sender-fresh'] as const).filter((c) => classes.has(c));
  const variantsOf = classes.has('sender-field') ? base.w.env?.module.fieldVariants : undefined;
  if (!cls.length && !variantsOf) return out;
  const { feeds, checked } = flowOf(step);
  for (const act of step.before) {
    if (act.party !== step.from || act.kind !== 'compute') continue;
    const targets = namesBound(act.target);
    // only what builds the message: a value the sender's own checks of this step use is left honest
    // (a dishonest sender does not fail its own checks; altering it would only stop the message)
    if (!targets.some((t) => feeds.has(t)) || targets.some((t) => checked.has(t))) continue;
    const uses: { use: 'read' | 'bind'; name: string }[] = [
      ...namesRead(act.expr).filter((n) => n !== S.protocol.generator).map((name) => ({ use: 'read' as const, name })),
      // a value bound to a field of the step is what the network classes already alter; a name the
      // sender already holds is compared, not bound (nothing to replace)
      ...namesBound(act.target, true).filter((name) => !step.fields.some((f) => f.name === name)).map((name) => ({ use: 'bind' as const, name })),
    ];
    const honestTargets = new Map(targets.flatMap((t) => (self.values.has(t) ? [[t, self.values.get(t)!] as const] : [])));
    for (const u of uses) {
      const honest = self.values.get(u.name);
      if (!honest) continue;
      // one field alone of a structured value the sender computes (the environment module names them)
      if (u.use === 'bind' && variantsOf) {
        for (const x of variantsOf(base.w.env!.state, honest)) {
          out.push({
            fault: { id: `${step.id}/${u.name}.${x.field}/sender-field`, phase: S.phase.id, step: step.id, field: `${u.name}.${x.field} (computed)`, cls: 'sender-field', note: `the ${x.field} of ${u.name} altered alone` },
            alter: { step: step.id, dishonest: dishonestAt(step, act, 'bind', new Map([[u.name, x.value]]), honestTargets) },
          });
        }
      }
      for (const c of cls) {
        const sub = senderSubstitute(S, base, step.from, u.name, honest, c);
        if (!sub) continue;
        const field = u.use === 'read' ? `${u.name} (read for ${targets.join(', ')})` : `${u.name} (computed)`;
        const id = `${step.id}/${u.use === 'read' ? `${u.name}@${targets.join(',')}` : u.name}/${c}`;
        out.push({
          fault: { id, phase: S.phase.id, step: step.id, field, cls: c, note: sub.note },
          alter: { step: step.id, dishonest: dishonestAt(step, act, u.use, new Map([[u.name, sub.value]]), honestTargets) },
        });
      }
    }
    // the values an action binds together (a record and its certificate), altered consistently
    if (variantsOf && act.target.kind === 'tuple') {
      const names = namesBound(act.target, true);
      const leaves = namesBound(act.target);
      if (names.length === leaves.length && names.length > 1 && names.every((n) => self.values.has(n) && !step.fields.some((f) => f.name === n))) {
        const tuple: Value = { sort: act.target.sort, v: names.map((n) => self.values.get(n)!) };
        for (const x of variantsOf(base.w.env!.state, tuple)) {
          const parts = x.value.v as Value[];
          const label = names.join(',');
          out.push({
            fault: { id: `${step.id}/${label}.${x.field}/sender-field`, phase: S.phase.id, step: step.id, field: `(${names.join(', ')}).${x.field} (computed)`, cls: 'sender-field', note: `(${names.join(', ')}) with the ${x.field} altered together` },
            alter: { step: step.id, dishonest: dishonestAt(step, act, 'bind', new Map(names.map((n, i) => [n, parts[i]!] as const)), honestTargets) },
          });
        }
      }
    }
  }
  return out;
}

/**
 * Within the sender's actions of a step: `feeds`, the names the message's fields are computed from
 * (transitively through the step's compute actions); `checked`, those the sender's own checks of the
 * step are computed from.
 */
function flowOf(step: TStep): { feeds: Set<string>; checked: Set<string> } {
  const from = new Map<string, string[]>();
  for (const a of step.before) if (a.party === step.from && a.kind === 'compute') for (const t of namesBound(a.target)) from.set(t, namesRead(a.expr));
  const close = (start: Iterable<string>) => {
    const out = new Set<string>();
    const todo = [...start];
    while (todo.length) {
      const n = todo.pop()!;
      if (out.has(n)) continue;
      out.add(n);
      todo.push(...(from.get(n) ?? []));
    }
    return out;
  };
  const checkReads = step.before.flatMap((a) => (a.party === step.from && a.kind === 'check' ? [...namesRead(a.left), ...(a.right ? namesRead(a.right) : [])] : []));
  return { feeds: close(step.fields.map((f) => f.name)), checked: close(checkReads) };
}

/**
 * The dishonest sender's substitution: each name of `values` is its value where `act` reads it
 * (`read`) or binds it (`bind`). Its ledger and environment calls of the step still see the honest values of what `act`
 * binds (`honest`, from the baseline run): it keeps its own records straight and seals an altered message.
 */
function dishonestAt(step: TStep, act: TAction, use: 'read' | 'bind', values: ReadonlyMap<string, Value>, honest: ReadonlyMap<string, Value>): Dishonesty {
  return (at) => {
    if (at.session.id !== SWEPT_RUN || at.session.role !== step.from || at.step !== step) return undefined;
    if (at.action === act && at.use === use && values.has(at.name)) return values.get(at.name);
    if (at.action.kind === 'call' && at.use === 'read') return honest.get(at.name);
    return undefined;
  };
}

/** Every planned fault of the phase on the baseline run (network faults, then the sender's), and the steps swept. */
export function plannedFaults(S: SweepSetup, base: Drive, classes: ReadonlySet<FaultClass>): { steps: string[]; faults: PlannedFault[] } {
  const steps = S.phase.steps.filter((s) => s.channel === 'public');
  const faults: PlannedFault[] = [];
  for (const st of steps) faults.push(...networkFaults(S, base, st, classes), ...senderFaults(S, base, st, classes));
  return { steps: steps.map((s) => s.id), faults };
}

/** The sweep of one phase. */
