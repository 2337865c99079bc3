import { queriesOf, searchAttacks } from '../src/attacker/index.js';
import { loadExecutable } from '../src/interpret/load.js';
const file = process.argv[2] ?? 'spec/protocols/sts.ban';
const { spec, protocol } = loadExecutable(file);
const qs = queriesOf(spec, protocol);
searchAttacks(protocol, qs, { suite: 'secp256k1', seed: 'warm-up', stopAtFirst: true });
for (const seed of ['1','2','3','4','5','6','7']) {
  const t0 = performance.now();
  const r = searchAttacks(protocol, qs, { suite: 'secp256k1', seed, stopAtFirst: true });
  const a = r.verdicts.find((v) => v.attack);
  console.log(seed, (performance.now()-t0).toFixed(0), 'ms', 'states', a?.attack?.foundAfterStates, 'configs', r.configurations.explored, '/', r.configurations.total);
}
