/**
 * Non-repudiation (`non-repudiation X of ROLE`): could anyone other than ROLE have produced X,
 * a value ROLE makes with a signature or a MAC (`X = S_sk(m)`, `X = mac(K, m)`)? Computed, not
 * assumed: the roles that hold or can derive the key come from the typed protocol (its setup's
 * generates / shares / publishes, and every name a role's session computes or receives,
 * ./queries.ts `namesHeld`), and the attacker holds it when it is published or revealed before
 * (a compromise event of the query).
 *  - holds: ROLE alone holds the key. The verdict names the trust assumption (ROLE honest, the key
 *    never revealed, the primitive unforgeable in the symbolic model).
 *  - refuted: another holder is named, with evidence computed on real crypto in an honest run:
 *    the other holder's own copy of the key re-makes X over the same message (a MAC: the same
 *    bytes; a signature: one that verifies under ROLE's public key).
 */
import { forkRng, seededRng } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { PRIMITIVE_BY_NAME } from '../flow-lang/primitives.js';
import type { TExpr, TypedProtocol } from '../flow-lang/typed.js';
import { showValue, valuesEqual, type Value } from '../flow-lang/values.js';
import { evalCtxOf, evalWith } from './deduce.js';
import { declaredBinding, honestRuns } from './passive-runs.js';
import { longTermOf, namesHeld, producerOf, type Query } from './queries.js';

type NrQuery = Extract<Query, { kind: 'non-repudiation' }>;

export interface NrVerdict {
  status: 'holds' | 'refuted' | 'not-tested';
  reason?: string;
  detail?: string;
  assumes?: string;
  bound: string;
}

function freeNames(e: TExpr, out: Set<string>): void {
  if (e.kind === 'name') out.add(e.name);
  else if (e.kind === 'prim' || e.kind === 'env') e.args.forEach((a) => freeNames(a, out));
  else if (e.kind === 'tuple') e.items.forEach((a) => freeNames(a, out));
}

const BOUND = 'static: who holds or derives the key, from the typed protocol and the query\'s reveals; evidence from one honest run of the phase, after the phases it depends on ran honestly (./prior-phases.ts)';

export function judgeNonRepudiation(protocol: TypedProtocol, suite: CryptoSuite, seed: string, q: NrQuery): NrVerdict {
  const ph = protocol.phases.find((x) => x.id === q.phase)!;
  const made = producerOf(protocol, ph, q.role, q.name)!;
  const keyExpr = made.expr.args[0]!;
  const keyNames = new Set<string>();
  freeNames(keyExpr, keyNames);
  const keyText = keyExpr.kind === 'name' ? keyExpr.name : `the key of '${made.action.text}'`;
  // who holds every name the key is made of, in any phase (a trusted centre that computed a party's key at registration holds it too)
  const heldBy = (r: string, n: string) => longTermOf(protocol, r).has(n) || protocol.phases.some((x) => x.roles.includes(r) && namesHeld(protocol, x, r).has(n));
  const holders = protocol.roles.map((r) => r.id).filter((r) => r !== q.role && [...keyNames].every((n) => heldBy(r, n)));
  const published = [...keyNames].filter((n) => protocol.published.has(n));
  const revealed = (q.reveals ?? []).filter((r) => r.when === 'before' && keyNames.has(r.name));
  const kindText = made.expr.prim === 'sign' ? 'signature' : 'MAC';
  if (!holders.length && !published.length && !revealed.length) {
    const origin = [...keyNames].map((n) => `${n} (${longTermOf(protocol, q.role).get(n) ?? 'computed in the session'})`).join(', ');
    return {
      status: 'holds',
      detail: `only ${q.role} holds ${keyText}: no other role generates, shares, receives or computes ${[...keyNames].join(', ')}, and it is neither published nor revealed`,
      assumes: `${q.role} honest and ${origin} never revealed; the ${kindText} unforgeable without ${keyText} (symbolic model); ${q.role}'s public key authentic`,
      bound: BOUND,
    };
  }
  // evidence on real crypto: the other holder's copy re-makes X over the same message
  const binding = declaredBinding(protocol, q.phase);
  let run;
  const statically = holders.length ? `${holders.join(', ')} also hold${holders.length === 1 ? 's' : ''} ${keyText}` : published.length ? `${published.join(', ')} is published` : 'its key is revealed before the session';
  try {
    run = honestRuns(protocol, suite, seed, q.phase, Object.values(binding), [binding]);
  } catch (e) {
    return { status: 'not-tested', reason: `${statically} (read off the protocol), but the honest run for the evidence failed: ${e instanceof Error ? e.message : String(e)}`, bound: BOUND };
  }
  if (run.prior?.failures.length) return { status: 'not-tested', reason: `${statically} (read off the protocol), but a phase ${q.phase} depends on did not complete in the honest run for the evidence: ${run.prior.failures.join('; ')}`, bound: BOUND };
  const signer = run.runs[0]![q.role]!;
  const x = signer.values.get(q.name);
  if (!x) return { status: 'not-tested', reason: `${statically} (read off the protocol), but ${q.role}'s session never computed ${q.name} in an honest run of phase ${q.phase} (status ${signer.status}${signer.abort ? `: ${signer.abort.detail}` : ''})`, bound: BOUND };
  const rng = forkRng(seededRng(seed), 'non-repudiation');
  const message = evalWith(suite, rng, made.expr.args[1]!, signer.values);
  const who = holders[0] ?? 'the attacker';
  const env = new Map<string, Value>();
  for (const n of keyNames) {
    // the other holder's copy: from its session of the phase, its setup, or (multi-phase) its session of an earlier phase that made it (a centre's registration)
    const fromPrior = () => run.prior?.sessions.find((x) => x.role === who && x.principal === binding[who] && x.values.has(n))?.values.get(n);
    const other = holders.length ? run.runs[0]![who]?.values.get(n) ?? run.world.principals.get(binding[who]!)?.setup.get(who)?.get(n) ?? fromPrior() : signer.values.get(n); // published / revealed: the attacker's copy is the signer's value
    if (other) env.set(n, other);
  }
  const key = evalWith(suite, rng, keyExpr, env);
  if (!key || !message) return { status: 'not-tested', reason: `${statically} (read off the protocol), but ${who}'s copy of ${keyText} is not in an honest run of phase ${q.phase}, so there is no evidence on real crypto`, bound: BOUND };
  const remade = PRIMITIVE_BY_NAME.get(made.expr.prim)!.eval(evalCtxOf(suite, rng, made.expr.ad), [key, message], made.expr.sort);
  if (!remade.ok) return { status: 'not-tested', reason: `re-making ${q.name}: ${remade.reason}`, bound: BOUND };
  let evidence: string;
  if (made.expr.prim === 'mac') {
    if (!valuesEqual(suite, remade.value, x)) return { status: 'not-tested', reason: `${who}'s copy of ${keyText} does not re-make ${q.name} in the honest run: a bug in bantam, not a verdict`, bound: BOUND };
    evidence = `in an honest run (seed ${seed}), mac over the same message with ${who}'s own copy of ${keyText} gives ${showValue(suite, remade.value)}, byte for byte ${q.name} of ${q.role}`;
  } else {
    const pk = PRIMITIVE_BY_NAME.get('mulG')!.eval(evalCtxOf(suite, rng, undefined), [signer.values.get([...keyNames][0]!)!], { kind: 'base', name: 'point' });
    const ok = pk.ok && PRIMITIVE_BY_NAME.get('verify')!.eval(evalCtxOf(suite, rng, undefined), [pk.value, message, remade.value], { kind: 'base', name: 'bool' });
    if (!ok || !ok.ok || ok.value.v !== true) return { status: 'not-tested', reason: `${who}'s signature with its copy of ${keyText} does not verify under ${q.role}'s public key: a bug in bantam, not a verdict`, bound: BOUND };
    evidence = `in an honest run (seed ${seed}), ${who}'s signature over the same message with its own copy of ${keyText} verifies under ${q.role}'s public key`;
  }
  const why = holders.length ? `${holders.join(', ')} also hold${holders.length === 1 ? 's' : ''} ${keyText}` : published.length ? `${published.join(', ')} is published` : `${revealed.map((r) => `${r.name} of ${r.role}`).join(', ')} is revealed before the session`;
  return { status: 'refuted', detail: `${q.role} can deny ${q.name}: ${why}, so ${who} could have produced it; ${evidence}`, bound: BOUND };
}
