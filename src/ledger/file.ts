/**
 * The ledger file format, version 1 (JSON lines, UTF-8, every line ends in '\n'):
 *
 *   line 1       {"format":"bantam-ledger","version":1,"suite":S,"centerId":ID,"centerKey":HEX,"txs":N,"sealed":BOOL}
 *   lines 2..N+1 {"tx":I,"contract":C,"signer":ID,"args":{...},"prev":HEX,"sig":HEX,"hash":HEX}
 *   line N+2     {"seal":{"length":L,"head":HEX,"sig":HEX}}            (present iff "sealed" is true)
 *
 * Byte fields are lowercase hex of the exact size for the suite; args carry exactly the fields
 * of ARG_SCHEMA (strings for id/text, hex for point/bytes). Keys are written in a fixed order,
 * but nothing depends on it: signatures and hashes are over the canonical encoding of tx.ts.
 *
 * Reading is strict: any deviation (bad UTF-8 or JSON, a missing, extra or mistyped field, bad
 * hex, another version or suite, a wrong count) is a UserError naming the file, line and tx.
 * Every line must moreover be byte for byte the canonical encoding serializeLedger writes: a
 * duplicate key (whose last copy JSON.parse would silently keep), other whitespace, another key
 * order, a `\u` escape, `1.0`/`1e0`/`-0` — rewrites that keep the values — are rejected as
 * tampering (exit 1) naming the line, so no two readers can see different values in one file.
 * `loadLedger` then verifies the chain; a ledger that fails verification is a UserError too
 * (exit code 1: the file is readable but tampered). Nothing is ever partially loaded.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { safeWriteFile, type SafeWriteOptions } from '../io/safe-write.js';
import { readBounded } from '../io/read-bounded.js';
import { SUITE_NAMES } from '../crypto/index.js';
import type { CryptoSuite, SuiteName } from '../crypto/suite.js';
import { UserError } from '../spec/diagnostics.js';
import type { ContractName, Ledger, Seal, Tx } from './tx.js';
import { ARG_SCHEMA, CONTRACTS } from './tx.js';
import { isWellFormed } from './state.js';
import { verifyLedger, type VerifyOptions } from './verify.js';

export const LEDGER_FORMAT = 'bantam-ledger';
export const LEDGER_VERSION = 1;

const toHex = bytesToHex;

/** The file text of a ledger (pure; saveLedger writes it). */
export function serializeLedger(l: Ledger): string {
  const lines: string[] = [
    JSON.stringify({
      format: LEDGER_FORMAT,
      version: LEDGER_VERSION,
      suite: l.suite,
      centerId: l.centerId,
      centerKey: toHex(l.centerKey),
      txs: l.txs.length,
      sealed: l.seal !== undefined,
    }),
  ];
  for (const tx of l.txs) {
    const args: Record<string, string> = {};
    const rec = tx.args as unknown as Record<string, unknown>;
    for (const f of ARG_SCHEMA[tx.contract]) {
      const v = rec[f.name];
      args[f.name] = v instanceof Uint8Array ? toHex(v) : String(v);
    }
    lines.push(
      JSON.stringify({ tx: tx.index, contract: tx.contract, signer: tx.signer, args, prev: toHex(tx.prev), sig: toHex(tx.signature), hash: toHex(tx.hash) }),
    );
  }
  if (l.seal) lines.push(JSON.stringify({ seal: { length: l.seal.length, head: toHex(l.seal.head), sig: toHex(l.seal.signature) } }));
  return lines.map((s) => `${s}\n`).join('');
}

/**
 * Writes the ledger file through src/io/safe-write.ts: a temporary file renamed over the target,
 * so a crash leaves no half file, and a device, link or directory at the target is never replaced.
 */
export function saveLedger(l: Ledger, path: string, opts: SafeWriteOptions = {}): void {
  safeWriteFile(path, serializeLedger(l), opts);
}

type SuiteSource = CryptoSuite | ((name: SuiteName) => CryptoSuite);

/** Strict structural reading of a ledger file's text. Does NOT verify signatures or the chain. */
export function parseLedger(text: string | Uint8Array, file: string, suites: SuiteSource): Ledger {
  let src: string;
  if (typeof text === 'string') src = text;
  else {
    try {
      src = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(text);
    } catch {
      throw new UserError(`${file}: not a bantam ledger file: the file is not valid UTF-8`);
    }
  }
  if (src.length === 0) throw new UserError(`${file}: empty file, not a bantam ledger file`);
  if (!src.endsWith('\n')) throw new UserError(`${file}: the last line is not terminated by a newline (file truncated?)`);
  const lines = src.slice(0, -1).split('\n');

  const fail = (line: number, msg: string): never => {
    throw new UserError(`${file}:${line}: ${msg}`);
  };
  const tampered = (line: number, msg: string): never => {
    throw new UserError(`${file}:${line}: tampered: ${msg}`, [], 1);
  };
  const parseLine = (i: number): Record<string, unknown> => {
    const raw = lines[i]!;
    if (raw.includes('\r')) fail(i + 1, 'carriage return in line (file must use \\n line ends)');
    if (raw.length === 0) fail(i + 1, 'empty line');
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      fail(i + 1, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(i + 1, 'expected a JSON object');
    const dup = duplicateKey(raw);
    if (dup !== undefined) tampered(i + 1, `duplicate key "${dup.slice(0, 40)}" (JSON readers disagree on which copy counts)`);
    return v as Record<string, unknown>;
  };
  const exactKeys = (line: number, where: string, o: Record<string, unknown>, keys: readonly string[]): void => {
    for (const k of keys) if (!Object.hasOwn(o, k)) fail(line, `${where}: missing field "${k}"`);
    for (const k of Object.keys(o)) if (!keys.includes(k)) fail(line, `${where}: unexpected field "${k}"`);
  };
  const str = (line: number, where: string, v: unknown, name: string): string => {
    if (typeof v !== 'string') return fail(line, `${where}: field "${name}" must be a string`);
    if (!isWellFormed(v)) return fail(line, `${where}: field "${name}" is not well-formed Unicode`);
    return v;
  };
  const int = (line: number, where: string, v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return fail(line, `${where}: field "${name}" must be a whole number >= 0`);
    return v;
  };
  const hexField = (line: number, where: string, v: unknown, name: string, len?: number): Uint8Array => {
    const s = str(line, where, v, name);
    if (!/^(?:[0-9a-f]{2})*$/.test(s)) fail(line, `${where}: field "${name}" is not lowercase hex of whole bytes`);
    const b = hexToBytes(s);
    if (len !== undefined && b.length !== len) fail(line, `${where}: field "${name}" must be ${len} bytes, got ${b.length}`);
    return b;
  };

  // Header.
  const h = parseLine(0);
  if (h.format !== LEDGER_FORMAT) fail(1, `not a bantam ledger file (header "format" must be "${LEDGER_FORMAT}")`);
  if (h.version !== LEDGER_VERSION) fail(1, `unsupported ledger format version ${JSON.stringify(h.version)} (this bantam reads version ${LEDGER_VERSION})`);
  exactKeys(1, 'header', h, ['format', 'version', 'suite', 'centerId', 'centerKey', 'txs', 'sealed']);
  const suiteName = str(1, 'header', h.suite, 'suite');
  if (!(SUITE_NAMES as readonly string[]).includes(suiteName)) fail(1, `header: unknown suite '${suiteName}' (known: ${SUITE_NAMES.join(', ')})`);
  let cs: CryptoSuite;
  if (typeof suites === 'function') cs = suites(suiteName as SuiteName);
  else {
    cs = suites;
    if (cs.name !== suiteName) fail(1, `the ledger was written with suite ${suiteName}, not ${cs.name} (use --suite ${suiteName})`);
  }
  const centerId = str(1, 'header', h.centerId, 'centerId');
  const centerKey = hexField(1, 'header', h.centerKey, 'centerKey', cs.sizes.point);
  const count = int(1, 'header', h.txs, 'txs');
  if (typeof h.sealed !== 'boolean') fail(1, 'header: field "sealed" must be true or false');
  const sealed = h.sealed as boolean;

  const expectedLines = 1 + count + (sealed ? 1 : 0);
  if (lines.length !== expectedLines) {
    fail(
      Math.min(lines.length, expectedLines) + (lines.length < expectedLines ? 0 : 1),
      `the header announces ${count} txs${sealed ? ' and a seal' : ''} (${expectedLines} lines), the file has ${lines.length} lines`,
    );
  }

  const hashLen = cs.digest(new Uint8Array(0)).length;
  const sigLen = cs.sizes.signature;
  const txs: Tx[] = [];
  for (let i = 0; i < count; i++) {
    const line = i + 2;
    const where = `tx ${i}`;
    const o = parseLine(i + 1);
    exactKeys(line, where, o, ['tx', 'contract', 'signer', 'args', 'prev', 'sig', 'hash']);
    const index = int(line, where, o.tx, 'tx');
    const contract = str(line, where, o.contract, 'contract');
    if (!(CONTRACTS as readonly string[]).includes(contract)) fail(line, `${where}: unknown contract '${contract}' (known: ${CONTRACTS.join(', ')})`);
    const schema = ARG_SCHEMA[contract as ContractName];
    const a = o.args;
    if (typeof a !== 'object' || a === null || Array.isArray(a)) fail(line, `${where}: field "args" must be an object`);
    const ao = a as Record<string, unknown>;
    exactKeys(line, `${where} args`, ao, schema.map((f) => f.name));
    const args: Record<string, unknown> = {};
    for (const f of schema) {
      args[f.name] =
        f.type === 'point'
          ? hexField(line, `${where} args`, ao[f.name], f.name, cs.sizes.point)
          : f.type === 'bytes'
            ? hexField(line, `${where} args`, ao[f.name], f.name)
            : str(line, `${where} args`, ao[f.name], f.name);
    }
    txs.push(
      Object.freeze({
        index,
        contract: contract as ContractName,
        signer: str(line, where, o.signer, 'signer'),
        args: Object.freeze(args),
        prev: hexField(line, where, o.prev, 'prev', hashLen),
        signature: hexField(line, where, o.sig, 'sig', sigLen),
        hash: hexField(line, where, o.hash, 'hash', hashLen),
      }) as unknown as Tx,
    );
  }
  let seal: Seal | undefined;
  if (sealed) {
    const line = count + 2;
    const o = parseLine(count + 1);
    exactKeys(line, 'seal line', o, ['seal']);
    const s = o.seal;
    if (typeof s !== 'object' || s === null || Array.isArray(s)) fail(line, 'seal line: field "seal" must be an object');
    const so = s as Record<string, unknown>;
    exactKeys(line, 'seal', so, ['length', 'head', 'sig']);
    seal = Object.freeze({
      length: int(line, 'seal', so.length, 'length'),
      head: hexField(line, 'seal', so.head, 'head', hashLen),
      signature: hexField(line, 'seal', so.sig, 'sig', sigLen),
    });
  }
  const l: Ledger = { suite: suiteName, centerId, centerKey, txs: Object.freeze(txs) };
  const out = Object.freeze(seal ? { ...l, seal } : l);
  // Canonical encoding: re-serialise what was read and compare bytes, line by line.
  const canonical = serializeLedger(out).slice(0, -1).split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (canonical[i] === lines[i]) continue;
    const a = canonical[i] ?? '';
    const b = lines[i]!;
    let col = 0;
    while (col < a.length && col < b.length && a[col] === b[col]) col++;
    tampered(i + 1, `not the canonical encoding (differs at column ${col + 1}: whitespace, key order, escapes or number form rewritten)`);
  }
  return out;
}

/**
 * The first key that appears twice in one JSON object of a (valid JSON) text, if any. A linear
 * scan of the tokens; string keys are compared after unescaping, so `"a"` and `"\u0061"` clash.
 */
export function duplicateKey(json: string): string | undefined {
  const stack: { keys: Set<string> | undefined; expectKey: boolean }[] = [];
  for (let i = 0; i < json.length; i++) {
    const c = json[i]!;
    if (c === '{') stack.push({ keys: new Set(), expectKey: true });
    else if (c === '[') stack.push({ keys: undefined, expectKey: false });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
    } else if (c === '"') {
      let j = i + 1;
      while (j < json.length && json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys && top.expectKey) {
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return key;
        top.keys.add(key);
        top.expectKey = false;
      }
      i = j;
    }
  }
  return undefined;
}

/** The 1-based file line of tx `index` (or of the seal / end of file when index = txs.length). */
export function lineOfTx(index: number): number {
  return index < 0 ? 1 : index + 2;
}

/** Largest ledger file read (64 MiB, about 100,000 txs): /dev/zero or a huge file is refused quickly. */
export const MAX_LEDGER_BYTES = 64 * 1_048_576;

function readFile(path: string, maxBytes = MAX_LEDGER_BYTES): Uint8Array {
  const r = readBounded(path, maxBytes);
  if ('error' in r) throw new UserError(`cannot read ledger file ${path}: ${r.error === 'a directory, not a regular file' ? 'is a directory' : r.error}`);
  return r.bytes;
}

/** Reads a ledger file strictly, without verifying it (for `bantam ledger show`). */
export function readLedgerFile(path: string, suites: SuiteSource): Ledger {
  return parseLedger(readFile(path), path, suites);
}

/**
 * Reads and fully verifies a ledger file. Structural damage: UserError (exit 2). A readable
 * ledger that fails verification: UserError with exit code 1 naming the line and tx. By default
 * the center's seal must cover every tx (requireFullSeal), so a dropped tail is detected; pass
 * `{ requireFullSeal: false }` for the weaker check (docs/ledger.md, "Verification modes").
 */
export function loadLedger(path: string, suites: SuiteSource, opts: VerifyOptions = {}): Ledger {
  const l = readLedgerFile(path, suites);
  const cs = typeof suites === 'function' ? suites(l.suite as SuiteName) : suites;
  const v = verifyLedger(l, cs, { requireFullSeal: true, ...opts });
  if (!v.ok) {
    const at = v.index < 0 ? 'header' : v.index < l.txs.length ? `tx ${v.index}` : 'end of ledger';
    throw new UserError(`${path}:${lineOfTx(v.index)}: ledger fails verification at ${at}: ${v.reason}`, [], 1);
  }
  return l;
}
