/** `hwnas runs`: the runs in a database, with their progress. */
import { hostname } from 'node:os';
import { runStopped } from '../../store/run-owner.js';
import type { RunRecord } from '../../store/types.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: hwnas runs [--db FILE] [--json]

Lists the runs in a database: name, status (finished, running, interrupted or stopped),
space, dataset, strategy and trial counts.
A run left running by a process that is gone (killed, or its machine went down) shows as
stopped: continue it with hwnas search --resume --name RUN.

example:
  hwnas runs --db runs.db`;

/** The stored status, except that a running run whose owner is gone is stopped. */
function shownStatus(run: RunRecord): string {
  return runStopped(run, Date.now() / 1000, hostname()) ? 'stopped' : run.status;
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('runs', { args: argv, options: { db: { type: 'string', default: 'hwnas.db' }, json: { type: 'boolean', default: false } } });
  const { SqliteStore } = await import('../../store/sqlite.js');
  const store = SqliteStore.open(values.db, { readonly: true });
  try {
    const rows = store.runs().map((r) => ({ ...r, status: shownStatus(r), counts: store.counts(r.id).byStatus }));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(rows.map((r) => ({ name: r.name, status: r.status, space: r.space, dataset: r.dataset, strategy: r.strategy, seed: r.seed, counts: r.counts })))}\n`);
      return 0;
    }
    if (rows.length === 0) process.stdout.write(`no runs in ${values.db}\n`);
    for (const r of rows) {
      // "complete 0 complete" read as a contradiction: a run finishes its budget, its trials complete.
      const status = r.status === 'complete' ? 'finished' : r.status;
      process.stdout.write(`${r.name.padEnd(12)} ${status.padEnd(11)} ${r.space}/${r.dataset}/${r.strategy}  `
        + `${r.counts.complete} complete, ${r.counts.failed} failed, ${r.counts.rejected} rejected, ${r.counts.interrupted} interrupted`
        // Trials still marked running or queued: training now, or, in a stopped run (killed), unfinished until --resume reclaims them.
        + `${r.counts.running + r.counts.queued > 0 ? `, ${r.counts.running + r.counts.queued} ${r.status === 'stopped' ? 'unfinished' : 'running'}` : ''}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}

export const runs: Command = { name: 'runs', summary: 'list the runs in a database', usage, run };
