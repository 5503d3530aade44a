/** Draws the dashboard for one run of a store: `hwnas dashboard` (a reader) and `hwnas search --ui` (the writer's own connection). */
import { render, type Instance } from 'ink';
import { createElement } from 'react';
import type { SqliteStore } from '../store/sqlite.js';
import type { RunRecord } from '../store/types.js';
import { App } from './app.js';
import { loadTrialDetail } from './detail.js';
import { RunWatcher } from './snapshot.js';

export function renderDashboard(store: SqliteStore, run: RunRecord, profile: string, intervalMs: number): Instance {
  const watcher = new RunWatcher(store, run.id, profile);
  return render(createElement(App, { load: () => watcher.refresh(), loadDetail: (n: number) => loadTrialDetail(store, run, profile, n), intervalMs }));
}
