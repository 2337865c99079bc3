/**
 * Crypto suites by name. `getSuite(name)` is the only constructor the rest of bantam needs.
 *
 * DEFAULT_SUITE = 'secp256k1': the paper (Chen et al. 2020) is a blockchain system and names no
 * curve beyond "E/F_p" (§3.2); secp256k1 is the curve of the blockchains it targets, and its
 * signature (ECDSA-SHA256, as on those blockchains) is fully standard, signs with the raw scalar S_X
 * as the paper requires, and replays byte-for-byte from the seed (ristretto255's RFC 9591 signatures
 * draw their nonce from the system CSPRNG). See docs/crypto.md.
 */
import { UserError } from '../spec/diagnostics.js';
import { p256Suite } from './p256.js';
import { ristretto255Suite } from './ristretto255.js';
import { secp256k1Suite } from './secp256k1.js';
import { secp256k1NativeSuite } from './secp256k1-native.js';
import type { BackendName, CryptoSuite, SuiteName } from './suite.js';

export * from './suite.js';
export { seededRng, systemRng, forkRng } from './rng.js';
export { countingSuite, type OpCounts } from './counters.js';

export const SUITE_NAMES: readonly SuiteName[] = ['ristretto255', 'secp256k1', 'p256'];
export const DEFAULT_SUITE: SuiteName = 'secp256k1';

const MAKERS: Record<SuiteName, () => CryptoSuite> = {
  ristretto255: ristretto255Suite,
  secp256k1: secp256k1Suite,
  p256: p256Suite,
};

export const BACKEND_NAMES: readonly BackendName[] = ['noble', 'native'];
/** noble is the reference and the default everywhere; campaigns may choose `native` (docs/crypto.md "Backends"). */
export const DEFAULT_BACKEND: BackendName = 'noble';

/** The backends each suite has (noble: all; native: secp256k1, through libsecp256k1). */
const NATIVE_MAKERS: Partial<Record<SuiteName, () => CryptoSuite>> = {
  secp256k1: secp256k1NativeSuite,
};

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}

/** Whether `suite` has a `native` backend. */
export function hasNativeBackend(suite: SuiteName): boolean {
  return NATIVE_MAKERS[suite] !== undefined;
}

/**
 * The backend a property campaign (bantam props, src/adversary) uses when the user names none: the
 * native one where the suite has it (campaigns run the same bytes faster), noble otherwise.
 * Honest runs (bantam run, costs, ledger) keep DEFAULT_BACKEND unless the user asks.
 */
export function campaignBackend(suite: SuiteName): BackendName {
  return hasNativeBackend(suite) ? 'native' : 'noble';
}

export function isSuiteName(name: string): name is SuiteName {
  return (SUITE_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh suite value (suites hold no mutable state; building one is cheap) on the given backend
 * (default noble). Unknown suite or backend, or a backend the suite does not have → UserError.
 */
export function getSuite(name: string, backend: string = DEFAULT_BACKEND): CryptoSuite {
  if (!isSuiteName(name)) {
    throw new UserError(`unknown crypto suite '${name}'; known suites: ${SUITE_NAMES.join(', ')}`);
  }
  if (!isBackendName(backend)) {
    throw new UserError(`unknown crypto backend '${backend}'; known backends: ${BACKEND_NAMES.join(', ')}`);
  }
  if (backend === 'noble') return MAKERS[name]();
  const native = NATIVE_MAKERS[name];
  if (!native) {
    const have = SUITE_NAMES.filter(hasNativeBackend).join(', ');
    throw new UserError(`crypto suite '${name}' has no native backend (native backends: ${have}); use --backend noble`);
  }
  return native();
}
