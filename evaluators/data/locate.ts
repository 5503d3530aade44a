/** Where dataset files are looked for, in order. */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEBIAN_FASHION_MNIST = '/usr/share/datasets/fashion-mnist';

export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'hwnas');
}

/**
 * Candidate directories for a dataset: --data alone when given (a user who names a directory
 * means that one: falling back to another copy would train on data they did not choose), else
 * $HWNAS_DATA (and its per-dataset subfolders), system, cache.
 */
export function candidateDirs(subfolders: string[], options: { dataDir?: string; cacheDir?: string }, system: string[] = []): string[] {
  const dirs: string[] = [];
  if (options.dataDir !== undefined) return [options.dataDir, ...subfolders.map((s) => join(options.dataDir!, s))];
  const env = process.env.HWNAS_DATA;
  if (env !== undefined && env !== '') dirs.push(env, ...subfolders.map((s) => join(env, s)));
  dirs.push(...system);
  const cache = options.cacheDir ?? defaultCacheDir();
  dirs.push(...subfolders.map((s) => join(cache, s)));
  return dirs;
}

/** The path of `name` in `dir`, raw or gzipped, or null (a directory of that name is not the file). */
export function findFile(dir: string, name: string): string | null {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}
