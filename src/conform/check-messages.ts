/**
 * Check `messages`: MESSAGE_SCHEMAS against the flow's steps (fields in order and type, sender and
 * receiver, channel, equation lists) and every message the code builds against its schema.
 */
import type { CodeModel } from './code.js';
import { sendOf } from './code.js';
import type { Expectations } from './expect.js';
import type { CodeSchema } from './schemas.js';
import { instantiate } from './shared.js';
import type { Finding } from './types.js';

export function checkMessages(ex: Expectations, schemas: ReadonlyMap<string, CodeSchema>, cm: CodeModel, steps: ReadonlySet<string>, findings: Finding[]): void {
  const push = (f: Omit<Finding, 'check'>) => findings.push({ check: 'messages', ...f });
  const specIds = new Set(ex.steps.map((s) => s.id));
  const eqsById = new Map<string, Set<number>>();
  for (const s of ex.steps) eqsById.set(s.id, new Set([...(eqsById.get(s.id) ?? []), ...s.eqs]));
  for (const s of ex.steps) {
    const sc = schemas.get(s.id);
    if (!sc) {
      push({ code: 'schema.missing', step: s.id, message: `step ${s.id} (${s.phase}, ${s.from} -> ${s.to}) has no MESSAGE_SCHEMAS entry`, file: s.pos.file, line: s.pos.line });
      continue;
    }
    // The registering role's suffix: from the first field whose schema name has the X placeholder.
    let suffix: string | undefined;
    sc.fields.forEach((f, i) => {
      const sf = s.fields[i];
      if (suffix === undefined && sf && /(^|_)X(_|$)/.test(f.name)) {
        const m = new RegExp(`^${f.name.replace(/(^|_)X(?=_|$)/, '$1(.+?)')}$`).exec(sf.name);
        if (m) suffix = m[1] ?? m[2];
      }
    });
    const codeNames = sc.fields.map((f) => instantiate(f.name, suffix));
    const specNames = s.fields.map((f) => f.name);
    const where = `${s.id} (${s.phase})`;
    const sameSet = codeNames.length === specNames.length && [...codeNames].sort().join() === [...specNames].sort().join();
    if (sameSet && codeNames.join() !== specNames.join()) {
      push({ code: 'schema.field-order', step: s.id, file: sc.file, line: sc.line, message: `${where}: fields in another order: spec (${specNames.join(', ')}), MESSAGE_SCHEMAS (${codeNames.join(', ')})` });
    } else if (!sameSet) {
      const missing = specNames.filter((n) => !codeNames.includes(n));
      const extra = codeNames.filter((n) => !specNames.includes(n));
      push({
        code: 'schema.fields', step: s.id, file: sc.file, line: sc.line,
        message: `${where}: fields differ: spec (${specNames.join(', ')}), MESSAGE_SCHEMAS (${codeNames.join(', ')})${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; not in the spec ${extra.join(', ')}` : ''}`,
      });
    }
    s.fields.forEach((f, i) => {
      const c = sc.fields.find((x) => instantiate(x.name, suffix) === f.name);
      if (c && c.type !== f.type) push({ code: 'schema.field-type', step: s.id, file: sc.file, line: c.line, message: `${where}: field ${f.name} is '${c.type}' in MESSAGE_SCHEMAS, '${f.type}' in the spec` });
      void i;
    });
    if (sc.channel !== undefined && sc.channel !== s.channel) {
      push({ code: 'schema.channel', step: s.id, file: sc.file, line: sc.line, message: `${where}: travels on the ${sc.channel} channel in MESSAGE_SCHEMAS, the ${s.channel} channel in the spec` });
    }
    const role = (p: string) => (p === ex.ledger ? 'CENTER' : p);
    for (const [dir, specParty, codeParty] of [['sender', s.from, sc.from], ['receiver', s.to, sc.to]] as const) {
      if (codeParty === undefined) continue;
      const ok = codeParty === role(specParty) || (codeParty === 'X' && specParty !== ex.ledger && suffix !== undefined);
      if (!ok) push({ code: 'schema.route', step: s.id, file: sc.file, line: sc.line, message: `${where}: ${dir} is ${codeParty} in MESSAGE_SCHEMAS, ${specParty} in the spec` });
    }
  }
  for (const [id, want] of eqsById) {
    const sc = schemas.get(id);
    if (!sc?.eqs) continue;
    const got = [...sc.eqs].sort((a, b) => a - b).join(', ');
    const exp = [...want].sort((a, b) => a - b).join(', ');
    if (got !== exp) push({ code: 'schema.eqs', step: id, file: sc.file, line: sc.line, message: `${id}: MESSAGE_SCHEMAS lists equations (${got}), the spec's step has (${exp})` });
  }
  for (const [id, sc] of schemas) {
    if (!specIds.has(id)) push({ code: 'schema.extra', step: id, file: sc.file, line: sc.line, message: `MESSAGE_SCHEMAS has ${id}, a step the spec's flow does not have` });
  }
  // Every message the checked code builds sets exactly its schema's fields.
  for (const sf of cm.files) {
    sf.forEachDescendant((n) => {
      const s = sendOf(n, steps);
      if (!s) return;
      const sc = schemas.get(s.step);
      if (!sc) return;
      const want = sc.fields.map((f) => f.name);
      const missing = want.filter((x) => !s.fields.includes(x));
      const extra = s.fields.filter((x) => !want.includes(x));
      if (missing.length || extra.length) {
        push({
          code: 'send.fields', step: s.step, file: cm.display(sf), line: n.getStartLineNumber(),
          message: `message ${s.step} built with fields (${s.fields.join(', ')}); its schema has (${want.join(', ')})${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`,
        });
      }
    });
  }
}

