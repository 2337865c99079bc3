/**
 * The attacker's report, Verifpal-style: one line per query with its verdict, run count, seed
 * and bound, then each attack as a numbered trace of moves (who sent what to whom, what the
 * attacker learned and how). JSON carries the same, with the replayable scenario record.
 */
import { FORGE_CAP } from './execute.js';
import type { SearchReport, Verdict } from './search.js';
import { tableLines } from '../report/table.js';

export function boundText(r: SearchReport): string {
  const b = r.bound;
  return [
    `${b.sessions} session${b.sessions === 1 ? '' : 's'} per configuration (honest ${r.honest.join(', ')}; attacker ${r.attacker} with its own registered keys${b.attackerSessions ? `, also running sessions of its own` : ''})`,
    b.depth !== undefined ? `≤ ${b.depth} deliveries` : 'every receive step once',
    `≤ ${b.perDelivery} candidate messages per delivery`,
    'messages one constructor deep over known values',
    `signatures, MACs and hashes re-made by the spec's own constructions over known values (≤ ${FORGE_CAP} per slot)`,
  ].join(', ');
}

/** The trust assumptions every "holds" rests on, named rather than implied. */
export function assumptions(r: SearchReport): string {
  return `${r.honest.join(', ')} honest (their long-term values never revealed); every value of ${r.attacker} is the attacker's; the attacker learns only what the bound lets it derive (no guessing, no group algebra)`;
}

const statusTag = (v: Verdict) => (v.status === 'holds' ? 'holds' : v.status === 'refuted' ? 'REFUTED' : 'not tested');

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
  const rows: string[][] = [];
  for (const v of r.verdicts) {
    const where = `${v.query.pos.file}:${v.query.pos.line}`;
    let line = '';
    if (v.status === 'holds') line += `— holds within the bound (${r.bound.sessions} sessions, ${r.states} states, seed ${r.seed}) [${where}]`;
    else if (v.status === 'not-tested') line += `— ${v.reason} [${where}]`;
    else {
      n++;
      const a = v.attack!;
      line += `— attack ${n} (seed ${r.seed}, ${r.bound.sessions} sessions, confirmed on replay; found after ${a.foundAfterStates} states, ${(a.foundAfterMs / 1000).toFixed(2)} s) [${where}]`;
      attacks.push('', `Attack ${n} — ${v.query.text} (${where})`, `  violated: ${a.detail}`);
      let k = 0;
      for (const block of a.story) {
        const [head, ...rest] = block;
        attacks.push(`  ${String(++k).padStart(2)}. ${head ?? ''}`);
        for (const l of rest) attacks.push(`      ${l.trimStart()}`);
      }
    }
    rows.push([statusTag(v), v.query.text, line]);
  }
  out.push(...tableLines(rows));
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
      ...(v.attack ? { attack: { detail: v.attack.detail, foundAfterStates: v.attack.foundAfterStates, foundAfterMs: Math.round(v.attack.foundAfterMs), trace: v.attack.story, scenario: v.attack.scenario } } : {}),
    })),
  };
}
