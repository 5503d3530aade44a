/** Trials: a sortable, filterable window over every trial of the run; the top row is the selected one (Enter opens it). */
import { Box, Text } from 'ink';
import { formatBytes, formatEnergy } from '../../core/units.js';
import { compareRows, type SortKey } from '../order.js';
import type { Budgets } from '../../search/run-config.js';
import { budgetTests, type Snapshot, type TrialRow } from '../snapshot.js';

export { SORTS, type SortKey } from '../order.js';

export function sortedRows(snapshot: Snapshot, sort: SortKey, feasibleOnly: boolean): TrialRow[] {
  const sorted = snapshot.derived?.sorted(sort) ?? [...snapshot.trials].sort(compareRows(sort));
  if (!feasibleOnly) return sorted;
  // Feasible: complete and within every budget of the run that holds on the dashboard's profile (a measured size can break a predicted-size budget).
  const tests = budgetTests(snapshot.run.config as { budgets?: Budgets; profile?: string }, snapshot.profile);
  return sorted.filter((t) => t.status === 'complete' && tests.every((b) => b.fits(t)));
}

export function TrialsTable({ snapshot, sort, feasibleOnly, rows = sortedRows(snapshot, sort, feasibleOnly), height, offset, width = 80 }:
  { snapshot: Snapshot; sort: SortKey; feasibleOnly: boolean; rows?: TrialRow[]; height: number; offset: number; width?: number }) {
  const visible = rows.slice(offset, offset + Math.max(1, height - 2));
  // The error column takes what the terminal leaves: a line that wraps would push the frame off screen.
  const widths = [6, 11, 9, 11, 11, 10, 8, Math.max(5, width - 73)];
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 7 ? c.slice(0, widths[i]).padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ').trimEnd();
  return (
    <Box flexDirection="column">
      <Text bold>{line(['trial', 'status', 'test acc', 'latency', 'energy', 'stored', 'seconds', 'error'])}</Text>
      {visible.map((t, i) => (
        <Text key={t.id} dimColor={t.status !== 'complete' && i > 0} inverse={i === 0}>{line([String(t.number), t.status, t.accuracy === null ? '-' : `${(100 * t.accuracy).toFixed(2)}%`,
          t.latencyMs === null ? '-' : `${t.latencyMs.toFixed(3)} ms`, t.energyMj === null ? '-' : formatEnergy(t.energyMj), t.sizeBytes === null ? '-' : formatBytes(t.sizeBytes), t.seconds === null ? '-' : t.seconds.toFixed(1),
          t.error ?? ''])}</Text>
      ))}
      <Text dimColor>{`rows ${rows.length === 0 ? 0 : offset + 1}-${offset + visible.length} of ${rows.length}, sorted by ${sort}${feasibleOnly ? ', feasible only' : ''}`}</Text>
    </Box>
  );
}
