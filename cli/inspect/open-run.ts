/** Opens a database read-only and finds a run, for the commands that only read (best, pareto, show, export). */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { UserError } from '../../core/errors.js';
import { formatPercent } from '../../core/format.js';
import type { Json } from '../../core/json.js';
import { formatBytes } from '../../core/units.js';
import { fullFidelity } from '../../search/fidelity.js';
import { isProfilePath, loadProfileFile } from '../../hardware-profiles/registry.js';
import { configuredProfiles, SqliteStore } from '../../store/sqlite.js';
import { runStopped } from '../../store/run-owner.js';
import type { Budgets } from '../../search/run-config.js';
import type { RunRecord, TrialRecord } from '../../store/types.js';

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

/** The profiles a run's trials are costed on: the configured ones first (the first is the one it searched for), then any others stored. */
export function runProfiles(store: SqliteStore, run: RunRecord): string[] {
  return [...new Set([...configuredProfiles(run.config), ...store.profiles(run.id)])];
}

/**
 * `profile` when the run has costs for it; otherwise an error listing the ones it has. A
 * profile file (what the search was given) stands for the id it declares: costs are stored by id.
 */
export function requireRunProfile(store: SqliteStore, run: RunRecord, given: string): string {
  const profiles = runProfiles(store, run);
  const profile = !profiles.includes(given) && isProfilePath(given) && existsSync(given) ? loadProfileFile(given).id : given;
  if (!profiles.includes(profile)) {
    throw new UserError(`run '${run.name}' has no costs for profile '${profile}'`, profiles.length > 0 ? `its profiles: ${profiles.join(', ')}` : 'it has no costed trials yet');
  }
  return profile;
}

/** A trial left queued or running by a run whose process is gone (killed): unfinished, and --resume trains it again. */
export function unfinishedInStoppedRun(trial: TrialRecord, run: RunRecord): boolean {
  return (trial.status === 'running' || trial.status === 'queued') && runStopped(run, Date.now() / 1000, hostname());
}

/**
 * The run's size budget, when a trained model of `sizeBytes` broke it: its prediction met it (only size
 * changes once trained), so the search did not count the trial. Undefined when it fits or there is none.
 */
export function brokenRunSizeBudget(run: RunRecord, sizeBytes: number | null): number | undefined {
  const budget = (run.config as { budgets?: Budgets }).budgets?.maxSizeBytes;
  return budget !== undefined && sizeBytes !== null && sizeBytes > budget ? budget : undefined;
}

/**
 * What a later halving rung gave this trial's genotype, for best and show (halving trains a
 * promoted genotype again as a new trial): as JSON (null when none), and as a line.
 */
export function trainedFurther(store: SqliteStore, trial: TrialRecord, run: RunRecord): { json: Json; line: string | null } {
  const later = trial.status === 'complete' ? store.laterRung(trial) : null;
  if (later === null) return { json: null, line: null };
  const full = fullFidelity(later, run);
  return {
    json: { trial: later.number, rung: later.rung, accuracy: later.accuracy, sizeBytes: later.sizeBytes, fullFidelity: full },
    line: `  its genotype was trained further as trial ${later.number} (rung ${later.rung}): ${formatPercent(later.accuracy)} test accuracy, `
      + `${later.sizeBytes === null ? '-' : formatBytes(later.sizeBytes)} stored${full ? '' : ', still at reduced fidelity'}`,
  };
}
