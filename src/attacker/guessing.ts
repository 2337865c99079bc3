/**
 * Weak secrecy (`weak-secrecy NAME [of ROLE] dictionary "w1", ...`): can the attacker confirm a
 * guess of a low-entropy value offline (Lowe 2002; ProVerif's `weaksecret`, Verifpal's guessing)?
 *
 * The test is the attacker's, run on real values through the primitive table's `eval`: with a
 * candidate g put in its knowledge under the value's name, it re-derives what depends on g — the
 * spec's own computations over held values with the same names (./deduce.ts `recomputeAll`) and
 * openings with g as the key — and the guess is confirmed when a result is a value it already
 * held independently of g (an observed `r = H(pw, Nb)`), or when an authenticated decryption under
 * g succeeds. The query is refuted when this test accepts the session's true value and rejects
 * every other word of the declared dictionary: an attacker who tries the words one by one then
 * finds a value drawn from the dictionary, with no party online. The true value is the one the
 * interpreter drew; the dictionary supplies the wrong guesses (ProVerif's semantics: the real
 * value cannot be told from a different one). A value the attacker holds outright is confirmed too.
 */
import { createHash } from 'node:crypto';
import { utf8 } from '../crypto/encoding.js';
import { forkRng, seededRng } from '../crypto/rng.js';
import type { CryptoSuite } from '../crypto/suite.js';
import { valuesEqual, type Value } from '../flow-lang/values.js';
import { knowledgeAfter, copyKnowledge } from './compromise.js';
import { openAll, recomputeAll, type Learn } from './deduce.js';
import { describeItem, type AttackContext, type RunState } from './execute.js';
import type { Query } from './queries.js';
import type { OracleResult } from './oracles.js';

type WeakQuery = Extract<Query, { kind: 'weak-secrecy' }>;

/** A dictionary word as a value of the guessed sort: its UTF-8 bytes for `bytes`, SHA-256 of them (32 bytes) for a fixed-size `key` or `nonce`. */
export function wordValue(suite: CryptoSuite, sort: Value['sort'], word: string): Value {
  const bytes = utf8(word);
  if (sort.kind === 'base' && sort.name === 'bytes') return { sort, v: bytes };
  const n = sort.kind === 'base' && sort.name === 'key' ? suite.sizes.sessionKey : 32;
  return { sort, v: new Uint8Array(createHash('sha256').update(bytes).digest()).slice(0, n) };
}

/** The offline test for one candidate: how it was confirmed, or undefined. */
export function offlineTest(ctx: AttackContext, q: WeakQuery, st: RunState, guess: Value, label: string): string | undefined {
  const K = q.reveals?.some((r) => r.when === 'after') ? knowledgeAfter(ctx, q, st) : copyKnowledge(ctx, st.knowledge);
  const held = K.find(guess);
  if (held) return `the attacker holds ${describeItem(ctx, K, held.id)} outright`;
  const g = K.add(guess, { kind: 'guessed', what: `the guess ${label} for ${q.name}` }, q.name)!;
  const only = new Set([g.id]);
  let hit: string | undefined;
  const rng = forkRng(seededRng(ctx.seed), 'guess');
  const learn: Learn = (v, how, name) => {
    const it = K.add(v, how, name);
    if (it && how.kind === 'decrypted' && (only.has(how.key) || only.has(how.from))) {
      only.add(it.id);
      if (only.has(how.key) && !hit) hit = `the authenticated decryption '${how.via}' of ${describeItem(ctx, K, how.from)} succeeds under the guess`;
    }
    return it;
  };
  openAll(ctx.suite, ctx.openings, K, rng, new Set(), learn);
  if (hit) return hit;
  recomputeAll(ctx.protocol, ctx.suite, K, rng, learn, {
    only,
    onKnown: (known, via, from) => {
      if (!hit && !only.has(known.id)) hit = `recomputing '${via}' with the guess (from ${from.map((id) => describeItem(ctx, K, id)).join(', ')}) gives ${describeItem(ctx, K, known.id)}, which it held already`;
    },
  });
  return hit;
}

const who = (st: RunState, i: number) => {
  const s = st.sessions[i]!;
  return `s${i + 1} (${s.principal} as ${s.role})`;
};

export function judgeWeakSecrecy(ctx: AttackContext, q: WeakQuery, st: RunState): OracleResult {
  const honest = (p: string | undefined) => p !== undefined && p !== ctx.attacker;
  let premise = false;
  for (let i = 0; i < st.sessions.length; i++) {
    const s = st.sessions[i]!;
    if (s.phase.id !== q.phase || (q.role && s.role !== q.role) || s.status !== 'accepted') continue;
    if (!s.phase.roles.every((r) => honest(s.binding[r]))) continue;
    const v = s.values.get(q.name);
    if (!v) continue;
    premise = true;
    const truth = offlineTest(ctx, q, st, v, 'equal to the true value');
    if (!truth) continue;
    const words = q.dictionary.map((w) => ({ w, v: wordValue(ctx.suite, v.sort, w) })).filter((x) => !valuesEqual(ctx.suite, x.v, v));
    const fooled = words.find((x) => offlineTest(ctx, q, st, x.v, JSON.stringify(x.w)));
    if (fooled) continue; // the test accepts a wrong word too: it does not tell the value apart
    return {
      premise,
      violated: true,
      detail: `the attacker confirms a guess of ${q.name} of session ${who(st, i)} offline: ${truth}; the same test rejects each of the ${words.length} other dictionary words, so a ${q.name} drawn from the ${q.dictionary.length}-word dictionary is found in at most ${q.dictionary.length} offline trials`,
    };
  }
  return { premise, violated: false };
}
