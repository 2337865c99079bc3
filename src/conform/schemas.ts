/**
 * Reads the message schema table (`MESSAGE_SCHEMAS` in src/net/messages.ts, contracts.md "Message
 * schemas as data") from the source text with ts-morph, without importing it: the checker must be
 * able to judge an altered copy of the model exactly as it judges the real one.
 *
 * Accepted shapes of a field entry: `f('NAME', 'type')` (any helper called with two string
 * literals) or `{ name: 'NAME', type: 'type' }`. Anything else is bad input (exit 2), never a
 * silent skip.
 */
import { Node, Project, type ObjectLiteralExpression, type SourceFile } from 'ts-morph';
import { UserError } from '../spec/diagnostics.js';

export interface SchemaField {
  readonly name: string;
  readonly type: string;
  readonly line: number;
}

export interface CodeSchema {
  readonly step: string;
  readonly from?: string;
  readonly to?: string;
  readonly channel?: string;
  readonly eqs?: readonly number[];
  readonly fields: readonly SchemaField[];
  readonly file: string;
  readonly line: number;
}

function unwrap(n: Node): Node {
  let x = n;
  for (;;) {
    if (Node.isAsExpression(x) || Node.isSatisfiesExpression(x) || Node.isParenthesizedExpression(x)) x = x.getExpression();
    else return x;
  }
}

function strOf(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  const u = unwrap(n);
  return Node.isStringLiteral(u) || Node.isNoSubstitutionTemplateLiteral(u) ? u.getLiteralValue() : undefined;
}

function propInit(o: ObjectLiteralExpression, name: string): Node | undefined {
  const p = o.getProperty(name) ?? o.getProperty(`'${name}'`);
  return p && Node.isPropertyAssignment(p) ? p.getInitializer() : undefined;
}

function bad(file: string, n: Node, what: string): never {
  throw new UserError(`${file}:${n.getStartLineNumber()}: MESSAGE_SCHEMAS: ${what}`);
}

export function readSchemas(sf: SourceFile, file: string): Map<string, CodeSchema> {
  const decl = sf.getVariableDeclaration('MESSAGE_SCHEMAS');
  if (!decl) throw new UserError(`${file}: no 'MESSAGE_SCHEMAS' declaration (contracts.md "Message schemas as data")`);
  const init = decl.getInitializer();
  const table = init ? unwrap(init) : undefined;
  if (!table || !Node.isObjectLiteralExpression(table)) bad(file, decl, 'expected an object literal');
  const out = new Map<string, CodeSchema>();
  for (const p of table.getProperties()) {
    if (!Node.isPropertyAssignment(p)) bad(file, p, 'expected `STEP: { ... }` entries');
    const nameNode = p.getNameNode();
    const key = Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
    const v = unwrap(p.getInitializerOrThrow());
    if (!Node.isObjectLiteralExpression(v)) bad(file, p, `entry '${key}' is not an object literal`);
    const fieldsNode = propInit(v, 'fields');
    const arr = fieldsNode ? unwrap(fieldsNode) : undefined;
    if (!arr || !Node.isArrayLiteralExpression(arr)) bad(file, v, `entry '${key}' has no 'fields: [...]' array`);
    const fields: SchemaField[] = arr.getElements().map((el) => {
      const e = unwrap(el);
      if (Node.isCallExpression(e)) {
        const [a, b] = e.getArguments();
        const name = strOf(a);
        const type = strOf(b);
        if (name !== undefined && type !== undefined) return { name, type, line: e.getStartLineNumber() };
      } else if (Node.isObjectLiteralExpression(e)) {
        const name = strOf(propInit(e, 'name'));
        const type = strOf(propInit(e, 'type'));
        if (name !== undefined && type !== undefined) return { name, type, line: e.getStartLineNumber() };
      }
      return bad(file, e, `field of '${key}' is neither f('NAME', 'type') nor { name, type } with string literals`);
    });
    const eqsNode = propInit(v, 'eqs');
    const eqsArr = eqsNode ? unwrap(eqsNode) : undefined;
    const eqs = eqsArr && Node.isArrayLiteralExpression(eqsArr)
      ? eqsArr.getElements().map((x) => (Node.isNumericLiteral(x) ? Number(x.getLiteralValue()) : bad(file, x, `eqs of '${key}' must be number literals`)))
      : undefined;
    const from = strOf(propInit(v, 'from'));
    const to = strOf(propInit(v, 'to'));
    const channel = strOf(propInit(v, 'channel'));
    const step = strOf(propInit(v, 'step')) ?? key;
    if (step !== key) bad(file, v, `entry '${key}' says step '${step}'`);
    out.set(key, {
      step: key, fields, file, line: p.getStartLineNumber(),
      ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), ...(channel !== undefined ? { channel } : {}), ...(eqs !== undefined ? { eqs } : {}),
    });
  }
  return out;
}

/** Reads the table from a file on its own (a one-file project: cheap, no resolution). */
export function readSchemasFile(abs: string, file: string): Map<string, CodeSchema> {
  const p = new Project({ compilerOptions: { noResolve: true, noLib: true }, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true, skipLoadingLibFiles: true });
  return readSchemas(p.addSourceFileAtPath(abs), file);
}
