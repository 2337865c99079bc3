import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mermaid from 'mermaid';
import { describe, expect, test } from 'vitest';
import { diagramForPhase, diagramsForFlow, diagramsForSpec, placeGoals } from '../src/diagrams/from-flow.js';
import { participantIds, text } from '../src/diagrams/mermaid.js';
import type { Spec } from '../src/spec/ast.js';
import { UserError } from '../src/spec/diagnostics.js';
import { parseFlowSection } from '../src/spec/flow.js';
import { loadSpec } from '../src/spec/load.js';
import { parseSpec } from '../src/spec/parse.js';
import { splitSections } from '../src/spec/sections.js';

/** Mermaid's own parser (the grammar the renderer uses); throws with Mermaid's message on a syntax error. */
async function mermaidParses(src: string): Promise<string> {
  const r = await mermaid.parse(src);
  return (r as { diagramType: string }).diagramType;
}

/** A spec text that includes spec/emr-flow.ban, parsed in memory. */
function specIncludingFlow(body: string): Spec {
  return parseSpec('spec/t.ban', `protocol T\ninclude emr-flow.ban\n${body}`, {
    include: (_from, inc) => ({ file: join('spec', inc), text: readFileSync(join('spec', inc), 'utf8') }),
  });
}

const flowSpec = () => loadSpec('spec/emr-flow.ban');

describe('flow diagrams of spec/emr-flow.ban', () => {
  test('one diagram per phase, each accepted by Mermaid as a sequence diagram', async () => {
    const ds = diagramsForSpec(flowSpec());
    expect(ds.map((d) => d.name)).toEqual(['setup', 'registration-patient', 'registration-hpa', 'registration-hpb', 'initial', 'inter']);
    for (const d of ds) expect(await mermaidParses(d.mermaid), d.name).toBe('sequence');
  });

  test('messages carry the paper step number (autonumber) and their fields, from the flow', () => {
    const spec = flowSpec();
    for (const phase of spec.flow!.phases) {
      const d = diagramForPhase(spec.flow!, phase);
      const lines = d.mermaid.split('\n');
      for (const s of phase.steps) {
        const i = lines.findIndex((l) => l.trim() === `%% ${s.id}`);
        expect(i, s.id).toBeGreaterThan(0);
        const num = lines.findIndex((l, j) => j > i && l.trim().startsWith('autonumber ') && l.trim() !== 'autonumber off');
        expect(lines[num]!.trim()).toBe(`autonumber ${s.id.split('.')[1]}`);
        const channel = s.channel === 'secure' ? ' over a secure channel' : '';
        expect(lines[num + 1]!.trim()).toBe(`${s.from}->>${s.to}: (${s.fields.map((f) => f.name).join(', ')})${channel}`);
      }
    }
  });

  test('every equation (1)–(73) is drawn exactly once, as a note or a call', () => {
    const all = diagramsForSpec(flowSpec()).map((d) => d.mermaid).join('\n');
    for (let n = 1; n <= 73; n++) expect(all.match(new RegExp(`\\(${n}\\)(?=<br/>|\\n)`, 'g'))?.length ?? 0, `eq ${n}`).toBe(1);
  });

  test('smart-contract calls go to the blockchain center as async arrows', () => {
    const d = diagramsForSpec(flowSpec()).find((x) => x.name === 'inter')!;
    expect(d.mermaid).toContain('  participant BC as Blockchain center\n');
    expect(d.mermaid.match(/^ {2}\w+--\)BC: smart contract (\w+)\(/gm)?.map((l) => /contract (\w+)/.exec(l)![1])).toEqual(['hbchk', 'ptchk', 'mrchk', 'mrins', 'ptins']);
  });

  test('a spec without a flow section is a UserError, not an empty result', () => {
    const spec = parseSpec('x.ban', 'protocol X\nprincipals A, B\n');
    expect(() => diagramsForSpec(spec)).toThrow(UserError);
  });
});

describe('BAN goals on the phases, taken from the spec', () => {
  const BODY = [
    'atoms',
    '  key SEK_AP, SEK_BP',
    '  nonce T_PAT',
    'messages',
    '  M1: HA -> P : {T_PAT, P <-SEK_AP-> HA}_{SEK_AP}   [concrete: STEP]',
    'goals',
    '  G1: P |= P <-SEK_AP-> HA',
    '  G2: P |= HA |= P <-SEK_AP-> HA',
    '  G3: HB |= #(T_PAT)',
    '  G4: P |= P <-SEK_BP-> HB',
  ].join('\n');

  test('goals follow the [concrete: ...] links of the messages that support them', () => {
    const at = (step: string) => placeGoals(specIncludingFlow(BODY.replace('STEP', step)));
    const initial = at('initial.2');
    expect([...initial.byPhase].map(([p, gs]) => [p, gs.map((g) => g.label)])).toEqual([['initial', ['G1', 'G2']]]);
    expect(initial.unplaced.map((g) => g.label)).toEqual(['G3', 'G4']);
    // Re-linking the message moves the goals: nothing about phases is hard-coded.
    expect([...at('inter.2').byPhase.keys()]).toEqual(['inter']);
  });

  test('a phase must mention all of a goal\'s names between its principals, not just one', () => {
    const spec = specIncludingFlow(
      [
        'atoms',
        '  key SEK_AP, SEK_BP',
        '  nonce T_PAT',
        'messages',
        '  M1: HA -> P : {T_PAT, SEK_AP}_{SEK_AP}   [concrete: initial.2]',
        '  M2: HB -> P : {T_PAT}_{SEK_BP}   [concrete: inter.2]',
        'goals',
        '  G1: P |= #(T_PAT)',
        '  G2: P |= #(T_PAT, SEK_AP)',
      ].join('\n'),
    );
    const { byPhase } = placeGoals(spec);
    expect([...byPhase].map(([p, gs]) => [p, gs.map((g) => g.label)])).toEqual([
      ['initial', ['G1', 'G2']],
      ['inter', ['G1']],
    ]);
  });

  test('the goal note is drawn in that phase only, with the formula in paper notation, and parses', async () => {
    const ds = diagramsForSpec(specIncludingFlow(BODY.replace('STEP', 'initial.2')));
    const initial = ds.find((d) => d.name === 'initial')!;
    expect(initial.mermaid).toContain('Note over P,BC: BAN goals of this phase (spec T):<br/>G1: P |≡ P ↔SEK_AP HA<br/>G2: P |≡ HA |≡ P ↔SEK_AP HA');
    expect(ds.filter((d) => d.mermaid.includes('BAN goals')).map((d) => d.name)).toEqual(['initial']);
    expect(await mermaidParses(initial.mermaid)).toBe('sequence');
  });

  test('a spec with no goals draws no goal note', () => {
    expect(diagramsForSpec(flowSpec()).some((d) => d.mermaid.includes('BAN goals'))).toBe(false);
  });
});

describe('Mermaid escaping', () => {
  test('text(): statement ends, entity starts, comments and HTML cannot leak', () => {
    expect(text('a;b #c %%d <e>')).toBe('a#59;b #35;c #37;#37;d #lt;e#gt;');
    expect(text('x\ny')).toBe('x<br/>y');
  });

  test('participant ids avoid keywords and collisions', () => {
    const ids = participantIds(['end', 'PAT-1', 'PAT_1', 'Note', '1x']);
    expect([...ids.values()]).toEqual(['p_end', 'PAT_1', 'PAT_1_2', 'p_Note', 'p_1x']);
  });

  test('a flow full of Mermaid syntax still yields a diagram Mermaid parses, with the text intact', async () => {
    const src = [
      'flow',
      '  participant end "Party; end %% <b>x</b>"',
      '  participant B "B #(1)"',
      '  phase p "Title: with {braces} and ; semicolons" §9',
      '    p.1: end -> B : (X: id)',
      '      end computes Z = #(X; Y)',
      '      end calls c(a; b)',
      '      B checks W =? V<3> %% 50%   (7)',
    ].join('\n');
    const split = splitSections('n.ban', src);
    const { flow, diagnostics } = parseFlowSection(split.sections[0]!, 'n.ban');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [d] = diagramsForFlow(flow);
    expect(await mermaidParses(d!.mermaid)).toBe('sequence');
    expect(d!.mermaid).toContain('participant p_end as Party#59; end #37;#37; #lt;b#gt;x#lt;/b#gt;');
    expect(d!.mermaid).toContain('Note over B: check W =? V#lt;3#gt; #37;#37; 50#37;  (7)');
    // In every label and note, only entity codes and our own <br/> remain of the special characters.
    const labels = d!.mermaid.split('\n').flatMap((l) => /^ {2}(?:Note over [^:]+|\w+(?:->>|--\)|-x)\w+): (.*)$/.exec(l)?.[1] ?? []);
    expect(labels.length).toBe(4);
    for (const l of labels) expect(l.replace(/<br\/>/g, '').replace(/#\w+;/g, '')).not.toMatch(/[;<>#%]/);
  });
});

describe('flow diagrams of the executable library specs (spec/protocols)', () => {
  test.each(['nspk', 'nsl', 'sts'])('%s: the setup block and each phase are accepted by Mermaid', async (n) => {
    const ds = diagramsForSpec(loadSpec(`spec/protocols/${n}.ban`));
    expect(ds[0]!.name).toBe('setup-block');
    expect(ds[0]!.mermaid).toMatch(/Note over A: fresh skA: scalar<br\/>pkA = skA·G<br\/>publishes pkA/);
    for (const d of ds) expect(await mermaidParses(d.mermaid), d.name).toBe('sequence');
  });
});
