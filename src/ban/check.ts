/**
 * Checking a hand proof (the `proof` section: statements as a paper prints them) one step at a
 * time, against the engine's rules.
 *
 * A step is valid when one of the engine rules its written rule name may mean concludes the
 * stated formula from exactly the cited premises in one application. Papers often leave the
 * decomposition of a message implicit ("from M1" for a part of M1), so a step is also accepted
 * after closing the cited premises under the decomposition rules (SEE-TUPLE, SEE-COMB, BEL-E,
 * BELBEL-E, SAID-E) — and says so. Otherwise the step is invalid, with the reason.
 */
import { activeRules, RULE_BY_ID, rulesForName, type RuleId } from './rules.js';
import { buildUniverse, fire, insertFact, known, newState, type Fact, type Schema, type State } from './saturate.js';
import { alternatives, showHoles } from './why.js';
import { sortsOfSpec, sortViolation, type Sorts } from './sorts.js';
import { unify } from './match.js';
import { show } from './pretty.js';
import { conjuncts, sees, type Term } from './terms.js';
import { adoptBuilders, fillBuilders, hasBuilderless, isCleartext, isGround, keyOf, rawKey } from './util.js';
import type { Spec } from '../spec/ast.js';

export interface StepVerdict {
  label: string;
  valid: boolean;
  /** The engine rule that justified the step, or the rule name as written when none did. */
  rule: string;
  reason?: string;
  /** The rule name as written in the proof. */
  written: string;
  /** Engine rules the written name was matched to. */
  tried: string[];
  note?: string;
  /** Labels of invalid steps this one depends on. */
  dependsOnInvalid?: string[];
}

export interface ProofCheck {
  spec: string;
  steps: StepVerdict[];
  valid: boolean;
  ruleSet: string[];
}

const DECOMPOSE: ReadonlySet<string> = new Set(['SEE-TUPLE', 'SEE-COMB', 'BEL-E', 'BELBEL-E', 'SAID-E']);

interface Premise {
  label: string;
  term: Term;
  schematic: boolean;
}

function miniState(premises: Premise[], claim: Term, keyAgreement: boolean): State {
  const schemata: Schema[] = premises.filter((p) => p.schematic).map((p) => ({ label: p.label, formula: p.term }));
  const st = newState(schemata, buildUniverse([...premises.map((p) => p.term), claim]), keyAgreement);
  for (const p of premises) {
    if (p.schematic || st.facts.has(keyOf(p.term))) continue;
    insertFact(st, p.term, { rule: p.label.startsWith('M') ? 'message' : 'assumption', premises: [], source: p.label });
  }
  return st;
}

/** Conclusions of one application of the given rules with the facts of st as the only premises. */
function oneStep(st: State, rules: ReadonlySet<string>): Map<string, { term: Term; rule: string; premises: string[] }> {
  const out = new Map<string, { term: Term; rule: string; premises: string[] }>();
  const facts: Fact[] = [...st.facts.values()];
  for (const f of facts) {
    fire(st, f, (c, rule, premises) => {
      if (!rules.has(rule)) return;
      const k = keyOf(c);
      if (!out.has(k)) out.set(k, { term: c, rule, premises });
    });
  }
  // Instances created by lookups are premises too: fire them once as triggers.
  const inst = st.newInstances;
  st.newInstances = [];
  for (const f of inst) {
    fire(st, f, (c, rule, premises) => {
      if (!rules.has(rule)) return;
      const k = keyOf(c);
      if (!out.has(k)) out.set(k, { term: c, rule, premises });
    });
  }
  return out;
}

/** Close a mini state under the decomposition rules only. */
function decompose(st: State): void {
  // Like run(), but only the decomposition rules.
  let delta: Fact[] = [...st.facts.values()];
  while (delta.length) {
    const pending = new Map<string, { term: Term; rule: RuleId; premises: string[] }>();
    for (const f of delta) {
      fire(st, f, (c, rule, premises) => {
        if (!DECOMPOSE.has(rule)) return;
        const k = keyOf(c);
        if (!st.facts.has(k) && !pending.has(k)) pending.set(k, { term: c, rule, premises });
      });
    }
    delta = [];
    for (const p of pending.values()) delta.push(insertFact(st, p.term, { rule: p.rule, premises: p.premises }));
  }
}

export function checkProof(spec: Spec, opts: { keyAgreement?: boolean } = {}): ProofCheck {
  const keyAgreement = opts.keyAgreement ?? spec.options.keyAgreement;
  const messages = new Map(spec.messages.map((m) => [m.label, m]));
  const assumptions = new Map(spec.assumptions.map((a) => [a.label, a]));
  const stepIndex = new Map(spec.proof.map((s, i) => [s.label, i]));
  const verdicts = new Map<string, StepVerdict>();
  const principals = principalsOf(spec);
  const sorts = sortsOfSpec(spec);
  const steps: StepVerdict[] = [];
  /** A valid statement's formula as the engine derived it (builders filled in), for later steps. */
  const engineForm = new Map<string, Term>();
  const messageTerms = new Map<string, Term>();

  spec.proof.forEach((step, i) => {
    const claim = step.formula;
    const candidates = rulesForName(step.rule, keyAgreement);
    const tried = candidates.map((r) => r.id);
    const base = { label: step.label, written: step.rule, tried };
    let invalidDeps: string[] = [];
    const verdict = (v: Omit<StepVerdict, 'label' | 'written' | 'tried'>): void => {
      let out: StepVerdict = { ...base, ...v };
      if (invalidDeps.length) {
        // The step rests on invalid statements; say so, and still judge the step on its own.
        const deps = `depends on invalid statement${invalidDeps.length > 1 ? 's' : ''} ${invalidDeps.join(', ')}`;
        const own = v.valid ? `granting its premises, the step itself is valid (${v.rule}${v.note ? `, ${v.note}` : ''})` : `the step itself is also invalid: ${v.reason}`;
        out = { ...base, valid: false, rule: v.valid ? v.rule : step.rule, reason: `${deps}; ${own}`, dependsOnInvalid: invalidDeps };
      }
      verdicts.set(step.label, out);
      steps.push(out);
    };

    // 1. Resolve the cited premises.
    const premises: Premise[] = [];
    const problems: string[] = [];
    for (const lab of step.premises) {
      const m = messages.get(lab);
      const a = assumptions.get(lab);
      const j = stepIndex.get(lab);
      if (m) {
        // Built once per message and check: steps citing the same message share its terms (and their keys).
        let term = messageTerms.get(lab);
        if (!term) messageTerms.set(lab, (term = sees({ kind: 'atom', name: m.to }, fillBuilders(m.body, { kind: 'atom', name: m.from }))));
        premises.push({ label: lab, term, schematic: false });
      } else if (a) premises.push({ label: lab, term: a.formula, schematic: !isGround(a.formula) });
      else if (j !== undefined && j < i) {
        const v = verdicts.get(lab)!;
        if (!v.valid) invalidDeps = [...invalidDeps, lab];
        premises.push({ label: lab, term: engineForm.get(lab) ?? spec.proof[j]!.formula, schematic: false });
      } else if (j !== undefined) problems.push(`premise not yet established: ${lab} is statement ${j + 1}, after this one (statement ${i + 1})`);
      else problems.push(`premise not yet established: '${lab}' is not a message, an assumption or an earlier statement`);
    }
    if (problems.length) return verdict({ valid: false, rule: step.rule, reason: problems.join('; ') });
    if (!candidates.length) {
      const names = [...new Set(activeRules(keyAgreement).map((r) => r.name))];
      return verdict({ valid: false, rule: step.rule, reason: `rule name unknown: '${step.rule}' (known: ${names.join(', ')}, or an engine rule id)` });
    }
    const ids = new Set<string>(tried);
    const ck = keyOf(claim);

    // 2. One application of a candidate rule to exactly the cited premises.
    const st = miniState(premises, claim, keyAgreement);
    const direct = oneStep(st, ids);
    const find = <T extends { term: Term }>(xs: Iterable<T>): T | undefined => {
      for (const x of xs) if (matches(x.term)) return x;
      return undefined;
    };
    const loose = hasBuilderless(claim);
    const matches = (t: Term): boolean => keyOf(t) === ck || (loose && keyOf(adoptBuilders(claim, t)) === keyOf(t));
    const hit = direct.get(ck) ?? (loose ? find(direct.values()) : undefined);
    if (hit) {
      engineForm.set(step.label, hit.term);
      const sym = rawKey(hit.term) !== rawKey(claim) && keyOf(hit.term) === ck ? ' (with symmetry of the key/secret statement)' : '';
      return verdict({ valid: true, rule: hit.rule, ...(sym ? { note: `valid${sym}` } : {}) });
    }
    const restated = find(premises.filter((p) => !p.schematic));
    if (restated) {
      engineForm.set(step.label, restated.term);
      return verdict({ valid: true, rule: step.rule, note: `restates ${restated.label}` });
    }

    // 3. The same after implicit decomposition of the cited premises.
    decompose(st);
    const closed = oneStep(st, ids);
    const viaDecomp = [...ids].some((r) => DECOMPOSE.has(r)) ? find([...st.facts.values()].filter((f) => DECOMPOSE.has(f.deriv.rule))) : undefined;
    const hit2 = closed.get(ck) ?? (loose ? find(closed.values()) : undefined) ?? (viaDecomp ? { term: viaDecomp.term, rule: viaDecomp.deriv.rule, premises: [] } : undefined);
    if (hit2) {
      engineForm.set(step.label, hit2.term);
      return verdict({ valid: true, rule: hit2.rule, note: `valid after implicit decomposition of the cited premises (seeing/belief/said decomposition)` });
    }

    // 4. Invalid: say why.
    const reason = explainFailure(st, claim, candidates.map((r) => r.id), closed, principals, premises, sorts);
    verdict({ valid: false, rule: step.rule, reason });
  });
  return { spec: spec.name, steps, valid: steps.every((s) => s.valid), ruleSet: activeRules(keyAgreement).map((r) => r.id) };
}

/** A rule pattern with its metavariables printed as plain names (P, Q, X). */
function showPattern(t: Term): string {
  return show(t).replace(/\?([A-Za-z][A-Za-z0-9_']*)/g, '$1');
}

/** Can the rule's conclusion have the claim's shape at all? (n-ary tuples fit the binary pattern.) */
function shapeFits(id: RuleId, claim: Term): boolean {
  const c = RULE_BY_ID.get(id)!.conclusion;
  const widen = (t: Term): Term => {
    const cs = conjuncts(t);
    return t.kind === 'tuple' && cs.length > 2 ? { kind: 'tuple', items: [cs[0]!, { kind: 'tuple', items: cs.slice(1) }] } : t;
  };
  const claimW = claim.kind === 'believes' && claim.what.kind === 'fresh' ? { ...claim, what: { ...claim.what, what: widen(claim.what.what) } } : claim.kind === 'believes' ? { ...claim, what: widen(claim.what) } : claim;
  if (id === 'KA' || id === 'KA-FRESH' || id === 'FRESH-F') return claim.kind === 'believes';
  return unify(c, claimW as Term).length > 0 || unify(c, claim).length > 0;
}

function explainFailure(
  st: State,
  claim: Term,
  tried: RuleId[],
  produced: Map<string, { term: Term; rule: string }>,
  principals: Term[],
  cited: readonly Premise[],
  sorts: Sorts,
): string {
  const triedText = `tried ${tried.join(', ')}`;
  // Message meaning cited with a freshness belief and no key, public-key or secret belief: the
  // reason is the rule's form, not a missing key (NON_RULES no-mm-freshness).
  if (tried.some((id) => id.startsWith('MM-')) && claim.kind === 'believes' && claim.what.kind === 'said') {
    const isBelief = (p: Premise, kinds: string[]): boolean => p.term.kind === 'believes' && kinds.includes(p.term.what.kind);
    const freshCited = cited.filter((p) => isBelief(p, ['fresh']));
    const keyCited = cited.some((p) => isBelief(p, ['sharedKey', 'pubKey', 'secret']));
    if (freshCited.length && !keyCited) {
      const which = freshCited.map((p) => `${p.label} (${show(p.term)})`).join(', ');
      return (
        `message meaning takes no freshness premise: ${which} ${freshCited.length > 1 ? 'are freshness beliefs' : 'is a freshness belief'}, ` +
        `and message meaning needs a belief in a shared key (P |= Q <-K-> P, for {X}_K), a public key (P |= ->K Q, for a signature {X}_inv(K)) or a shared secret (P |= Q <=Y=> P, for <X>_Y), none of which is cited ` +
        `(freshness is what nonce verification adds afterwards; GNY's I1/I3 have a freshness premise but also need possession and recognisability); ${triedText}`
      );
    }
  }
  const would = [...produced.values()].slice(0, 4).map((p) => `${show(p.term)} (${p.rule})`);
  const wouldText = would.length ? `from these premises the rule would conclude ${would.join('; ')}` : 'the cited premises give this rule nothing to apply to';
  const hints: string[] = [];
  if (tried.includes('NV') && claim.kind === 'believes' && claim.what.kind === 'believes' && !isCleartext(claim.what.what)) {
    hints.push('nonce verification applies to cleartext only, and this X contains a {…}_K or <…>_Y part');
  }
  if (claim.kind === 'believes' && claim.what.kind === 'believes') {
    const keyPremise = [...st.facts.values()].some((f) => f.term.kind === 'believes' && (f.term.what.kind === 'sharedKey' || f.term.what.kind === 'secret' || f.term.what.kind === 'pubKey'));
    if (keyPremise) hints.push('no rule turns a key or secret belief into a belief about the peer\'s beliefs (that needs message meaning on a message P sees, then nonce verification)');
  }
  const hint = hints.length ? ` (${hints.join('; ')})` : '';
  const fitting = tried.filter((id) => shapeFits(id, claim));
  if (!fitting.length) {
    const shapes = tried.map((id) => `${id} concludes ${showPattern(RULE_BY_ID.get(id)!.conclusion)}`).join('; ');
    return `the cited rule cannot produce this conclusion (${shapes}); ${wouldText}; ${triedText}`;
  }
  // Which premises would the fitting rules need for exactly this conclusion?
  // Only alternatives whose premises could be true for the declared sorts (never a public key as a secret).
  const alts = alternatives(st, claim, principals, new Set(fitting)).filter((a) => a.premises.every((p) => !sortViolation(p, sorts)));
  if (!alts.length) return `conclusion does not follow: ${wouldText}${hint}; ${triedText}`;
  const missingPer = alts.map((a) => ({ rule: a.rule, missing: a.premises.filter((p) => !known(st, p)) }));
  const best = missingPer.sort((a, b) => a.missing.length - b.missing.length)[0]!;
  const need = best.missing.map((p) => show(showHoles(p))).join(' and ');
  if (would.length) {
    return `conclusion does not follow: ${wouldText}${need ? `; to conclude ${show(claim)} by ${best.rule} it needs ${need}` : ''}${hint}; ${triedText}`;
  }
  return `missing premise for ${best.rule}: ${need} (not among the cited premises)${hint}; ${triedText}`;
}

export function principalsOf(spec: Spec): Term[] {
  const names: string[] = [];
  const add = (n: string): void => {
    if (!names.includes(n)) names.push(n);
  };
  for (const d of spec.declarations) if (d.sort === 'principal') add(d.name);
  for (const m of spec.messages) {
    add(m.from);
    add(m.to);
  }
  return names.map((name) => ({ kind: 'atom', name }));
}
