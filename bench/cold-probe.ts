/**
 * One COLD first contact, in the fresh process this file is started in (bench/cold.ts starts it):
 * everything a device pays the first time it meets a peer after it starts, measured in CPU time of
 * this process:
 *   - `libraryNs`: the first `getSuite` on the backend (for native: compiling the WebAssembly module
 *     and building libsecp256k1's context, with its tables);
 *   - `tablesNs`: the device tables of the fast path (PK and P, window 8 by default; none for naive);
 *   - `phaseNs`: the phase itself, run once, on code the JIT has not optimised yet, with empty peer
 *     caches (the peer keys are derived, first contact).
 * The parties registered earlier in the same process (with the straightforward equations, so no
 * table was built and the fast path's code has not run). Afterwards the unit T (noble's
 * constant-time `mul` on secp256k1-or-the-suite, no table) is measured in the same process, so the
 * parent can express the cold cost in T.
 *
 * argv[2] = JSON { suite, backend, impl: 'fast' | 'naive', phase: 'initial' | 'inter' | 'registration' }
 * stdout  = JSON { libraryNs, tablesNs, phaseNs, unitNs }
 */
import { forkRng, getSuite, seededRng, type SuiteName } from '../src/crypto/index.js';
import { buildWorld, initialPhase, interPhase, registrationPhase, samplePayloads, type PartyKeys, type World } from '../src/costs/phases.js';
import { createPeerCache, deviceTables, fastKeyAgreement } from '../src/keyagreement/fast.js';
import { naiveKeyAgreement } from '../src/keyagreement/naive.js';
import { cpuNowNs, median } from './pairs.js';
import { unitTFunction } from './harness.js';

const o = JSON.parse(process.argv[2] ?? '{}') as { suite: SuiteName; backend: string; impl: 'fast' | 'naive'; phase: 'initial' | 'inter' | 'registration' };

let c0 = cpuNowNs();
const suite = getSuite(o.suite, o.backend);
const libraryNs = cpuNowNs() - c0;

const root = seededRng(`bench-cold-${o.suite}`);
const w0: World = buildWorld(suite, (s, PK) => naiveKeyAgreement(s, PK), (l) => forkRng(root, l));
const pay = samplePayloads();

c0 = cpuNowNs();
const tables = o.impl === 'fast' ? deviceTables(suite, w0.PK) : undefined;
const tablesNs = cpuNowNs() - c0;
const kaOf = () => (tables ? fastKeyAgreement(suite, w0.PK, {}, createPeerCache(), tables) : naiveKeyAgreement(suite, w0.PK));
const fresh = (p: PartyKeys): PartyKeys => ({ ...p, ka: kaOf() });
const w: World = { ...w0, P: fresh(w0.P), HA: fresh(w0.HA), HB: fresh(w0.HB), center: { ...w0.center, ka: kaOf() } };

c0 = cpuNowNs();
let ok: boolean;
if (o.phase === 'initial') ok = initialPhase(w.P, w.HA, pay).ok;
else if (o.phase === 'inter') ok = interPhase(w.P, w.HB, w.HA, pay).ok;
else ok = registrationPhase(w.center.ka, w.s, w.center.rng, 'PAT-NEW', kaOf()).ok;
const phaseNs = cpuNowNs() - c0;
if (!ok) throw new Error('cold probe: the phase failed its checks');

// The unit, measured after the cold part: noble's constant-time variable-base mul on this suite.
const T = unitTFunction(getSuite(o.suite));
for (let i = 0; i < 20; i++) T(i);
const samples: number[] = [];
for (let s = 0; s < 9; s++) {
  const t0 = cpuNowNs();
  for (let i = 0; i < 5; i++) T(i);
  samples.push((cpuNowNs() - t0) / 5);
}
process.stdout.write(JSON.stringify({ libraryNs, tablesNs, phaseNs, unitNs: median(samples) }) + '\n');
