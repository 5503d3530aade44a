/**
 * Writing a file the user named (--out): a missing directory, a permission problem or a
 * full disk is the user's to fix, so it is a one-line UserError, not a stack trace.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { UserError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'its directory does not exist', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a directory',
  ENOTDIR: 'part of the path is not a directory', ENOSPC: 'the disk is full', EROFS: 'the file system is read-only', EEXIST: 'a file is in the way',
};

/** The UserError for a failed write of `path`, or `error` itself when it is not a file-system error. */
export function outputError(error: unknown, path: string, flag = '--out'): Error {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return error instanceof Error ? error : new Error(String(error));
  return new UserError(`cannot write ${path}: ${REASONS[code] ?? code}`, `give ${flag} a path in a directory you can write to`);
}

export function writeOutputFile(path: string, data: string | Uint8Array, flag = '--out'): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw outputError(error, path, flag);
  }
}

/** Checked before any work: a directory to write into must not be a file, nor hold files unless `force` (the user's own, or an earlier result). */
export function checkOutputDir(path: string, flag: string, force: boolean): void {
  if (!existsSync(path)) return;
  if (!statSync(path).isDirectory()) throw new UserError(`${path} is a file, not a directory`, `give ${flag} a new or existing directory`);
  if (readdirSync(path).length > 0 && !force) throw new UserError(`${path} exists and is not empty`, `choose a new ${flag} directory, or add --force to overwrite`);
}

export function makeOutputDir(path: string, flag = '--out'): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw outputError(error, path, flag);
  }
}
