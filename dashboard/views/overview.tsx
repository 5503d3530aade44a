/** Overview: the run, its progress and the best trial so far. */
import { Box, Text } from 'ink';
import { formatBytes, formatDuration } from '../../core/units.js';
import type { Snapshot } from '../snapshot.js';

export function Overview({ snapshot, width }: { snapshot: Snapshot; width: number }) {
  const { run, counts, trials, elapsedSeconds } = snapshot;
  const config = run.config as { trials?: number | null; budgets?: Record<string, number>; workers?: number };
  const done = counts.byStatus.complete + counts.byStatus.failed + counts.byStatus.pruned;
  const total = config.trials ?? null;
  const perHour = elapsedSeconds > 0 ? (done / elapsedSeconds) * 3600 : 0;
  const eta = total !== null && perHour > 0 ? Math.max(0, (total - done) / perHour * 3600) : null;
  const barWidth = Math.max(10, Math.min(50, width - 30));
  const filled = total !== null && total > 0 ? Math.round(barWidth * Math.min(1, done / total)) : 0;
  const best = snapshot.derived?.best ?? trials.reduce<typeof trials[number] | null>((b, t) => (t.status === 'complete' && t.accuracy !== null && (b === null || t.accuracy > b.accuracy!) ? t : b), null);
  const budgets = Object.entries(config.budgets ?? {}).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return (
    <Box flexDirection="column">
      <Text bold>{run.name}  <Text dimColor>{run.space} on {run.dataset}, {run.strategy}, seed {run.seed}, profile {snapshot.profile}, budgets: {budgets}</Text></Text>
      <Text>status {run.status}, elapsed {formatDuration(elapsedSeconds * 1000)}{eta !== null && run.status === 'running' ? `, ETA ${formatDuration(eta * 1000)}` : ''}</Text>
      <Text>{total !== null ? `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${done}/${total}` : `${done} trials`}  {perHour.toFixed(0)} trials/hour</Text>
      <Text>complete {counts.byStatus.complete}  running {counts.byStatus.running}  queued {counts.byStatus.queued}  failed {counts.byStatus.failed}  rejected by a budget {counts.byStatus.rejected}  interrupted {counts.byStatus.interrupted}</Text>
      <Text>{best === null ? 'no complete trial yet'
        : `best: trial ${best.number}, ${(100 * best.accuracy!).toFixed(2)}% test accuracy, ${formatBytes(best.sizeBytes ?? 0)}, ${best.latencyMs?.toFixed(3) ?? '-'} ms`}</Text>
    </Box>
  );
}
