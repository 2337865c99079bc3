/**
 * The attacker's canary set (issue 13, "Done means"): broken variants of library protocols, each
 * made by a small textual mutation of a spec in spec/protocols, that the generic attacker must
 * refute (the named query, with a confirmed attack), beside the unmutated spec, whose queries must
 * all hold within the default bound. Run by test/attacker-canaries.test.ts; timed by
 * bench/attack.bench.ts; listed in docs/properties.md "Canaries".
 *
 * A mutation is a list of exact replacements; every one must apply (a spec edited so that a
 * replacement no longer matches fails the test instead of silently testing the original).
 */
import { readFileSync } from 'node:fs';
import type { Bound } from '../../src/attacker/search.js';

export interface Canary {
  /** Short name (bench rows, test titles). */
  name: string;
  /** The fixed protocol: every query of it must hold within the bound. */
  base: string;
  /** What the mutation breaks, in words (docs/properties.md). */
  mutation: string;
  /** Exact replacements applied to the base text, each at least once. */
  replace: readonly (readonly [string, string])[];
  /** The query (as written in the spec) the attacker must refute on the mutant. */
  refutes: string;
  /** Replaces the queries section of both versions (when the base's queries do not speak about the flaw). */
  queries?: readonly string[];
  /** Bound beyond the default (stated in the docs with the canary). */
  bound?: Partial<Bound>;
}

export const CANARIES: readonly Canary[] = [
  {
    name: 'nspk (nsl without B in message 2)',
    base: 'spec/protocols/nsl.ban',
    mutation: "an identity left out of a message: B's name dropped from message 2 — NSL becomes the original Needham–Schroeder public-key protocol (Lowe's man in the middle)",
    replace: [
      ['B computes c2 = penc(pkA, (Na, Nb, B))', 'B computes c2 = penc(pkA, (Na, Nb))'],
      ['A computes (Na, Nb, B) = pdec(skA, c2)', 'A computes (Na, Nb) = pdec(skA, c2)'],
    ],
    refutes: 'agreement B with A on Na, Nb',
  },
  {
    name: 'denning-sacco-pk (unnamed signature)',
    base: 'spec/protocols/denning-sacco-pk-fixed.ban',
    mutation: "identities left out of a signature: A signs Kab alone instead of (A, B, Kab) — Abadi–Needham's re-encryption attack",
    replace: [
      ['A computes sA = S_skA(A, B, Kab)', 'A computes sA = S_skA(Kab)'],
      ['B checks (A, B, Kab) =? V_pkA(sA)', 'B checks Kab =? V_pkA(sA)'],
    ],
    refutes: 'confidentiality Kab of B',
  },
  {
    name: 'denning-sacco-pk (signature not checked)',
    base: 'spec/protocols/denning-sacco-pk-fixed.ban',
    mutation: "a missing signature check: B does not verify A's signature on the key (the attacker sends a key of its own under B's public key)",
    replace: [['      B checks (A, B, Kab) =? V_pkA(sA)\n', '']],
    refutes: 'agreement B with A on Kab',
  },
  {
    name: 'mac-cr (reflection)',
    base: 'spec/protocols/mac-challenge-response.ban',
    mutation: "a MAC without the responder's name: both MACs over (nonces) only — the reflection attack, A's own responder session answers A's challenge",
    replace: [
      ['mac(Kab, (Na, Nb, A))', 'mac(Kab, (Na, Nb))'],
      ['mac(Kab, (Nb, Na, B))', 'mac(Kab, (Nb, Na))'],
    ],
    refutes: 'agreement A with B on Na, Nb',
  },
  {
    name: 'mac-cr (MAC not checked)',
    base: 'spec/protocols/mac-challenge-response.ban',
    mutation: "a dropped check: A does not check B's MAC in message 2",
    replace: [['      A checks tB =? mac(Kab, (Na, Nb, A))\n', '']],
    refutes: 'agreement A with B on Na, Nb',
  },
  {
    name: 'iso9798-3 (unnamed signatures)',
    base: 'spec/protocols/iso9798-3.ban',
    mutation: "identities left out of the signatures: B signs (Na, Nb), A signs (Nb, Na) — the attacker relays B's answer to a session B believes is with the attacker",
    replace: [
      ['(Na, Nb, A)', '(Na, Nb)'],
      ['(Nb, Na, B)', '(Nb, Na)'],
    ],
    refutes: 'agreement A with B on Na, Nb',
  },
  {
    name: 'iso9798-3 (signature not checked)',
    base: 'spec/protocols/iso9798-3.ban',
    mutation: "a missing signature check: A does not verify B's signature in message 2",
    replace: [['      A checks (Na, Nb, A) =? V_pkB(sB)\n', '']],
    refutes: 'agreement A with B on Na, Nb',
  },
  {
    name: 'dh-kci (ephemeral terms dropped)',
    base: 'test/fixtures/dh-mac-kci.ban',
    mutation: "a static–static Diffie–Hellman key: every ephemeral term dropped from K, so K = kdf(skA·pkB, Na, Nb) — with A's own key revealed before, the attacker computes A's key and impersonates B to A (key-compromise impersonation)",
    replace: [
      ['B computes K = kdf("kci", skB·pkA, skB·X, y·pkA, y·X, Na, Nb)', 'B computes K = kdf("kci", skB·pkA, Na, Nb)'],
      ['A computes K = kdf("kci", skA·pkB, x·pkB, skA·Y, x·Y, Na, Nb)', 'A computes K = kdf("kci", skA·pkB, Na, Nb)'],
    ],
    refutes: 'agreement A with B on Na, Nb given reveal skA of A before',
    // the fixture's own declared bound (the canary test does not read a spec's bound line)
    bound: { perDelivery: 4 },
  },
  {
    name: 'dh-kci (Unified Model key)',
    base: 'test/fixtures/dh-mac-kci.ban',
    mutation:
      "the Unified Model's key: only the static–static and the ephemeral–ephemeral terms, K = kdf(skA·pkB, x·Y, Na, Nb) — with A's own key revealed before, the attacker answers A as B with a point Y whose discrete log it knows (its own scalar choice) and computes x·Y from A's X (key-compromise impersonation)",
    replace: [
      ['B computes K = kdf("kci", skB·pkA, skB·X, y·pkA, y·X, Na, Nb)', 'B computes K = kdf("kci", skB·pkA, y·X, Na, Nb)'],
      ['A computes K = kdf("kci", skA·pkB, x·pkB, skA·Y, x·Y, Na, Nb)', 'A computes K = kdf("kci", skA·pkB, x·Y, Na, Nb)'],
    ],
    refutes: 'agreement A with B on Na, Nb given reveal skA of A before',
    bound: { perDelivery: 4 },
  },
  {
    name: 'dh-kci (one static key for every session)',
    base: 'test/fixtures/dh-mac-kci.ban',
    mutation:
      "no session-specific input to the key: K = kdf(skA·pkB) for every session of A and B — the key of another, non-matching session of B, revealed, is the key of A's session (key independence)",
    replace: [
      ['B computes K = kdf("kci", skB·pkA, skB·X, y·pkA, y·X, Na, Nb)', 'B computes K = kdf("kci", skB·pkA)'],
      ['A computes K = kdf("kci", skA·pkB, x·pkB, skA·Y, x·Y, Na, Nb)', 'A computes K = kdf("kci", skA·pkB)'],
    ],
    refutes: 'confidentiality K of A given reveal K of B in another session',
    queries: ['confidentiality K of A given reveal K of B in another session'],
    // an accepted session of A beside a non-matching session of B that computed its key needs a third
    // session on the fixed protocol (at 2, A accepts only with its matching B: the query would be vacuous)
    bound: { perDelivery: 4, sessions: 3 },
  },
];

const QUERIES = /\nqueries\n(?:[ \t]+[^\n]*\n|[ \t]*\n|#[^\n]*\n)*/;

function withQueries(text: string, qs: readonly string[] | undefined): string {
  if (!qs) return text;
  if (!QUERIES.test(text)) throw new Error('canary: the base spec has no queries section to replace');
  return text.replace(QUERIES, `\nqueries\n${qs.map((q) => `  ${q}\n`).join('')}`);
}

/** The fixed and the broken text of a canary; throws when a replacement does not apply. */
export function canaryTexts(c: Canary): { fixed: string; broken: string } {
  const fixed = withQueries(readFileSync(c.base, 'utf8'), c.queries);
  let broken = fixed;
  for (const [from, to] of c.replace) {
    if (!broken.includes(from)) throw new Error(`canary ${c.name}: '${from.trim()}' is not in ${c.base} (the mutation no longer applies)`);
    broken = broken.replaceAll(from, to);
  }
  return { fixed, broken };
}
