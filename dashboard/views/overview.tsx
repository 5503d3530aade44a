/** Overview: the run, its progress and the best trial so far, overall and under each budget. */
import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import { counted } from '../../core/plural.js';
import { formatBytes, formatDuration } from '../../core/units.js';
import { describeBudgets, type Budgets } from '../../search/run-config.js';
import { budgetTests, type BudgetBest, type Snapshot, type TrialRow } from '../snapshot.js';
import { bar } from '../sparkline.js';

const bestOf = (rows: TrialRow[]) => rows.reduce<TrialRow | null>((b, t) => (t.status === 'complete' && t.accuracy !== null && (b === null || t.accuracy > b.accuracy!) ? t : b), null);

// As best, pareto and show do: a lower rung's accuracy is a cheap estimate, not a result.
// `brief` drops the words a narrow terminal has no room for (the first line says what the figures are).
const describeTrial = (t: TrialRow, brief = false) => `trial ${t.number}, ${(100 * t.accuracy!).toFixed(2)}%${brief ? '' : ' test accuracy'}`
  + `${t.reduced === true ? (brief ? ' (reduced)' : ' (at reduced fidelity)') : ''}, ${formatBytes(t.sizeBytes ?? 0)}, ${t.latencyMs?.toFixed(3) ?? '-'} ms`;

/** Rows a line takes once ink wraps it at word boundaries (a word longer than the width is cut). */
export function wrappedRows(text: string, width: number): number {
  const w = Math.max(1, width);
  let rows = 1, at = 0;
  for (const word of text.split(' ')) {
    const room = at === 0 ? word.length : at + 1 + word.length;
    if (room <= w) { at = room; continue; }
    if (at > 0) rows++;
    rows += Math.max(0, Math.ceil(word.length / w) - 1);
    at = word.length % w === 0 && word.length > 0 ? w : word.length % w;
  }
  return rows;
}

/** One line of the view: its text (what it wraps by), how it shows, and when it goes if rows run short (1 first, then 2; never without). */
interface Line { text: string; node?: ReactNode; dim?: boolean; drop?: 1 | 2 }

/**
 * `height`: the rows the view may take. Lines wrap, each counted by the rows it takes; the
 * best under each budget, then the profiles, go first when they do not all fit, so the run's
 * name and progress never scroll off a small terminal.
 */
export function Overview({ snapshot, width, height = Number.POSITIVE_INFINITY }: { snapshot: Snapshot; width: number; height?: number }) {
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
  const trialLine = (prefix: string, t: TrialRow | null, none: string) => {
    if (t === null) return `${prefix}${none}`;
    const full = `${prefix}${describeTrial(t)}`;
    return full.length <= width ? full : `${prefix}${describeTrial(t, true)}`;
  };
  const statusCounts = Object.entries({ complete: counts.byStatus.complete, running: counts.byStatus.running, queued: counts.byStatus.queued,
    failed: counts.byStatus.failed, rejected: counts.byStatus.rejected, interrupted: counts.byStatus.interrupted });
  const allCounts = statusCounts.map(([label, n]) => `${label} ${n}`).join('  ');
  const runLine = `${run.space} on ${run.dataset}, ${run.strategy}, seed ${run.seed}, ${counted(config.workers ?? 1, 'worker')}${backend !== null ? `, ${backend} backend` : ''}`;
  const budgets = Object.keys(config.budgets ?? {}).length > 0
    ? `budgets${config.profile !== undefined && config.profile !== snapshot.profile ? ` (on ${config.profile})` : ''}: ${describeBudgets(config.budgets!)}` : 'no budgets';
  const status = `status ${snapshot.stopped === true ? 'stopped (its process is gone: hwnas search --resume continues it)' : run.status === 'complete' ? 'finished' : run.status}, `
    + `elapsed ${formatDuration(elapsedSeconds * 1000)}${eta !== null && run.status === 'running' && snapshot.stopped !== true ? `, ETA ${formatDuration(eta * 1000)}` : ''}`;
  const lines: Line[] = [
    { text: `${run.name}  ${runLine}`, node: <Text bold>{run.name}  <Text dimColor>{runLine}</Text></Text> },
    // Two lines: on one, a run with two budgets wrapped mid-phrase at 80 columns.
    { text: `profiles ${profiles.join(', ')} (showing ${snapshot.profile})`, dim: true, drop: 2 },
    { text: budgets, dim: true },
    { text: status },
    { text: `${total !== null ? `[${bar(total > 0 ? done / total : 0, barWidth)}] ${done}/${total}` : `${done} trials`}  ${perHour.toFixed(0)} trials/hour` },
    // Narrow: the counts that are not zero (complete and running always).
    { text: allCounts.length <= width ? allCounts : statusCounts.filter(([label, n]) => n > 0 || label === 'complete' || label === 'running').map(([label, n]) => `${label} ${n}`).join('  ') },
    { text: trialLine('best: ', best, `no complete trial${yet}`) },
    ...bestUnder.map((b): Line => ({ text: trialLine(`  ${b.label}: `, b.best, `none${yet}`), drop: 1 })),
  ];
  const rows = (line: Line) => wrappedRows(line.text, width);
  let used = lines.reduce((sum, line) => sum + rows(line), 0);
  // The best under each budget from the last, then the profiles, until the view fits.
  const shown = new Set(lines);
  for (const level of [1, 2]) {
    for (let i = lines.length - 1; i >= 0 && used > height; i--) if (lines[i]!.drop === level) { shown.delete(lines[i]!); used -= rows(lines[i]!); }
  }
  return <Box flexDirection="column" width={width}>{lines.filter((line) => shown.has(line)).map((line, i) => <Box key={i}>{line.node ?? <Text dimColor={line.dim === true}>{line.text}</Text>}</Box>)}</Box>;
}
