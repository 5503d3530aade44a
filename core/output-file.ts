/**
 * Writing a file the user named (--out): a missing directory, a permission problem or a
 * full disk is the user's to fix, so it is a one-line UserError, not a stack trace.
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/**
 * The nearest directory of `path` that exists must be one this process can write into: a
 * path that cannot be written is found before the work that fills it (timing models,
 * retraining), not after.
 */
function checkWritableParent(path: string, flag: string): void {
  let dir = dirname(resolve(path));
  while (!existsSync(dir)) dir = dirname(dir);
  if (!statSync(dir).isDirectory()) throw new UserError(`cannot write ${path}: ${REASONS.ENOTDIR!} (${dir} is a file)`, `give ${flag} a path in a directory you can write to`);
  checkWritable(dir, path, flag);
}

function checkWritable(dir: string, path: string, flag: string): void {
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    throw outputError(error, path, flag);
  }
}

/** Checked before any work: a file to write must be writable there, and an existing one is replaced only with `force`. */
export function checkOutputFile(path: string, flag: string, force: boolean): void {
  if (path.trim() === '') throw new UserError(`${flag} is empty`, `give ${flag} a file name`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new UserError(`${path} is a directory`, `give ${flag} a file name`);
    if (!force) throw new UserError(`${path} exists`, `choose a new ${flag} file, or add --force to overwrite it`);
  }
  checkWritableParent(path, flag);
}

/** Checked before any work: a directory to write into must not be a file, nor hold files unless `force` (the user's own, or an earlier result). */
export function checkOutputDir(path: string, flag: string, force: boolean): void {
  if (path.trim() === '') throw new UserError(`${flag} is empty`, `give ${flag} a directory name`);
  if (!existsSync(path)) { checkWritableParent(path, flag); return; }
  if (!statSync(path).isDirectory()) throw new UserError(`${path} is a file, not a directory`, `give ${flag} a new or existing directory`);
  if (readdirSync(path).length > 0 && !force) throw new UserError(`${path} exists and is not empty`, `choose a new ${flag} directory, or add --force to overwrite`);
}

/** Makes `path` (and its missing parents) and checks that files can be written into it. */
export function makeWritableDir(path: string, flag: string): void {
  makeOutputDir(path, flag);
  checkWritable(path, path, flag);
}

export function makeOutputDir(path: string, flag = '--out'): void {
  // One level at a time: Node's recursive mkdir never returns where the file system refuses
  // a directory with ENOENT under one that exists (under /proc it loops for ever).
  const missing: string[] = [];
  for (let dir = resolve(path); !existsSync(dir); dir = dirname(dir)) missing.unshift(dir);
  try {
    for (const dir of missing) mkdirSync(dir);
  } catch (error) {
    throw outputError(error, path, flag);
  }
}
