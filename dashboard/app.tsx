/**
 * The dashboard: views switched with Tab or 1-4, a footer listing the keys, q to quit.
 * Enter opens the selected trial (the table's highlighted row, the front's cursor) in a
 * detail view; Esc goes back.
 */
import { Box, Text, useApp, useInput, useStdout, type Key } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { TrialDetail } from './detail.js';
import type { Snapshot } from './snapshot.js';
import { Overview } from './views/overview.js';
import { frontLength, ParetoView, selectedFrontPoint, type Axis } from './views/pareto-view.js';
import { TrialDetailView } from './views/trial-detail.js';
import { SORTS, sortedRows, TrialsTable, type SortKey } from './views/trials-table.js';
import { WorkersView } from './views/workers.js';

const VIEWS = ['overview', 'pareto', 'trials', 'workers'] as const;

const FOOTERS: Record<typeof VIEWS[number] | 'detail', string> = {
  overview: '',
  pareto: 'o axes  ←/→ move along the front  Enter detail  ',
  trials: 's sort  f feasible  ↑/↓ PgUp/PgDn select  Enter detail  ',
  workers: '',
  detail: 'Esc back  ',
};

export interface AppProps {
  load: () => Snapshot;
  /** A trial's detail by number (read from the store on Enter); without it Enter does nothing. */
  loadDetail?: (trialNumber: number) => TrialDetail | null;
  intervalMs?: number;
  /** Unix seconds, for the workers view's clocks (tests fix it). */
  now?: () => number;
}

export function App({ load, loadDetail, intervalMs = 1000, now = () => Date.now() / 1000 }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [snapshot, setSnapshot] = useState(load);
  const [view, setView] = useState<typeof VIEWS[number]>('overview');
  const [axis, setAxis] = useState<Axis>('latency');
  const [cursor, setCursor] = useState(0);
  const [sort, setSort] = useState<SortKey>('number');
  const [feasibleOnly, setFeasibleOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const [detail, setDetail] = useState<TrialDetail | null | undefined>(undefined);
  // Redraw on resize as well as on each refresh.
  const [, setSize] = useState({ columns: stdout.columns, rows: stdout.rows });
  useEffect(() => {
    // A refresh that fails (the database damaged or removed under us) ends the app with that error, for the command to report.
    const timer = setInterval(() => {
      try { setSnapshot(load()); } catch (error) { exit(error instanceof Error ? error : new Error(String(error))); }
    }, intervalMs);
    return () => clearInterval(timer);
  }, [load, intervalMs]);
  useEffect(() => {
    const onResize = () => setSize({ columns: stdout.columns, rows: stdout.rows });
    stdout.on('resize', onResize);
    return () => { stdout.off('resize', onResize); };
  }, [stdout]);
  const width = stdout.columns ?? 80, height = stdout.rows ?? 24;
  const page = Math.max(1, height - 6);
  // The trials view's rows, once per refresh, sort or filter change (the key handler and the table share them).
  const trialRows = useMemo(() => (view === 'trials' ? sortedRows(snapshot, sort, feasibleOnly) : []), [snapshot, view, sort, feasibleOnly]);
  // Trials re-sort as they finish: below the top row, the selection stays on its trial, not on its row
  // (Enter opened whichever trial had moved there). At the top it stays at the top, where the best arrive.
  const selected = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (offset === 0 || selected.current === undefined) return;
    const at = trialRows.findIndex((r) => r.number === selected.current);
    if (at >= 0 && at !== offset) setOffset(at);
  }, [trialRows]);
  useEffect(() => { selected.current = trialRows[offset]?.number; }, [offset]);
  // Reading a trial can meet the same damaged or vanished database a refresh can: it ends the app the same way.
  const open = (trialNumber: number | undefined) => {
    if (trialNumber === undefined || loadDetail === undefined) return;
    try { setDetail(loadDetail(trialNumber)); } catch (error) { exit(error instanceof Error ? error : new Error(String(error))); }
  };
  // ink subscribes the key handler in an effect that runs after each frame: a key typed between a frame and its
  // effect reached the previous view's handler (Enter opened the trial the cursor had just left). The ref holds
  // this render's handler from the moment it renders.
  const onKey = useRef<(input: string, key: Key) => void>(() => {});
  useInput((input, key) => onKey.current(input, key));
  onKey.current = (input, key) => {
    if (input === 'q') { exit(); return; }
    // In a trial's detail the footer still offers Tab and 1-4: they leave it for that view, as Esc leaves it for the one below.
    const switchesView = key.tab || (input >= '1' && input <= String(VIEWS.length));
    if (detail !== undefined) {
      if (key.escape || key.backspace || key.delete || switchesView) setDetail(undefined);
      if (!switchesView) return;
    }
    const last = Math.max(0, trialRows.length - 1);
    if (key.tab) setView(VIEWS[(VIEWS.indexOf(view) + 1) % VIEWS.length]!);
    else if (input >= '1' && input <= String(VIEWS.length)) setView(VIEWS[Number(input) - 1]!);
    else if (view === 'pareto' && input === 'o') setAxis(axis === 'latency' ? 'size' : 'latency');
    // Within the front: past its last point the cursor would count on unseen, and Left would seem not to work.
    else if (view === 'pareto' && (key.rightArrow || key.leftArrow)) {
      const end = Math.max(0, frontLength(snapshot, axis) - 1), at = Math.min(cursor, end);
      setCursor(key.rightArrow ? Math.min(end, at + 1) : Math.max(0, at - 1));
    }
    else if (view === 'pareto' && key.return) open(selectedFrontPoint(snapshot, axis, cursor)?.id);
    else if (view === 'trials' && input === 's') { setSort(SORTS[(SORTS.indexOf(sort) + 1) % SORTS.length]!); setOffset(0); }
    else if (view === 'trials' && input === 'f') { setFeasibleOnly(!feasibleOnly); setOffset(0); }
    else if (view === 'trials' && key.downArrow) setOffset(Math.min(last, offset + 1));
    else if (view === 'trials' && key.upArrow) setOffset(Math.max(0, offset - 1));
    else if (view === 'trials' && key.pageDown) setOffset(Math.min(last, offset + page));
    else if (view === 'trials' && key.pageUp) setOffset(Math.max(0, offset - page));
    else if (view === 'trials' && key.return) open(trialRows[offset]?.number);
  };
  const body = height - 3;
  const current = detail !== undefined ? 'detail' : view;
  return (
    <Box flexDirection="column" width={width}>
      {/* One line each, cut to the width: wrapped, they pushed the view's first lines off a narrow terminal. */}
      <Text inverse wrap="truncate-end">{VIEWS.map((v, i) => (v === view ? ` [${i + 1} ${v}] ` : `  ${i + 1} ${v}  `)).join('')}{detail !== undefined ? ' > detail ' : ''}</Text>
      {current === 'detail' && <TrialDetailView detail={detail ?? null} profile={snapshot.profile} width={width} height={body} />}
      {current === 'overview' && <Overview snapshot={snapshot} width={width} />}
      {current === 'pareto' && <ParetoView snapshot={snapshot} width={width} height={body} axis={axis} cursor={cursor} />}
      {current === 'trials' && <TrialsTable snapshot={snapshot} rows={trialRows} height={body} sort={sort} feasibleOnly={feasibleOnly} offset={offset} width={width} />}
      {current === 'workers' && <WorkersView snapshot={snapshot} width={width} now={now()} />}
      <Text dimColor wrap="truncate-end">{FOOTERS[current]}Tab/1-{VIEWS.length} views  q quit</Text>
    </Box>
  );
}
