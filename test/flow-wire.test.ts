/**
 * The canonical value encoding (src/flow-lang/values.ts) and the generic wire codec derived from
 * field sorts (src/interpret/wire.ts): round trips on every suite, typed rejections naming the
 * step and field (never a throw), and what the declared wire option changes — an untagged
 * message of one step decodes as another step of the same shape (type confusion is possible),
 * a tagged one does not.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { getSuite, seededRng, SUITE_NAMES } from '../src/crypto/index.js';
import { base, decodeValue, encodeValue, tuple, valuesEqual, type Value } from '../src/flow-lang/index.js';
import type { TStep } from '../src/flow-lang/typed.js';
import { decodeMessage, encodeMessage } from '../src/interpret/wire.js';

const step = (id: string, tag: number, fields: [string, Value['sort']][]): TStep => ({
  id, tag, from: 'A', to: 'B', channel: 'public', before: [], after: [], pos: { file: 't', line: 1, col: 1 },
  fields: fields.map(([name, sort]) => ({ name, sort, compare: false })),
});

describe.each(SUITE_NAMES)('values and wire on %s', (name) => {
  const suite = getSuite(name);
  const rng = seededRng(`wire-${name}`);
  const X: Value = { sort: base('point'), v: suite.mulG(suite.randomScalar(rng)) };
  const k: Value = { sort: base('scalar'), v: suite.randomScalar(rng) };
  const id: Value = { sort: base('id'), v: 'alice-1' };
  const n: Value = { sort: base('nonce'), v: rng.bytes(32) };
  const ct: Value = { sort: base('ciphertext'), v: rng.bytes(60) };

  test('a nested tuple round-trips through the canonical encoding', () => {
    const v: Value = { sort: tuple([base('point'), tuple([base('id'), base('nonce')]), base('ciphertext'), base('scalar')]), v: [X, { sort: tuple([base('id'), base('nonce')]), v: [id, n] }, ct, k] };
    const b = encodeValue(suite, v);
    const back = decodeValue(suite, v.sort, b);
    expect(back.ok && valuesEqual(suite, back.value, v)).toBe(true);
    // one byte more or less is a typed failure, not a throw
    expect(decodeValue(suite, v.sort, b.slice(0, -1))).toMatchObject({ ok: false, reason: 'truncated' });
    expect(decodeValue(suite, v.sort, Uint8Array.of(...b, 0))).toMatchObject({ ok: false, reason: 'trailing-bytes' });
  });

  test('a value on its own of a variable-length sort is its raw content; inside a tuple it is prefixed', () => {
    const raw = rng.bytes(20);
    expect(encodeValue(suite, { sort: base('bytes'), v: raw })).toEqual(raw);
    expect(encodeValue(suite, id)).toEqual(new TextEncoder().encode('alice-1'));
    const back = decodeValue(suite, base('bytes'), raw);
    expect(back.ok && back.value.v).toEqual(raw);
    expect(decodeValue(suite, base('id'), new TextEncoder().encode('no spaces allowed'))).toMatchObject({ ok: false, reason: 'bad-id' });
    const t: Value = { sort: tuple([base('bytes'), base('id')]), v: [{ sort: base('bytes'), v: raw }, id] };
    expect(encodeValue(suite, t).length).toBe(2 + 20 + 1 + 7);
  });

  test('a message round-trips; field sizes are the sorts\' sizes', () => {
    const s = step('p.1', 1, [['X', base('point')], ['ID', base('id')], ['c', base('ciphertext')]]);
    const enc = encodeMessage(suite, s, true, new Map([['X', X], ['ID', id], ['c', ct]]));
    expect(enc.fieldSizes).toEqual([{ name: 'X', size: suite.sizes.point }, { name: 'ID', size: 8 }, { name: 'c', size: 62 }]);
    expect(enc.bytes.length).toBe(1 + suite.sizes.point + 8 + 62);
    const dec = decodeMessage(suite, s, true, enc.bytes);
    expect(dec.ok).toBe(true);
    if (dec.ok) expect(valuesEqual(suite, dec.fields.get('X')!, X) && dec.fields.get('ID')!.v === 'alice-1').toBe(true);
  });

  test('typed rejections name the step and the field', () => {
    const s = step('p.2', 2, [['X', base('point')], ['N', base('nonce')]]);
    const good = encodeMessage(suite, s, true, new Map([['X', X], ['N', n]])).bytes;
    expect(decodeMessage(suite, s, true, new Uint8Array())).toMatchObject({ ok: false, rejection: { step: 'p.2', reason: 'empty' } });
    expect(decodeMessage(suite, s, true, Uint8Array.of(9, ...good.slice(1)))).toMatchObject({ ok: false, rejection: { reason: 'unknown-tag' } });
    expect(decodeMessage(suite, s, true, Uint8Array.of(1, ...good.slice(1)), (t) => (t === 1 ? 'p.1' : undefined))).toMatchObject({ ok: false, rejection: { reason: 'wrong-step', detail: 'tag names p.1' } });
    expect(decodeMessage(suite, s, true, good.slice(0, 10))).toMatchObject({ ok: false, rejection: { field: 'X', reason: 'truncated' } });
    const badPoint = good.slice();
    badPoint.fill(0xff, 1, 1 + suite.sizes.point);
    const r = decodeMessage(suite, s, true, badPoint);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.rejection.field).toBe('X');
    expect(decodeMessage(suite, s, true, Uint8Array.of(...good, 1))).toMatchObject({ ok: false, rejection: { reason: 'trailing-bytes' } });
  });

  test('untagged: a message of one step decodes as another of the same shape (type confusion); tagged: rejected', () => {
    const s1 = step('p.1', 1, [['N1', base('nonce')]]);
    const s3 = step('p.3', 3, [['N3', base('nonce')]]);
    const untagged = encodeMessage(suite, s1, false, new Map([['N1', n]])).bytes;
    expect(untagged.length).toBe(32);
    expect(decodeMessage(suite, s3, false, untagged).ok).toBe(true);
    const tagged = encodeMessage(suite, s1, true, new Map([['N1', n]])).bytes;
    expect(decodeMessage(suite, s3, true, tagged).ok).toBe(false);
  });

  test('decoding arbitrary bytes never throws', () => {
    const s = step('p.1', 1, [['X', base('point')], ['ID', base('id')], ['t', tuple([base('scalar'), base('bytes')])], ['b', base('bool')]]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, tagged) => {
        const r = decodeMessage(suite, s, tagged, bytes);
        if (!r.ok) expect(r.rejection.step).toBe('p.1');
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
