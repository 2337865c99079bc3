/**
 * The attacker's report, Verifpal-style: one line per query with its verdict, run count, seed
 * and bound, then each attack as a numbered trace of moves (who sent what to whom, what the
 * attacker learned and how). JSON carries the same, with the replayable scenario record.
 */
import { revealText } from './compromise.js';
import { RECOMPUTE_CAP } from './deduce.js';
import { FORGE_CAP } from './execute.js';
import type { SearchReport, Verdict } from './search.js';

export function boundText(r: SearchReport): string {
  const b = r.bound;
  return [
    `${b.sessions} session${b.sessions === 1 ? '' : 's'} per configuration (honest ${r.honest.join(', ')}; attacker ${r.attacker} with its own registered keys${b.attackerSessions ? `, also running sessions of its own` : ''})`,
    b.depth !== undefined ? `≤ ${b.depth} deliveries` : 'every receive step once',
    `≤ ${b.perDelivery} candidate messages per delivery`,
    'messages one constructor deep over known values',
    `signatures, MACs and hashes re-made by the spec's own constructions over known values (≤ ${FORGE_CAP} per slot)`,
    `after a compromise event or a guess, the spec's own computations re-evaluated over held values of the same names (≤ ${RECOMPUTE_CAP} combinations per computation)`,
  ].join(', ');
}

/** The trust assumptions every "holds" rests on, named rather than implied. */
export function assumptions(r: SearchReport): string {
  return `${r.honest.join(', ')} honest (their values never revealed except by a query's compromise events); every value of ${r.attacker} is the attacker's; the attacker learns only what the bound lets it derive (guessing only in weak-secrecy queries, no group algebra)`;
}

/** What a verdict's query itself adds to (or replaces in) the report's assumptions. */
function verdictAssumes(v: Verdict): string {
  const parts: string[] = [];
  if (v.query.reveals?.length) parts.push(`compromised: ${v.query.reveals.map(revealText).join(', ')}`);
  if (v.assumes) parts.push(`assumes: ${v.assumes}`);
  return parts.length ? `; ${parts.join('; ')}` : '';
}

const statusTag = (v: Verdict) => (v.status === 'holds' ? 'holds   ' : v.status === 'refuted' ? 'REFUTED ' : 'not tested');

export function reportText(r: SearchReport, specFile: string, options: { wire: string; aeadAd: string }): string {
  const out: string[] = [];
  out.push(`bantam claims ${specFile} — generic Dolev–Yao attacker (docs/properties.md "The generic attacker")`);
  out.push(`bound: ${boundText(r)}`);
  out.push(`crypto suite ${r.suite}, seed ${r.seed}; declared options: wire ${options.wire}, aead-ad ${options.aeadAd}`);
  out.push(`assumes: ${assumptions(r)}`);
  out.push(`searched ${r.configurations.explored}/${r.configurations.total} configurations, ${r.states} states in ${(r.ms / 1000).toFixed(1)} s${r.exhausted ? ' — the bound was covered' : r.states >= r.bound.maxStates ? ` — the state budget (${r.bound.maxStates}) ran out before the bound was covered` : r.verdicts.every((v) => v.status !== 'holds') && r.verdicts.some((v) => v.status === 'refuted') && r.configurations.explored < r.configurations.total ? ' — stopped once every query was refuted' : ''}${r.cappedDeliveries ? `; ${r.cappedDeliveries} deliveries had their candidates cut at the per-delivery cap` : ''}`);
  out.push('');
  let n = 0;
  const attacks: string[] = [];
  for (const v of r.verdicts) {
    const where = `${v.query.pos.file}:${v.query.pos.line}`;
    let line = `${statusTag(v)} ${v.query.text.padEnd(44)} `;
    if (v.status === 'holds' && v.bound) line += `— holds within its bound (${v.bound}; seed ${r.seed})${verdictAssumes(v)} [${where}]`;
    else if (v.status === 'holds') line += `— holds within the bound (${r.bound.sessions} sessions, ${r.states} states, seed ${r.seed})${verdictAssumes(v)} [${where}]`;
    else if (v.status === 'not-tested') line += `— ${v.reason} [${where}]`;
    else if (!v.attack) line += `— ${v.detail} (${v.bound ?? 'computed'}; seed ${r.seed}${v.query.reveals?.length ? `; compromised: ${v.query.reveals.map(revealText).join(', ')}` : ''}) [${where}]`;
    else {
      n++;
      const a = v.attack!;
      line += `— attack ${n} (seed ${r.seed}, ${r.bound.sessions} sessions, confirmed on replay; found after ${a.foundAfterStates} states, ${(a.foundAfterMs / 1000).toFixed(2)} s) [${where}]`;
      attacks.push('', `Attack ${n} — ${v.query.text} (${where})`, ...(v.query.reveals?.length ? [`  compromised: ${v.query.reveals.map(revealText).join(', ')}`] : []), `  violated: ${a.detail}`);
      let k = 0;
      for (const block of a.story) {
        const [head, ...rest] = block;
        attacks.push(`  ${String(++k).padStart(2)}. ${head ?? ''}`);
        for (const l of rest) attacks.push(`      ${l.trimStart()}`);
      }
      // what the oracle adds once the run is over (./compromise.ts, ./guessing.ts): its steps are in 'violated'
      const after = (v.query.reveals ?? []).filter((x) => x.when === 'after');
      if (after.length) attacks.push(`  ${String(++k).padStart(2)}. after the run, the attacker is given ${after.map((x) => `${x.name} of ${x.role}`).join(', ')} and derives as stated under 'violated'`);
      if (v.query.kind === 'weak-secrecy') attacks.push(`  ${String(++k).padStart(2)}. offline, the attacker tests each of the ${v.query.dictionary.length} dictionary words as stated under 'violated'`);
    }
    out.push(line);
  }
  out.push(...attacks);
  if (r.unconfirmed.length) {
    out.push('', 'BUG: violations seen in the search that did not confirm on replay (never verdicts):');
    for (const u of r.unconfirmed) out.push(`  ${u}`);
  }
  const c = (s: Verdict['status']) => r.verdicts.filter((v) => v.status === s).length;
  out.push('', `${c('refuted')} refuted with a confirmed attack, ${c('holds')} hold within the bound, ${c('not-tested')} not tested. Bounded search, not a proof.`);
  return out.join('\n');
}

export function reportJson(r: SearchReport, specFile: string): unknown {
  return {
    spec: specFile,
    attacker: r.attacker,
    honest: r.honest,
    suite: r.suite,
    seed: r.seed,
    bound: r.bound,
    assumes: assumptions(r),
    states: r.states,
    configurations: r.configurations,
    exhausted: r.exhausted,
    cappedDeliveries: r.cappedDeliveries,
    ms: Math.round(r.ms),
    unconfirmed: r.unconfirmed,
    queries: r.verdicts.map((v) => ({
      query: v.query.text,
      kind: v.query.kind,
      at: `${v.query.pos.file}:${v.query.pos.line}:${v.query.pos.col}`,
      verdict: v.status,
      ...(v.reason ? { reason: v.reason } : {}),
      ...(v.query.reveals?.length ? { reveals: v.query.reveals.map((x) => ({ name: x.name, role: x.role, when: x.when, scope: x.scope })) } : {}),
      ...(v.bound ? { bound: v.bound } : {}),
      ...(v.detail ? { detail: v.detail } : {}),
      ...(v.assumes ? { assumes: v.assumes } : {}),
      ...(v.attack ? { attack: { detail: v.attack.detail, foundAfterStates: v.attack.foundAfterStates, foundAfterMs: Math.round(v.attack.foundAfterMs), trace: v.attack.story, scenario: v.attack.scenario } } : {}),
    })),
  };
}
