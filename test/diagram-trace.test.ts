import mermaid from 'mermaid';
import { describe, expect, test } from 'vitest';
import { diagramForTrace, diagramsForTrace, sendLabel, tracePhases } from '../src/diagrams/from-trace.js';
import { parseTraceJson } from '../src/diagrams/trace-json.js';
import { attackedInitialTrace, honestInitialTrace } from '../src/diagrams/trace-fixtures.js';
import type { Trace } from '../src/diagrams/trace-types.js';
import { UserError } from '../src/spec/diagnostics.js';

const body = (src: string) => src.split('\n').map((l) => l.trim());

describe('trace diagrams: an honest run', () => {
  const d = diagramForTrace(honestInitialTrace(), { phase: 'initial' });

  test('Mermaid parses it', async () => {
    expect(((await mermaid.parse(d.mermaid)) as { diagramType: string }).diagramType).toBe('sequence');
  });

  test('each delivered message is numbered by its paper step and labelled with real field sizes', () => {
    const lines = body(d.mermaid);
    const arrows = lines.filter((l) => l.includes('->>'));
    expect(arrows).toEqual([
      'PAT_1->>HPA: initial.1 (ID_PAT 16 B, R_PAT 33 B, T_PAT 33 B) = 82 B',
      'HPA->>PAT_1: initial.2 (ID_HPA 16 B, R_HPA 33 B, T_HPA 33 B, CHK_PA 32 B) = 114 B',
      'PAT_1->>HPA: initial.3 (ID_PAT 16 B, c_PAT 60 B, CHK_AP 32 B) = 108 B',
      'HPA->>PAT_1: initial.4 (ID_HPA 16 B, c_HPA 120 B, Sig_HPA 64 B) = 200 B',
    ]);
    for (const [i, a] of arrows.entries()) expect(lines[lines.indexOf(a) - 1]).toBe(`autonumber ${i + 1}`);
  });

  test('checks are ✓ with their equation; computations and passed checks are grouped per party; no adversary drawn', () => {
    expect(d.mermaid).toContain('Note over PAT_1: PK_HPA  (21)<br/>SEK_AP  (24)<br/>✓ check CHK_PA  (25)');
    expect(d.mermaid).toContain('Note over HPA: T_HPA = b·P  (15)<br/>PK_PAT  (16)<br/>K_AP1  (17)<br/>K_AP2  (18)<br/>SEK_AP  (19)<br/>CHK_PA  (20)');
    expect(d.mermaid).toContain('PAT_1--)CENTER: ✓ smart contract hachk: HPA registered');
    expect(d.mermaid).toContain('participant PAT_1 as PAT-1 (P)');
    expect(d.mermaid).not.toContain('Adversary');
    expect(d.mermaid.match(/✓ accepts session s1/g)).toHaveLength(2);
  });
});

describe('trace diagrams: a run under attack', () => {
  const trace = attackedInitialTrace();
  const d = diagramForTrace(trace);
  const lines = body(d.mermaid);
  /** The rect block (its colour line and contents) that contains the line matching `re`. */
  const rectOf = (re: RegExp) => {
    const i = lines.findIndex((l) => re.test(l));
    expect(i, String(re)).toBeGreaterThan(0);
    let s = i;
    while (s > 0 && !lines[s]!.startsWith('rect ')) s--;
    return lines[s]!;
  };

  test('Mermaid parses it', async () => {
    expect(((await mermaid.parse(d.mermaid)) as { diagramType: string }).diagramType).toBe('sequence');
  });

  test('the adversary is a participant; tampered deliveries come from it, dashed, in orange', () => {
    expect(lines).toContain('participant Adversary as Adversary');
    expect(lines).toContain('Adversary--)PAT_1: modify: initial.2 (ID_HPA 16 B, R_HPA 33 B, T_HPA 33 B, CHK_PA 32 B) = 114 B');
    expect(lines).toContain('Adversary--)PAT_1: replay: initial.2 (ID_HPA 16 B, R_HPA 33 B, T_HPA 33 B, CHK_PA 32 B) = 114 B');
    expect(lines).toContain('Adversary--)HPA: inject: initial.1');
    expect(rectOf(/^Adversary--\)PAT_1: modify/)).toBe('rect rgba(255, 165, 0, 0.18)');
    // The modified message is not also drawn as an honest delivery.
    expect(lines.filter((l) => l.startsWith('HPA->>PAT_1'))).toEqual([]);
  });

  test('drops end in a cross at the adversary; an undelivered send is crossed at its receiver', () => {
    expect(lines).toContain('PAT_1-xAdversary: initial.3 (ID_PAT 16 B, c_PAT 60 B, CHK_AP 32 B) = 108 B dropped');
    expect(lines).toContain('PAT_1-xHPA: initial.1 (ID_PAT 16 B, R_PAT 33 B, T_PAT 33 B) = 82 B, never delivered');
    expect(rectOf(/-xAdversary/)).toBe('rect rgba(230, 60, 60, 0.15)');
  });

  test('delay and reorder are adversary notes (escaped), observations hidden unless asked for', () => {
    expect(lines).toContain('Note over Adversary: delay initial.1: held for 2 deliveries');
    expect(lines).toContain('Note over Adversary: reorder initial.1: swapped with message #35;19');
    expect(d.mermaid).not.toContain('observes');
    expect(diagramForTrace(trace, { showObserve: true }).mermaid).toContain('Note over Adversary: observes initial.1: learns ID_PAT, R_PAT, T_PAT');
  });

  test('failed check ✗ with reason, abort with equation, rejections and a failed contract in red', () => {
    expect(lines).toContain('Note over PAT_1: ✗ check CHK_PA  (25): CHK_PA ≠ H3(SEK_AP, T_PAT)');
    expect(rectOf(/✗ check CHK_PA/)).toBe('rect rgba(230, 60, 60, 0.15)');
    expect(lines).toContain('Note over PAT_1: ✗ aborts session s1: hospital not authenticated (eq 25)');
    expect(lines).toContain('Note over HPA: ✗ rejects initial.1: T_PAT is not a curve point');
    expect(lines).toContain('HPA--)CENTER: ✗ smart contract ptchk: unknown patient');
    expect(rectOf(/✗ smart contract ptchk/)).toBe('rect rgba(230, 60, 60, 0.15)');
  });
});

describe('trace diagrams: phases and input', () => {
  const twoPhases = (): Trace => {
    const a = honestInitialTrace();
    const n = a.events.length;
    return {
      ...a,
      events: [
        ...a.events,
        { kind: 'send', seq: n + 1, phase: 'inter', step: 'inter.1', session: 's2', from: 'PAT-1', to: 'HPB', msgType: 'inter.1', size: 82, fields: [{ name: 'ID_PAT', size: 16 }, { name: 'R_PAT', size: 33 }, { name: 'T_PAT2', size: 33 }] },
        { kind: 'deliver', seq: n + 2, ref: n + 1, to: 'HPB' },
      ],
    };
  };

  test('one diagram per phase, each with only its own events', async () => {
    const t = twoPhases();
    expect(tracePhases(t)).toEqual(['initial', 'inter']);
    const ds = diagramsForTrace(t);
    expect(ds.map((d) => d.name)).toEqual(['trace-initial', 'trace-inter']);
    expect(ds[1]!.mermaid).toContain('autonumber 1\n  PAT_1->>HPB: initial'.replace('initial', 'inter.1'));
    expect(ds[1]!.mermaid).not.toContain('initial.');
    for (const d of ds) await mermaid.parse(d.mermaid);
    // The whole-run diagram marks where each phase starts.
    expect(diagramForTrace(t).mermaid.match(/Note over PAT_1,\w+: phase (\w+)/g)).toEqual(['Note over PAT_1,CENTER: phase initial', 'Note over PAT_1,CENTER: phase inter']);
  });

  test('sendLabel sums nothing itself: it shows the recorded total size', () => {
    const s = { kind: 'send' as const, seq: 1, phase: 'p', step: 'p.1', session: 's', from: 'A', to: 'B', msgType: 'p.1', size: 99, fields: [{ name: 'X', size: 3 }] };
    expect(sendLabel(s)).toBe('p.1 (X 3 B) = 99 B');
  });

  test('a trace file round-trips through JSON; a damaged one names the bad event', () => {
    const t = attackedInitialTrace();
    expect(parseTraceJson(JSON.stringify(t), 't.json')).toEqual(t);
    const bad = JSON.parse(JSON.stringify(t)) as { events: Record<string, unknown>[] };
    bad.events[4]!.action = 'teleport';
    expect(() => parseTraceJson(JSON.stringify(bad), 't.json')).toThrow(new UserError('t.json: event 5: unknown adversary action "teleport"'));
    bad.events[4]!.action = 'inject';
    delete bad.events[1]!.size;
    expect(() => parseTraceJson(JSON.stringify(bad), 't.json')).toThrow("t.json: event 2: 'size' must be a number");
    expect(() => parseTraceJson('{"suite": 1}', 't.json')).toThrow('not a run trace');
    expect(() => parseTraceJson('{', 't.json')).toThrow('t.json: not JSON');
  });
});
