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

/** Blank key flags, for the keys of a chunk that ink passed as one input. */
const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false,
  ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};

/**
 * The keys in an input ink passed: itself, or, for a chunk of several plain characters
 * (ink splits escape sequences but not those), each character with the flags it stands for.
 */
export function keypresses(input: string, key: Key): Array<[string, Key]> {
  // ink reads Esc followed at once by another key as that key with meta (Alt) set: both count.
  if (key.meta && !key.escape) return [['', { ...NO_KEY, escape: true, meta: true }], ...keypresses(input, { ...key, meta: false })];
  if (input.length <= 1 || key.ctrl) return [[input, key]];
  return [...input].map((ch): [string, Key] => (ch === '\r' ? ['', { ...NO_KEY, return: true }] : ch === '\t' ? ['', { ...NO_KEY, tab: true }]
    : ch === '\x7f' || ch === '\b' ? ['', { ...NO_KEY, backspace: true }] : [ch, NO_KEY]));
}

interface ViewState { view: typeof VIEWS[number]; axis: Axis; cursor: number; sort: SortKey; feasibleOnly: boolean; offset: number }
const INITIAL_VIEW: ViewState = { view: 'overview', axis: 'latency', cursor: 0, sort: 'number', feasibleOnly: false, offset: 0 };

export function App({ load, loadDetail, intervalMs = 1000, now = () => Date.now() / 1000 }: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const [snapshot, setSnapshot] = useState(load);
  // What the keys change, also held in refs set as they change: ink hands one read of stdin over as several
  // inputs, one after another before React renders again, and a handler reading the render's state would
  // undo the earlier inputs' changes with the values they replaced.
  const [ui, setUi] = useState<ViewState>(INITIAL_VIEW);
  const uiNow = useRef(ui);
  const updateUi = (next: ViewState) => { uiNow.current = next; setUi(next); };
  const [detail, setDetail] = useState<TrialDetail | null | undefined>(undefined);
  const detailNow = useRef(detail);
  const showDetail = (next: TrialDetail | null | undefined) => { detailNow.current = next; setDetail(next); };
  const { view, axis, cursor, sort, feasibleOnly, offset } = ui;
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
    if (at >= 0 && at !== offset) updateUi({ ...uiNow.current, offset: at });
  }, [trialRows]);
  useEffect(() => { selected.current = trialRows[offset]?.number; }, [offset]);
  // Reading a trial can meet the same damaged or vanished database a refresh can: it ends the app the same way.
  const open = (trialNumber: number | undefined) => {
    if (trialNumber === undefined || loadDetail === undefined) return;
    try { showDetail(loadDetail(trialNumber)); } catch (error) { exit(error instanceof Error ? error : new Error(String(error))); }
  };
  // ink subscribes the key handler in an effect that runs after each frame: a key typed between a frame and its
  // effect reached the previous view's handler (Enter opened the trial the cursor had just left). The ref holds
  // this render's handler from the moment it renders.
  const onKey = useRef<(input: string, key: Key) => void>(() => {});
  useInput((input, key) => onKey.current(input, key));
  onKey.current = (chunk, chunkKey) => {
    // Keys are applied one by one to a working copy of the state, then set at once: several
    // keys can arrive in one chunk (typed fast, or while a frame was drawing), and ink hands
    // such a chunk over as one input, which matched no key before.
    let ui = { ...uiNow.current, inDetail: detailNow.current !== undefined };
    let rows = trialRows, rowsFor = `${view}|${sort}|${feasibleOnly}`;
    let toOpen: number | undefined, opening = false;
    for (const [input, key] of keypresses(chunk, chunkKey)) {
      if (input === 'q') { exit(); return; }
      // In a trial's detail the footer still offers Tab and 1-4: they leave it for that view, as Esc leaves it for the one below.
      const switchesView = key.tab || (input >= '1' && input <= String(VIEWS.length));
      if (ui.inDetail) {
        if (key.escape || key.backspace || key.delete || switchesView) { ui = { ...ui, inDetail: false }; opening = false; }
        if (!switchesView) continue;
      }
      if (`${ui.view}|${ui.sort}|${ui.feasibleOnly}` !== rowsFor) {
        rows = ui.view === 'trials' ? sortedRows(snapshot, ui.sort, ui.feasibleOnly) : [];
        rowsFor = `${ui.view}|${ui.sort}|${ui.feasibleOnly}`;
      }
      const last = Math.max(0, rows.length - 1);
      const { view: v } = ui;
      if (key.tab) ui = { ...ui, view: VIEWS[(VIEWS.indexOf(v) + 1) % VIEWS.length]! };
      else if (input >= '1' && input <= String(VIEWS.length)) ui = { ...ui, view: VIEWS[Number(input) - 1]! };
      else if (v === 'pareto' && input === 'o') ui = { ...ui, axis: ui.axis === 'latency' ? 'size' : 'latency' };
      // Within the front: past its last point the cursor would count on unseen, and Left would seem not to work.
      else if (v === 'pareto' && (key.rightArrow || key.leftArrow)) {
        const end = Math.max(0, frontLength(snapshot, ui.axis) - 1), at = Math.min(ui.cursor, end);
        ui = { ...ui, cursor: key.rightArrow ? Math.min(end, at + 1) : Math.max(0, at - 1) };
      } else if (v === 'pareto' && key.return) { toOpen = selectedFrontPoint(snapshot, ui.axis, ui.cursor)?.id; opening = ui.inDetail = toOpen !== undefined; }
      else if (v === 'trials' && input === 's') ui = { ...ui, sort: SORTS[(SORTS.indexOf(ui.sort) + 1) % SORTS.length]!, offset: 0 };
      else if (v === 'trials' && input === 'f') ui = { ...ui, feasibleOnly: !ui.feasibleOnly, offset: 0 };
      else if (v === 'trials' && key.downArrow) ui = { ...ui, offset: Math.min(last, ui.offset + 1) };
      else if (v === 'trials' && key.upArrow) ui = { ...ui, offset: Math.max(0, ui.offset - 1) };
      else if (v === 'trials' && key.pageDown) ui = { ...ui, offset: Math.min(last, ui.offset + page) };
      else if (v === 'trials' && key.pageUp) ui = { ...ui, offset: Math.max(0, ui.offset - page) };
      else if (v === 'trials' && key.return) { toOpen = rows[ui.offset]?.number; opening = ui.inDetail = toOpen !== undefined; }
    }
    const { inDetail, ...next } = ui;
    // The selection follows its trial when a refresh re-sorts the rows, not when these keys did.
    if (`${next.view}|${next.sort}|${next.feasibleOnly}` !== rowsFor) rows = next.view === 'trials' ? sortedRows(snapshot, next.sort, next.feasibleOnly) : [];
    selected.current = rows[next.offset]?.number;
    updateUi(next);
    if (opening) open(toOpen);
    else if (!inDetail && detailNow.current !== undefined) showDetail(undefined);
  };
  const body = height - 3;
  const current = detail !== undefined ? 'detail' : view;
  return (
    <Box flexDirection="column" width={width}>
      {/* One line each, cut to the width: wrapped, they pushed the view's first lines off a narrow terminal. */}
      <Text inverse wrap="truncate-end">{VIEWS.map((v, i) => (v === view ? ` [${i + 1} ${v}] ` : `  ${i + 1} ${v}  `)).join('')}{detail !== undefined ? ' > detail ' : ''}</Text>
      {current === 'detail' && <TrialDetailView detail={detail ?? null} profile={snapshot.profile} width={width} height={body} />}
      {current === 'overview' && <Overview snapshot={snapshot} width={width} height={body} />}
      {current === 'pareto' && <ParetoView snapshot={snapshot} width={width} height={body} axis={axis} cursor={cursor} />}
      {current === 'trials' && <TrialsTable snapshot={snapshot} rows={trialRows} height={body} sort={sort} feasibleOnly={feasibleOnly} offset={offset} width={width} />}
      {current === 'workers' && <WorkersView snapshot={snapshot} width={width} height={body} now={now()} />}
      <Text dimColor wrap="truncate-end">{FOOTERS[current]}Tab/1-{VIEWS.length} views  q quit</Text>
    </Box>
  );
}
