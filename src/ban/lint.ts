/**
 * Warnings the engine computes about a spec as a whole (the parser's type.* warnings are made
 * term by term; these need the whole spec or the rule set in use):
 *
 *  - `type.ka-without-option`: PK_delta(…) or F0(…) is used while the key-agreement extension
 *    ([vO93], [SVO94]) is off, so no rule reads it;
 *  - `type.pubkey-encryption-by-owner`: `{X}_K` built by R where an assumption says `->K R`: R
 *    encrypted under its own public key, which anyone can read and which shows no origin; a
 *    signature is `{X}_inv(K)` ([BAN89] §2.3, message meaning for public keys).
 *
 * `warningsText` prints these with the parser's warnings, one line each, for the text output of
 * derive, check and why.
 */
import type { Spec } from '../spec/ast.js';
import { diag, type Diagnostic } from '../spec/diagnostics.js';
import { show } from './pretty.js';
import { children, type Term } from './terms.js';
import { keyOf, subterms } from './util.js';

/** Owners of public keys, from every `->K P` in the assumptions (at any depth). */
export function publicKeyOwners(spec: Spec): Map<string, Term[]> {
  const out = new Map<string, Term[]>();
  for (const a of spec.assumptions) {
    for (const s of subterms(a.formula)) {
      if (s.kind !== 'pubKey' || s.owner.kind === 'var') continue;
      const k = keyOf(s.key);
      const l = out.get(k) ?? [];
      if (!l.some((o) => keyOf(o) === keyOf(s.owner))) l.push(s.owner);
      out.set(k, l);
    }
  }
  return out;
}

function usesKeyAgreement(t: Term): boolean {
  if (t.kind === 'kaKey' || (t.kind === 'app' && t.fn === 'F0')) return true;
  return children(t).some(usesKeyAgreement);
}

export function engineWarnings(spec: Spec, opts: { keyAgreement?: boolean } = {}): Diagnostic[] {
  const keyAgreement = opts.keyAgreement ?? spec.options.keyAgreement;
  const out: Diagnostic[] = [];
  if (!keyAgreement) {
    const items = [
      ...spec.messages.map((m) => ({ label: m.label, t: m.body, pos: m.pos })),
      ...spec.assumptions.map((a) => ({ label: a.label, t: a.formula, pos: a.pos })),
      ...spec.goals.map((g) => ({ label: g.label, t: g.formula, pos: g.pos })),
    ];
    for (const it of items) {
      if (!usesKeyAgreement(it.t)) continue;
      out.push(
        diag('warning', 'type.ka-without-option', `${it.label} uses PK_delta(…) or F0(…), but the key-agreement extension is off, so no rule reads them (add 'options key-agreement' or pass --key-agreement)`, it.pos),
      );
    }
  }
  const owners = publicKeyOwners(spec);
  for (const m of spec.messages) {
    for (const s of subterms(m.body)) {
      if (s.kind !== 'enc' || s.key.kind === 'inv' || !s.from) continue;
      const own = owners.get(keyOf(s.key)) ?? [];
      if (!own.some((o) => keyOf(o) === keyOf(s.from!))) continue;
      out.push(
        diag(
          'warning',
          'type.pubkey-encryption-by-owner',
          `${m.label}: ${show(s)} is encrypted by ${show(s.from)} under its own public key ${show(s.key)} (->${show(s.key)} ${show(s.from)}): anyone can read it and it shows no origin; did you mean the signature {…}_inv(${show(s.key)})?`,
          m.pos,
        ),
      );
    }
  }
  return out;
}

/** The parser's and the engine's warnings, one line each (`file:line:col: warning: … (code)`). */
export function warningsText(ds: readonly Diagnostic[]): string {
  if (!ds.length) return '';
  return [`warnings (${ds.length}):`, ...ds.map((d) => `  ${d.pos.file}:${d.pos.line}:${d.pos.col}: warning: ${d.message} (${d.code})`)].join('\n');
}

/** Parser warnings followed by engine warnings. */
export function allWarnings(spec: Spec, opts: { keyAgreement?: boolean } = {}): Diagnostic[] {
  return [...spec.diagnostics, ...engineWarnings(spec, opts)];
}
