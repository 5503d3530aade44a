/** `hwnas dashboard`: a live terminal view of a run, read from the store read-only. */
import { UserError } from '../../core/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: hwnas dashboard [--db FILE] [--run NAME] [--profile ID] [--interval MS]

Watches a run (the latest by default) from another terminal while hwnas search writes it:
overview with progress and the best trial, the Pareto front of accuracy against latency
or size, a sortable table of every trial, what each worker is training now, and any
trial's detail (genotype, costs per profile, layers with their share of the predicted
latency, learning curve). Reads the database read-only and polls only rows newer than
the last refresh. hwnas search --ui shows the same view while it searches.

options:
  --db FILE       database (default hwnas.db)
  --run NAME      run name (default: the latest run)
  --profile ID    show latency, energy and memory on another profile the run was costed on
  --interval MS   how often to read new rows, in milliseconds (default 1000, at least 100)

keys: Tab or 1-4 switch views (overview, pareto, trials, workers); o cycles the plot's
axis; ←/→ move along the front; s sorts the table, f shows feasible trials only, ↑/↓
PgUp/PgDn select; Enter opens the selected trial, Esc goes back; q quits.

example:
  hwnas dashboard --db overnight.db`;

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('dashboard', {
    args: argv,
    options: { db: { type: 'string', default: 'hwnas.db' }, run: { type: 'string' }, profile: { type: 'string' }, interval: { type: 'string', default: '1000' } },
  });
  const interval = Number(values.interval);
  if (!Number.isInteger(interval) || interval < 100) throw new UserError(`--interval must be an integer >= 100 (milliseconds), got '${values.interval}'`);
  const { openRun, requireRunProfile } = await import('../inspect/open-run.js');
  let opened;
  try {
    opened = openRun(values.db, values.run);
  } catch (error) {
    // No database, not an hwnas store, no runs: one line, exit 1 (there is nothing to watch).
    if (error instanceof UserError) { process.stderr.write(`hwnas: ${error.message}\n${error.hint ? `  hint: ${error.hint}\n` : ""}`); return 1; }
    throw error;
  }
  const { store, run } = opened;
  try {
    // ink reads keys in raw mode: without a terminal on both ends there is nothing to draw on or read from.
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
      throw new UserError(`the dashboard needs a terminal, and ${process.stdout.isTTY ? 'stdin' : 'stdout'} is not one`, 'run it in a terminal (for scripts: hwnas best, pareto or show --json)');
    }
    const profile = values.profile !== undefined ? requireRunProfile(store, run, values.profile) : (run.config as { profile?: string }).profile ?? 'proxy';
    // ink draws only a final frame when CI is set (read when ink loads); a terminal is interactive whatever CI says.
    if (process.stdout.isTTY) delete process.env.CI;
    const { renderDashboard } = await import('../../dashboard/render.js');
    await renderDashboard(store, run, profile, interval).waitUntilExit();
    return 0;
  } finally {
    store.close();
  }
}

export const dashboard: Command = { name: 'dashboard', summary: 'a live terminal view of a run: progress, Pareto front, trials', usage, run };
