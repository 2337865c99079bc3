import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { getSuite, seededRng } from '../src/crypto/index.js';
import { UserError } from '../src/spec/diagnostics.js';
import {
  hachk,
  loadLedger,
  mrchk,
  parseLedger,
  ptchk,
  saveLedger,
  sealLedger,
  serializeLedger,
  txHash,
  txSigningBytes,
  verifyLedger,
  type Tx,
} from '../src/ledger/index.js';
import { demoLedger, makeWorld } from '../src/ledger/fixture.js';

const cs = getSuite('secp256k1');
const world = makeWorld(cs, seededRng('file'));
const L = demoLedger(world).ledger;
const SEALED = sealLedger(L, cs, seededRng('seal'), world.center);
const dir = mkdtempSync(join(tmpdir(), 'bantam-ledger-'));
let n = 0;
function write(text: string | Uint8Array): string {
  const p = join(dir, `l${n++}.jsonl`);
  writeFileSync(p, text);
  return p;
}
function userError(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}
const lines = (l = L) => serializeLedger(l).split('\n').slice(0, -1);
const join1 = (ls: string[]) => ls.map((s) => `${s}\n`).join('');
function editJson(lineNo: number, f: (o: Record<string, any>) => void, l = L): string {
  const ls = lines(l);
  const o = JSON.parse(ls[lineNo - 1]!);
  f(o);
  ls[lineNo - 1] = JSON.stringify(o);
  return join1(ls);
}

describe('save → load round trip', () => {
  test.each([
    ['unsealed', L],
    ['sealed', SEALED],
  ])('%s ledger: same bytes, same contract state, verifies', (_n, l) => {
    const p = join(dir, `rt-${_n}.jsonl`);
    saveLedger(l, p);
    const back = loadLedger(p, cs, { requireFullSeal: l.seal !== undefined });
    expect(serializeLedger(back)).toBe(readFileSync(p, 'utf8'));
    expect(serializeLedger(back)).toBe(serializeLedger(l));
    expect(ptchk(back, 'PAT-1')).toEqual(ptchk(l, 'PAT-1'));
    expect(hachk(back, 'HPB')).toEqual(hachk(l, 'HPB'));
    expect(mrchk(back, 'DX-B1')).toEqual(mrchk(l, 'DX-B1'));
    expect(verifyLedger(back, cs)).toEqual(verifyLedger(l, cs));
    expect(back.seal?.length).toBe(l.seal?.length);
  });

  test.each(['ristretto255', 'p256'] as const)('round trip on %s, with the suite chosen from the header', (name) => {
    const s = getSuite(name);
    const w = makeWorld(s, seededRng(name));
    const l = sealLedger(demoLedger(w).ledger, s, w.rng, w.center);
    const p = write(serializeLedger(l));
    const back = loadLedger(p, (nm) => getSuite(nm));
    expect(back.suite).toBe(name);
    expect(serializeLedger(back)).toBe(serializeLedger(l));
  });

  test('the format is JSON lines with a versioned header and lowercase hex', () => {
    const ls = lines(SEALED);
    expect(ls).toHaveLength(1 + 7 + 1);
    expect(JSON.parse(ls[0]!)).toMatchObject({ format: 'bantam-ledger', version: 1, suite: 'secp256k1', centerId: 'CENTER', txs: 7, sealed: true });
    expect(JSON.parse(ls[1]!)).toMatchObject({ tx: 0, contract: 'ptins', signer: 'CENTER', args: { patientId: 'PAT-1' } });
    expect(JSON.parse(ls[8]!).seal.length).toBe(7);
    expect(ls.join('')).not.toMatch(/"[0-9a-f]*[A-F][0-9a-fA-F]*"/);
  });

  test('another JSON key order is a rewrite, rejected as tampering naming the line (exit 1)', () => {
    const ls = lines();
    const o = JSON.parse(ls[4]!);
    const reversed = Object.fromEntries(Object.entries(o).reverse());
    reversed.args = Object.fromEntries(Object.entries(o.args).reverse());
    ls[4] = JSON.stringify(reversed);
    const e = userError(() => loadLedger(write(join1(ls)), cs, { requireFullSeal: false }));
    expect(e.message).toMatch(/:5: tampered: not the canonical encoding/);
    expect(e.exitCode).toBe(1);
  });
});

/** The last tx carries another tx's signature, with its hash recomputed: only the signature is wrong. */
function badSigLedger() {
  const last = L.txs[6]!;
  const signature = L.txs[5]!.signature;
  const patched = { ...last, signature, hash: txHash(cs, txSigningBytes(L.suite, last), signature) } as Tx;
  return { ...L, txs: [...L.txs.slice(0, 6), patched] };
}

describe('damaged files are a UserError naming the line, never a partial load', () => {
  const structural: [string, () => string | Uint8Array, RegExp][] = [
    ['empty file', () => '', /empty file/],
    ['not UTF-8', () => Buffer.concat([Buffer.from(serializeLedger(L)), Buffer.from([0xff, 0x0a])]), /not valid UTF-8/],
    ['bad JSON in tx line', () => join1(lines().map((s, i) => (i === 2 ? s.slice(0, -1) : s))), /:3: not valid JSON/],
    ['truncated mid-line (no final newline)', () => serializeLedger(L).slice(0, -40), /not terminated by a newline/],
    ['CRLF line ends', () => serializeLedger(L).replace(/\n/g, '\r\n'), /:1: carriage return/],
    ['blank line', () => serializeLedger(L) + '\n', /empty line|lines/],
    ['wrong format tag', () => editJson(1, (o) => (o.format = 'other')), /:1: not a bantam ledger file/],
    ['wrong version', () => editJson(1, (o) => (o.version = 2)), /:1: unsupported ledger format version 2/],
    ['unknown suite', () => editJson(1, (o) => (o.suite = 'ed448')), /:1: header: unknown suite 'ed448'/],
    ['other suite than the verifier', () => editJson(1, (o) => (o.suite = 'p256')), /written with suite p256, not secp256k1/],
    ['missing header field', () => editJson(1, (o) => delete o.centerKey), /:1: header: missing field "centerKey"/],
    ['extra header field', () => editJson(1, (o) => (o.note = 'x')), /:1: header: unexpected field "note"/],
    ['header tx count too high', () => editJson(1, (o) => (o.txs = 8)), /announces 8 txs/],
    ['a tx line deleted', () => join1(lines().filter((_, i) => i !== 3)), /announces 7 txs \(8 lines\), the file has 7 lines/],
    ['missing tx field', () => editJson(4, (o) => delete o.sig), /:4: tx 2: missing field "sig"/],
    ['extra tx field', () => editJson(4, (o) => (o.memo = 1)), /:4: tx 2: unexpected field "memo"/],
    ['missing arg', () => editJson(5, (o) => delete o.args.recordDigest), /:5: tx 3 args: missing field "recordDigest"/],
    ['extra arg', () => editJson(5, (o) => (o.args.emr = 'secret')), /:5: tx 3 args: unexpected field "emr"/],
    ['unknown contract', () => editJson(3, (o) => (o.contract = 'drop')), /:3: tx 1: unknown contract 'drop'/],
    ['odd-length hex', () => editJson(2, (o) => (o.hash = o.hash.slice(1))), /:2: tx 0: field "hash" is not lowercase hex/],
    ['uppercase hex', () => editJson(2, (o) => (o.sig = o.sig.toUpperCase())), /:2: tx 0: field "sig" is not lowercase hex/],
    ['non-hex', () => editJson(2, (o) => (o.prev = 'zz' + o.prev.slice(2))), /:2: tx 0: field "prev" is not lowercase hex/],
    ['wrong byte length', () => editJson(2, (o) => (o.args.R = o.args.R.slice(0, 64))), /:2: tx 0 args: field "R" must be 33 bytes, got 32/],
    ['number where a string belongs', () => editJson(2, (o) => (o.signer = 7)), /:2: tx 0: field "signer" must be a string/],
    ['negative index', () => editJson(2, (o) => (o.tx = -1)), /:2: tx 0: field "tx" must be a whole number/],
    ['array instead of object', () => join1(lines().map((s, i) => (i === 1 ? '[1,2]' : s))), /:2: expected a JSON object/],
    ['seal line missing', () => join1(lines(SEALED).slice(0, -1)), /announces 7 txs and a seal/],
    ['bad seal field', () => editJson(9, (o) => delete o.seal.head, SEALED), /:9: seal: missing field "head"/],
  ];
  test.each(structural)('%s (exit 2)', (_what, make, msg) => {
    const p = write(make());
    const e = userError(() => loadLedger(p, cs));
    expect(e.message).toMatch(msg);
    expect(e.message.startsWith(p)).toBe(true);
    expect(e.exitCode).toBe(2);
  });

  test('a file that does not exist, or is a directory', () => {
    expect(userError(() => loadLedger(join(dir, 'nope.jsonl'), cs)).message).toMatch(/cannot read ledger file .*no such file/);
    expect(userError(() => loadLedger(dir, cs)).message).toMatch(/is a directory/);
  });

  const tampered: [string, () => string, RegExp][] = [
    ['broken chain (prev edited)', () => editJson(4, (o) => (o.prev = '00'.repeat(32))), /:4: ledger fails verification at tx 2: prev does not match the hash of tx 1/],
    ['signature swapped (hash then mismatches)', () => editJson(6, (o) => (o.sig = lines()[6]!.match(/"sig":"([0-9a-f]+)"/)![1])), /:6: ledger fails verification at tx 4: stored hash/],
    ['bad signature with a consistent hash', () => serializeLedger(badSigLedger()), /:8: ledger fails verification at tx 6: signature does not verify under PK of 'HPB'/],
    ['edited detail', () => editJson(3, (o) => (o.args.detail = 'evil')), /:3: ledger fails verification at tx 1: stored hash does not match/],
    ['R that is not a point', () => editJson(2, (o) => (o.args.R = '05' + o.args.R.slice(2))), /:2: ledger fails verification at tx 0/],
    ['centerKey that is not a point', () => editJson(1, (o) => (o.centerKey = '05' + o.centerKey.slice(2))), /:1: ledger fails verification at header: center key is not a valid/],
    ['truncated below the seal (header count adjusted)', () => join1([JSON.stringify({ ...JSON.parse(lines(SEALED)[0]!), txs: 6 }), ...lines(SEALED).slice(1, 7), lines(SEALED)[8]!]), /:8: ledger fails verification at end of ledger: truncated/],
  ];
  test.each(tampered)('%s (exit 1)', (_what, make, msg) => {
    const p = write(make());
    const e = userError(() => loadLedger(p, cs));
    expect(e.message).toMatch(msg);
    expect(e.exitCode).toBe(1);
  });
});

/**
 * One-byte edits: an arbitrary different byte, a case flip (xor 0x20: 'a' ↔ 'A' in hex, 'P' ↔ 'p'
 * in ids), or a byte that means something to JSON or hex. The last two make the near-miss edits a
 * sloppy reader would accept (uppercase hex, whitespace) likely, not one-in-255.
 */
const MEANINGFUL = [...'0123456789abcdefABCDEF"{}[]:,\\ \t\r\n-+.eEnulltrufs'].map((c) => c.charCodeAt(0));
const byteEditArb = (len: number) =>
  fc.record({
    pos: fc.nat({ max: len - 1 }),
    edit: fc.oneof(
      fc.integer({ min: 1, max: 255 }).map((x) => (b: number) => b ^ x),
      fc.constant((b: number) => b ^ 0x20),
      fc.constantFrom(...MEANINGFUL).map((c) => (_b: number) => c),
    ),
  });

describe('property: any single-byte edit of a saved ledger is detected or rejected at load', () => {
  const RUNS = 200;
  test.each([
    ['sealed', SEALED],
    ['unsealed', L],
  ])(`%s ledger (${RUNS} runs, seed 20261124)`, (_n, l) => {
    const bytes = Buffer.from(serializeLedger(l));
    fc.assert(
      fc.property(byteEditArb(bytes.length), ({ pos, edit }) => {
        const edited = Uint8Array.from(bytes);
        edited[pos] = edit(edited[pos]!) & 0xff;
        fc.pre(edited[pos] !== bytes[pos]); // a real edit
        let parsed;
        try {
          parsed = parseLedger(edited, 'edited.jsonl', cs);
        } catch (e) {
          return e instanceof UserError; // rejected at load, as a UserError
        }
        return !verifyLedger(parsed, cs).ok; // or detected by verification
      }),
      { numRuns: RUNS, seed: 20261124 },
    );
  });
});
