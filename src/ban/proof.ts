/**
 * Proof trees from saturation, and their printed forms: numbered statements in the style of
 * the BAN paper ("Statement 3: HA |= P |~ X  by message meaning (MM-SK) from A6, M1"),
 * Markdown, LaTeX (bussproofs) and JSON-ready data.
 */
import { RULE_BY_ID, type RuleId } from './rules.js';
import type { State } from './saturate.js';
import { show, type Style } from './pretty.js';
import { termKey, type Term } from './terms.js';
import { adoptBuilders, hasBuilderless, rawKey } from './util.js';

export interface ProofNode {
  formula: Term;
  /** Engine rule id, or 'assumption' / 'message' / 'instance' for leaves. */
  rule: string;
  premises: ProofNode[];
  /** Label of the message or assumption a leaf comes from (M1, A3); for instances "J1 [?K := Kab]". */
  source?: string;
}

export function proofOf(st: State, key: string, memo: Map<string, ProofNode> = new Map()): ProofNode {
  const hit = memo.get(key);
  if (hit) return hit;
  const f = st.facts.get(key);
  if (!f) throw new Error(`internal: no fact ${key}`);
  const d = f.deriv;
  let node: ProofNode;
  if (d.rule === 'assumption' || d.rule === 'message') node = { formula: f.term, rule: d.rule, premises: [], source: d.source! };
  else if (d.rule === 'instance') node = { formula: f.term, rule: 'instance', premises: [], source: `${d.source} [${d.note}]` };
  else node = { formula: f.term, rule: d.rule, premises: d.premises.map((p) => proofOf(st, p, memo)) };
  memo.set(key, node);
  return node;
}

/** A proof of `goal` from the fact with the same identity; adds a symmetry step if the orientation differs. */
export function proofOfGoal(st: State, goal: Term): ProofNode | undefined {
  let f = st.facts.get(termKey(goal));
  if (!f && hasBuilderless(goal)) {
    // A goal written without `from R` on a ciphertext: any builder will do.
    for (const g of st.facts.values()) {
      if (termKey(adoptBuilders(goal, g.term)) === g.key) {
        f = g;
        break;
      }
    }
  }
  if (!f) return undefined;
  const p = proofOf(st, f.key);
  if (rawKey(f.term) === rawKey(adoptBuilders(goal, f.term))) return p;
  const rule = termKey(goal).includes('<-') ? 'SYM-SK' : 'SYM-SS';
  return { formula: goal, rule, premises: [p] };
}

export function ruleLabel(rule: string): string {
  const r = RULE_BY_ID.get(rule as RuleId);
  return r ? `${r.name} (${r.id})` : rule;
}

export interface Statement {
  n: number;
  formula: Term;
  rule: string;
  from: string[];
}

/** Numbered statements of one or more proofs; shared sub-proofs are stated once. */
export function statements(
  roots: readonly ProofNode[],
  start = 1,
  refOf: Map<string, string> = new Map(),
): { list: Statement[]; refOf: Map<string, string>; roots: string[] } {
  const list: Statement[] = [];
  const visit = (n: ProofNode): string => {
    const k = termKey(n.formula) + '\u0000' + rawKey(n.formula);
    const have = refOf.get(k);
    if (have) return have;
    if (!n.premises.length) {
      const ref = n.source ?? n.rule;
      refOf.set(k, ref);
      return ref;
    }
    const from = n.premises.map(visit);
    const num = start + list.length;
    list.push({ n: num, formula: n.formula, rule: n.rule, from });
    const ref = `(${num})`;
    refOf.set(k, ref);
    return ref;
  };
  const rootRefs = roots.map(visit);
  return { list, refOf, roots: rootRefs };
}

export function statementText(s: Statement, style: Style = 'ascii'): string {
  return `Statement ${s.n}: ${show(s.formula, style)}   by ${ruleLabel(s.rule)} from ${s.from.join(', ')}`;
}

// ---- LaTeX (bussproofs) ----

const INF = ['', '\\UnaryInfC', '\\BinaryInfC', '\\TrinaryInfC', '\\QuaternaryInfC', '\\QuinaryInfC'];

export function proofToBussproofs(p: ProofNode): string {
  const lines: string[] = [];
  const walk = (n: ProofNode): void => {
    const f = `$${show(n.formula, 'latex')}$`;
    if (!n.premises.length) {
      lines.push(`\\AxiomC{${f}${n.source ? ` \\scriptsize(${texEscape(n.source)})` : ''}}`);
      return;
    }
    if (n.premises.length > 5) {
      // bussproofs has at most five premises: cite the rest as axioms of one grouped line.
      n.premises.slice(0, 4).forEach(walk);
      lines.push(`\\AxiomC{\\dots\\ ${n.premises.length - 4} more premises}`);
      lines.push(`\\RightLabel{\\scriptsize ${texEscape(n.rule)}}`);
      lines.push(`\\QuinaryInfC{${f}}`);
      return;
    }
    n.premises.forEach(walk);
    lines.push(`\\RightLabel{\\scriptsize ${texEscape(n.rule)}}`);
    lines.push(`${INF[n.premises.length]}{${f}}`);
  };
  walk(p);
  return ['\\begin{prooftree}', ...lines, '\\end{prooftree}'].join('\n');
}

export function texEscape(s: string): string {
  return s.replace(/\\/g, '\\textbackslash{}').replace(/([_&%#{}$])/g, '\\$1').replace(/\?/g, '?');
}

// ---- JSON ----

export interface ProofJson {
  formula: string;
  rule: string;
  source?: string;
  premises: ProofJson[];
}

export function proofToJson(p: ProofNode): ProofJson {
  const out: ProofJson = { formula: show(p.formula), rule: p.rule, premises: p.premises.map(proofToJson) };
  if (p.source !== undefined) out.source = p.source;
  return out;
}
