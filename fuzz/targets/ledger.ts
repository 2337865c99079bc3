/**
 * The ledger reader and verifier (src/ledger/file.ts, verify.ts) in the default mode: a sealed
 * ledger from an honest run (as `run --save-ledger` writes it), then byte edits and the
 * content-preserving rewrites of issue 18 — whitespace, key order, `\u` escapes, `1.0`/`1e0`/`-0`,
 * duplicate keys (a forged first copy), a dropped tail with the header fixed, a dropped seal.
 * Any text other than the original that reads and verifies is a wrong accept.
 */
import { getSuite } from '../../src/crypto/index.js';
import { forkRng } from '../../src/crypto/rng.js';
import { parseLedger, sealLedger, serializeLedger, verifyLedger } from '../../src/ledger/index.js';
import { runScenario } from '../../src/model/index.js';
import { UserError } from '../../src/spec/diagnostics.js';
import { mutateBytes } from '../mutate.js';
import type { FuzzRng } from '../rng.js';
import type { FuzzTarget } from '../target.js';

export interface LedgerCorpus {
  text: string;
}

export interface LedgerInput {
  klass: string;
  bytes: Uint8Array;
}

/** A sealed ledger exactly as `bantam run --save-ledger` writes it. */
export function sealedRunLedger(suite = 'secp256k1', seed = 'fuzz-ledger'): string {
  const r = runScenario({ suite, seed });
  const sys = r.system;
  const sealed = sealLedger(sys.ledger, sys.suite, forkRng(sys.root, 'ledger-seal'), { id: sys.center.id, secret: sys.center.s, publicKey: sys.center.PK });
  return serializeLedger(sealed);
}

const lines = (t: string): string[] => t.slice(0, -1).split('\n');
const join = (ls: string[]): string => `${ls.join('\n')}\n`;

/** The content-preserving rewrites and structural cuts (each a tamper class). */
export const TAMPER_CLASSES: Record<string, (r: FuzzRng, text: string) => string | Uint8Array> = {
  whitespace(r, t) {
    const ls = lines(t);
    const i = r.int(ls.length);
    const seps = [...ls[i]!.matchAll(/[:,{}[\]]/g)].map((m) => m.index!);
    const at = r.pick(seps) + (r.chance(0.5) ? 1 : 0);
    ls[i] = ls[i]!.slice(0, at) + r.pick([' ', '\t', '  ', ' \r']) + ls[i]!.slice(at);
    return join(ls);
  },
  'key-order'(r, t) {
    const ls = lines(t);
    const i = r.int(ls.length);
    const o = JSON.parse(ls[i]!);
    const keys = Object.keys(o);
    const a = r.int(keys.length);
    const b = (a + 1 + r.int(Math.max(1, keys.length - 1))) % keys.length;
    [keys[a], keys[b]] = [keys[b]!, keys[a]!];
    ls[i] = JSON.stringify(Object.fromEntries(keys.map((k) => [k, o[k]])));
    return join(ls);
  },
  'unicode-escape'(r, t) {
    const ls = lines(t);
    const i = r.int(ls.length);
    // Escape one character inside a string value or key.
    const spots = [...ls[i]!.matchAll(/"([A-Za-z0-9])/g)].map((m) => m.index! + 1);
    const at = r.pick(spots);
    const ch = ls[i]![at]!;
    ls[i] = `${ls[i]!.slice(0, at)}\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}${ls[i]!.slice(at + 1)}`;
    return join(ls);
  },
  'number-form'(r, t) {
    const ls = lines(t);
    const cands: [number, RegExpMatchArray][] = [];
    ls.forEach((l, i) => {
      for (const m of l.matchAll(/":(\d+)([,}])/g)) cands.push([i, m]);
    });
    const [i, m] = r.pick(cands);
    const n = m[1]!;
    const alt = r.pick([`${n}.0`, `${n}e0`, `${n}E0`, `${n}.00`, n === '0' ? '-0' : `0${n}`, `${n}0e-1`]);
    ls[i] = ls[i]!.slice(0, m.index! + 2) + alt + ls[i]!.slice(m.index! + 2 + n.length);
    return join(ls);
  },
  'duplicate-key'(r, t) {
    const ls = lines(t);
    const i = r.int(ls.length);
    const o = JSON.parse(ls[i]!);
    const key = r.pick(Object.keys(o));
    const forged = typeof o[key] === 'string' ? JSON.stringify('MALLORY') : typeof o[key] === 'number' ? '99' : JSON.stringify(o[key]);
    // The forged copy first: a reader keeping the first duplicate would see it.
    ls[i] = `{${JSON.stringify(key)}:${forged},${ls[i]!.slice(1)}`;
    return join(ls);
  },
  'dropped-tail'(r, t) {
    const ls = lines(t);
    const h = JSON.parse(ls[0]!);
    const txs = ls.slice(1, 1 + h.txs);
    const keep = r.int(txs.length);
    const keepSeal = r.chance(0.3);
    const fixHeader = r.chance(0.8);
    const header = fixHeader ? JSON.stringify({ ...h, txs: keep, sealed: keepSeal }) : ls[0]!;
    return join([header, ...txs.slice(0, keep), ...(keepSeal ? [ls[ls.length - 1]!] : [])]);
  },
  'dropped-seal'(_r, t) {
    const ls = lines(t);
    const h = JSON.parse(ls[0]!);
    return join([JSON.stringify({ ...h, sealed: false }), ...ls.slice(1, -1)]);
  },
  'swap-lines'(r, t) {
    const ls = lines(t);
    const a = 1 + r.int(ls.length - 2);
    const b = 1 + r.int(ls.length - 2);
    [ls[a], ls[b]] = [ls[b]!, ls[a]!];
    return join(ls);
  },
  bytes(r, t) {
    return mutateBytes(r, Buffer.from(t, 'utf8'));
  },
};

/** Reads and verifies in the default (strict) mode; true when the text is accepted. */
export function acceptsLedger(bytes: Uint8Array): boolean {
  const l = parseLedger(bytes, 'fuzz.jsonl', (n) => getSuite(n));
  return verifyLedger(l, getSuite(l.suite), { requireFullSeal: true }).ok;
}

export const ledgerTarget: FuzzTarget<LedgerCorpus, LedgerInput> = {
  name: 'ledger',
  summary: 'ledger reader + verifier (default mode) on byte edits and content-preserving rewrites of a sealed ledger',
  prepare: () => ({ text: sealedRunLedger() }),
  input(r, c) {
    const names = Object.keys(TAMPER_CLASSES);
    const klass = r.pick(names);
    const t = TAMPER_CLASSES[klass]!(r, c.text);
    return { klass, bytes: typeof t === 'string' ? Buffer.from(t, 'utf8') : t };
  },
  run(input, c) {
    let ok: boolean;
    try {
      ok = acceptsLedger(input.bytes);
    } catch (e) {
      if (e instanceof UserError) return { kind: 'rejected', klass: input.klass };
      return { kind: 'crash', klass: input.klass, detail: `${(e as Error)?.name}: ${(e as Error)?.message}` };
    }
    if (!ok) return { kind: 'rejected', klass: input.klass };
    if (Buffer.compare(Buffer.from(input.bytes), Buffer.from(c.text, 'utf8')) === 0) return { kind: 'accepted', klass: `${input.klass} (no-op)` };
    return { kind: 'wrong-accept', klass: input.klass, detail: 'a changed ledger verifies' };
  },
  show: (i) => `${i.klass}: ${JSON.stringify(Buffer.from(i.bytes).toString('latin1').slice(0, 600))}`,
};
