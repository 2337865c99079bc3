/**
 * Printing and parsing agree (issue 18, item 2): every spec the parser accepts prints
 * (src/spec/print-spec.ts) to a text that parses back to the same spec (specShape equal) — for
 * every spec in spec/, for generated specs in both notations, for mutated specs, and at the
 * depth limit (a 200-deep `^-1` chain prints as inv(inv(…)) and parses back). Flows included:
 * every spec with a `flow` section (spec/emr-flow.ban, spec/protocols/*, the classic specs that
 * include one) prints its flow, parses back to the same flow (flowShape) and type-checks to the
 * same typed protocol (checkSpecFlow, positions aside); so do generated and mutated flows.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { showTerm } from '../src/ban/print.js';
import { app, atom, believes, comb, controls, enc, fresh, inv, kaKey, pubKey, said, secret, sees, sharedKey, tuple, v, type Term } from '../src/ban/terms.js';
import { UserError } from '../src/spec/diagnostics.js';
import { DEFAULT_LIMITS } from '../src/spec/limits.js';
import { loadSpec } from '../src/spec/load.js';
import { parseSpec, type ParseOptions } from '../src/spec/parse.js';
import { printSpec, specShape } from '../src/spec/print-spec.js';
import type { Spec } from '../src/spec/ast.js';
import { inputRng } from '../fuzz/rng.js';
import { mutateText } from '../fuzz/mutate.js';
import { includeFrom, specCorpus } from '../fuzz/targets/parser.js';
import { flowStart, mutateFlow } from '../fuzz/flow-mutate.js';
import { protocolShape } from '../fuzz/targets/flow.js';
import { checkSpecFlow } from '../src/flow-lang/index.js';
import { ENVIRONMENTS, environmentSignatures } from '../src/interpret/index.js';

const SIGNATURES = environmentSignatures(ENVIRONMENTS);

/** Parses `text`; when accepted, asserts the printed form parses back to the same spec. Returns whether accepted. */
function roundTrips(file: string, text: string, opts: ParseOptions = {}): boolean {
  let spec: Spec;
  try {
    spec = parseSpec(file, text, opts);
  } catch (e) {
    if (e instanceof UserError) return false;
    throw e;
  }
  const printed = printSpec(spec);
  for (const line of printed.split('\n')) expect(line.length).toBeLessThanOrEqual(opts.limits?.maxLineLength ?? DEFAULT_LIMITS.maxLineLength);
  // the printed form indents, so an input near the byte limit can print past it: re-read with the byte limit raised to its size (as fuzz/targets/parser.ts)
  const bytes = Buffer.byteLength(printed);
  const back = parseSpec(file, printed, { limits: { ...(opts.limits ?? {}), ...(bytes > (opts.limits?.maxSpecBytes ?? DEFAULT_LIMITS.maxSpecBytes) ? { maxSpecBytes: bytes } : {}) } });
  expect(specShape(back)).toEqual(specShape(spec));
  if (spec.flow) expect(protocolShape(checkSpecFlow(back, { environments: SIGNATURES }))).toBe(protocolShape(checkSpecFlow(spec, { environments: SIGNATURES })));
  return true;
}

const PRINCIPALS = ['P', 'HA', 'HB', 'S'];
const HEADER = `protocol Gen
principals ${PRINCIPALS.join(', ')}
atoms
  nonce N1, T_PAT
  key K, SEK_AP
  pubkey PK_HPA
  secret Y
  function H
`;

/** Terms over the declared names (variables only where allowed). */
const arbTermOver = (withVars: boolean): fc.Arbitrary<Term> =>
  fc.letrec<{ term: Term }>((tie) => ({
    term: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom(...PRINCIPALS, 'N1', 'T_PAT', 'K', 'SEK_AP', 'PK_HPA', 'Y').map(atom),
      withVars ? fc.constantFrom('K', 'X').map(v) : fc.constant(atom('N1')),
      fc.array(tie('term'), { minLength: 2, maxLength: 3 }).map((xs) => tuple(...xs)),
      fc.tuple(tie('term'), tie('term'), fc.option(tie('term'), { nil: undefined })).map(([b, k, f]) => enc(b, k, f)),
      fc.tuple(tie('term'), tie('term'), fc.option(tie('term'), { nil: undefined })).map(([b, k, f]) => comb(b, k, f)),
      tie('term').map(inv),
      fc.array(tie('term'), { minLength: 1, maxLength: 3 }).map((xs) => app('H', ...xs)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => believes(a, b)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => said(a, b)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => controls(a, b)),
      fc.tuple(tie('term'), tie('term')).map(([a, b]) => sees(a, b)),
      tie('term').map(fresh),
      fc.tuple(tie('term'), tie('term'), tie('term')).map(([a, k, b]) => sharedKey(a, k, b)),
      fc.tuple(tie('term'), tie('term'), tie('term')).map(([a, k, b]) => secret(a, k, b)),
      fc.tuple(tie('term'), tie('term')).map(([k, o]) => pubKey(k, o)),
      fc.tuple(tie('term'), tie('term')).map(([o, k]) => kaKey(o, k)),
    ),
  })).term;

const arbNote = fc.option(fc.constantFrom('# why: P chose it', '# typo: as printed', '# source: §3.6', '# a remark', '// other'), { nil: undefined });
const arbStyle = fc.constantFrom<'ascii' | 'unicode'>('ascii', 'unicode');

/** Spec text with messages, assumptions, goals and a proof, terms written in either notation. */
const arbSpecText = fc
  .record({
    ka: fc.boolean(),
    messages: fc.array(fc.tuple(fc.constantFrom(...PRINCIPALS), fc.constantFrom(...PRINCIPALS), arbTermOver(false), arbStyle, arbNote, fc.boolean()), { maxLength: 3 }),
    assumptions: fc.array(fc.tuple(arbTermOver(true), arbStyle, arbNote), { maxLength: 3 }),
    goals: fc.array(fc.tuple(arbTermOver(false), arbStyle, arbNote), { maxLength: 2 }),
    proof: fc.array(fc.tuple(arbTermOver(false), fc.constantFrom('seeing', 'message meaning', 'MM-SK', 'nonce verification'), arbNote), { maxLength: 2 }),
  })
  .map((g) => {
    const out = [HEADER + (g.ka ? 'options key-agreement\n' : '')];
    const note = (n: string | undefined): string => (n ? `   ${n}` : '');
    if (g.messages.length) out.push('messages\n' + g.messages.map(([a, b, t, st, n, c], i) => `  M${i + 1}: ${a} -> ${b} : ${showTerm(t, st)}${c ? ' [concrete: initial.1]' : ''}${note(n)}\n`).join(''));
    if (g.assumptions.length) out.push('assumptions\n' + g.assumptions.map(([t, st, n], i) => `  A${i + 1}: ${showTerm(t, st)}${note(n)}\n`).join(''));
    if (g.goals.length) out.push('goals\n' + g.goals.map(([t, st, n], i) => `  G${i + 1}: ${showTerm(t, st)}${note(n)}\n`).join(''));
    const premises = [...g.messages.map((_, i) => `M${i + 1}`), ...g.assumptions.map((_, i) => `A${i + 1}`)];
    if (g.proof.length) out.push('proof\n' + g.proof.map(([t, rule, n], i) => `  S${i + 1}: ${showTerm(t)}\n      by ${rule}${premises.length ? ` from ${premises.join(', ')}` : ''}${note(n)}\n`).join(''));
    return out.join('');
  });

/** An expression of the flow language over a few names (docs/flow.md "Expressions"), sometimes ill-sorted. */
const arbFlowExpr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom('a', 'b', 'K', 'N', 'G', 'ID_A', 'pkB', 'skA'),
    fc.tuple(tie('e'), fc.constantFrom(' · ', ' + ', ' - ', '·'), tie('e')).map(([x, op, y]) => `${x}${op}${y}`),
    fc.array(tie('e'), { minLength: 1, maxLength: 3 }).map((xs) => `H(${xs.join(', ')})`),
    fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x}, ${y})`),
    fc.tuple(fc.constantFrom('E_', 'D_', 'S_', 'V_'), fc.constantFrom('K', 'skA', 'pkB'), tie('e')).map(([k, key, x]) => `${k}${key}(${x})`),
    fc.tuple(fc.constantFrom('kdf', 'mac', 'enc', 'dec', 'penc'), tie('e'), tie('e')).map(([f, x, y]) => `${f}(${x}, ${y})`),
  ),
})).e;

const FLOW_FIELD_TYPES = ['id', 'point', 'scalar', 'check', 'ciphertext', 'signature', 'bytes', 'key', 'nonce', 'hash', 'mac', 'pke'];
const FLOW_SORTS = ['scalar', 'point', 'key', 'nonce', 'bytes', 'id', 'hash'];

/** A spec whose flow has options, generator, participants (ids, ledger), a setup block, phases, steps and actions. */
const arbFlowSpecText = fc
  .record({
    wire: fc.option(fc.constantFrom('tagged', 'untagged'), { nil: undefined }),
    aead: fc.option(fc.constantFrom('field-step', 'none'), { nil: undefined }),
    generator: fc.option(fc.constantFrom('G', 'P'), { nil: undefined }),
    declare: fc.boolean(),
    ids: fc.boolean(),
    ledger: fc.boolean(),
    setup: fc.array(fc.oneof(fc.constant('share'), fc.constant('gen'), fc.constant('pub')), { maxLength: 3 }),
    phases: fc.array(
      fc.record({
        title: fc.option(fc.constantFrom('Registration', 'Login (two-pass)', 'Key exchange'), { nil: undefined }),
        section: fc.option(fc.constantFrom('§3.2', '§ 4.1.2'), { nil: undefined }),
        listed: fc.boolean(),
        local: fc.array(fc.tuple(arbFlowExpr, fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined })), { maxLength: 2 }),
        steps: fc.array(
          fc.record({
            forward: fc.boolean(),
            fields: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'N'), fc.constantFrom(...FLOW_FIELD_TYPES)), { maxLength: 3 }),
            secure: fc.boolean(),
            before: fc.array(fc.tuple(fc.constantFrom('computes', 'generates', 'knows', 'stores'), arbFlowExpr, fc.constantFrom(...FLOW_SORTS)), { maxLength: 2 }),
            after: fc.array(fc.tuple(fc.constantFrom('computes', 'checks', 'stores'), arbFlowExpr, fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined })), { maxLength: 2 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
      }),
      { minLength: 1, maxLength: 2 },
    ),
  })
  .map((g) => {
    const out = ['protocol FlowGen\nprincipals A, B, L\nflow\n'];
    if (g.wire) out.push(`  options wire ${g.wire}\n`);
    if (g.aead) out.push(`  options aead-ad ${g.aead}\n`);
    if (g.generator) out.push(`  generator ${g.generator}\n`);
    if (g.declare) {
      out.push(`  participant A "Alice (initiator)"${g.ids ? ' id ID_A = "alice"' : ''}\n`);
      out.push('  participant B "Bob"\n');
      out.push(`  participant L "Ledger"${g.ledger ? ' ledger' : ''}\n`);
    }
    if (g.setup.length) {
      out.push('  setup\n');
      g.setup.forEach((k, i) => {
        if (k === 'share') out.push(`    A, B share K${i}: key\n`);
        else if (k === 'gen') out.push(`    B generates skB${i}: scalar\n    B computes pkB${i} = skB${i}·G\n`);
        else out.push(`    A generates skA${i}: scalar\n    A computes pkA${i} = skA${i}·G\n    A publishes pkA${i}\n`);
      });
    }
    g.phases.forEach((p, k) => {
      const id = `ph${k}`;
      out.push(`  phase ${id}${p.title ? ` "${p.title}"` : ''}${p.section ? ` ${p.section}` : ''}\n`);
      if (p.listed) out.push('    participants A, B\n');
      p.local.forEach(([e, eq], i) => out.push(`    A computes l${i} = ${e}${eq ? `   (${eq})` : ''}\n`));
      p.steps.forEach((s, n) => {
        const [from, to] = s.forward ? ['A', 'B'] : ['B', 'A'];
        const fields = [...new Map(s.fields).entries()].map(([f, t]) => `${f}: ${t}`).join(', ');
        out.push(`    ${id}.${n + 1}: ${from} -> ${to} : (${fields})${s.secure ? ' secure' : ''}\n`);
        s.before.forEach(([verb, e, sort], i) =>
          out.push(`      ${from} ${verb} ${verb === 'computes' ? `v${n}${i} = ${e}` : verb === 'generates' ? `g${n}${i}: ${sort}` : verb === 'knows' ? 'a, b' : `(v${n}${i})`}\n`),
        );
        s.after.forEach(([verb, e, eq]) =>
          out.push(`      ${to} ${verb} ${verb === 'computes' ? `w${n} = ${e}` : verb === 'checks' ? `${e} =? a` : '(a, b)'}${eq ? `   (${eq})` : ''}\n`),
        );
      });
    });
    return out.join('');
  });

/** A flow that checks by construction: a shared key, then steps each sending a fresh nonce and a MAC the receiver checks. */
const arbExecutableFlowSpecText = fc
  .record({
    wire: fc.option(fc.constantFrom('tagged', 'untagged'), { nil: undefined }),
    steps: fc.array(fc.tuple(fc.boolean(), fc.subarray(['A', 'B', 'N0'], { minLength: 0 }), fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }), fc.boolean()), { minLength: 1, maxLength: 4 }),
  })
  .map((g) => {
    const out = [`protocol MacFlow\nprincipals A, B\nflow\n${g.wire ? `  options wire ${g.wire}\n` : ''}  participant A "Alice"\n  participant B "Bob"\n  setup\n    A, B share K: key\n  phase mac "MAC chain"\n`];
    g.steps.forEach(([forward, extra, eq, secure], i) => {
      const [from, to] = forward ? ['A', 'B'] : ['B', 'A'];
      const n = `N${i + 1}`;
      const items = [n, ...extra.filter((x) => x !== 'N0'), ...(i > 0 && extra.includes('N0') ? ['N1'] : [])];
      const body = items.length > 1 ? `(${items.join(', ')})` : items[0]!;
      out.push(`    mac.${i + 1}: ${from} -> ${to} : (${n}: nonce, t${i + 1}: mac)${secure ? ' secure' : ''}\n`);
      out.push(`      ${from} generates ${n}: nonce\n      ${from} computes t${i + 1} = mac(K, ${body})\n`);
      out.push(`      ${to} checks t${i + 1} =? mac(K, ${body})${eq ? `   (${eq})` : ''}\n`);
    });
    return out.join('');
  });

describe('print/parse round trip', () => {
  test('every spec in spec/ prints to a text that parses back to the same spec (flows included)', () => {
    const corpus = specCorpus();
    expect(corpus.files.size).toBeGreaterThan(10);
    let flows = 0;
    let executable = 0;
    for (const name of corpus.files.keys()) {
      const path = `spec/${name}`;
      const spec = loadSpec(path);
      const printed = printSpec(spec);
      const back = parseSpec(spec.file, printed);
      expect(specShape(back), name).toEqual(specShape(spec));
      if (!spec.flow) continue;
      flows++;
      expect(printed, name).toMatch(/^flow$/m);
      const original = checkSpecFlow(spec, { environments: SIGNATURES });
      if (original.ok) executable++;
      expect(protocolShape(checkSpecFlow(back, { environments: SIGNATURES })), name).toBe(protocolShape(original));
    }
    // emr-flow, the ten protocols of spec/protocols, the EMR specs and classic specs that include a flow
    expect(flows).toBeGreaterThanOrEqual(13);
    expect(executable).toBeGreaterThanOrEqual(11);
  });

  test('a printed flow keeps every part: options, participants with ids and ledger, shares, titles, sections, secure steps, equations', () => {
    const spec = loadSpec('spec/emr-flow.ban');
    const printed = printSpec(spec);
    expect(printed).toContain('  options wire tagged');
    expect(printed).toContain('  options aead-ad field-step');
    expect(printed).toMatch(/participant BC "Blockchain center" id ID_BC = "CENTER" ledger/);
    expect(printed).toMatch(/^  setup$/m);
    expect(printed).toMatch(/\) secure$/m);
    expect(printed).toMatch(/P computes \(EMR, Cert_HPA\) = D_SEK_AP\(c_HPA\)   \(32\)/);
    expect(printSpec(loadSpec('spec/protocols/mac-challenge-response.ban'))).toContain('    A, B share Kab: key');
  });

  test('property: a generated spec (ASCII or Unicode notation) that parses round-trips', () => {
    let accepted = 0;
    fc.assert(
      fc.property(arbSpecText, (text) => {
        if (roundTrips('gen.ban', text)) accepted++;
      }),
      { numRuns: 300 },
    );
    // Not vacuous: most generated specs are accepted (sort warnings do not reject).
    expect(accepted).toBeGreaterThan(100);
  });

  test('property: a mutated spec from spec/ that parses round-trips', () => {
    const corpus = specCorpus();
    const names = [...corpus.files.keys()];
    fc.assert(
      fc.property(fc.nat(), (i) => {
        const r = inputRng('roundtrip', i);
        const name = r.pick(names);
        roundTrips(name, mutateText(r, corpus.files.get(name)!));
      }),
      { numRuns: 150 },
    );
  });

  test('property: a generated flow round-trips and checks the same way', () => {
    let accepted = 0;
    let executable = 0;
    fc.assert(
      fc.property(fc.oneof(arbFlowSpecText, arbExecutableFlowSpecText), (text) => {
        if (!roundTrips('flow-gen.ban', text)) return;
        accepted++;
        if (checkSpecFlow(parseSpec('flow-gen.ban', text), { environments: SIGNATURES }).ok) executable++;
      }),
      { numRuns: 200 },
    );
    // Not vacuous: most generated flows parse, and a good share (the MAC chains) type-check.
    expect(accepted).toBeGreaterThan(150);
    expect(executable).toBeGreaterThan(40);
  });

  test('property: a flow-mutated executable spec that parses round-trips and checks the same way', () => {
    const corpus = specCorpus();
    const names = [...corpus.files.keys()].filter((n) => flowStart(corpus.files.get(n)!) >= 0);
    expect(names.length).toBeGreaterThanOrEqual(11);
    const include = includeFrom(corpus);
    let accepted = 0;
    fc.assert(
      fc.property(fc.nat(), (i) => {
        const r = inputRng('flow-roundtrip', i);
        const name = r.pick(names);
        const text = mutateFlow(r, corpus.files.get(name)!);
        let spec: Spec;
        try {
          spec = parseSpec(name, text, { include });
        } catch (e) {
          if (e instanceof UserError) return;
          throw e;
        }
        accepted++;
        const back = parseSpec(name, printSpec(spec));
        expect(specShape(back)).toEqual(specShape(spec));
        expect(protocolShape(checkSpecFlow(back, { environments: SIGNATURES }))).toBe(protocolShape(checkSpecFlow(spec, { environments: SIGNATURES })));
      }),
      { numRuns: 200 },
    );
    expect(accepted).toBeGreaterThan(40);
  });

  test('a long flow action wraps inside its parentheses and joins back to the same text', () => {
    const args = Array.from({ length: 400 }, (_, i) => `x${i}`).join(', ');
    const text = `${HEADER}flow\n  phase p\n    P computes y = H(${args})   (3)\n`;
    expect(roundTrips('long-flow.ban', text)).toBe(true);
    const printed = printSpec(parseSpec('long-flow.ban', text));
    expect(printed.split('\n').filter((l) => l.includes('x')).length).toBeGreaterThan(5);
  });

  test.each([
    ['a participant title leaving a parenthesis open (it was the last line; it is printed last)', 'flow\n  phase p\n    A computes x = a\n  participant A "Al (ice"\n'],
    ['an action leaving a parenthesis open at the end of the flow', 'flow\n  phase p\n    A computes x = f(a\n'],
    ['a phase title leaving a parenthesis open', 'flow\n  phase p "a (b"\n'],
    ['an action continued over lines (joined with one space)', 'flow\n  phase p\n    A computes x = H(a,\n        b)   (4)\n'],
    ['a 10,000-character action at column 1 with no parenthesis to wrap at (printed flush left)', `flow\n  phase p\nA computes x = ${'a + '.repeat(2495)}a (3)\n`],
    ['a 10,000-character participant line', `flow\nparticipant A "${'T'.repeat(9984)}"\n`],
    ['a long action by a party named like a section (printed one space in)', `flow\n  phase p\n goals computes x = ${'a + '.repeat(2494)}a\n`],
    ['a phase title continued over lines inside its parentheses (18,000 characters; campaign probe #997)', `flow\n  phase p "T (${'key - '.repeat(3000)}key)"\n`.replace(/(.{200}) /g, '$1\n      ')],
    ['a participant title continued over lines', `flow\n  participant A "A (${'x '.repeat(6000)}y)" ledger\n`.replace(/(.{200}) /g, '$1\n      ')],
    ['a share line, an id, a ledger and a secure step', 'flow\n  participant A "A" id ID_A = "alice" ledger\n  participant B\n  setup\n    A, B share K: key\n  phase p §2\n    p.1: A -> B : (x: nonce) secure\n      A generates x: nonce\n'],
  ])('a flow edge case round-trips: %s', (_, flow) => {
    expect(roundTrips('edge.ban', `protocol Edge\n${flow}`)).toBe(true);
  });

  test('at the depth limit: a 198-deep ^-1 chain is accepted and prints as inv(...) that parses back', () => {
    const text = `${HEADER}goals\n  G1: P |= K${'^-1'.repeat(198)}\n`;
    expect(roundTrips('deep.ban', text)).toBe(true);
    expect(printSpec(parseSpec('deep.ban', text))).toContain(`${'inv('.repeat(198)}K`);
  });

  test('at a raised limit: a 1,000-link chain round-trips over wrapped lines (depth 500 ceiling applies)', () => {
    const limits = { maxDepth: 500 };
    const inv = `${HEADER}goals\n  G1: P |= K${'^-1 '.repeat(498).replace(/(.{200}) /g, '$1\n      ')}\n`;
    expect(roundTrips('deep.ban', inv, { limits })).toBe(true);
    const angle = `${HEADER}goals\n  G1: P |= ${'<N1>_ '.repeat(497).replace(/(.{200}) /g, '$1\n      ')}K\n`;
    expect(roundTrips('deep.ban', angle, { limits })).toBe(true);
    // Past the limit: refused at parse time, never handed to the printer or the engine.
    const e = (() => {
      try {
        parseSpec('deep.ban', `${HEADER}goals\n  G1: P |= K${'^-1 '.repeat(1000).replace(/(.{200}) /g, '$1\n      ')}\n`, { limits });
      } catch (x) {
        return x as UserError;
      }
      return undefined;
    })();
    expect(e?.diagnostics[0]?.code).toBe('parse.depth');
  });

  test('a huge item wraps: the printed spec keeps every line under the line limit', () => {
    const text = `${HEADER}goals\n  G1: P |= (${'N1, T_PAT,\n    '.repeat(3000)}K)\n`;
    expect(roundTrips('wide.ban', text)).toBe(true);
  });
});
