/**
 * Writing a file the user named (--out): a missing directory, a permission problem or a
 * full disk is the user's to fix, so it is a one-line UserError, not a stack trace.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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

export function makeOutputDir(path: string, flag = '--out'): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw outputError(error, path, flag);
  }
}
