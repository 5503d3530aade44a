/** Workers: what each pool worker is training now, its progress and speed. */
import { Box, Text } from 'ink';
import { formatDuration } from '../../core/units.js';
import { bar } from '../sparkline.js';
import type { Snapshot } from '../snapshot.js';

/** `height`: the rows the view may take; each line is cut to the width, so none wraps a row away. */
export function WorkersView({ snapshot, width, now, height = Number.POSITIVE_INFINITY }: { snapshot: Snapshot; width: number; now: number; height?: number }) {
  const workers = (snapshot.run.config as { workers?: number }).workers ?? 1;
  const running = snapshot.running ?? snapshot.trials.filter((t) => t.status === 'running');
  const barWidth = Math.max(8, Math.min(20, width - 70));
  const unplaced = running.filter((t) => t.worker === null || t.worker > workers);
  // Room for the header and the summary line; workers past it are counted in the summary.
  const room = Math.max(0, Math.min(workers + unplaced.length, height - 2));
  const slots = Array.from({ length: Math.min(workers, room) }, (_, i) => i + 1);
  const hidden = workers + unplaced.length - room;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">{`${'worker'.padStart(6)} ${'trial'.padStart(6)}  ${'stage'.padEnd(12)} ${'epoch'.padStart(5)}  ${'progress'.padEnd(barWidth)} ${'batch'.padStart(9)}  ${'img/s'.padStart(6)}  running`}</Text>
      {slots.map((slot) => {
        const t = running.find((r) => r.worker === slot);
        if (t === undefined) return <Text key={slot} dimColor wrap="truncate-end">{String(slot).padStart(6)}      -  idle</Text>;
        const p = t.progress;
        const share = p === null ? 0 : p.batch / p.batches;
        const stale = p !== null && now - p.at > 30 ? `  (quiet ${formatDuration((now - p.at) * 1000)})` : '';
        const line = `${String(slot).padStart(6)} ${String(t.number).padStart(6)}  ${(p?.stage ?? 'starting').padEnd(12)} ${(p === null ? '-' : `${p.epoch}/${p.epochs}`).padStart(5)}  `
          + `${bar(share, barWidth)} ${(p === null ? '' : `${p.batch}/${p.batches}`).padStart(9)}  ${(p === null ? '-' : Math.round(p.imagesPerSecond).toLocaleString('en')).padStart(6)}  `
          + `${t.startedAt === null ? '-' : formatDuration(Math.max(0, now - t.startedAt) * 1000)}${stale}`;
        return <Text key={slot} wrap="truncate-end">{line}</Text>;
      })}
      {unplaced.slice(0, room - slots.length).map((t) => <Text key={`u${t.id}`} dimColor wrap="truncate-end">     ? {String(t.number).padStart(6)}  running (no worker slot recorded)</Text>)}
      <Text dimColor wrap="truncate-end">{hidden > 0 ? `${hidden} more not shown; ` : ''}{running.length} running, {snapshot.counts.byStatus.queued} queued; progress is reported about once a second by each worker</Text>
    </Box>
  );
}
