/**
 * The attacker's report, Verifpal-style: one line per query with its verdict, run count, seed
 * and bound, then each attack as a numbered trace of moves (who sent what to whom, what the
 * attacker learned and how). JSON carries the same, with the replayable scenario record.
 */
import { revealText } from './compromise.js';
import { judgedAfter } from './queries.js';
import { RECOMPUTE_CAP } from './deduce.js';
import { FORGE_CAP } from './execute.js';
import { phaseBound, type SearchReport, type Verdict } from './search.js';
import { tableLines } from '../report/table.js';

export function boundText(r: SearchReport): string {
  const b = r.bound;
  return [
    `${b.sessions} session${b.sessions === 1 ? '' : 's'} per configuration (honest ${r.honest.join(', ')}; the attacker, registered as ${r.attacker} with its own keys${b.attackerSessions ? `, also running sessions of its own` : ''})`,
    b.depth !== undefined ? `≤ ${b.depth} deliveries` : 'every receive step once',
    `≤ ${b.perDelivery} candidate messages per delivery`,
    'messages one constructor deep over known values',
    `signatures, MACs and hashes re-made by the spec's own constructions over known values (≤ ${FORGE_CAP} per slot)`,
    `after a compromise event or a guess, the spec's own computations re-evaluated over held values of the same names (≤ ${RECOMPUTE_CAP} combinations per computation)`,
    ...(r.prior.length ? ["a checked field recomputed as its receiver checks it, where every input is known; the environment's public functions and public state used as the spec declares them"] : []),
    ...Object.entries(b.phases ?? {}).map(
      ([ph, x]) =>
        `in phase ${ph}: ${[x.sessions !== undefined ? `${x.sessions} session${x.sessions === 1 ? '' : 's'} per configuration` : '', x.depth !== undefined ? `≤ ${x.depth} deliveries` : '', x.perDelivery !== undefined ? `≤ ${x.perDelivery} candidate messages per delivery` : '', x.maxStates !== undefined ? `its own budget of ${x.maxStates} states` : ''].filter(Boolean).join(', ')}`,
    ),
  ].join(', ');
}

/** Sessions per configuration of the search that decided `v` (its phase's own bound, if it has one). */
const sessionsOf = (r: SearchReport, v: Verdict) => ('phase' in v.query && typeof v.query.phase === 'string' ? phaseBound(r.bound, v.query.phase) : r.bound).sessions;

/** Multi-phase bound lines: which earlier phases ran before each phase searched, and the insider. */
export function priorText(r: SearchReport, attacker: string): string[] {
  return r.prior.map((x) => {
    const ins = x.insider
      ? `; the attacker's identity ${attacker} is registered as an insider in every role a configuration gives it, by running honestly ${Object.entries(x.insider).map(([role, chain]) => `${chain.join(' + ')} as ${role}`).join(', ')}, and may run sessions of those roles`
      : `; the attacker's identity ${attacker} is not registered (no insider)`;
    const refused = x.refused.length ? `; refused to the insider: ${x.refused.join('; ')}` : '';
    return `before phase ${x.phase}: ${x.honest.join('; ')} — run honestly once, their public messages and the environment's public state observed by the attacker${ins}${refused}`;
  });
}

/** The trust assumptions every "holds" rests on, named rather than implied. */
export function assumptions(r: SearchReport): string {
  return `${r.honest.join(', ')} honest (their values never revealed except by a query's compromise events); every value of ${r.attacker} (the attacker's registered identity) is the attacker's; the attacker learns only what the bound lets it derive (guessing only in weak-secrecy queries; in the group: linear combinations with coefficients it holds — no discrete logs, no pairings, docs/properties.md "The group algebra")`;
}

/** What a verdict's query itself adds to (or replaces in) the report's assumptions. */
function verdictAssumes(v: Verdict): string {
  const parts: string[] = [];
  if (v.query.reveals?.length) parts.push(`compromised: ${v.query.reveals.map(revealText).join(', ')}`);
  if (v.assumes) parts.push(`assumes: ${v.assumes}`);
  return parts.length ? `; ${parts.join('; ')}` : '';
}

const statusTag = (v: Verdict) => (v.status === 'holds' ? 'holds' : v.status === 'refuted' ? 'REFUTED' : 'not tested');

/** Per-verdict annotations and a replacement `assumes:` text (./variants-report.ts adds the variants and the trust). */
export interface ReportExtra {
  assumes?: string;
  /** Appended to a verdict's line. */
  note?: (v: Verdict, index: number) => string;
  /** Lines printed before the summary line. */
  after?: string[];
  /** Where the bound came from (the spec's declared bound, flags), printed after the bound line. */
  boundNote?: string;
}

/** One confirmed attack as a numbered trace, Verifpal-style. */
export function attackLines(title: string, detail: string, story: readonly (readonly string[])[]): string[] {
  const out = ['', title, `  violated: ${detail}`];
  let k = 0;
  for (const block of story) {
    const [head, ...rest] = block;
    out.push(`  ${String(++k).padStart(2)}. ${head ?? ''}`);
    for (const l of rest) out.push(`      ${l.trimStart()}`);
  }
  return out;
}

/** Why a run searched no configuration: every query is decided outside the Dolev–Yao search (or none was asked). */
export const NO_SEARCH = 'no query of this spec needs the Dolev–Yao search (each is decided by its own procedure, below: the linking game of unlinkability, the key-holder analysis of non-repudiation), so no configuration was run and no bound is claimed for it';

export function reportText(r: SearchReport, specFile: string, options: { wire: string; aeadAd: string }, extra: ReportExtra = {}): string {
  const out: string[] = [];
  out.push(`bantam claims ${specFile} — generic Dolev–Yao attacker (docs/properties.md "The generic attacker")`);
  out.push(`bound: ${boundText(r)}${extra.boundNote ? ` — ${extra.boundNote}` : ''}`);
  for (const l of priorText(r, r.attacker)) out.push(`prior phases ${l}`);
  out.push(`crypto suite ${r.suite}, seed ${r.seed}; declared options: wire ${options.wire}, aead-ad ${options.aeadAd}`);
  out.push(`assumes: ${extra.assumes ?? assumptions(r)}`);
  const sharded = r.shard.count > 1;
  const part = sharded ? `shard ${r.shard.index}/${r.shard.count} (configurations ${r.shard.index}, ${r.shard.index + r.shard.count}, ${r.shard.index + 2 * r.shard.count}, … of the ${r.configurations.all} in canonical order): ` : '';
  if (r.configurations.total === 0) out.push(`searched nothing: ${NO_SEARCH}`);
  else out.push(`searched ${part}${r.configurations.explored}/${r.configurations.total} configurations, ${r.states} states in ${(r.ms / 1000).toFixed(1)} s${r.exhausted ? (sharded ? " — this shard's part of the bound was covered; merge every shard for verdicts on the bound (bantam claims --merge)" : ' — the bound was covered') : r.states >= r.bound.maxStates ? ` — the state budget (${r.bound.maxStates}) ran out before the bound was covered` : r.verdicts.every((v) => v.status === 'refuted' || v.query.kind === 'unsupported') && r.verdicts.some((v) => v.status === 'refuted') && r.configurations.explored < r.configurations.total ? ' — stopped once every query was refuted' : r.verdicts.some((v) => v.status === 'refuted') && r.verdicts.some((v) => v.status === 'holds') && r.configurations.explored < r.configurations.total ? ' — queries with other compromise events are searched apart, and a search stops once its queries are all refuted; each "holds" below covered its bound' : ''}${r.cappedDeliveries ? `; ${r.cappedDeliveries} deliveries had their candidates cut at the per-delivery cap` : ''}`);
  out.push('');
  let n = 0;
  const attacks: string[] = [];
  const rows: string[][] = [];
  const notes: string[] = [];
  const cited = r.verdicts.some((v) => v.query.cite);
  r.verdicts.forEach((v, vi) => {
    const where = `${v.query.pos.file}:${v.query.pos.line}`;
    let line = '';
    if (v.status === 'holds' && sharded) line += `— holds in this shard's part of the bound only (shard ${r.shard.index}/${r.shard.count}, ${r.states} states, seed ${r.seed})${verdictAssumes(v)} [${where}]`;
    else if (v.status === 'holds' && v.bound) line += `— holds within its bound (${v.bound}; seed ${r.seed})${verdictAssumes(v)} [${where}]`;
    else if (v.status === 'holds') line += `— holds within the bound (${sessionsOf(r, v)} sessions, ${r.states} states, seed ${r.seed})${verdictAssumes(v)} [${where}]`;
    else if (v.status === 'not-tested') line += `— ${v.reason} [${where}]`;
    else if (!v.attack) line += `— ${v.detail} (${v.bound ?? 'computed'}; seed ${r.seed}${v.query.reveals?.length ? `; compromised: ${v.query.reveals.map(revealText).join(', ')}` : ''}) [${where}]`;
    else {
      n++;
      const a = v.attack!;
      line += `— attack ${n} (${a.shard ? `shard ${a.shard.index}/${a.shard.count}, ` : ''}seed ${a.seed ?? r.seed}${a.suite && a.suite !== r.suite ? `, suite ${a.suite}` : ''}, ${sessionsOf(r, v)} sessions, confirmed on replay; found after ${a.foundAfterStates} states, ${(a.foundAfterMs / 1000).toFixed(2)} s) [${where}]`;
      const lines = attackLines(`Attack ${n} — ${v.query.text}${v.query.cite ? ` (${v.query.cite})` : ''} (${where})`, a.detail, a.story);
      if (v.query.reveals?.length) lines.splice(2, 0, `  compromised: ${v.query.reveals.map(revealText).join(', ')}`);
      attacks.push(...lines);
      let k = a.story.length;
      // what the oracle adds once the run is over (./compromise.ts, ./guessing.ts): its steps are in 'violated'
      const after = (v.query.reveals ?? []).filter(judgedAfter);
      if (after.length) attacks.push(`  ${String(++k).padStart(2)}. after the run, the attacker is given ${after.map((x) => `${x.name} of ${x.role}${x.when === 'other' ? ' (of the other sessions)' : ''}`).join(', ')} and derives as stated under 'violated'`);
      if (v.query.kind === 'weak-secrecy') attacks.push(`  ${String(++k).padStart(2)}. offline, the attacker tests each of the ${v.query.dictionary.length} dictionary words as stated under 'violated'`);
    }
    rows.push([statusTag(v), v.query.text, ...(cited ? [v.query.cite ?? ''] : []), line]);
    notes.push(extra.note?.(v, vi) ?? '');
  });
  out.push(...tableLines(rows).map((l, k) => l + notes[k]!));
  out.push(...attacks);
  if (r.unconfirmed.length) {
    out.push('', 'BUG: violations seen in the search that did not confirm on replay (never verdicts):');
    for (const u of r.unconfirmed) out.push(`  ${u}`);
  }
  if (extra.after?.length) out.push(...extra.after);
  const c = (s: Verdict['status']) => r.verdicts.filter((v) => v.status === s).length;
  out.push('', `${c('refuted')} refuted with a confirmed attack, ${c('holds')} hold within ${sharded ? `shard ${r.shard.index}/${r.shard.count} of the bound` : 'the bound'}, ${c('not-tested')} not tested. Bounded search, not a proof.`);
  return out.join('\n');
}

export function reportJson(r: SearchReport, specFile: string, specHash?: string): unknown {
  return {
    spec: specFile,
    ...(specHash ? { specHash } : {}),
    attacker: r.attacker,
    honest: r.honest,
    suite: r.suite,
    seed: r.seed,
    bound: r.bound,
    shard: r.shard,
    assumes: assumptions(r),
    states: r.states,
    configurations: r.configurations,
    exhausted: r.exhausted,
    cappedDeliveries: r.cappedDeliveries,
    ms: Math.round(r.ms),
    unconfirmed: r.unconfirmed,
    ...(r.prior.length ? { prior: r.prior } : {}),
    queries: r.verdicts.map((v) => ({
      query: v.query.text,
      ...(v.query.cite ? { cite: v.query.cite } : {}),
      kind: v.query.kind,
      at: `${v.query.pos.file}:${v.query.pos.line}:${v.query.pos.col}`,
      verdict: v.status,
      ...(v.reason ? { reason: v.reason } : {}),
      ...(v.covered !== undefined ? { covered: v.covered } : {}),
      ...(v.premise !== undefined ? { premise: v.premise } : {}),
      ...(v.query.reveals?.length ? { reveals: v.query.reveals.map((x) => ({ name: x.name, role: x.role, when: x.when, scope: x.scope })) } : {}),
      ...(v.bound ? { bound: v.bound } : {}),
      ...(v.detail ? { detail: v.detail } : {}),
      ...(v.assumes ? { assumes: v.assumes } : {}),
      ...(v.attack ? { attack: { detail: v.attack.detail, foundAfterStates: v.attack.foundAfterStates, foundAfterMs: Math.round(v.attack.foundAfterMs), trace: v.attack.story, scenario: v.attack.scenario, ...(v.attack.shard ? { shard: v.attack.shard, seed: v.attack.seed, suite: v.attack.suite } : {}) } } : {}),
    })),
  };
}
