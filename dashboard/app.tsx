/** The dashboard: views switched with Tab or 1-3, a footer listing the keys, q to quit. */
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Snapshot } from './snapshot.js';
import { Overview } from './views/overview.js';
import { ParetoView, type Axis } from './views/pareto-view.js';
import { SORTS, TrialsTable, type SortKey } from './views/trials-table.js';

const VIEWS = ['overview', 'pareto', 'trials'] as const;

export function App({ load, intervalMs = 1000 }: { load: () => Snapshot; intervalMs?: number }) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [snapshot, setSnapshot] = useState(load);
  const [view, setView] = useState<typeof VIEWS[number]>('overview');
  const [axis, setAxis] = useState<Axis>('latency');
  const [cursor, setCursor] = useState(0);
  const [sort, setSort] = useState<SortKey>('number');
  const [feasibleOnly, setFeasibleOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setSnapshot(load()), intervalMs);
    return () => clearInterval(timer);
  }, [load, intervalMs]);
  const width = stdout.columns ?? 80, height = stdout.rows ?? 24;
  useInput((input, key) => {
    if (input === 'q') exit();
    else if (key.tab) setView(VIEWS[(VIEWS.indexOf(view) + 1) % VIEWS.length]!);
    else if (input >= '1' && input <= '3') setView(VIEWS[Number(input) - 1]!);
    else if (view === 'pareto' && input === 'o') setAxis(axis === 'latency' ? 'size' : 'latency');
    else if (view === 'pareto' && key.rightArrow) setCursor(cursor + 1);
    else if (view === 'pareto' && key.leftArrow) setCursor(Math.max(0, cursor - 1));
    else if (view === 'trials' && input === 's') setSort(SORTS[(SORTS.indexOf(sort) + 1) % SORTS.length]!);
    else if (view === 'trials' && input === 'f') setFeasibleOnly(!feasibleOnly);
    else if (view === 'trials' && key.downArrow) setOffset(Math.min(Math.max(0, snapshot.trials.length - 1), offset + 1));
    else if (view === 'trials' && key.upArrow) setOffset(Math.max(0, offset - 1));
    else if (view === 'trials' && key.pageDown) setOffset(Math.min(Math.max(0, snapshot.trials.length - 1), offset + height - 4));
    else if (view === 'trials' && key.pageUp) setOffset(Math.max(0, offset - (height - 4)));
  });
  const body = height - 3;
  return (
    <Box flexDirection="column" width={width}>
      <Text inverse>{VIEWS.map((v, i) => (v === view ? ` [${i + 1} ${v}] ` : `  ${i + 1} ${v}  `)).join('')}</Text>
      {view === 'overview' && <Overview snapshot={snapshot} width={width} />}
      {view === 'pareto' && <ParetoView snapshot={snapshot} width={width} height={body} axis={axis} cursor={cursor} />}
      {view === 'trials' && <TrialsTable snapshot={snapshot} height={body} sort={sort} feasibleOnly={feasibleOnly} offset={offset} />}
      <Text dimColor>{view === 'pareto' ? 'o axes  ←/→ move along the front  ' : view === 'trials' ? 's sort  f complete only  ↑/↓ PgUp/PgDn scroll  ' : ''}Tab/1-3 views  q quit</Text>
    </Box>
  );
}
