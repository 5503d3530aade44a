/**
 * hwnas's own version, read from its package.json at run time.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The `version` in hwnas's package.json. Built code runs from dist/cli/ and tests import
 * cli/ directly, two different depths, so walk up to the package.json named hwnas
 * instead of hard-coding `../../package.json`.
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start, depth = 0; depth < 5; dir = dirname(dir), depth += 1) {
    let text: string;
    try {
      text = readFileSync(join(dir, 'package.json'), 'utf8');
    } catch {
      continue;
    }
    const pkg: unknown = JSON.parse(text);
    if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && pkg.name === 'hwnas'
      && 'version' in pkg && typeof pkg.version === 'string') {
      cached = pkg.version;
      return cached;
    }
  }
  throw new Error(`hwnas's package.json not found above ${start}`);
}
