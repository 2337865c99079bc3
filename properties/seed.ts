/**
 * Seeds of the bounded property tests. Fixed by default so `npm test` is reproducible; set
 * BANTAM_PROPS_SEED to explore another part of the input space (the seed is printed either way,
 * and every fast-check failure prints the seed and path that replay it).
 */
export function propSeed(name: string): number {
  const env = process.env.BANTAM_PROPS_SEED;
  const seed = env !== undefined && /^-?\d+$/.test(env) ? Number(env) : 2020_07_19;
  console.info(`[properties/${name}] seed ${seed} (set BANTAM_PROPS_SEED to change; bounded testing, not proof)`);
  return seed;
}
