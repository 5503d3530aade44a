/** Pareto front: accuracy against latency (or size), with a cursor along the front. */
import { Box, Text } from 'ink';
import { formatBytes } from '../../core/units.js';
import { frontOf, scatter, type ScatterPoint } from '../scatter.js';
import type { Axis } from '../order.js';
import type { Snapshot } from '../snapshot.js';

export type { Axis } from '../order.js';

export function ParetoView({ snapshot, width, height, axis, cursor }: { snapshot: Snapshot; width: number; height: number; axis: Axis; cursor: number }) {
  const complete = snapshot.trials.filter((t) => t.status === 'complete' && t.accuracy !== null && (axis === 'size' ? t.sizeBytes !== null : t.latencyMs !== null));
  const points: ScatterPoint[] = complete.map((t) => ({ id: t.number, y: t.accuracy! * 100, x: axis === 'size' ? t.sizeBytes! : t.latencyMs! }));
  const budgets = (snapshot.run.config as { budgets?: { maxLatencyMs?: number; maxSizeBytes?: number } }).budgets ?? {};
  const budgetX = axis === 'size' ? budgets.maxSizeBytes : budgets.maxLatencyMs;
  const front = snapshot.derived?.front(axis) ?? frontOf(points);
  const selected = front[Math.min(cursor, Math.max(0, front.length - 1))];
  const plot = scatter(points, {
    width, height: Math.max(6, height - 2), xLabel: axis === 'size' ? 'stored size' : `latency on ${snapshot.profile}`, yLabel: 'test accuracy %',
    formatX: axis === 'size' ? (x) => formatBytes(x) : (x) => `${x.toPrecision(3)} ms`, formatY: (y) => `${y.toFixed(1)}%`,
    front, ...(budgetX !== undefined ? { budgetX } : {}), ...(selected !== undefined ? { cursor: selected.id } : {}),
  });
  const trial = selected === undefined ? undefined : complete.find((t) => t.number === selected.id);
  return (
    <Box flexDirection="column">
      {plot.lines.map((line, i) => <Text key={i}>{line}</Text>)}
      <Text>{trial === undefined ? ' ' : `◆ trial ${trial.number}: ${(100 * trial.accuracy!).toFixed(2)}%, ${trial.latencyMs?.toFixed(3) ?? '-'} ms, ${formatBytes(trial.sizeBytes ?? 0)}  (${plot.front.length} on the front of ${points.length})`}</Text>
    </Box>
  );
}
