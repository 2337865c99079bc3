/**
 * `environment kv-register`: a tiny public register, the smallest useful environment (and the
 * one the interpreter's tests use). `register(x)` records x and fails if it is already there
 * (replay detection); `registered(x)` succeeds only for a recorded x. Values are compared by
 * their canonical encoding, so the register works for any sort.
 */
import { encodeValue } from '../../flow-lang/values.js';
import type { EnvironmentModule } from './types.js';

interface KvState {
  entries: Set<string>;
  encode: (v: Parameters<typeof encodeValue>[1]) => string;
}

export const kvRegister: EnvironmentModule<KvState> = {
  name: 'kv-register',
  doc: 'a public register of values: register(x) fails on a repeat, registered(x) on an absent x',
  init: ({ suite }) => ({ entries: new Set(), encode: (v) => Buffer.from(encodeValue(suite, v)).toString('hex') }),
  fork: (state) => ({ entries: new Set(state.entries), encode: state.encode }),
  calls: {
    register: {
      args: ['any'],
      doc: 'records x; fails if x is already recorded',
      run(state, _ctx, [x]) {
        const k = state.encode(x!);
        if (state.entries.has(k)) return { ok: false, detail: 'already registered' };
        state.entries.add(k);
        return { ok: true, detail: `${state.entries.size} entries` };
      },
    },
    registered: {
      args: ['any'],
      doc: 'succeeds iff x is recorded',
      run: (state, _ctx, [x]) => (state.entries.has(state.encode(x!)) ? { ok: true } : { ok: false, detail: 'not registered' }),
    },
  },
};
