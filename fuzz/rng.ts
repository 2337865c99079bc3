/**
 * Replayable randomness for fuzz campaigns: input `index` of campaign `seed` is generated from
 * its own stream, so any single input replays alone (`npm run fuzz -- --target T --seed S --index I`).
 * Not cryptographic (sfc32 seeded by FNV-1a of "seed:index"); it only picks mutations.
 */
export interface FuzzRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
  /** true with probability p. */
  chance(p: number): boolean;
}

function fnv1a(s: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function inputRng(seed: string, index: number): FuzzRng {
  const key = `${seed}:${index}`;
  let a = fnv1a(key, 0x811c9dc5);
  let b = fnv1a(key, 0x01234567);
  let c = fnv1a(key, 0x89abcdef);
  let d = 1;
  const next = (): number => {
    // sfc32
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  const int = (n: number): number => Math.floor(next() * n);
  return { next, int, pick: (xs) => xs[int(xs.length)]!, chance: (p) => next() < p };
}

/** A size that is usually small and sometimes huge (the hostile end of every range). */
export function hostileCount(r: FuzzRng, max: number): number {
  const k = r.int(4);
  if (k === 0) return 1 + r.int(4);
  if (k === 1) return 1 + r.int(50);
  if (k === 2) return 1 + r.int(Math.min(max, 3_000));
  return 1 + r.int(max);
}
