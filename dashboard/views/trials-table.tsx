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

interface Column { name: string; width: number; left?: boolean; cell: (t: TrialRow) => string }

const TRIAL_COLUMNS: Column[] = [
  { name: 'trial', width: 6, cell: (t) => String(t.number) },
  { name: 'status', width: 11, left: true, cell: (t) => t.status },
  { name: 'test acc', width: 9, cell: (t) => (t.accuracy === null ? '-' : `${(100 * t.accuracy).toFixed(2)}%`) },
  { name: 'latency', width: 11, cell: (t) => (t.latencyMs === null ? '-' : `${t.latencyMs.toFixed(3)} ms`) },
  { name: 'energy', width: 11, cell: (t) => (t.energyMj === null ? '-' : formatEnergy(t.energyMj)) },
  { name: 'stored', width: 10, cell: (t) => (t.sizeBytes === null ? '-' : formatBytes(t.sizeBytes)) },
  { name: 'seconds', width: 8, cell: (t) => (t.seconds === null ? '-' : t.seconds.toFixed(1)) },
];
const ERROR_COLUMN: Column = { name: 'error', width: 5, left: true, cell: (t) => t.error ?? '' };
/** Which columns a narrow terminal loses first. */
const DROP_ORDER = ['seconds', 'energy', 'stored', 'latency'];

export function TrialsTable({ snapshot, sort, feasibleOnly, rows = sortedRows(snapshot, sort, feasibleOnly), height, offset, width = 80 }:
  { snapshot: Snapshot; sort: SortKey; feasibleOnly: boolean; rows?: TrialRow[]; height: number; offset: number; width?: number }) {
  const visible = rows.slice(offset, offset + Math.max(1, height - 2));
  // Columns that do not fit go, least useful first (a line that wraps pushes the frame off screen); the error
  // column takes what the terminal leaves.
  const columns = TRIAL_COLUMNS.filter((c) => c.name !== 'error');
  for (const name of DROP_ORDER) {
    if (columns.reduce((w, c) => w + c.width + 1, 0) + 5 <= width) break;
    columns.splice(columns.findIndex((c) => c.name === name), 1);
  }
  const used = columns.reduce((w, c) => w + c.width + 1, 0);
  if (width - used >= 5) columns.push({ ...ERROR_COLUMN, width: width - used });
  const line = (t: TrialRow | null) => columns.map((c) => {
    const text = t === null ? c.name : c.cell(t);
    return c.left ? text.slice(0, c.width).padEnd(c.width) : text.padStart(c.width);
  }).join(' ').trimEnd();
  return (
    <Box flexDirection="column">
      <Text bold>{line(null)}</Text>
      {visible.map((t, i) => <Text key={t.id} dimColor={t.status !== 'complete' && i > 0} inverse={i === 0}>{line(t)}</Text>)}
      <Text dimColor>{`rows ${rows.length === 0 ? 0 : offset + 1}-${offset + visible.length} of ${rows.length}, sorted by ${sort}${feasibleOnly ? ', feasible only' : ''}`}</Text>
    </Box>
  );
}
