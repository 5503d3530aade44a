/** Overview: the run, its progress and the best trial so far, overall and under each budget. */
import { Box, Text } from 'ink';
import { counted } from '../../core/plural.js';
import { formatBytes, formatDuration } from '../../core/units.js';
import { describeBudgets, type Budgets } from '../../search/run-config.js';
import { budgetTests, type BudgetBest, type Snapshot, type TrialRow } from '../snapshot.js';
import { bar } from '../sparkline.js';

const bestOf = (rows: TrialRow[]) => rows.reduce<TrialRow | null>((b, t) => (t.status === 'complete' && t.accuracy !== null && (b === null || t.accuracy > b.accuracy!) ? t : b), null);

// As best, pareto and show do: a lower rung's accuracy is a cheap estimate, not a result.
const describeTrial = (t: TrialRow) => `trial ${t.number}, ${(100 * t.accuracy!).toFixed(2)}% test accuracy${t.reduced === true ? ' (at reduced fidelity)' : ''}, `
  + `${formatBytes(t.sizeBytes ?? 0)}, ${t.latencyMs?.toFixed(3) ?? '-'} ms`;

export function Overview({ snapshot, width }: { snapshot: Snapshot; width: number }) {
  const { run, counts, trials, elapsedSeconds } = snapshot;
  const config = run.config as { trials?: number | null; budgets?: Budgets; workers?: number; profile?: string; extraProfiles?: string[]; backend?: string };
  const done = counts.byStatus.complete + counts.byStatus.failed + counts.byStatus.pruned;
  const total = config.trials ?? null;
  const perHour = elapsedSeconds > 0 ? (done / elapsedSeconds) * 3600 : 0;
  const eta = total !== null && perHour > 0 ? Math.max(0, (total - done) / perHour * 3600) : null;
  const barWidth = Math.max(10, Math.min(50, width - 30));
  const best = snapshot.derived?.best ?? bestOf(trials);
  const bestUnder: BudgetBest[] = snapshot.derived?.bestUnder
    ?? budgetTests(config, snapshot.profile).map((t) => ({ label: t.label, best: bestOf(trials.filter(t.fits)) }));
  const profiles = [config.profile ?? snapshot.profile, ...(config.extraProfiles ?? [])];
  const backend = snapshot.derived?.backend ?? config.backend ?? null;
  // A finished or stopped run will not find one later.
  const yet = run.status === 'running' && snapshot.stopped !== true ? ' yet' : '';
  return (
    <Box flexDirection="column">
      <Text bold>{run.name}  <Text dimColor>{run.space} on {run.dataset}, {run.strategy}, seed {run.seed}, {counted(config.workers ?? 1, 'worker')}{backend !== null ? `, ${backend} backend` : ''}</Text></Text>
      {/* Two lines: on one, a run with two budgets wrapped mid-phrase at 80 columns. */}
      <Text dimColor>profiles {profiles.join(', ')} (showing {snapshot.profile})</Text>
      <Text dimColor>{Object.keys(config.budgets ?? {}).length > 0 ? `budgets${config.profile !== undefined && config.profile !== snapshot.profile ? ` (on ${config.profile})` : ''}: ${describeBudgets(config.budgets!)}` : 'no budgets'}</Text>
      <Text>status {snapshot.stopped === true ? 'stopped (its process is gone: hwnas search --resume continues it)' : run.status === 'complete' ? 'finished' : run.status}, elapsed {formatDuration(elapsedSeconds * 1000)}{eta !== null && run.status === 'running' && snapshot.stopped !== true ? `, ETA ${formatDuration(eta * 1000)}` : ''}</Text>
      <Text>{total !== null ? `[${bar(total > 0 ? done / total : 0, barWidth)}] ${done}/${total}` : `${done} trials`}  {perHour.toFixed(0)} trials/hour</Text>
      <Text>complete {counts.byStatus.complete}  running {counts.byStatus.running}  queued {counts.byStatus.queued}  failed {counts.byStatus.failed}  rejected {counts.byStatus.rejected}  interrupted {counts.byStatus.interrupted}</Text>
      <Text>{best === null ? `no complete trial${yet}` : `best: ${describeTrial(best)}`}</Text>
      {bestUnder.map((b) => <Text key={b.label}>{`  ${b.label}: ${b.best === null ? `none${yet}` : describeTrial(b.best)}`}</Text>)}
    </Box>
  );
}
