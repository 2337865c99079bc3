/**
 * The generic attacker's search: bounded, exhaustive within its bound, deterministic from the
 * seed. For each phase with queries it enumerates configurations — multisets of exactly
 * `bound.sessions` sessions (a role run by an honest principal — or by the attacker's identity
 * with `attackerSessions` — every other role bound to an honest principal or to the attacker's
 * identity), up to renaming honest principals, keeping those with a session some query
 * constrains — and, for each, every sequence of deliveries the attacker can build
 * (./execute.ts `candidates`), depth first with sleep sets, re-running each prefix from the seed
 * on real crypto. After every state the queries' oracles (./oracles.ts) are evaluated; a
 * violation is shrunk, then re-executed from its record on the plain suite and confirmed before
 * it becomes a verdict (a violation that does not confirm is a bug, reported as such). A search
 * that crashes, runs out of budget or never meets a query's premise leaves it not tested.
 *
 * Order (only affects how soon an attack is found, never what is covered): configurations with a
 * session a query speaks about beside a foothold (a session whose peer is the attacker's identity)
 * come first (./order.ts), ties in a seeded shuffle; within a configuration, deliveries to the
 * sessions a query names come first, and those whose ingredients carry the spec name the receiver
 * expects are tried first.
 */
import { getSuite } from '../crypto/index.js';
import { forkRng, seededRng } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import type { TypedProtocol } from '../flow-lang/typed.js';
import { attackContext, candidates, execute, insiderRoles, type AttackContext, type Move, type RunState, type Scenario, type SessionSpec } from './execute.js';
import { memoSuite } from './memo-suite.js';
import { hasProgram, refersTo } from './prior-phases.js';
import { judgeQuery } from './oracles.js';
import { shrink } from './shrink.js';
import type { Query, Reveal } from './queries.js';
import { withCompromise } from './compromise.js';
import { inShard, type Shard } from './shard.js';
import { orderConfigurations, sessionOrder } from './order.js';

export interface Bound {
  /** Sessions per configuration (exactly; an attacker may leave any of them idle). */
  sessions: number;
  /** Most deliveries per scenario (default: every receive step of the configuration). */
  depth?: number;
  /** Most candidate messages per delivery. */
  perDelivery: number;
  /** Most states explored in total (a budget, not part of the bound: hitting it leaves queries not tested). */
  maxStates: number;
  /**
   * The attacker's identity may also run sessions through the interpreter (playing a role with
   * its own keys, exactly as an honest party would); every value of such a session is its own.
   */
  attackerSessions: boolean;
  /**
   * Multi-phase (./prior-phases.ts): the attacker's identity is registered through the honest
   * prior phases in every role with prerequisites that a configuration gives it, and may run
   * sessions of those roles (an insider). Off: it holds no such credentials.
   */
  insider?: boolean;
  /**
   * Per phase: that phase's own sessions, depth, per-delivery cap and budget, over the above (a
   * spec's `bound ... in PHASE` line, ./queries.ts). A phase with its own max-states counts its own
   * states against it; every other phase counts every state searched so far.
   */
  phases?: Readonly<Record<string, Partial<Pick<Bound, 'sessions' | 'depth' | 'perDelivery' | 'maxStates'>>>>;
}

/** The bound of one phase's search: the bound with that phase's own keys over it. */
export function phaseBound(b: Bound, phase: string): Bound {
  const own = b.phases?.[phase];
  return own ? { ...b, ...own } : b;
}

export const DEFAULT_BOUND: Bound = { sessions: 2, perDelivery: 64, maxStates: 20_000, attackerSessions: false, insider: true };

export interface Attack {
  scenario: Scenario;
  /** The confirmed replay's narration, one block per start/move. */
  story: string[][];
  detail: string;
  /** States explored when it was found, and the wall time (ms) to its confirmation. */
  foundAfterStates: number;
  foundAfterMs: number;
  /** Set by a merge (./merge.ts): the shard that found it, and the seed and suite it replays under. */
  shard?: Shard;
  seed?: string;
  suite?: string;
}

export interface Verdict {
  query: Query;
  status: 'holds' | 'refuted' | 'not-tested';
  reason?: string;
  attack?: Attack;
  /**
   * For merging shards (./merge.ts): `covered` — every configuration of this search's part of the
   * bound was explored for this query (true for a "holds" and for a vacuous "not tested");
   * `premise` — some honest session met the query's premise.
   */
  covered?: boolean;
  premise?: boolean;
  /** Queries decided outside the search (./analyse.ts): their own bound, evidence and trust assumptions. */
  bound?: string;
  detail?: string;
  assumes?: string;
}

export interface SearchReport {
  protocol: string;
  suite: string;
  seed: string;
  attacker: string;
  honest: readonly string[];
  bound: Bound;
  /** The part of the configurations this search covered (./shard.ts); 1/1 is all of them. */
  shard: Shard;
  states: number;
  /** explored/total of this shard's configurations; `all`: every configuration of the bound (every shard). */
  configurations: { explored: number; total: number; all: number };
  /** Deliveries whose candidate list was cut at bound.perDelivery. */
  cappedDeliveries: number;
  exhausted: boolean;
  ms: number;
  verdicts: Verdict[];
  /** Violations seen in the search that did not confirm on replay: bugs, never verdicts. */
  unconfirmed: string[];
  /**
   * Multi-phase searches (./prior-phases.ts), per phase searched that depends on earlier ones: the
   * phases run honestly first (with the default principals), the chain that registers the
   * attacker's identity per role when a configuration gives it that role, and any prior session
   * that did not complete (honest ones void the phase's queries; the insider's are reported).
   */
  prior: { phase: string; phases: string[]; honest: string[]; insider: Record<string, string[]> | null; refused: string[] }[];
}

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((r) => [x, ...r]));
}

function specKey(s: SessionSpec): string {
  return `${s.phase}|${s.role}|${Object.keys(s.binding).sort().map((r) => `${r}=${s.binding[r]}`).join(',')}`;
}

/** Every configuration of `n` sessions of `phase`, canonical up to renaming the honest principals. */
export function configurations(ctx: AttackContext, phase: string, n: number, attackerRuns = false): SessionSpec[][] {
  const ph = ctx.protocol.phases.find((x) => x.id === phase)!;
  const everyone = [...ctx.honest, ctx.attacker];
  // multi-phase (./prior-phases.ts): a role with prerequisites from earlier phases is played by, or
  // bound to, a principal that obtained them there — its declared principal, or the attacker's
  // identity as an insider; a participant with nothing to do in the phase keeps its declared principal
  const plan = ctx.prior(phase);
  const declared = (r: string) => ctx.protocol.roles.find((x) => x.id === r)!.principal;
  // (multi-phase) a role whose program never refers to another role's principal binds it to the declared one
  const bindable = (role: string, r: string) =>
    !hasProgram(ph, r) || (plan.phases.length > 0 && !refersTo(ctx.protocol, ph, role, r)) ? [declared(r)] : plan.chains.has(r) ? [declared(r), ctx.attacker] : everyone;
  const runners = (r: string) => (plan.chains.has(r) ? [declared(r), ...(attackerRuns || ctx.insider ? [ctx.attacker] : [])] : attackerRuns ? [...ctx.honest, ctx.attacker] : ctx.honest);
  const specs: SessionSpec[] = [];
  for (const role of ph.roles.filter((r) => hasProgram(ph, r))) {
    const others = ph.roles.filter((r) => r !== role);
    const assign = (i: number, b: Record<string, string>): void => {
      if (i === others.length) {
        specs.push({ phase, role, binding: { ...b } });
        return;
      }
      for (const p of bindable(role, others[i]!)) assign(i + 1, { ...b, [others[i]!]: p });
    };
    for (const runner of runners(role)) assign(0, { [role]: runner });
  }
  // an earlier run (./earlier-run.ts) is played by the declared principals: it breaks the symmetry, so no renaming
  const perms = ctx.earlier ? [ctx.honest.slice()] : permutations(ctx.honest);
  const rename = (s: SessionSpec, perm: string[]): SessionSpec => ({ ...s, binding: Object.fromEntries(Object.entries(s.binding).map(([r, p]) => [r, ctx.honest.includes(p) ? perm[ctx.honest.indexOf(p)]! : p])) });
  const out: SessionSpec[][] = [];
  const seen = new Set<string>();
  const pick = (start: number, acc: SessionSpec[]): void => {
    if (acc.length === n) {
      const keys = perms.map((perm) => acc.map((s) => specKey(rename(s, perm))).sort().join(' ; '));
      const canon = keys.sort()[0]!;
      if (seen.has(canon)) return;
      seen.add(canon);
      out.push(acc.slice());
      return;
    }
    for (let i = start; i < specs.length; i++) pick(i, [...acc, specs[i]!]);
  };
  pick(0, []);
  return out;
}

/**
 * Sessions a violation can be about: an accepted session with only honest principals
 * (confidentiality, weak secrecy), or an honest R1 session with an honest R2 peer (agreement). A configuration
 * without one cannot violate any query of the phase, nor meet a premise (it is not searched).
 */
function isClaim(ctx: AttackContext, qs: readonly Query[], s: SessionSpec): boolean {
  const honest = (p: string | undefined) => p !== undefined && p !== ctx.attacker;
  return qs.some((q) =>
    q.kind === 'confidentiality' || q.kind === 'weak-secrecy' // weak secrecy: the same premise (an accepted session with only honest peers holding the value)
      ? q.phase === s.phase && (!q.role || q.role === s.role) && Object.values(s.binding).every(honest)
      : q.kind === 'agreement' && q.phase === s.phase && s.role === q.role && honest(s.binding[q.role]) && honest(s.binding[q.peer]),
  );
}

function shuffle<T>(xs: T[], rng: { bytes(n: number): Uint8Array }): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const r = rng.bytes(4);
    const j = (((r[0]! << 24) | (r[1]! << 16) | (r[2]! << 8) | r[3]!) >>> 0) % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export interface SearchOptions {
  suite: string | CryptoSuite;
  seed: string;
  bound?: Partial<Bound>;
  /** Stop at the first confirmed attack (benchmarks). */
  stopAtFirst?: boolean;
  /** Search only shard `index` of `count` of the configurations (./shard.ts; default 1/1, all). */
  shard?: Shard;
  /** Compromise events revealed before the sessions, shared by every query searched (./compromise.ts, ./analyse.ts). */
  reveals?: readonly Reveal[];
  /**
   * Re-run every state from the seed (prior phases and the whole move prefix), as the search did
   * before states were forked (./world-snapshot.ts). Same states, verdicts and traces, slower: for
   * comparison (bench/inter-search.bench.ts, test/attacker-fork.test.ts).
   */
  fromSeed?: boolean;
}

export function searchAttacks(protocol: TypedProtocol, queries: readonly Query[], opts: SearchOptions): SearchReport {
  const t0 = performance.now();
  const plain = typeof opts.suite === 'string' ? getSuite(opts.suite) : opts.suite;
  const bound: Bound = { ...DEFAULT_BOUND, ...opts.bound };
  const base = attackContext(protocol, memoSuite(plain), opts.seed, { insider: bound.insider ?? true });
  const fast: AttackContext = withCompromise(base, opts.reveals ?? []);
  const exact = { ...fast, suite: plain, consumers: new Map(), algebraAnswers: new Map() };
  const verdicts = new Map<Query, Verdict>();
  const premise = new Set<Query>();
  const unconfirmed: string[] = [];
  const bugs = new Set<Query>();
  const crashed = new Map<Query, string>();
  let states = 0;
  let capped = 0;
  let budgetHit = false;
  const cut = new Set<string>(); // phases whose own budget ran out (the other phases go on)
  let stoppedEarly = false;
  let explored = 0;
  let total = 0;
  let all = 0;
  const shard: Shard = opts.shard ?? { index: 1, count: 1 };
  const prior: SearchReport['prior'] = [];
  const live = (qs: readonly Query[]) => qs.filter((q) => !verdicts.has(q) && !crashed.has(q));
  const rng = forkRng(seededRng(opts.seed), 'search-order');
  // the state after the prior phases, before any session, per phase and insider roles: run once, forked per configuration (./world-snapshot.ts)
  const prepared = new Map<string, RunState>();
  const rootOf = (config: SessionSpec[]): RunState => {
    if (opts.fromSeed) return execute(fast, { config, moves: [] });
    const phase = config[0]!.phase;
    const key = `${phase}|${fast.insider ? insiderRoles(fast.prior(phase), config, fast.attacker).join(',') : ''}`;
    let base = prepared.get(key);
    if (!base) prepared.set(key, (base = execute(fast, { config, moves: [] }, false, undefined, 0)));
    return execute(fast, { config, moves: [] }, false, base);
  };

  const searched = (q: Query) => q.kind !== 'unsupported' && q.kind !== 'non-repudiation' && q.kind !== 'unlinkability'; // those two: ./analyse.ts
  const phases = [...new Set(queries.filter(searched).map((q) => (q as { phase: string }).phase))];
  outer: for (const phase of phases) {
    const qs = queries.filter((q) => searched(q) && (q as { phase: string }).phase === phase);
    const pb = phaseBound(bound, phase);
    // a phase with its own max-states counts its own states; every other phase all states so far
    const ownBudget = bound.phases?.[phase]?.maxStates !== undefined;
    const from = ownBudget ? states : 0;
    const spent = () => states - from >= pb.maxStates;
    // only configurations with a session a query can be violated about; sharding then filters the
    // canonical order (before the seeded shuffle), so the shards partition it
    const every = configurations(fast, phase, pb.sessions, bound.attackerSessions).filter((c) => c.some((s) => isClaim(fast, qs, s)));
    const mine = every.filter((_, i) => inShard(shard, all + i));
    all += every.length;
    total += mine.length;
    // victims beside a foothold first, ties in the seeded order (./order.ts)
    const ordered = orderConfigurations(shuffle(mine, rng), { attacker: fast.attacker, queries: qs });
    for (const config of ordered) {
      if (!live(qs).length) break;
      explored++;
      const sessions = sessionOrder(config, { attacker: fast.attacker, queries: qs }); // victims first (./order.ts)
      const depth = pb.depth ?? config.reduce((n, s) => n + protocol.phases.find((p) => p.id === s.phase)!.steps.filter((x) => x.to === s.role).length, 0);
      const visit = (moves: Move[], st: RunState, sleep: ReadonlySet<string>): boolean => {
        states++;
        for (const q of live(qs)) {
          const r = judgeQuery(fast, q, st);
          if (r.premise) premise.add(q);
          if (!r.violated) continue;
          const sc: Scenario = shrink(fast, q, { config, moves });
          const replay = execute(exact, sc, true);
          const again = judgeQuery(exact, q, replay);
          if (!again.violated) {
            unconfirmed.push(`${q.text}: violated in the search but not on replay (${r.detail})`);
            bugs.add(q);
            continue;
          }
          verdicts.set(q, { query: q, status: 'refuted', attack: { scenario: sc, story: replay.story, detail: again.detail!, foundAfterStates: states, foundAfterMs: performance.now() - t0 } });
          if (opts.stopAtFirst) {
            stoppedEarly = true;
            return false;
          }
        }
        if (!live(qs).length) {
          stoppedEarly = true;
          return false;
        }
        if (spent()) {
          budgetHit = true;
          return false;
        }
        if (moves.length >= depth) return true;
        // sleep sets (Godefroid): deliveries to different sessions commute, so a sibling already
        // explored is not re-tried after an independent move; every reachable state is still visited
        const done: string[] = [];
        const moveKey = (m: Move) => `${m.session}|${JSON.stringify(m.fields)}`;
        for (const i of sessions) {
          const c = candidates(fast, st, i, pb.perDelivery);
          if (c.capped) capped++;
          for (const m of c.moves) {
            const k = moveKey(m);
            if (sleep.has(k)) continue;
            const next = [...moves, m];
            // a child continues from a copy of its parent's state (./world-snapshot.ts), not from the seed
            const st2 = execute(fast, { config, moves: next }, false, opts.fromSeed ? undefined : st);
            const out = st2.outcomes[st2.outcomes.length - 1]!;
            if (out.kind === 'aborted' || out.kind === 'rejected' || out.kind === 'invalid') {
              states++; // tried, and the receiver refused it: a dead end (the session can do nothing more)
              done.push(k);
              if (spent()) {
                budgetHit = true;
                return false;
              }
              continue;
            }
            const childSleep = new Set([...sleep, ...done].filter((x) => !x.startsWith(`${i}|`)));
            if (!visit(next, st2, childSleep)) return false;
            done.push(k);
          }
        }
        return true;
      };
      let cont: boolean;
      try {
        const root = rootOf(config);
        if (root.prior) {
          let rec = prior.find((x) => x.phase === phase);
          if (!rec) {
            const plan = fast.prior(phase);
            prior.push((rec = { phase, phases: plan.phases, honest: root.prior.lines.slice(0, plan.phases.length), insider: fast.insider ? Object.fromEntries(plan.chains) : null, refused: [] }));
          }
          for (const f of root.prior.refused) if (!rec.refused.includes(f)) rec.refused.push(f);
          if (root.prior.failures.length) {
            // the honest prior phases did not complete: nothing about this phase can be decided
            const why = `the prior phases did not complete honestly: ${root.prior.failures.join('; ')}`;
            for (const q of live(qs)) crashed.set(q, why);
            continue outer;
          }
        }
        cont = visit([], root, new Set());
      } catch (e) {
        // a crashed search decides nothing: every open query of the phase is not tested, with the reason
        const why = `the search crashed in configuration ${config.map((x) => `${x.binding[x.role]} as ${x.role}`).join(' + ')}: ${e instanceof Error ? e.message : String(e)}`;
        for (const q of live(qs)) crashed.set(q, why);
        continue outer;
      }
      if (!cont && budgetHit && ownBudget) {
        // this phase's own budget ran out: its open queries are not tested; the next phase goes on
        cut.add(phase);
        budgetHit = false;
        break;
      }
      if (!cont && (budgetHit || opts.stopAtFirst)) break outer;
    }
  }
  // covered: every configuration of the bound explored to the end (not stopped early by the budget or by refuting everything)
  const exhausted = !budgetHit && cut.size === 0 && explored === total && !stoppedEarly && crashed.size === 0;
  const out: Verdict[] = queries.map((q) => {
    const v = verdicts.get(q);
    if (v) return v;
    if (q.kind === 'unsupported') return { query: q, status: 'not-tested', reason: q.reason };
    if (!searched(q)) return { query: q, status: 'not-tested', reason: `${q.kind} is decided outside the search (analyseQueries, as bantam claims does)` };
    if (crashed.has(q)) return { query: q, status: 'not-tested', reason: crashed.get(q)! };
    if (bugs.has(q)) return { query: q, status: 'not-tested', reason: 'a violation found by the search did not confirm on replay: a bug in bantam, not a verdict' };
    const qPhase = (q as { phase: string }).phase;
    if (cut.has(qPhase)) return { query: q, status: 'not-tested', reason: `the search budget of phase ${qPhase} (${phaseBound(bound, qPhase).maxStates} states) ran out before its bound was covered` };
    if (budgetHit) return { query: q, status: 'not-tested', reason: `the search budget of ${bound.maxStates} states ran out before the bound was covered` };
    if (opts.stopAtFirst && verdicts.size) return { query: q, status: 'not-tested', reason: 'the search stopped at the first attack' };
    if (!premise.has(q)) return { query: q, status: 'not-tested', reason: q.kind === 'confidentiality' || q.kind === 'weak-secrecy' ? `no session with only honest peers ever accepted holding ${q.name}${q.reveals?.some((r) => r.when === 'other') ? ` while another session's ${q.reveals.filter((r) => r.when === 'other').map((r) => `${r.name} of ${r.role}`).join(', ')} could be revealed` : ''} within the bound (vacuous)` : `no honest session of ${q.role} ever accepted with an honest ${(q as { peer?: string }).peer} within the bound (vacuous)`, covered: true, premise: false };
    return { query: q, status: 'holds', covered: true, premise: true };
  });
  return {
    protocol: protocol.file,
    suite: plain.name,
    seed: opts.seed,
    attacker: fast.attacker,
    honest: fast.honest,
    bound,
    shard,
    states,
    configurations: { explored, total, all },
    cappedDeliveries: capped,
    exhausted,
    ms: performance.now() - t0,
    verdicts: out,
    unconfirmed,
    prior,
  };
}
