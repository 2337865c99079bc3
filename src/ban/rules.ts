/**
 * The inference rules of the engine, as data. Each record states the rule the way the sources
 * print it (premises ⟹ conclusion over metavariables P, Q, R, X, Y, K), its side conditions and
 * where it comes from. The saturation engine (saturate.ts) implements exactly these records, one
 * firing function per id; the proof checker and why-not search read them by id.
 *
 * Sources:
 *  [BAN89] Burrows, Abadi, Needham, "A Logic of Authentication", Proc. R. Soc. Lond. A 426
 *          (1989) and DEC SRC Research Report 39 (1989, rev. 1990), §2.3 "Logical postulates";
 *          short version ACM TOCS 8(1):18–36, 1990.
 *  [vO93]  P. C. van Oorschot, "Extending cryptographic logics of belief to key agreement
 *          protocols", Proc. 1st ACM CCS, 1993 (PK_delta, F0, key confirmation).
 *  [SVO94] P. Syverson, P. C. van Oorschot, "On unifying some cryptographic protocol logics",
 *          IEEE S&P 1994 (key-agreement axiom, freshness of functions of fresh values).
 *  [Mon99] D. Monniaux, "Decision procedures for the analysis of cryptographic protocols by
 *          logics of belief", CSFW 1999 (shrinking/growing rules; termination of saturation).
 */
import {
  believes,
  comb,
  controls,
  enc,
  fresh,
  inv,
  kaKey,
  pubKey,
  said,
  secret,
  sees,
  sharedKey,
  tuple,
  app,
  v,
  type Term,
} from './terms.js';

export type RuleId =
  | 'MM-SK'
  | 'MM-PK'
  | 'MM-SS'
  | 'NV'
  | 'JUR'
  | 'BEL-I'
  | 'BEL-E'
  | 'BELBEL-E'
  | 'SAID-E'
  | 'SEE-TUPLE'
  | 'SEE-COMB'
  | 'SEE-SK'
  | 'SEE-OWNPK'
  | 'SEE-SIG'
  | 'FRESH'
  | 'SYM-SK'
  | 'SYM-SS'
  | 'KA'
  | 'KA-FRESH'
  | 'FRESH-F'
  | 'KA-CONF';

export interface Rule {
  id: RuleId;
  /** The name papers use for the rule family. */
  name: string;
  /** Other names a hand proof may cite for this rule. */
  aliases: string[];
  premises: Term[];
  conclusion: Term;
  /** Side conditions, in words (checked by the firing function). */
  side: string[];
  /** Growing rules build bigger terms; they only build terms in the spec's universe. */
  growing: boolean;
  /** Only active with `options key-agreement` / opts.keyAgreement. */
  extension?: 'key-agreement';
  source: string;
  note?: string;
}

const P = v('P');
const Q = v('Q');
const R = v('R');
const X = v('X');
const Y = v('Y');
const K = v('K');
const Kp = v('Kp');
const Kq = v('Kq');

export const RULES: readonly Rule[] = [
  {
    id: 'MM-SK',
    name: 'message meaning',
    aliases: ['message-meaning', 'message meaning rule', 'MM', 'R1'],
    premises: [believes(P, sharedKey(Q, K, P)), sees(P, enc(X, K, R))],
    conclusion: believes(P, said(Q, X)),
    side: ['R ≠ P: the ciphertext was not built by P itself (a principal recognises and ignores its own messages)'],
    growing: false,
    source: '[BAN89] §2.3, message-meaning rule for shared keys (with the "from R" convention of §2.2)',
  },
  {
    id: 'MM-PK',
    name: 'message meaning',
    aliases: ['message-meaning', 'message meaning rule', 'MM'],
    premises: [believes(P, pubKey(K, Q)), sees(P, enc(X, inv(K), R))],
    conclusion: believes(P, said(Q, X)),
    side: ['R ≠ P', 'the key is inv(K): only a signature shows origin; encryption under the public key K itself authenticates nothing'],
    growing: false,
    source: '[BAN89] §2.3, message-meaning rule for public keys',
  },
  {
    id: 'MM-SS',
    name: 'message meaning',
    aliases: ['message-meaning', 'message meaning rule', 'MM'],
    premises: [believes(P, secret(Q, Y, P)), sees(P, comb(X, Y, R))],
    conclusion: believes(P, said(Q, X)),
    side: ['R ≠ P: reflection of P\'s own combined message must not authenticate'],
    growing: false,
    source: '[BAN89] §2.3, message-meaning rule for shared secrets',
  },
  {
    id: 'NV',
    name: 'nonce verification',
    aliases: ['nonce-verification', 'nonce verification rule', 'NV', 'R2'],
    premises: [believes(P, fresh(X)), believes(P, said(Q, X))],
    conclusion: believes(P, believes(Q, X)),
    side: ['X is cleartext: no {…}_K or <…>_Y inside (strip ciphertext components with SAID-E first)'],
    growing: false,
    source: '[BAN89] §2.3, nonce-verification rule ("X must be cleartext")',
  },
  {
    id: 'JUR',
    name: 'jurisdiction',
    aliases: ['jurisdiction rule', 'JR', 'R3'],
    premises: [believes(P, controls(Q, X)), believes(P, believes(Q, X))],
    conclusion: believes(P, X),
    side: [],
    growing: false,
    source: '[BAN89] §2.3, jurisdiction rule',
  },
  {
    id: 'BEL-I',
    name: 'belief',
    aliases: ['belief rule', 'belief conjunction', 'conjunction'],
    premises: [believes(P, X), believes(P, Y)],
    conclusion: believes(P, tuple(X, Y)),
    side: ['growing: (X, Y) must occur in a message, an assumption or a goal; n-ary tuples are built in one step from all their components'],
    growing: true,
    source: '[BAN89] §2.3, belief rules (first: P |= X, P |= Y ⟹ P |= (X, Y))',
  },
  {
    id: 'BEL-E',
    name: 'belief',
    aliases: ['belief rule', 'belief decomposition'],
    premises: [believes(P, tuple(X, Y))],
    conclusion: believes(P, X),
    side: ['also for any component of an n-ary tuple'],
    growing: false,
    source: '[BAN89] §2.3, belief rules (second: P |= (X, Y) ⟹ P |= X)',
  },
  {
    id: 'BELBEL-E',
    name: 'belief',
    aliases: ['belief rule', 'belief decomposition'],
    premises: [believes(P, believes(Q, tuple(X, Y)))],
    conclusion: believes(P, believes(Q, X)),
    side: ['also for any component of an n-ary tuple'],
    growing: false,
    source: '[BAN89] §2.3, belief rules (third: P |= Q |= (X, Y) ⟹ P |= Q |= X)',
  },
  {
    id: 'SAID-E',
    name: 'said',
    aliases: ['belief rule', 'said rule', 'said decomposition'],
    premises: [believes(P, said(Q, tuple(X, Y)))],
    conclusion: believes(P, said(Q, X)),
    side: [
      'also for any component of an n-ary tuple',
      'and for the cleartext part of a tuple (the tuple without its {…}_K / <…>_Y components), so that NV applies to it',
    ],
    growing: false,
    source: '[BAN89] §2.3 (P |= Q |~ (X, Y) ⟹ P |= Q |~ X); cleartext projection: [BAN89] §2.3 remark on nonce verification',
  },
  {
    id: 'SEE-TUPLE',
    name: 'seeing',
    aliases: ['seeing rule', 'sees'],
    premises: [sees(P, tuple(X, Y))],
    conclusion: sees(P, X),
    side: ['also for any component of an n-ary tuple'],
    growing: false,
    source: '[BAN89] §2.3, seeing rules (first)',
  },
  {
    id: 'SEE-COMB',
    name: 'seeing',
    aliases: ['seeing rule', 'sees'],
    premises: [sees(P, comb(X, Y, R))],
    conclusion: sees(P, X),
    side: [],
    growing: false,
    source: '[BAN89] §2.3, seeing rules (second: P <| <X>_Y ⟹ P <| X)',
  },
  {
    id: 'SEE-SK',
    name: 'seeing',
    aliases: ['seeing rule', 'sees', 'decryption'],
    premises: [believes(P, sharedKey(Q, K, P)), sees(P, enc(X, K, R))],
    conclusion: sees(P, X),
    side: ['R ≠ P'],
    growing: false,
    source: '[BAN89] §2.3, seeing rules (third, shared key)',
  },
  {
    id: 'SEE-OWNPK',
    name: 'seeing',
    aliases: ['seeing rule', 'sees', 'decryption'],
    premises: [believes(P, pubKey(K, P)), sees(P, enc(X, K, R))],
    conclusion: sees(P, X),
    side: ['K is P\'s own public key (P holds inv(K))'],
    growing: false,
    source: '[BAN89] §2.3, seeing rules (fourth, own public key)',
  },
  {
    id: 'SEE-SIG',
    name: 'seeing',
    aliases: ['seeing rule', 'sees'],
    premises: [believes(P, pubKey(K, Q)), sees(P, enc(X, inv(K), R))],
    conclusion: sees(P, X),
    side: [],
    growing: false,
    source: '[BAN89] §2.3, seeing rules (fifth, signature with a known public key)',
  },
  {
    id: 'FRESH',
    name: 'freshness',
    aliases: ['freshness rule', 'fresh'],
    premises: [believes(P, fresh(X))],
    conclusion: believes(P, fresh(tuple(X, Y))),
    side: ['growing: (X, Y) must occur in a message, an assumption or a goal; X may be any component'],
    growing: true,
    source: '[BAN89] §2.3, freshness rule',
  },
  {
    id: 'SYM-SK',
    name: 'symmetry',
    aliases: ['symmetry rule', 'key symmetry'],
    premises: [sharedKey(P, K, Q)],
    conclusion: sharedKey(Q, K, P),
    side: ['at any belief depth; built into term identity (A <-K-> B and B <-K-> A are one statement)'],
    growing: false,
    source: '[BAN89] §2.3 (the shared-key and shared-secret statements are symmetric: "R ↔K R\' ≡ R\' ↔K R")',
  },
  {
    id: 'SYM-SS',
    name: 'symmetry',
    aliases: ['symmetry rule', 'secret symmetry'],
    premises: [secret(P, X, Q)],
    conclusion: secret(Q, X, P),
    side: ['at any belief depth; built into term identity'],
    growing: false,
    source: '[BAN89] §2.3',
  },
  {
    id: 'KA',
    name: 'key agreement',
    aliases: ['key agreement rule', 'key-agreement', 'key agreement axiom'],
    premises: [believes(P, kaKey(P, Kp)), believes(P, kaKey(Q, Kq))],
    conclusion: believes(P, sharedKey(P, app('F0', Kp, Kq), Q)),
    side: [
      'Q ≠ P',
      'belief-level form: the believer owns Kp; F0 is Diffie–Hellman-commutative, so F0(Kp,Kq) and F0(Kq,Kp) are both produced when they occur in the spec',
    ],
    growing: true,
    extension: 'key-agreement',
    source: '[vO93] §3 and [SVO94] key-agreement axiom PK_δ(P,Kp) ∧ PK_δ(Q,Kq) ⊃ P ↔F0(Kp,Kq) Q, used under belief',
  },
  {
    id: 'KA-FRESH',
    name: 'freshness',
    aliases: ['freshness rule', 'fresh', 'key freshness'],
    premises: [believes(P, fresh(Kp))],
    conclusion: believes(P, fresh(app('F0', Kp, Kq))),
    side: ['growing: F0(…) must occur in the spec; either argument may be the fresh one'],
    growing: true,
    extension: 'key-agreement',
    source: '[vO93] (key freshness from a fresh contribution); [SVO94] freshness axioms',
  },
  {
    id: 'FRESH-F',
    name: 'freshness',
    aliases: ['freshness rule', 'fresh'],
    premises: [believes(P, fresh(X))],
    conclusion: believes(P, fresh(app('f', X, Y))),
    side: ['growing: f(…) must occur in the spec; f is a declared function other than F0 (hash, MAC, KDF)', 'part of the core rule set (no option needed)'],
    growing: true,
    source: '[SVO94] freshness axioms (a function of a fresh value is fresh)',
  },
  {
    id: 'KA-CONF',
    name: 'key confirmation',
    aliases: ['key confirmation rule', 'confirmation'],
    premises: [believes(P, sharedKey(P, K, Q)), sees(P, comb(X, K, R)), believes(P, fresh(X))],
    conclusion: believes(P, believes(Q, sharedKey(P, K, Q))),
    side: [
      'R ≠ P (a reflected MAC confirms nothing)',
      'also with {X}_K from R in place of <X>_K',
      'X fresh for P: in practice a MAC over P\'s own ephemeral value',
    ],
    growing: false,
    extension: 'key-agreement',
    source: '[vO93] §4 key confirmation (P sees a MAC under the agreed key over a value it knows fresh ⟹ mutual belief in the key)',
  },
];

export const RULE_BY_ID: ReadonlyMap<RuleId, Rule> = new Map(RULES.map((r) => [r.id, r]));

export function activeRules(keyAgreement: boolean): Rule[] {
  return RULES.filter((r) => !r.extension || keyAgreement);
}

/**
 * Statements that must NOT be derivable (no such rule exists; an engine applying one is unsound).
 * Each is tested negatively in test/ban-rules.test.ts.
 */
export const NON_RULES: readonly { id: string; text: string; why: string }[] = [
  { id: 'no-fresh-decomposition', text: '#(X, Y) ⟹ #(X)', why: 'freshness does not decompose: a fresh tuple may contain an old part' },
  { id: 'no-said-composition', text: 'P |= Q |~ X, P |= Q |~ Y ⟹ P |= Q |~ (X, Y)', why: 'X and Y may come from different runs' },
  { id: 'no-said-to-belief', text: 'P |= Q |~ X ⟹ P |= Q |= X', why: 'needs freshness of X (nonce verification)' },
  { id: 'no-belief-without-jurisdiction', text: 'P |= Q |= X ⟹ P |= X', why: 'needs P |= Q |=> X (jurisdiction)' },
  { id: 'no-mm-public-encryption', text: 'P |= ->K Q, P <| {X}_K ⟹ P |= Q |~ X', why: 'anyone can encrypt under a public key; only {X}_inv(K) shows origin' },
  { id: 'no-mm-freshness', text: 'P |= #(X), P <| {X}_K ⟹ P |= Q |~ X', why: 'message meaning needs a key or secret belief; freshness is not a substitute (GNY I1/I3 need more)' },
  { id: 'no-key-to-peer-belief', text: 'P |= P <-K-> Q ⟹ P |= Q |= P <-K-> Q', why: 'a key belief gives only P |= Q |~ Y for the Y that P sees under K from Q' },
  { id: 'no-key-secret-conversion', text: 'P |= P <-K-> Q ⟺ P |= P <=K=> Q', why: 'keys and secrets are different statements' },
  { id: 'no-reflection', text: 'P |= Q <-K-> P, P <| {X}_K from P ⟹ P |= Q |~ X', why: 'P recognises its own messages (R ≠ P)' },
];

/** Engine rules that a rule name as written in a paper's proof may refer to. */
export function rulesForName(written: string, keyAgreement: boolean): Rule[] {
  const k = `${keyAgreement ? 1 : 0}|${written}`;
  let hit = ruleNameMemo.get(k);
  if (!hit) {
    hit = computeRulesForName(written, keyAgreement);
    if (ruleNameMemo.size < 1000) ruleNameMemo.set(k, hit);
  }
  return [...hit];
}

const ruleNameMemo = new Map<string, Rule[]>();

function computeRulesForName(written: string, keyAgreement: boolean): Rule[] {
  const norm = (s: string): string => s.toLowerCase().replace(/[_\s-]+/g, ' ').replace(/\brule\b/g, '').trim();
  const w = norm(written);
  const active = activeRules(keyAgreement);
  const byId = active.filter((r) => norm(r.id) === w);
  if (byId.length) return byId;
  const exact = active.filter((r) => norm(r.name) === w || r.aliases.some((a) => norm(a) === w));
  if (exact.length) return exact;
  // A vaguer name: "belief" also covers the decomposition rules written as "belief rule (1)".
  return active.filter((r) => w.length >= 4 && (norm(r.name).includes(w) || w.includes(norm(r.name))));
}
