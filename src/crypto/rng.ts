/**
 * Injected randomness (src/crypto/suite.ts `Rng`). Every run of the executable model draws its
 * randomness from an `Rng`, so a run replays exactly from its seed.
 *
 *  - `seededRng(seed)`: a deterministic DRBG. Key = SHA-256("bantam/v1/rng/seed" framed with the
 *    seed text); output = the ChaCha20 keystream (RFC 8439, @noble/ciphers) under that key with an
 *    all-zero nonce, consumed sequentially. Nothing here is hand-rolled: SHA-256 and ChaCha20 come
 *    from @noble. For testing and replay only — a seed is not a secret key.
 *  - `systemRng()`: the platform CSPRNG (`crypto.getRandomValues`).
 *  - `forkRng(rng, label)`: an independent stream per label. For a seeded stream the child key is
 *    SHA-256("bantam/v1/rng/fork" framed with (parent key, label)) and the parent is NOT advanced, so
 *    adding a party (a new label) never shifts another party's randomness.
 */
import { chacha20 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { UserError } from '../spec/diagnostics.js';
import type { Rng } from './suite.js';
import { frame, utf8 } from './encoding.js';

const SEED_TAG = 'bantam/v1/rng/seed';
const FORK_TAG = 'bantam/v1/rng/fork';
const BLOCK = 64; // ChaCha20 block size in bytes
const NONCE = new Uint8Array(12);
/** ChaCha20's 32-bit block counter bounds one stream at 2^32 blocks (256 GiB). */
const MAX_BYTES = 2 ** 32 * BLOCK;

/** A seeded stream remembers its key so that it can be forked without being advanced. */
const STREAM_KEY: unique symbol = Symbol('bantam.rng.key');
/** A copy of a seeded stream at its current position (`cloneRng`). */
const STREAM_CLONE: unique symbol = Symbol('bantam.rng.clone');
interface SeededRng extends Rng {
  readonly [STREAM_KEY]: Uint8Array;
  [STREAM_CLONE](): SeededRng;
  /** The seed text this stream was derived from (for transcripts). */
  readonly seed: string;
}

/** Seeds 42, 42n and '42' name the same stream (so `--seed 42` replays a test seeded with 42). */
export function seedText(seed: string | number | bigint): string {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new UserError(`seed must be an integer or a string, got ${seed}`);
    return String(seed);
  }
  return typeof seed === 'bigint' ? seed.toString(10) : seed;
}

function streamFromKey(key: Uint8Array, seed: string, start = 0): SeededRng {
  let pos = start; // bytes consumed so far
  return {
    [STREAM_KEY]: key,
    [STREAM_CLONE]: () => streamFromKey(key, seed, pos),
    seed,
    bytes(n: number): Uint8Array {
      if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`rng.bytes: bad length ${n}`);
      if (pos + n > MAX_BYTES) throw new RangeError('rng: stream exhausted (2^38 bytes)');
      const first = Math.floor(pos / BLOCK);
      const skip = pos % BLOCK;
      const blocks = Math.ceil((skip + n) / BLOCK);
      const ks = chacha20(key, NONCE, new Uint8Array(blocks * BLOCK), undefined, first);
      pos += n;
      return ks.slice(skip, skip + n);
    },
  };
}

export function seededRng(seed: string | number | bigint): Rng & { readonly seed: string } {
  const text = seedText(seed);
  return streamFromKey(sha256(frame(SEED_TAG, [utf8(text)])), text);
}

export function systemRng(): Rng {
  return {
    bytes(n: number): Uint8Array {
      const out = new Uint8Array(n);
      // getRandomValues fills at most 65536 bytes per call.
      for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
      return out;
    },
  };
}

function isSeeded(rng: Rng): rng is SeededRng {
  return (rng as Partial<SeededRng>)[STREAM_KEY] instanceof Uint8Array;
}

/**
 * An independent stream for `label`. Seeded parents are not advanced (forks are order-independent
 * and replayable); any other Rng (e.g. systemRng) is forked by drawing a fresh 32-byte key from it.
 */
export function forkRng(rng: Rng, label: string): Rng {
  const parentKey = isSeeded(rng) ? rng[STREAM_KEY] : rng.bytes(32);
  const seed = isSeeded(rng) ? `${rng.seed}/${label}` : `(unseeded)/${label}`;
  return streamFromKey(sha256(frame(FORK_TAG, [parentKey, utf8(label)])), seed);
}

/**
 * An independent copy of a seeded stream at its current position: it yields exactly the bytes the
 * original would yield next, and drawing from one never advances the other (the attacker's search
 * forks a run's state instead of re-running it: src/attacker/world-snapshot.ts). Undefined for any
 * other Rng (a system CSPRNG cannot be copied).
 */
export function cloneRng(rng: Rng): Rng | undefined {
  return isSeeded(rng) ? rng[STREAM_CLONE]() : undefined;
}
