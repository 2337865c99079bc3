/**
 * What blocks a goal, in words, before any list of missing premises: the side condition or the
 * rule form that stops the derivation where the goal's content reaches (or fails to reach) the
 * believer. Each blocker is read off the saturated facts, so it describes this spec, not BAN in
 * general. In order of how decisive they are:
 *
 *  - key-agreement: the spec uses PK_delta/F0, the extension is off, and switching it on derives
 *    the goal (the caller checks by saturating again);
 *  - unreadable: P sees a ciphertext that holds the goal's content but cannot look inside it,
 *    because it does not believe the key ([BAN89] §2.3 seeing rules: P |= Q <-K-> P before
 *    P <| X);
 *  - reflected: the only ciphertexts carrying it were built by P itself (R ≠ P, [BAN89] §2.2);
 *  - public-key origin: it comes under a public key (`{X}_K`, `<X>_PK`), which anyone can build;
 *    a signature is `{X}_inv(K)` with `P |= ->K Q`;
 *  - said-in-ciphertext: Q said it only inside a ciphertext (BAN's X.509 critique: signing
 *    {Y}_K does not show the signer knows Y; nonce verification needs cleartext);
 *  - not-fresh: P believes Q said it in cleartext, but nothing in that message is fresh to P;
 *  - never-received: no message P receives contains it at all.
 */
import { show } from './pretty.js';
import { factsOf, type State } from './saturate.js';
import type { Sorts } from './sorts.js';
import { conjuncts, type Term } from './terms.js';
import { isCleartext, keyOf, subtermKeys } from './util.js';

export interface Blocker {
  kind: 'key-agreement' | 'unreadable' | 'reflected' | 'public-key-origin' | 'said-in-ciphertext' | 'not-fresh' | 'never-received';
  text: string;
}

/** The content a goal is about, the believer, and the principal it should come from (if any). */
function contentOf(goal: Term): { P: Term; Y: Term; Q?: Term } | undefined {
  if (goal.kind === 'sees') return { P: goal.who, Y: goal.what };
  if (goal.kind !== 'believes') return undefined;
  const X = goal.what;
  if (X.kind === 'said' || X.kind === 'believes') return { P: goal.who, Y: X.what, Q: X.who };
  if (X.kind === 'fresh' || X.kind === 'controls') return undefined;
  return { P: goal.who, Y: X };
}

/** Does t contain every conjunct of Y as a subterm? */
function contains(t: Term, Y: Term): boolean {
  const keys = subtermKeys(t);
  return conjuncts(Y).every((c) => keys.has(keyOf(c)));
}

/** Does Y (every conjunct) occur in t outside any ciphertext or combined message? */
function inClear(t: Term, Y: Term): boolean {
  const keys = new Set<string>();
  const walk = (x: Term): void => {
    keys.add(keyOf(x));
    if (x.kind === 'enc' || x.kind === 'comb') return;
    if (x.kind === 'tuple') for (const i of x.items) walk(i);
  };
  walk(t);
  return conjuncts(Y).every((c) => keys.has(keyOf(c)));
}

const paren = (t: Term): string => (t.kind === 'tuple' ? `(${show(t)})` : show(t));

const sortOf = (sorts: Sorts | undefined, t: Term): string | undefined => (t.kind === 'atom' ? sorts?.get(t.name) : undefined);

export function blockersOf(st: State, goal: Term, opts: { sorts?: Sorts; keyAgreementDerives?: boolean; pubKeyOf?: (q: Term) => Term | undefined } = {}): Blocker[] {
  const out: Blocker[] = [];
  if (opts.keyAgreementDerives) {
    out.push({
      kind: 'key-agreement',
      text: "the key-agreement extension is off: with 'options key-agreement' (or --key-agreement) the goal is derived — the spec's PK_delta/F0 terms are read only by the rules of that extension",
    });
  }
  const c = contentOf(goal);
  if (!c) return out;
  const { P, Y, Q } = c;
  const pk = keyOf(P);
  const seen: Term[] = [];
  const seenKeys = new Set<string>();
  for (const f of factsOf(st, pk)) {
    if (f.term.kind === 'sees' && keyOf(f.term.who) === pk) {
      seen.push(f.term.what);
      seenKeys.add(keyOf(f.term.what));
    }
  }
  const carriers = seen.filter((m) => (m.kind === 'enc' || m.kind === 'comb') && contains(m.body, Y));
  const sawIt = seen.some((m) => contains(m, Y));

  // Unreadable: a ciphertext holding Y whose body P never sees (and P sees Y nowhere in the clear;
  // for a goal about Q, nowhere that P already attributes to Q).
  const attributed = (q: Term): boolean => {
    for (const f of factsOf(st, pk)) {
      const t = f.term;
      if (t.kind === 'believes' && keyOf(t.who) === pk && t.what.kind === 'said' && keyOf(t.what.who) === keyOf(q) && inClear(t.what.what, Y)) return true;
    }
    return false;
  };
  const readable = Q ? attributed(Q) : seen.some((m) => inClear(m, Y));
  const believesKey = (K: Term): boolean => {
    for (const f of factsOf(st, pk)) {
      const t = f.term;
      if (t.kind !== 'believes' || keyOf(t.who) !== pk) continue;
      const w = t.what;
      if (w.kind === 'sharedKey' && keyOf(w.key) === keyOf(K)) return true;
      if (w.kind === 'pubKey' && (keyOf(w.key) === keyOf(K) || (K.kind === 'inv' && keyOf(w.key) === keyOf(K.key)))) return true;
    }
    return false;
  };
  for (const m of readable ? [] : carriers) {
    if (m.kind !== 'enc' || seenKeys.has(keyOf(m.body))) continue;
    if (Q && m.from && keyOf(m.from) !== keyOf(Q)) continue;
    // Built by P itself (a reflection, below) or under a key P does believe: not a key problem.
    if (m.from && keyOf(m.from) === pk) continue;
    const K = m.key;
    if (believesKey(K)) continue;
    const Qs = m.from ? show(m.from) : 'Q';
    const need =
      K.kind === 'inv'
        ? `a belief in the signer's public key, ${show(P)} |= ->${show(K.key)} ${Qs}`
        : sortOf(opts.sorts, K) === 'pubkey'
          ? `${show(P)} |= ->${show(K)} ${show(P)} (it is ${show(P)}'s own public key)`
          : `a belief that ${show(K)} is a good key, ${show(P)} |= ${Qs} <-${show(K)}-> ${show(P)}`;
    const agreed = K.kind === 'app' && K.fn === 'F0' && !st.keyAgreement ? `; ${show(K)} is an agreed key, which only the key-agreement extension derives ('options key-agreement')` : '';
    out.push({
      kind: 'unreadable',
      text: `${show(P)} sees ${show(m)} but cannot look inside it until it believes the key: it needs ${need}, and no assumption gives or rule derives it${agreed}`,
    });
  }
  // Reflected: every ciphertext carrying Y was built by P itself.
  const built = carriers.filter((m) => (m.kind === 'enc' || m.kind === 'comb') && m.from);
  if (built.length && built.every((m) => (m.kind === 'enc' || m.kind === 'comb') && keyOf(m.from!) === pk)) {
    out.push({
      kind: 'reflected',
      text: `${show(P)} sees ${show(Y)} only in ${show(built[0]!)}, which ${show(P)} built itself: a principal recognises its own messages (side condition R ≠ P), so message meaning does not apply to a reflected message`,
    });
  }
  // Said only inside a ciphertext.
  if (Q) {
    const qk = keyOf(Q);
    for (const f of factsOf(st, pk)) {
      const t = f.term;
      if (t.kind !== 'believes' || keyOf(t.who) !== pk || t.what.kind !== 'said' || keyOf(t.what.who) !== qk) continue;
      const T = t.what.what;
      if (!contains(T, Y) || inClear(T, Y) || isCleartext(T)) continue;
      out.push({
        kind: 'said-in-ciphertext',
        text: `${show(P)} |= ${show(Q)} |~ ${paren(T)}: ${show(Q)} said ${show(Y)} only inside a ciphertext, which does not show that ${show(Q)} knows it (it may have copied the ciphertext), and nonce verification applies to cleartext only`,
      });
      break;
    }
  }
  // Public-key origin: under a public key, anyone could have built it.
  if (Q) {
    for (const m of carriers) {
      const k = m.kind === 'enc' ? m.key : m.kind === 'comb' ? m.secret : undefined;
      if (!k || k.kind === 'inv' || sortOf(opts.sorts, k) !== 'pubkey') continue;
      const qk = opts.pubKeyOf?.(Q);
      const sig = qk ? `{${show(m.kind === 'enc' || m.kind === 'comb' ? m.body : Y)}}_inv(${show(qk)})` : `{${show(m.kind === 'enc' || m.kind === 'comb' ? m.body : Y)}}_inv(K)`;
      out.push({
        kind: 'public-key-origin',
        text:
          `${show(P)} sees ${show(Y)} only in ${show(m)}: ${show(k)} is a public key, so anyone could have built it and it shows no origin (${m.kind === 'comb' ? 'not a shared secret' : 'encryption is not a signature'}); ` +
          `if ${show(Q)} signed it, idealise it as ${sig} with ${show(P)} |= ->${qk ? show(qk) : 'K'} ${show(Q)}${qk ? '' : ` (K: ${show(Q)}'s public key)`}`,
      });
    }
  }
  // Not fresh: P holds Q's saying of a cleartext message with Y, but nothing in it is fresh to P.
  for (const f of factsOf(st, pk)) {
    const t = f.term;
    if (t.kind !== 'believes' || keyOf(t.who) !== pk || t.what.kind !== 'said') continue;
    if (Q && keyOf(t.what.who) !== keyOf(Q)) continue;
    const T = t.what.what;
    if (!isCleartext(T) || !contains(T, Y)) continue;
    if (st.facts.has(keyOf({ kind: 'believes', who: P, what: { kind: 'fresh', what: T } }))) continue;
    out.push({
      kind: 'not-fresh',
      text: `${show(P)} |= ${show(t.what.who)} |~ ${paren(T)}, but nothing in it is fresh to ${show(P)}: nonce verification needs ${show(P)} |= #(…) of a component (it may be a replay)`,
    });
    break;
  }
  // Seen, but never in anything Q built: nothing can attribute it to Q.
  if (Q && sawIt) {
    const builders = [...new Set(carriers.flatMap((m) => ((m.kind === 'enc' || m.kind === 'comb') && m.from ? [show(m.from)] : [])))];
    const onlyOwn = builders.length > 0 && builders.every((b) => b === show(P)); // reported as a reflection
    if (!builders.includes(show(Q)) && !attributed(Q) && !onlyOwn) {
      out.push({
        kind: 'never-received',
        text: `${show(P)} receives ${show(Y)} only in ${builders.length ? `messages built by ${builders.join(', ')}` : 'the clear'}: nothing ${show(Q)} built and ${show(P)} receives contains it, so no rule attributes it to ${show(Q)} (that needs a message from ${show(Q)} under a key, secret or signature ${show(P)} trusts, e.g. key confirmation)`,
      });
    }
  }
  if (!sawIt) {
    out.push({
      kind: 'never-received',
      text: `no message ${show(P)} receives contains ${show(Y)}: ${Q ? `nothing ${show(Q)} sends can give ${show(P)} this belief` : 'only an assumption, or jurisdiction over a statement someone sends, can give it'}; the idealisation has to put it in a message${Q ? ` ${show(Q)} sends` : ''} (with something fresh to ${show(P)}), or it must be assumed`,
    });
  }
  return out;
}
