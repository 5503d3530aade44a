/** Trials: a sortable, filterable window over every trial of the run; the top row is the selected one (Enter opens it). */
import { Box, Text } from 'ink';
import { formatBytes } from '../../core/units.js';
import { compareRows, type SortKey } from '../order.js';
import type { Snapshot, TrialRow } from '../snapshot.js';

export { SORTS, type SortKey } from '../order.js';

export function sortedRows(snapshot: Snapshot, sort: SortKey, feasibleOnly: boolean): TrialRow[] {
  const sorted = snapshot.derived?.sorted(sort) ?? [...snapshot.trials].sort(compareRows(sort));
  return feasibleOnly ? sorted.filter((t) => t.status === 'complete') : sorted;
}

export function TrialsTable({ snapshot, height, sort, feasibleOnly, offset }: { snapshot: Snapshot; height: number; sort: SortKey; feasibleOnly: boolean; offset: number }) {
  const rows = sortedRows(snapshot, sort, feasibleOnly);
  const visible = rows.slice(offset, offset + Math.max(1, height - 2));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 6 ? c.padEnd([6, 11, 9, 12, 10, 9, 30][i]!) : c.padStart([6, 11, 9, 12, 10, 9, 30][i]!))).join(' ');
  return (
    <Box flexDirection="column">
      <Text bold>{line(['trial', 'status', 'test acc', 'latency', 'stored', 'seconds', 'error'])}</Text>
      {visible.map((t, i) => (
        <Text key={t.id} dimColor={t.status !== 'complete' && i > 0} inverse={i === 0}>{line([String(t.number), t.status, t.accuracy === null ? '-' : `${(100 * t.accuracy).toFixed(2)}%`,
          t.latencyMs === null ? '-' : `${t.latencyMs.toFixed(3)} ms`, t.sizeBytes === null ? '-' : formatBytes(t.sizeBytes), t.seconds === null ? '-' : t.seconds.toFixed(1),
          (t.error ?? '').slice(0, 30)])}</Text>
      ))}
      <Text dimColor>{`rows ${rows.length === 0 ? 0 : offset + 1}-${offset + visible.length} of ${rows.length}, sorted by ${sort}${feasibleOnly ? ', complete only' : ''}`}</Text>
    </Box>
  );
}
