import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { showTerm } from '../src/ban/print.js';
import { atom, comb, enc, termKey, tuple, app } from '../src/ban/terms.js';
import { formatDiagnostics, UserError, type Diagnostic } from '../src/spec/diagnostics.js';
import { loadSpec } from '../src/spec/load.js';
import { parseSpec } from '../src/spec/parse.js';

const HEAD = `protocol Demo
principals P, HA,
  S
atoms
  nonce     T_PAT, T_HPA,
            N2
  timestamp T_S
  key       SEK_AP, K_PS
  pubkey    PK_HPA, PK_PAT
  privkey   SK_HPA
  secret    CHK_AP
  id        ID_PAT, ID_HPA
  data      R_PAT
  function  H, F0
# (the lines below start at line 16)
`;

function errorsOf(text: string, file = 't.ban'): { diags: Diagnostic[]; shown: string } {
  try {
    parseSpec(file, text);
  } catch (e) {
    if (e instanceof UserError) return { diags: e.diagnostics, shown: formatDiagnostics(e.diagnostics, e.sources) };
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('a complete spec', () => {
  const text = `${HEAD}options key-agreement

messages
  M1: P -> HA : <ID_PAT, R_PAT, T_PAT>_{PK_HPA},
        <H(SEK_AP, T_HPA)>_{CHK_AP}        [concrete: initial.1, initial.3]
  M2: HA -> P : {T_PAT, {N2}_K_PS from S}_SEK_AP   # source: test
assumptions
  A1: P |= #(T_PAT)
  A6: HA |= P |=> P <-SEK_AP-> HA   # why: P chose the key
  J1: HA |= S |=> HA <-?K-> P       # schematic
goals
  G1: P |= P <-SEK_{AP}-> HA
  G7: HA |= P |~ T_PAT  # typo: printed as HB
proof
  S1: HA <| {T_PAT}_SEK_AP from P   by seeing from M1
  S2: HA |= P |~ T_PAT
        by message meaning from S1, A6
  S3: HA |= #(T_PAT, T_HPA) by MM-SK from S1 and A1
`;
  const spec = parseSpec('demo.ban', text);

  test('name, options, declarations (wrapped lists keep their sorts)', () => {
    expect(spec.name).toBe('Demo');
    expect(spec.options.keyAgreement).toBe(true);
    const sorts = Object.fromEntries(spec.declarations.map((d) => [d.name, d.sort]));
    expect(sorts).toMatchObject({ P: 'principal', S: 'principal', N2: 'nonce', T_S: 'timestamp', PK_HPA: 'pubkey', H: 'function' });
    expect(spec.declarations.find((d) => d.name === 'S')!.pos).toEqual({ file: 'demo.ban', line: 3, col: 3 });
  });

  test('messages: continuation lines, [concrete: ...], builders filled with the sender', () => {
    const [m1, m2] = spec.messages;
    expect(m1).toMatchObject({ label: 'M1', from: 'P', to: 'HA', concrete: ['initial.1', 'initial.3'], pos: { line: 19, col: 3 } });
    const P = atom('P');
    expect(termKey(m1!.body)).toBe(
      termKey(
        tuple(
          comb(tuple(atom('ID_PAT'), atom('R_PAT'), atom('T_PAT')), atom('PK_HPA'), P),
          comb(app('H', atom('SEK_AP'), atom('T_HPA')), atom('CHK_AP'), P),
        ),
      ),
    );
    // The written `from S` is kept; the outer ciphertext gets the sender HA.
    expect(termKey(m2!.body)).toBe(termKey(enc(tuple(atom('T_PAT'), enc(atom('N2'), atom('K_PS'), atom('S'))), atom('SEK_AP'), atom('HA'))));
    expect(m2!.notes).toEqual({ source: 'test' });
  });

  test('builders: a nested ciphertext inherits the nearest written `from`, else the sender', () => {
    const s = parseSpec('b.ban', `${HEAD}messages\n  M3: P -> HA : {T_PAT, {N2}_K_PS, <ID_PAT>_CHK_AP}_SEK_AP from S, <T_HPA>_CHK_AP\n`);
    const [S, P] = [atom('S'), atom('P')];
    expect(termKey(s.messages[0]!.body)).toBe(
      termKey(
        tuple(
          enc(tuple(atom('T_PAT'), enc(atom('N2'), atom('K_PS'), S), comb(atom('ID_PAT'), atom('CHK_AP'), S)), atom('SEK_AP'), S),
          comb(atom('T_HPA'), atom('CHK_AP'), P),
        ),
      ),
    );
  });

  test('assumptions carry their schematic variables; notes become ItemNotes', () => {
    expect(spec.assumptions.map((a) => a.label)).toEqual(['A1', 'A6', 'J1']);
    expect(spec.assumptions[2]!.vars).toEqual(['K']);
    expect(spec.assumptions[1]!.notes).toEqual({ why: 'P chose the key' });
    expect(spec.assumptions[2]!.notes).toEqual({ other: ['schematic'] });
    expect(showTerm(spec.assumptions[2]!.formula)).toBe('HA |= S |=> HA <-?K-> P');
  });

  test('goals, with notes', () => {
    expect(spec.goals.map((g) => showTerm(g.formula))).toEqual(['P |= P <-SEK_AP-> HA', 'HA |= P |~ T_PAT']);
    expect(spec.goals[1]!.notes).toEqual({ typo: 'printed as HB' });
  });

  test('proof statements: split at `by`; `from` is both the builder keyword and the premise list', () => {
    expect(spec.proof.map((s) => [s.label, showTerm(s.formula), s.rule, s.premises])).toEqual([
      ['S1', 'HA <| {T_PAT}_{SEK_AP} from P', 'seeing', ['M1']],
      ['S2', 'HA |= P |~ T_PAT', 'message meaning', ['S1', 'A6']],
      ['S3', 'HA |= #(T_PAT, T_HPA)', 'MM-SK', ['S1', 'A1']],
    ]);
  });

  test('warnings only where the spec asks for them: M1 combines with a public key', () => {
    expect(spec.diagnostics.map((d) => [d.code, d.pos.line, d.pos.col])).toEqual([['type.pubkey-as-secret', 19, 41]]);
    expect(spec.sources?.['demo.ban']).toBe(text);
  });

  test('the flow section goes to parseFlowSection and lands in Spec.flow', () => {
    const s = parseSpec('f.ban', `${HEAD}flow\n  phase initial "Initial treatment"\n`);
    expect(s.flow).toBeDefined();
    expect(Array.isArray(s.flow!.phases)).toBe(true);
    expect(parseSpec('g.ban', HEAD).flow).toBeUndefined();
  });

  test('Unicode spec text parses to the same terms as ASCII', () => {
    const uni = parseSpec('u.ban', `${HEAD}assumptions\n  A5: P| ≡ HA| ⇒ P ↔SEK_{AP} HA\n  A7: P ≡ ♯(T_PAT)\n`);
    const asc = parseSpec('a.ban', `${HEAD}assumptions\n  A5: P |= HA |=> P <-SEK_AP-> HA\n  A7: P |= #(T_PAT)\n`);
    expect(uni.assumptions.map((a) => termKey(a.formula))).toEqual(asc.assumptions.map((a) => termKey(a.formula)));
  });

  test('the protocol name defaults to the file name', () => {
    expect(parseSpec('dir/x-y.ban', 'principals A\n').name).toBe('x-y');
  });
});

describe('errors: position, caret, expected', () => {
  test('syntax error: exact file:line:col and caret under the column', () => {
    const { diags, shown } = errorsOf(`${HEAD}goals\n  G1: P |= #(T_PAT\n`);
    expect(diags).toHaveLength(1);
    expect(diags[0]).toMatchObject({ code: 'parse.expected', pos: { file: 't.ban', line: 17, col: 19 } });
    expect(shown.split('\n')).toEqual([
      "t.ban:17:19: error: expected ')' to close '#(', found end of item (parse.expected)",
      ' 17 |   G1: P |= #(T_PAT',
      '    |                   ^',
      " 17 = expected: ')' to close '#('".replace(' 17 =', '    ='),
    ]);
  });

  test('the caret covers the offending name', () => {
    const { shown } = errorsOf(`${HEAD}goals\n  G1: P |= HA |~ ID_PTA\n`);
    expect(shown.split('\n').slice(0, 3)).toEqual([
      "t.ban:17:18: error: undeclared name 'ID_PTA' (did you mean 'ID_PAT'?) (name.undeclared)",
      ' 17 |   G1: P |= HA |~ ID_PTA',
      '    |                  ^^^^^^',
    ]);
  });

  test('several errors are reported at once (recovery at the next item)', () => {
    const { diags } = errorsOf(`${HEAD}goals\n  G1: P |= #(\n  G2: P |= Q\n  G3: P |= #(T_PAT))\n  G4: P |= #(T_PAT)\n`);
    expect(diags.map((d) => [d.code, d.pos.line, d.pos.col])).toEqual([
      ['parse.expected', 17, 14],
      ['name.undeclared', 18, 12],
      ['parse.expected', 19, 20],
    ]);
  });

  test.each<[string, string, string, number, number]>([
    ['undeclared name', 'goals\n  G1: P |= #(NX)', 'name.undeclared', 17, 14],
    ['undeclared function', 'goals\n  G1: P |= #(G(T_PAT))', 'name.undeclared', 17, 14],
    ['a nonce applied as a function', 'goals\n  G1: P |= #(T_S(T_PAT))', 'name.sort', 17, 14],
    ['a function used bare', 'goals\n  G1: P |= #(H)', 'name.sort', 17, 14],
    ['duplicate label', 'goals\n  G1: P |= #(T_PAT)\n  G1: P |= #(T_HPA)', 'label.duplicate', 18, 3],
    ['duplicate declaration', 'atoms\n  data ID_PAT', 'name.duplicate', 17, 8],
    ['a reserved word declared', 'atoms\n  data by', 'name.reserved', 17, 8],
    ['variable in a goal', 'goals\n  G1: P |= #(?N)', 'name.variable', 17, 14],
    ['variable in a message', 'messages\n  M1: P -> HA : {?X}_SEK_AP', 'name.variable', 17, 18],
    ['variable in a proof', 'proof\n  S1: P |= #(?N) by freshness', 'name.variable', 17, 14],
    ['undeclared principal in a message', 'messages\n  M1: P -> Q : T_PAT', 'name.principal', 17, 12],
    ['a non-principal as sender', 'messages\n  M1: T_PAT -> HA : T_PAT', 'name.principal', 17, 7],
    ['missing -> in a message', 'messages\n  M1: P HA : T_PAT', 'parse.expected', 17, 9],
    ['missing : in a message', 'messages\n  M1: P -> HA T_PAT', 'parse.expected', 17, 15],
    ['bad step id in [concrete: ...]', 'messages\n  M1: P -> HA : T_PAT [concrete: initial]', 'parse.concrete', 17, 34],
    ['unknown rule', 'proof\n  S1: P |= #(T_PAT) by wishful thinking', 'proof.rule', 17, 24],
    ['statement without a rule', 'proof\n  S1: P |= #(T_PAT)', 'proof.by', 17, 20],
    ['premise: unknown label', 'proof\n  S1: P |= #(T_PAT) by freshness from A9', 'proof.premise-unknown', 17, 39],
    ['premise: a later statement', 'proof\n  S1: P |= #(T_PAT) by freshness from S2\n  S2: P |= #(T_PAT) by freshness', 'proof.premise-later', 17, 39],
    ['premise: itself', 'proof\n  S1: P |= #(T_PAT) by freshness from S1', 'proof.premise-later', 17, 39],
    ['premise: a goal', 'goals\n  G1: P |= #(T_PAT)\nproof\n  S1: P |= #(T_PAT) by freshness from G1', 'proof.premise-goal', 19, 39],
    ['empty premise list', 'proof\n  S1: P |= #(T_PAT) by freshness from', 'proof.premise', 17, 34],
    ['unknown option', 'options fast', 'option.unknown', 16, 9],
    ['duplicate section', 'goals\ngoals', 'parse.duplicate-section', 17, 1],
    ['line without a label', 'goals\n  P |= #(T_PAT)', 'parse.item', 17, 3],
    ['empty item', 'goals\n  G1:', 'parse.item', 17, 3],
    ['unknown sort', 'atoms\n  integer Z', 'parse.expected', 17, 3],
    ['bad character', 'goals\n  G1: P |= $', 'parse.token', 17, 12],
    ['include without a loader', 'include other.ban', 'include.unsupported', 16, 9],
  ])('%s', (_what, tail, code, line, col) => {
    const { diags, shown } = errorsOf(`${HEAD}${tail}\n`);
    const d = diags.find((x) => x.code === code);
    expect(d, `codes: ${diags.map((x) => x.code).join(', ')}\n${shown}`).toBeDefined();
    expect([d!.pos.line, d!.pos.col]).toEqual([line, col]);
    expect(shown).toContain(`t.ban:${line}:${col}: error:`);
  });

  test('a misspelt section keyword, and misspelt names, rules and labels, get a suggestion', () => {
    const { diags } = errorsOf(
      `${HEAD}goals\n  G1: P |= #(T_PTA)\ngaols\n  G2: P |= #(T_PAT)\nproof\n  S1: P |= #(T_PAT) by nonce verificaton from G3\n  S2: P |= #(T_PAT) by seeing from S1, AA1\nassumptions\n  AA2: P |= #(T_PAT)\nmessages\n  M1: P -> Q : T_PAT\n`,
    );
    expect(diags.map((d) => [d.code, d.pos.line, d.message])).toEqual([
      ['name.undeclared', 17, "undeclared name 'T_PTA' (did you mean 'T_PAT'?)"],
      ['parse.section', 18, "unknown section 'gaols' (did you mean 'goals'?)"],
      ['proof.rule', 21, "unknown rule 'nonce verificaton' (did you mean 'nonce verification'?)"],
      ['proof.premise-unknown', 21, "premise 'G3' is not a label of this spec (did you mean 'G1'?)"],
      ['proof.premise-unknown', 22, "premise 'AA1' is not a label of this spec (did you mean 'AA2'?)"],
      ['name.principal', 26, "undeclared principal 'Q' (did you mean 'P'?)"],
    ]);
  });

  test('a continuation line in column 1 is not mistaken for a section keyword', () => {
    const s = parseSpec('c.ban', `${HEAD}proof\n  S1: P |= #(T_PAT)\nby freshness\nfrom S0\n`.replace('from S0', ''));
    expect(s.proof[0]!.rule).toBe('freshness');
  });

  test('text before the first section, or an unknown section keyword there, is an error', () => {
    expect(errorsOf('  hello\nprincipals A').diags[0]).toMatchObject({ code: 'parse.section', pos: { line: 1, col: 3 } });
    expect(errorsOf('gaols\nprincipals A').diags[0]).toMatchObject({ code: 'parse.section', pos: { line: 1, col: 1 } });
  });
});

describe('named warnings (the spec still loads)', () => {
  const warn = (tail: string): [string, number, number][] =>
    parseSpec('w.ban', `${HEAD}${tail}\n`).diagnostics.map((d) => [d.code, d.pos.line, d.pos.col]);

  test('type.bare-term-belief', () => {
    expect(warn('goals\n  G5: P |= ID_HPA')).toEqual([['type.bare-term-belief', 17, 9]]);
    expect(warn('goals\n  G5: P |= (ID_HPA, #(T_PAT))')).toEqual([['type.bare-term-belief', 17, 9]]);
    expect(warn('goals\n  G5: P |= HA |~ ID_HPA')).toEqual([]);
  });
  test('type.bare-term-jurisdiction', () => {
    expect(warn('assumptions\n  A7: P |= HA |=> ID_HPA')).toEqual([['type.bare-term-jurisdiction', 17, 15]]);
    expect(warn('assumptions\n  A7: P |= HA |=> ?X')).toEqual([]);
  });
  test('type.pubkey-as-secret', () => {
    expect(warn('messages\n  M1: P -> HA : <ID_PAT>_{PK_HPA}')).toEqual([['type.pubkey-as-secret', 17, 27]]);
    expect(warn('goals\n  G1: P |= P <=PK_HPA=> HA')).toEqual([['type.pubkey-as-secret', 17, 16]]);
  });
  test('type.key-sort', () => {
    expect(warn('messages\n  M1: P -> HA : {ID_PAT}_T_PAT')).toEqual([['type.key-sort', 17, 26]]);
    expect(warn('goals\n  G1: T_PAT |= #(T_PAT)')).toEqual([['type.key-sort', 17, 7]]);
    expect(warn('goals\n  G1: P |= P <-PK_HPA-> HA')).toEqual([['type.key-sort', 17, 16]]);
    expect(warn('goals\n  G1: P |= ->SEK_AP HA')).toEqual([['type.key-sort', 17, 14]]);
    expect(warn('messages\n  M1: P -> HA : {ID_PAT}_inv(PK_HPA), {ID_PAT}_{SK_HPA}, {ID_PAT}_F0(T_PAT)')).toEqual([]);
  });
});

describe('includes (loadSpec)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bantam-parse-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'main.ban'), `protocol Main\ninclude sub/decl.ban\ngoals\n  G1: P |= #(N)\n`);
  writeFileSync(join(dir, 'sub', 'decl.ban'), `principals P\ninclude more.ban\n`);
  writeFileSync(join(dir, 'sub', 'more.ban'), `atoms\n  nonce N\n`);
  writeFileSync(join(dir, 'cyc-a.ban'), `principals P\ninclude cyc-b.ban\n`);
  writeFileSync(join(dir, 'cyc-b.ban'), `include cyc-a.ban\n`);
  writeFileSync(join(dir, 'miss.ban'), `principals P\ninclude nowhere.ban\n`);
  writeFileSync(join(dir, 'bad-inc.ban'), `include sub/bad.ban\n`);
  writeFileSync(join(dir, 'sub', 'bad.ban'), `principals P\ngoals\n  G1: P |= #(\n`);

  test('a file included twice by different paths (a diamond) is merged once', () => {
    writeFileSync(join(dir, 'dia-decl.ban'), `principals P\natoms\n  nonce N\n`);
    writeFileSync(join(dir, 'dia-a.ban'), `include dia-decl.ban\n`);
    writeFileSync(join(dir, 'sub', 'dia-b.ban'), `include ../dia-decl.ban\n`);
    writeFileSync(join(dir, 'dia.ban'), `include dia-a.ban\ninclude sub/dia-b.ban\ngoals\n  G1: P |= #(N)\n`);
    const s = loadSpec(join(dir, 'dia.ban'));
    expect(s.declarations.map((d) => d.name)).toEqual(['P', 'N']);
    expect(s.goals).toHaveLength(1);
  });

  test('paths are relative to the including file, nested includes work', () => {
    const s = loadSpec(join(dir, 'main.ban'));
    expect(s.name).toBe('Main');
    expect(s.declarations.map((d) => d.name)).toEqual(['P', 'N']);
    expect(s.declarations[1]!.pos.file).toMatch(/more\.ban$/);
    expect(Object.keys(s.sources ?? {})).toHaveLength(3);
  });

  const loadErr = (f: string): UserError => {
    try {
      loadSpec(join(dir, f));
    } catch (e) {
      if (e instanceof UserError) return e;
      throw e;
    }
    throw new Error('expected a UserError');
  };
  test('an include cycle is an error at the include line', () => {
    const e = loadErr('cyc-a.ban');
    expect(e.diagnostics[0]).toMatchObject({ code: 'include.cycle', pos: { line: 1, col: 9 } });
    expect(e.diagnostics[0]!.pos.file).toMatch(/cyc-b\.ban$/);
  });
  test('a missing include is an error at the include line', () => {
    const e = loadErr('miss.ban');
    expect(e.diagnostics[0]).toMatchObject({ code: 'include.missing', pos: { line: 2, col: 9 } });
    expect(formatDiagnostics(e.diagnostics, e.sources)).toContain('include nowhere.ban');
  });
  test('errors inside an included file name that file and carry its source', () => {
    const e = loadErr('bad-inc.ban');
    expect(e.diagnostics[0]!.pos.file).toMatch(/bad\.ban$/);
    expect(formatDiagnostics(e.diagnostics, e.sources)).toContain('G1: P |= #(');
  });
  test('a missing spec file is a UserError, not a crash', () => {
    expect(loadErr('none.ban').diagnostics[0]!.code).toBe('file.read');
  });
});
