/** Opens a database read-only and finds a run, for the commands that only read (best, pareto, show, export). */
import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { SqliteStore } from '../../store/sqlite.js';
import type { RunRecord } from '../../store/types.js';

export function openRun(db: string, name: string | undefined): { store: SqliteStore; run: RunRecord } {
  if (!existsSync(db)) throw new UserError(`no database at ${db}`, 'pass --db FILE (the file hwnas search wrote)');
  const store = SqliteStore.open(db, { readonly: true });
  const run = name !== undefined ? store.run(name) : store.latestRun();
  if (run === null) {
    store.close();
    throw new UserError(name !== undefined ? `no run named '${name}' in ${db}` : `no runs in ${db}`, name !== undefined ? 'list them with hwnas runs' : 'run hwnas search first');
  }
  return { store, run };
}
