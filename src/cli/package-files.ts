/**
 * Files that travel with the package: the default specs, the model source `conform` checks, the
 * version. Found relative to this module (src/cli or dist/cli: two levels below the package root),
 * so `npx bantam demo` works from any folder.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root (the folder holding package.json), as an absolute path. */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url)).replace(/[\\/]$/, '');
}

/** An absolute path to a file shipped in the package, from a path relative to its root. */
export function packageFile(rel: string): string {
  return fileURLToPath(new URL(`../../${rel}`, import.meta.url));
}

let version: string | undefined;
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
