/** Draws the dashboard for one run of a store: `hwnas dashboard` (a reader) and `hwnas search --ui` (the writer's own connection). */
import { render, type Instance } from 'ink';
import { createElement } from 'react';
import { UserError } from '../core/errors.js';
import type { SqliteStore } from '../store/sqlite.js';
import type { RunRecord } from '../store/types.js';
import { App } from './app.js';
import { loadTrialDetail } from './detail.js';
import { RunWatcher, type Snapshot } from './snapshot.js';

export function renderDashboard(store: SqliteStore, run: RunRecord, profile: string, intervalMs: number): Instance {
  const watcher = new RunWatcher(store, run.id, profile);
  return render(createElement(App, { load: () => refreshWatched(store, watcher), loadDetail: (n: number) => loadTrialDetail(store, run, profile, n), intervalMs }));
}

/** A refresh, unless the database file went away under the dashboard: then it ends, saying so (the app exits with a refresh's error). */
export function refreshWatched(store: SqliteStore, watcher: RunWatcher): Snapshot {
  if (!store.stillAtPath()) throw new UserError(`${store.path} was deleted or replaced while the dashboard watched it`, `start the dashboard again on the file now at ${store.path}, if any`);
  return watcher.refresh();
}
