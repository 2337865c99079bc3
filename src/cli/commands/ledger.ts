/**
 * `bantam ledger verify FILE [--suite NAME] [--allow-unsealed] [--json]`
 * `bantam ledger show FILE [--suite NAME] [--allow-unsealed] [--json]`
 *
 * Exit codes: 0 the ledger verifies; 1 it is readable but fails verification (tampered, rewritten
 * in a non-canonical encoding, or not fully sealed without --allow-unsealed); 2 unreadable or
 * malformed file, or bad flags.
 */
import { getSuite } from '../../crypto/index.js';
import type { SuiteName } from '../../crypto/suite.js';
import { ARG_SCHEMA, CONTRACTS, LEDGER_FORMAT, LEDGER_VERSION, lineOfTx, readLedgerFile, verifyLedger, type Ledger, type Tx, type VerifyResult } from '../../ledger/index.js';
import { UserError } from '../../spec/diagnostics.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { parseArgs, type CliIo, type Command, type OptionTable } from '../args.js';
import { jsonOutput } from '../json-output.js';
import { tableLines } from '../../report/table.js';

export const OPTIONS = {
  suite: { type: 'string', value: 'NAME', help: 'expect this crypto suite (default: the one named in the file)' },
  'center-key': { type: 'string', value: 'HEX', help: 'verify: the center PK you trust (encoded point); default: trust the key in the file' },
  anchor: { type: 'string', value: 'N:HEX', help: 'verify: a head seen earlier (length N, head hash HEX): the ledger must still contain it' },
  'require-seal': { type: 'boolean', help: 'the default (kept for scripts): the center\'s seal must cover every tx, so a dropped tail is detected', conflicts: ['allow-unsealed'] },
  'allow-unsealed': { type: 'boolean', help: 'accept a ledger without a seal, or with txs after it (a dropped tail then goes unnoticed, except below the seal or an --anchor)' },
} as const satisfies OptionTable;

const USAGE = [
  'bantam ledger verify FILE [options]',
  '       bantam ledger show FILE [--suite NAME] [--json]',
  '',
  '  verify   replay the hash chain from genesis: tx indices, prev links, hashes, signatures',
  '           (center PK for registrations, PK_X = R_X + H1(ID_X, R_X)·PK for hospitals) and the',
  "           contract rules; then the center's seal over the head, if any",
  '  show     print every tx, then the same verdict',
].join('\n');

const ASSURANCE =
  'integrity check of a single-writer, signed hash chain (replayed from genesis); not a consensus protocol. ' +
  'Every line is the canonical encoding (no duplicate keys or rewrites). The center\'s seal covers every tx, so a dropped tail is detected.';
const ASSURANCE_UNSEALED =
  'integrity check of a single-writer, signed hash chain (replayed from genesis); not a consensus protocol. ' +
  'Every line is the canonical encoding (no duplicate keys or rewrites). --allow-unsealed: truncation of the tail is detected only below the length the center sealed or a given --anchor.';

const hex = bytesToHex;
const short = (b: Uint8Array): string => `${hex(b).slice(0, 16)}…`;

function argsJson(tx: Tx): Record<string, string> {
  const out: Record<string, string> = {};
  const rec = tx.args as unknown as Record<string, unknown>;
  for (const f of ARG_SCHEMA[tx.contract]) {
    const v = rec[f.name];
    out[f.name] = v instanceof Uint8Array ? hex(v) : String(v);
  }
  return out;
}

function argsText(tx: Tx): string {
  const rec = tx.args as unknown as Record<string, unknown>;
  return ARG_SCHEMA[tx.contract]
    .map((f) => {
      const v = rec[f.name];
      return `${f.name}=${v instanceof Uint8Array ? short(v) : f.type === 'text' ? JSON.stringify(v) : String(v)}`;
    })
    .join(' ');
}

function verdictJson(l: Ledger, v: VerifyResult) {
  if (v.ok) return { ok: true, length: v.length, head: v.head, sealed: v.sealed };
  return { ok: false, index: v.index, line: lineOfTx(v.index), at: where(l, v.index), reason: v.reason };
}

function where(l: Ledger, index: number): string {
  return index < 0 ? 'header' : index < l.txs.length ? `tx ${index}` : 'end of ledger';
}

function summary(l: Ledger, file: string, v: VerifyResult, keyHex: string | undefined, assurance: string): string[] {
  const counts = CONTRACTS.map((c) => [c, l.txs.filter((t) => t.contract === c).length] as const).filter(([, n]) => n > 0);
  const lines = [
    `ledger ${file}  (bantam-ledger v1, suite ${l.suite}, center ${l.centerId})`,
    `txs: ${l.txs.length}${counts.length ? ` (${counts.map(([c, n]) => `${c} ${n}`).join(', ')})` : ''}`,
    `center key: ${keyHex !== undefined ? 'checked against --center-key' : 'taken from the file (pass --center-key to pin it)'}`,
    `seal: ${l.seal ? `the center committed to the first ${l.seal.length} of ${l.txs.length} txs` : 'none (truncation of the tail cannot be detected)'}`,
  ];
  if (v.ok) {
    lines.push(`head: ${v.head}  (anchor for a later check: --anchor ${v.length}:${v.head})`);
    lines.push(`verdict: VALID — hash chain, signatures and contract rules replayed from genesis`);
  } else {
    lines.push(`verdict: FAILS at ${where(l, v.index)} (${v.index < 0 ? 'line 1' : `line ${lineOfTx(v.index)}`}): ${v.reason}`);
  }
  lines.push(`assurance: ${assurance}`);
  return lines;
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, OPTIONS);
  const unsealed = args.booleans.has('allow-unsealed');
  const assurance = unsealed ? ASSURANCE_UNSEALED : ASSURANCE;
  const [sub, file, ...extra] = args.positional;
  if (sub !== 'verify' && sub !== 'show') {
    throw new UserError(sub === undefined ? `missing subcommand\nusage: ${USAGE}` : `unknown subcommand '${sub}'; use verify or show`);
  }
  if (file === undefined) throw new UserError(`missing ledger FILE\nusage: ${USAGE}`);
  if (extra.length) throw new UserError(`unexpected argument '${extra[0]}'`);
  if (sub === 'show' && (args.booleans.has('require-seal') || args.values.has('center-key') || args.values.has('anchor'))) {
    throw new UserError('--require-seal, --center-key and --anchor apply to verify only');
  }
  const anchorRaw = args.values.get('anchor');
  let anchor: { length: number; head: Uint8Array } | undefined;
  if (anchorRaw !== undefined) {
    const m = /^(\d+):([0-9a-fA-F]{2,})$/.exec(anchorRaw);
    if (!m || m[2]!.length % 2 !== 0 || !Number.isSafeInteger(Number(m[1]))) {
      throw new UserError(`--anchor takes LENGTH:HEAD_HEX (as printed by 'ledger verify'), got '${anchorRaw}'`);
    }
    anchor = { length: Number(m[1]), head: hexToBytes(m[2]!.toLowerCase()) };
  }
  const keyHex = args.values.get('center-key');
  if (keyHex !== undefined && !/^(?:[0-9a-fA-F]{2})+$/.test(keyHex)) throw new UserError(`--center-key takes the hex of an encoded point, got '${keyHex}'`);

  const forced = args.values.get('suite');
  const forcedSuite = forced === undefined ? undefined : getSuite(forced); // unknown name → UserError
  const l = readLedgerFile(file, forcedSuite ?? ((name: SuiteName) => getSuite(name)));
  const cs = forcedSuite ?? getSuite(l.suite);
  const v = verifyLedger(l, cs, {
    requireFullSeal: !unsealed,
    ...(keyHex !== undefined ? { centerKey: hexToBytes(keyHex.toLowerCase()) } : {}),
    ...(anchor ? { anchor } : {}),
  });
  const code = v.ok ? 0 : 1;

  if (args.booleans.has('json')) {
    const base = {
      file,
      format: LEDGER_FORMAT,
      version: LEDGER_VERSION,
      suite: l.suite,
      centerId: l.centerId,
      centerKey: hex(l.centerKey),
      length: l.txs.length,
      seal: l.seal ? { length: l.seal.length, head: hex(l.seal.head) } : null,
      centerKeyTrusted: keyHex !== undefined ? 'given by --center-key' : 'taken from the file',
      verdict: verdictJson(l, v),
      assurance,
    };
    const txs =
      sub === 'show'
        ? l.txs.map((t) => ({ index: t.index, contract: t.contract, signer: t.signer, args: argsJson(t), prev: hex(t.prev), sig: hex(t.signature), hash: hex(t.hash) }))
        : undefined;
    const verdicts = [{ name: file, verdict: v.ok ? 'valid' : `fails at ${where(l, v.index)}`, ok: v.ok }];
    io.out(jsonOutput({ command: `ledger ${sub}`, ok: v.ok, assurance: ASSURANCE, seed: null, suite: l.suite, runs: null, verdicts }, txs ? { ...base, txs } : base));
    return code;
  }

  const out: string[] = [];
  if (sub === 'show') {
    const bad = v.ok ? -2 : v.index;
    // `!` marks the first transaction that fails verification
    out.push(...tableLines(l.txs.map((t) => [`${t.index === bad ? '!' : ' '}#${t.index}`, t.contract, `by ${t.signer}`, argsText(t), `hash ${short(t.hash)}`])));
    out.push('');
  }
  out.push(...summary(l, file, v, keyHex, assurance));
  io.out(out.join('\n'));
  return code;
}

export const command: Command = {
  name: 'ledger',
  summary: 'verify or show a saved ledger (hash chain, signatures, smart-contract rules)',
  usage: USAGE,
  options: OPTIONS,
  exit: '0 valid, 1 fails verification (tampered, or no seal under --require-seal), 2 unreadable or malformed file, or bad input',
  run,
};
