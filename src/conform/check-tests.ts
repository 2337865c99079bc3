/**
 * Check `tests`: which equations each test file can reach, statically, from what it imports
 * (docs/conformance.md, "tests").
 */
import { Node } from 'ts-morph';
import { declOf, type CodeModel, type Unit } from './code.js';

export function testReach(cm: CodeModel, testFiles: readonly string[], display: (abs: string) => string): Map<string, Set<number>> {
  const edges = new Map<Unit, Unit[]>();
  const out = (u: Unit): Unit[] => {
    let e = edges.get(u);
    if (e) return e;
    const s = new Set<Unit>();
    u.body.forEachDescendant((n) => {
      if (!Node.isIdentifier(n)) return;
      const d = declOf(n);
      const t = d ? cm.unitOfDecl.get(d) : undefined;
      if (t && t !== u) s.add(t);
    });
    e = [...s];
    edges.set(u, e);
    return e;
  };
  const stmtTagsByUnit = new Map<Unit, number[]>();
  for (const t of cm.tags) if (t.unit && t.stmt && t.eq !== null) stmtTagsByUnit.set(t.unit, [...(stmtTagsByUnit.get(t.unit) ?? []), t.eq]);
  const res = new Map<string, Set<number>>();
  for (const f of testFiles) {
    const sf = cm.project.getSourceFileOrThrow(f);
    const starts: Unit[] = [];
    for (const imp of sf.getImportDeclarations()) {
      for (const ni of imp.getNamedImports()) {
        const d = declOf(ni.getAliasNode() ?? ni.getNameNode());
        const u = d ? cm.unitOfDecl.get(d) : undefined;
        if (u) starts.push(u);
      }
      const ns = imp.getNamespaceImport() ?? imp.getDefaultImport();
      if (ns) {
        // every unit of the module the test reaches through `M.name`
        sf.forEachDescendant((n) => {
          if (Node.isPropertyAccessExpression(n) && n.getExpression().getText() === ns.getText()) {
            const d = declOf(n.getNameNode());
            const u = d ? cm.unitOfDecl.get(d) : undefined;
            if (u) starts.push(u);
          }
        });
      }
    }
    const seen = new Set<Unit>(starts);
    const queue = [...starts];
    const eqs = new Set<number>();
    while (queue.length) {
      const u = queue.pop()!;
      const tag = cm.fnTags.get(u.decl);
      if (tag?.eq != null) eqs.add(tag.eq);
      for (const x of stmtTagsByUnit.get(u) ?? []) eqs.add(x);
      for (const v of out(u)) if (!seen.has(v)) (seen.add(v), queue.push(v));
    }
    res.set(display(f), eqs);
  }
  return res;
}

/** Does a test's text name equation `eq` in one of the forms tests use to assert on an equation? */
export function namesEq(text: string, eq: number): boolean {
  return new RegExp(`\\beq(?:\\s*(?::|===?)\\s*|\\.?\\s*\\(\\s*|\\s+)${eq}(?!\\d)|\\beq${eq}_|@eq ${eq}(?!\\d)`).test(text);
}

