/**
 * SQLite errors that surface after a store opened (a damaged page read by a later query, a
 * full disk) as the user's problem, not a bug. Kept apart from sqlite.ts so the CLI can
 * classify errors without loading the database driver.
 */
import { UserError } from '../core/errors.js';

/** The files this process opened as stores, newest last: an error SQLite raises later names the file. */
const openedPaths: string[] = [];

export function storeOpened(path: string): void {
  openedPaths.push(path);
}

/** A store whose pages or rows SQLite cannot read. */
export function damagedStore(path: string, problem: string): UserError {
  return new UserError(`${path} is damaged: ${problem}`, `restore it from a copy, or save what SQLite can still read: sqlite3 ${path} .recover | sqlite3 recovered.db`);
}

/**
 * A database that turns out damaged or unusable in the middle of a query (SQLite's corrupt,
 * not-a-database, lock, I/O, disk-full and read-only errors), as a UserError naming the file;
 * null for any other error. Opening checks the header, but damage deeper in the file only
 * shows when a query reads that page.
 */
export function storageError(error: unknown): UserError | null {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  if (typeof code !== 'string') return null;
  const path = openedPaths.at(-1) ?? 'the database';
  const message = (error as Error).message;
  if (/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return damagedStore(path, message);
  if (/^SQLITE_(BUSY|LOCKED)/.test(code)) {
    return new UserError(`${path} is locked by another writer: ${message}`, 'another hwnas search or an sqlite3 shell is writing it; wait for it to finish, or use another --db');
  }
  // A reader under another account leaves the -wal and -shm files owned by it: the database itself is writable, they are not.
  if (/^SQLITE_(IOERR|FULL|READONLY|CANTOPEN)/.test(code)) {
    return new UserError(`cannot use ${path}: ${message}`, `check that the disk has space and that the file, its directory and ${path}-wal and ${path}-shm (if there) are writable by you`);
  }
  return null;
}
