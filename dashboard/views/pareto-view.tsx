/** Pareto front: accuracy against latency (or size), with a cursor along the front. */
import { Box, Text } from 'ink';
import { formatBytes } from '../../core/units.js';
import { pointOf, type Axis } from '../order.js';
import { frontOf, scatter, type ScatterPoint } from '../scatter.js';
import { isSearchedProfile, type Snapshot } from '../snapshot.js';

export type { Axis } from '../order.js';

/** The plotted points: kept by the watcher, or computed here for a plain snapshot. */
function pointsOf(snapshot: Snapshot, axis: Axis): ScatterPoint[] {
  return snapshot.derived?.points(axis) ?? snapshot.trials.map((t) => pointOf(t, axis)).filter((p): p is ScatterPoint => p !== null);
}

function frontOfSnapshot(snapshot: Snapshot, axis: Axis, points: ScatterPoint[] = pointsOf(snapshot, axis)): ScatterPoint[] {
  return snapshot.derived?.front(axis) ?? frontOf(points);
}

/** The cursor stops at the front's last point. */
const atCursor = (front: ScatterPoint[], cursor: number): ScatterPoint | undefined => front[Math.min(cursor, Math.max(0, front.length - 1))];

/** How many points the front has: the cursor moves within them. */
export function frontLength(snapshot: Snapshot, axis: Axis): number {
  return frontOfSnapshot(snapshot, axis).length;
}

/** The front point under the cursor. */
export function selectedFrontPoint(snapshot: Snapshot, axis: Axis, cursor: number): ScatterPoint | undefined {
  return atCursor(frontOfSnapshot(snapshot, axis), cursor);
}

export function ParetoView({ snapshot, width, height, axis, cursor }: { snapshot: Snapshot; width: number; height: number; axis: Axis; cursor: number }) {
  const points = pointsOf(snapshot, axis);
  const config = snapshot.run.config as { budgets?: { maxLatencyMs?: number; maxSizeBytes?: number }; profile?: string };
  const budgets = config.budgets ?? {};
  // A latency budget is on the profile the run searched for: on another profile's axis it marks nothing.
  const budgetX = axis === 'size' ? budgets.maxSizeBytes : isSearchedProfile(config, snapshot.profile) ? budgets.maxLatencyMs : undefined;
  const front = frontOfSnapshot(snapshot, axis, points);
  const selected = atCursor(front, cursor);
  const plot = scatter(points, {
    width, height: Math.max(6, height - 2), xLabel: axis === 'size' ? 'stored size' : `latency on ${snapshot.profile}`, yLabel: 'test accuracy %',
    formatX: axis === 'size' ? (x) => formatBytes(x) : (x) => `${x.toPrecision(3)} ms`, formatY: (y) => `${y.toFixed(1)}%`,
    front, ...(budgetX !== undefined ? { budgetX } : {}), ...(selected !== undefined ? { cursor: selected.id } : {}),
    // A finished or stopped run will not get any.
    ...(snapshot.run.status !== 'running' || snapshot.stopped === true ? { emptyText: 'no complete trials' } : {}),
  });
  const trial = selected === undefined ? undefined : snapshot.derived?.byNumber(selected.id) ?? snapshot.trials.find((t) => t.number === selected.id);
  return (
    <Box flexDirection="column">
      {/* One text block, not a component per line: layout is most of a frame's cost. */}
      <Text>{plot.lines.join('\n')}</Text>
      <Text wrap="truncate-end">{trial === undefined ? ' ' : `◆ trial ${trial.number}: ${(100 * trial.accuracy!).toFixed(2)}%, ${trial.latencyMs?.toFixed(3) ?? '-'} ms, ${formatBytes(trial.sizeBytes ?? 0)}  (${plot.front.length} on the front of ${points.length})`}</Text>
    </Box>
  );
}
