/**
 * Deliberately broken variants of the protocol, built WITHOUT editing src/model: the model only
 * talks to its `CryptoSuite` (createSystem accepts a suite object), so each mutant wraps the suite
 * the parties run. The checkers keep judging with the unmodified suite (World.base).
 *
 * Each mutant names the properties expected to catch it and a targeted action mix (a short,
 * focused attacker) so that bounded runs find it quickly; properties/mutants.test.ts asserts that
 * it is caught and that the same mix finds nothing on the real protocol.
 */
import type { CryptoSuite, Rng } from '../crypto/suite.js';
import type { PropertyName } from './invariants.js';
import type { SuiteDef } from './runner.js';

export interface Mutant {
  readonly name: string;
  readonly breaks: string;
  readonly wrap: (cs: CryptoSuite) => CryptoSuite;
  /** The attacker used to hunt it (properties checked: `hunt.properties`). */
  readonly hunt: SuiteDef;
  /** Properties that count as catching it. */
  readonly caughtBy: readonly PropertyName[];
}

const honest = [
  { name: 'startInitial', weight: 2 },
  { name: 'deliver', weight: 2 },
  { name: 'deliverAll', weight: 3 },
] as const;

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'skip-chk-check',
    breaks: 'CHK values are not compared: checks (25)(28)(45)(48)(61)(64) always pass',
    wrap: (cs) => ({ ...cs, ctEqual: () => true }),
    hunt: {
      name: 'hunt-flip',
      summary: 'honest sessions with one field of the hunted type tampered (bit flip)',
      actions: [{ name: 'startInitial', weight: 1 }, { name: 'startInter', weight: 1 }, { name: 'deliverAll', weight: 1 }, { name: 'tamperCheck', weight: 3 }],
      properties: ['integrity', 'agreement'],
      maxCommands: 8,
    },
    caughtBy: ['integrity', 'agreement'],
  },
  {
    name: 'signature-unchecked',
    breaks: 'signatures are not verified: (33)(69)(73) always pass',
    wrap: (cs) => ({ ...cs, verify: () => true }),
    hunt: {
      name: 'hunt-flip',
      summary: 'honest sessions with one field of the hunted type tampered (bit flip)',
      actions: [{ name: 'startInitial', weight: 1 }, { name: 'startInter', weight: 1 }, { name: 'deliverAll', weight: 1 }, { name: 'tamperSignature', weight: 3 }],
      properties: ['integrity', 'agreement'],
      maxCommands: 8,
    },
    caughtBy: ['integrity'],
  },
  {
    name: 'reused-ephemeral',
    breaks: 'every party draws the same scalar each time: the ephemerals a–f repeat across sessions',
    wrap: (cs) => {
      const first = new WeakMap<Rng, bigint>();
      return {
        ...cs,
        randomScalar(rng) {
          const k = first.get(rng);
          if (k !== undefined) return k;
          const x = cs.randomScalar(rng);
          first.set(rng, x);
          return x;
        },
      };
    },
    hunt: {
      name: 'hunt-replay',
      summary: 'repeated honest sessions with replays and revealed session keys',
      actions: [...honest, { name: 'replay', weight: 2 }, { name: 'revealSek', weight: 1 }],
      properties: ['agreement', 'replay', 'secrecy'],
      maxCommands: 8,
    },
    caughtBy: ['agreement', 'replay', 'secrecy'],
  },
  {
    name: 'h1-omitted',
    breaks: 'H1 is replaced by the constant 1 in every public-key derivation: PK_X = R_X + PK',
    wrap: (cs) => ({ ...cs, H1: () => 1n }),
    hunt: {
      name: 'hunt-forge',
      summary: 'impersonation with forged key pairs',
      actions: [{ name: 'deliverAll', weight: 2 }, { name: 'forgePatient', weight: 3 }],
      properties: ['agreement', 'unregistered'],
      maxCommands: 6,
    },
    caughtBy: ['agreement'],
  },
  {
    name: 'identity-accepted',
    breaks: 'the decoder accepts the identity (all-zero encoding) as a point',
    wrap: (cs) => {
      const O = cs.add(cs.G, cs.mul(cs.G, cs.order - 1n));
      return {
        ...cs,
        decodePoint(bytes, what) {
          if (bytes.length === cs.sizes.point && bytes.every((b) => b === 0)) return O;
          return cs.decodePoint(bytes, what);
        },
      };
    },
    hunt: {
      name: 'hunt-points',
      summary: 'honest sessions with identity points substituted',
      actions: [{ name: 'startInitial', weight: 1 }, { name: 'startInter', weight: 1 }, { name: 'deliverAll', weight: 1 }, { name: 'tamperIdentityPoint', weight: 3 }],
      properties: ['invalid-point', 'integrity', 'agreement'],
      maxCommands: 8,
    },
    caughtBy: ['invalid-point'],
  },
];
