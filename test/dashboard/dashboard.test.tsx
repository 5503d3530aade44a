import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../dashboard/app.js';
import { CURSOR, DOT, FRONT, scatter } from '../../dashboard/scatter.js';
import type { Snapshot, TrialRow } from '../../dashboard/snapshot.js';
import { Overview, wrappedRows } from '../../dashboard/views/overview.js';
import { ParetoView } from '../../dashboard/views/pareto-view.js';
import { TrialsTable } from '../../dashboard/views/trials-table.js';
import { TrialDetailView } from '../../dashboard/views/trial-detail.js';
import { WorkersView } from '../../dashboard/views/workers.js';
import type { TrialDetail } from '../../dashboard/detail.js';
import { bar, sparkline } from '../../dashboard/sparkline.js';
import { compareRows, SORTS, type SortKey } from '../../dashboard/order.js';

const row = (number: number, accuracy: number | null, latencyMs: number | null, sizeBytes: number | null, status: TrialRow['status'] = 'complete'): TrialRow =>
  ({ id: number + 1, number, status, accuracy, latencyMs, sizeBytes, energyMj: null, macs: null, error: status === 'failed' ? 'diverged: NaN' : null, seconds: 2,
    worker: status === 'running' ? 2 : 1, startedAt: 4000, progress: null });

const snapshot: Snapshot = {
  run: { id: 1, name: 'night', space: 'mlp', dataset: 'mnist', strategy: 'nsga2', seed: 1, config: { trials: 10, budgets: { maxLatencyMs: 0.5 } }, status: 'running',
    strategyState: null, ownerPid: null, ownerHost: null, heartbeatAt: null, createdAt: 1000, finishedAt: null },
  profile: 'raspberry-pi-4',
  counts: { total: 6, byStatus: { queued: 1, running: 1, complete: 3, pruned: 0, failed: 1, interrupted: 0, rejected: 0 } },
  trials: [row(0, 0.9, 1.0, 40_000), row(1, 0.85, 0.2, 20_000), row(2, 0.8, 0.6, 30_000), row(3, null, null, null, 'failed'),
    { ...row(4, null, null, null, 'running'), progress: { stage: 'training', epoch: 2, epochs: 4, batch: 30, batches: 120, loss: 0.4, imagesPerSecond: 2345.6, at: 4070 } }],
  elapsedSeconds: 3600,
};

/** Trial 1 as the detail view gets it: two layers, costs on two profiles, a three-epoch curve. */
const detail: TrialDetail = {
  trial: { id: 2, runId: 1, number: 1, status: 'complete', genotype: { depth: 2, 'quant.bits': 8, activation: 'relu' }, genotypeHash: 'h', seed: 7, fidelity: { epochs: 3 }, rung: 0,
    worker: 1, error: null, queuedAt: 3990, startedAt: 4000, finishedAt: 4012.5, accuracy: 0.85, valAccuracy: 0.84, sizeBytes: 20_000, params: 101_770, macs: 101_632, metrics: null, progress: null },
  costs: [{ profile: 'raspberry-pi-4', latencyMs: 0.2, energyMj: 0.0123, peakMemoryBytes: 4096, feasible: true }, { profile: 'stm32h743', latencyMs: 31.5, energyMj: 1.5, peakMemoryBytes: 4096, feasible: false }],
  epochs: [0.5, 0.75, 0.84].map((v, i) => ({ epoch: i + 1, trainLoss: 1, trainAccuracy: v, valLoss: 1, valAccuracy: v, learningRate: 0.001, seconds: 4, imagesPerSecond: 2000 })),
  layers: [
    { name: 'dense0', kind: 'dense', outputShape: [1, 1, 128], macs: 100_352, sparsity: 0.9, bits: 8, bytes: 12_000, latencyShare: 0.75 },
    { name: 'logits', kind: 'dense', outputShape: [1, 1, 10], macs: 1_280, sparsity: 0, bits: 8, bytes: 1_320, latencyShare: 0.05 },
  ],
  otherLatencyShare: 0.2,
};
const tick = () => new Promise((r) => setTimeout(r, 50));
/** Waits for a key's effect to show: a fixed pause flaked on a loaded machine. */
const settled = (check: () => void) => vi.waitFor(check, { timeout: 5000, interval: 20 });
/** Types a key and waits for the frame that shows its effect, then a little more for that frame's effects to run. */
const pressing = (stdin: { write: (data: string) => void }, lastFrame: () => string | undefined) => async (key: string, shows: RegExp) => {
  stdin.write(key);
  await settled(() => expect(lastFrame()).toMatch(shows));
  await tick();
};

describe('scatter plot', () => {
  it('places known points in the right cells and marks the front', () => {
    const points = [{ id: 0, x: 0, y: 0 }, { id: 1, x: 10, y: 10 }, { id: 2, x: 10, y: 0 }, { id: 3, x: 5, y: 5 }];
    // width 15 = 2-character y ticks + ' │' + 11 columns; height 8 = 5 rows + 3 axis lines.
    const { lines, front } = scatter(points, { width: 15, height: 8, xLabel: 'x', yLabel: 'y', formatX: String, formatY: String, cursor: 3 });
    expect(front.map((p) => p.id)).toEqual([0, 3, 1]);
    const cells = lines.slice(0, 5).map((l) => [...l.slice(4).padEnd(11)]);
    expect(cells[0]![10]).toBe(FRONT); // (10, 10): top right
    expect(cells[2]![5]).toBe(CURSOR); // (5, 5): the middle, selected
    expect(cells[4]![0]).toBe(FRONT); // (0, 0): bottom left
    expect(cells[4]![10]).toBe(DOT); // (10, 0): as slow as trial 1 and less accurate
    expect(cells[4]![3]).toBe('─'); // the front is joined
    expect(lines[0]).toMatch(/^10 ┤/);
    expect(lines[4]).toMatch(/^ 0 ┤/);
    expect(lines.at(-3)).toBe('   └┬────┬────┬');
    expect(lines.at(-2)).toBe('    0    5   10');
  });
  it('puts a middle tick on each axis where it fits', () => {
    const points = [{ id: 0, x: 0, y: 0 }, { id: 1, x: 100, y: 100 }];
    const { lines } = scatter(points, { width: 45, height: 12, xLabel: 'x', yLabel: 'y', formatX: (x) => `${x.toFixed(0)} ms`, formatY: (y) => `${y.toFixed(0)}%`, front: points });
    // 9 rows: the middle one (4) is half way down; 39 columns: the middle one (19) is half way across.
    expect(lines[4]).toMatch(/^ 50% ┤/);
    expect(lines.at(-3)).toBe(`     └┬${'─'.repeat(18)}┬${'─'.repeat(18)}┬`);
    expect(lines.at(-2)).toMatch(/^ {6}0 ms {13}50 ms {11}100 ms$/);
    // Too narrow for the middle label: the ends only.
    expect(scatter(points, { width: 20, height: 12, xLabel: 'x', yLabel: 'y', formatX: (x) => `${x.toFixed(0)} ms`, formatY: (y) => `${y.toFixed(0)}%`, front: points }).lines.at(-2))
      .toMatch(/^ {6}0 ms +100 ms$/);
  });
});

describe('dashboard views', () => {
  it('overview: progress, counts, the best trial', () => {
    const { lastFrame } = render(<Overview snapshot={snapshot} width={80} />);
    expect(lastFrame()).toMatch(/night  mlp on mnist, nsga2, seed 1, 1 worker$/m);
    expect(lastFrame()).toMatch(/profiles raspberry-pi-4 \(showing raspberry-pi-4\)\nbudgets: latency <= 0.5 ms/);
    expect(lastFrame()).toMatch(/4\/10  4 trials\/hour/);
    expect(lastFrame()).toMatch(/complete 3  running 1  queued 1  failed 1/);
    expect(lastFrame()).toMatch(/best: trial 0, 90.00% test accuracy, 39.1 KiB, 1.000 ms/);
    // Trial 0 is too slow for the budget: the best under it is trial 1.
    expect(lastFrame()).toMatch(/^ {2}latency <= 0.5 ms: trial 1, 85.00% test accuracy, 19.5 KiB, 0.200 ms$/m);
  });
  it('overview: on a small terminal the run and its progress stay, the best under each budget goes first', () => {
    const budgeted = { ...snapshot, run: { ...snapshot.run, name: 'overnight-fashion-mnist', config: { ...snapshot.run.config as object, budgets: { maxLatencyMs: 0.5, maxSizeBytes: 64_000 }, backend: 'wasm' } } };
    const rowsOf = (frame: string, width: number) => frame.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / width)), 0);
    const roomy = render(<Overview snapshot={budgeted} width={60} height={12} />).lastFrame()!;
    expect(rowsOf(roomy, 60)).toBeLessThanOrEqual(12);
    expect(roomy.split('\n')[0]).toMatch(/^overnight-fashion-mnist {2}mlp on mnist/);
    // Three budget lines, each brief enough for one row at 60 columns.
    expect(roomy).toMatch(/^ {2}latency <= 0.5 ms: trial 1, 85.00%, 19.5 KiB, 0.200 ms$/m);
    expect(roomy).toMatch(/^ {2}all budgets: /m);
    const small = render(<Overview snapshot={budgeted} width={60} height={8} />).lastFrame()!;
    expect(rowsOf(small, 60)).toBeLessThanOrEqual(8);
    expect(small.split('\n')[0]).toMatch(/^overnight-fashion-mnist/);
    expect(small).toMatch(/^best: trial 0/m);
    expect(small).not.toMatch(/all budgets:/);
    // Wide enough: every line as before.
    expect(render(<Overview snapshot={budgeted} width={120} height={12} />).lastFrame()).toMatch(/^ {2}latency <= 0.5 ms: trial 1, 85.00% test accuracy, 19.5 KiB, 0.200 ms$/m);
  });
  it('counts the rows a line takes once wrapped at word boundaries', () => {
    expect(wrappedRows('', 10)).toBe(1);
    expect(wrappedRows('0123456789', 10)).toBe(1);
    expect(wrappedRows('01234 6789 12', 10)).toBe(2);
    expect(wrappedRows('012345678901234567890', 10)).toBe(3);
    expect(wrappedRows('ab 012345678901', 10)).toBe(3);
  });
  it('pareto: the front, the budget line and the selected trial', () => {
    const { lastFrame } = render(<ParetoView snapshot={snapshot} width={60} height={12} axis="latency" cursor={1} />);
    const frame = lastFrame()!;
    const plot = frame.split('\n').slice(0, -1).join('\n');
    expect(plot.split(FRONT).length - 1 + plot.split(CURSOR).length - 1).toBe(2); // trials 1 and 0; trial 2 is dominated
    expect(frame).toContain('┊');
    expect(frame).toMatch(/◆ trial 0: 90.00%, 1.000 ms, 39.1 KiB {2}\(2 on the front of 3\)/);
    // The latency budget is the searched profile's: on another profile's axis there is no budget line.
    const elsewhere = { ...snapshot, run: { ...snapshot.run, config: { ...snapshot.run.config as object, profile: 'jetson-nano' } } };
    expect(render(<ParetoView snapshot={elsewhere} width={60} height={12} axis="latency" cursor={1} />).lastFrame()).not.toContain('┊');
  });
  it('orders by every metric, missing values last', () => {
    const rows = [{ ...row(0, 0.5, 1, 10), energyMj: 2, seconds: 5 }, { ...row(1, 0.7, 2, 5), energyMj: 1, seconds: null }, { ...row(2, null, null, null, 'failed'), energyMj: null, seconds: 1 }];
    const order = (sort: SortKey) => [...rows].sort(compareRows(sort)).map((r) => r.number);
    expect(order('accuracy')).toEqual([1, 0, 2]);
    expect(order('latency')).toEqual([0, 1, 2]);
    expect(order('energy')).toEqual([1, 0, 2]);
    expect(order('size')).toEqual([1, 0, 2]);
    expect(order('seconds')).toEqual([2, 0, 1]);
    expect(SORTS).toEqual(['number', 'accuracy', 'latency', 'energy', 'size', 'seconds']);
  });
  it('trials: sorted and filtered', () => {
    const { lastFrame } = render(<TrialsTable snapshot={snapshot} height={10} sort="accuracy" feasibleOnly offset={0} />);
    const numbers = lastFrame()!.split('\n').slice(1, -1).map((l) => Number(l.trim().split(/\s+/)[0]));
    // Complete and within the 0.5 ms budget: trial 0 (1.0 ms) and 2 (0.6 ms) are not.
    expect(numbers).toEqual([1]);
    expect(lastFrame()).toMatch(/rows 1-1 of 1, sorted by accuracy, feasible only/);
    const all = render(<TrialsTable snapshot={{ ...snapshot, run: { ...snapshot.run, config: { trials: 10 } } }} height={10} sort="accuracy" feasibleOnly offset={0} />);
    expect(all.lastFrame()).toMatch(/rows 1-3 of 3, sorted by accuracy, feasible only/);
    // Viewed on another profile than the run's, its latency budget does not apply to these latencies (best and the search used the run's).
    const elsewhere = { ...snapshot, run: { ...snapshot.run, config: { ...snapshot.run.config as object, profile: 'jetson-nano' } } };
    expect(render(<TrialsTable snapshot={elsewhere} height={10} sort="accuracy" feasibleOnly offset={0} />).lastFrame()).toMatch(/rows 1-3 of 3, sorted by accuracy, feasible only/);
    const overview = render(<Overview snapshot={elsewhere} width={80} />).lastFrame();
    expect(overview).toMatch(/budgets \(on jetson-nano\): latency <= 0.5 ms/);
    expect(overview).not.toMatch(/^ {2}latency <= 0.5 ms:/m);
  });
  it('trials: a narrow terminal loses columns, least useful first, and no line wraps', () => {
    for (const width of [40, 50, 60, 70, 80, 120]) {
      const lines = render(<TrialsTable snapshot={snapshot} height={10} sort="number" feasibleOnly={false} offset={0} width={width} />).lastFrame()!.split('\n').slice(0, -1);
      for (const l of lines) expect(l.length, `${width} columns: ${l}`).toBeLessThanOrEqual(width);
      expect(lines[0]).toMatch(/^ +trial status +test acc/);
    }
    const narrow = render(<TrialsTable snapshot={snapshot} height={10} sort="number" feasibleOnly={false} offset={0} width={60} />).lastFrame()!.split('\n')[0];
    expect(narrow).toMatch(/test acc +latency +stored error$/);
  });
  it('workers: what each worker trains now, its progress and speed', () => {
    const { lastFrame } = render(<WorkersView snapshot={{ ...snapshot, run: { ...snapshot.run, config: { ...snapshot.run.config as object, workers: 3 } } }} width={100} now={4100} />);
    const lines = lastFrame()!.split('\n');
    expect(lines[0]).toMatch(/^worker +trial +stage +epoch +progress +batch +img\/s +running$/);
    expect(lines[1]).toMatch(/^ +1 +- +idle$/);
    // 30 of 120 batches: a quarter of the 20-cell bar; started at 4000, now 4100.
    expect(lines[2]).toMatch(/^ +2 +4 +training +2\/4 +█████░{15} +30\/120 +2,346 +1m40s$/);
    expect(lines[3]).toMatch(/^ +3 +- +idle$/);
    expect(lines[4]).toMatch(/1 running, 1 queued/);
  });
  it('workers: a narrow, short terminal cuts lines to the width and counts the workers it has no row for', () => {
    const frame = render(<WorkersView snapshot={{ ...snapshot, run: { ...snapshot.run, config: { ...snapshot.run.config as object, workers: 6 } } }} width={60} height={5} now={4100} />).lastFrame()!;
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(5);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(60);
    expect(lines.at(-1)).toMatch(/^3 more not shown; 1 running/);
  });
  it('workers: says when a worker has not reported for a while', () => {
    const { lastFrame } = render(<WorkersView snapshot={{ ...snapshot, run: { ...snapshot.run, config: { ...snapshot.run.config as object, workers: 2 } } }} width={100} now={4200} />);
    expect(lastFrame()).toMatch(/\(quiet 2m10s\)/);
  });
  it('trial detail: genotype, costs per profile, layers with latency shares, learning curve', () => {
    const { lastFrame } = render(<TrialDetailView detail={detail} profile="raspberry-pi-4" width={80} height={24} />);
    const frame = lastFrame()!;
    expect(Math.max(...frame.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(frame).toMatch(/^trial 1 {2}complete {2}seed 7, worker 1, 12.5 s/);
    expect(frame).toMatch(/test 85.00% \(validation 84.00%\) {2}stored 19.5 KiB {2}101,770 params {2}101,632 MACs/);
    expect(frame).toMatch(/activation="?relu"? {2}depth=2 {2}quant.bits=8/);
    expect(frame).toMatch(/stm32h743 +31.500 ms +1.5 mJ +4 KiB +no/);
    expect(frame).toMatch(/dense0 +dense +1x1x128 +100,352 +90% +8 +11.7 KiB +█████░ +75%/);
    expect(frame).toMatch(/logits +dense +1x1x10 +1,280 +0% +8 +1.3 KiB +░{6} +5%/);
    expect(frame).toMatch(/share predicted on raspberry-pi-4; layers without weights take 20%/);
    expect(frame).toMatch(/▁▆█ {2}best 84.00% in 3 epochs/);
  });
  it('trial detail: a proposal rejected before training shows its predicted size, not zero parameters', () => {
    const rejected = { ...detail, trial: { ...detail.trial, status: 'rejected' as const, accuracy: null, valAccuracy: null, sizeBytes: null, params: null, macs: null, metrics: { predictedSizeBytes: 1_363_149 } }, layers: [], epochs: [] };
    const frame = render(<TrialDetailView detail={rejected} profile="raspberry-pi-4" width={80} height={24} />).lastFrame()!;
    expect(frame).toMatch(/^rejected before training: predicted 1\.3 MiB stored$/m);
    expect(frame).not.toMatch(/0 params/);
  });

  it('trial detail: a failed trial\'s whole reason, wrapped, with the genes and the height kept', () => {
    const error = 'worker crashed: the evaluation thread exited with code 134 (out of memory?) while training epoch 2; the trial is recorded as failed, and hwnas export --retrain 1 trains it again with more memory';
    const failed = { ...detail, trial: { ...detail.trial, status: 'failed' as const, error }, layers: Array.from({ length: 40 }, (_, i) => ({ ...detail.layers[0]!, name: `layer${i}` })) };
    const lines = render(<TrialDetailView detail={failed} profile="raspberry-pi-4" width={80} height={24} />).lastFrame()!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(24);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    expect(lines.slice(1, 4).join(' ')).toBe(error);
    expect(lines.join('\n')).toMatch(/activation="?relu"? {2}depth=2 {2}quant.bits=8/);
    // Longer than three lines: cut, and said so.
    const longer = render(<TrialDetailView detail={{ ...failed, trial: { ...failed.trial, error: `${error} ${error}` } }} profile="raspberry-pi-4" width={80} height={24} />).lastFrame()!.split('\n');
    expect(longer[3]).toMatch(/…$/);
    expect(longer[4]).toMatch(/^test /);
  });

  it('trial detail: cuts the layer table to the height and says how many are left', () => {
    const many = { ...detail, layers: Array.from({ length: 40 }, (_, i) => ({ ...detail.layers[0]!, name: `layer${i}` })) };
    const { lastFrame } = render(<TrialDetailView detail={many} profile="raspberry-pi-4" width={100} height={24} />);
    expect(lastFrame()!.split('\n').length).toBeLessThanOrEqual(24);
    expect(lastFrame()).toMatch(/… \d+ more layers \(hwnas show 1 prints them all\)/);
  });
  it('sparklines and bars scale between their ends', () => {
    expect(sparkline([0, 0.5, 1])).toBe('▁▅█');
    expect(sparkline([1, 2, 3, 4], 2)).toBe('▆█');
    expect(sparkline([])).toBe('');
    expect(bar(0.5, 4)).toBe('██░░');
    expect(bar(2, 3)).toBe('███');
  });
  it('the app switches views with keys and lists them in the footer', async () => {
    const { lastFrame, stdin } = render(<App load={() => snapshot} intervalMs={10_000} />);
    const press = pressing(stdin, lastFrame);
    expect(lastFrame()).toMatch(/\[1 overview\]/);
    expect(lastFrame()).toMatch(/Tab\/1-4 views {2}q quit/);
    await press('3', /\[3 trials\]/);
    expect(lastFrame()).toMatch(/rows 1-5 of 5, sorted by number/);
    await press('s', /sorted by accuracy/);
    await press('\t', /\[4 workers\]/);
    await press('\t', /\[1 overview\]/);
  });
  it('fits a 40-column terminal: the tab bar, the footer and the front\'s trial line are cut, not wrapped', async () => {
    const app = render(<App load={() => snapshot} intervalMs={10_000} />);
    Object.defineProperty(app.stdout, 'columns', { value: 40 });
    const press = pressing(app.stdin, app.lastFrame);
    await press('2', /2 pareto/);
    const lines = app.lastFrame()!.split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(lines[0]).toMatch(/^ {2}1 overview/);
    // Wrapped, the tab bar went on to a second line and the footer to a third: more lines than the screen has.
    expect(lines[1]).not.toMatch(/workers/);
    expect(lines.length).toBeLessThanOrEqual(24);
  });
  it('a trial that cannot be read (a damaged database) ends the app with that error, as a failed refresh does', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const app = render(<App load={() => snapshot} loadDetail={() => { throw new Error('database disk image is malformed'); }} intervalMs={10_000} />);
      await pressing(app.stdin, app.lastFrame)('3', /\[3 trials\]/);
      app.stdin.write('\r');
      await tick();
      expect(uncaught).toEqual([]);
      expect(app.lastFrame()).not.toMatch(/> detail/);
      app.unmount();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('keeps the selection on its trial when a refresh re-sorts the table', async () => {
    const asked: number[] = [];
    let refreshes = 0;
    // Sorted by accuracy: 0 (90%), 1 (85%), 2 (80%); after the first refresh trial 2 reaches 95% and moves to the top.
    const later = { ...snapshot, trials: snapshot.trials.map((t) => (t.number === 2 ? { ...t, accuracy: 0.95 } : t)) };
    const app = render(<App load={() => (refreshes++ === 0 ? snapshot : later)} loadDetail={(n) => { asked.push(n); return { ...detail, trial: { ...detail.trial, number: n } }; }} intervalMs={200} />);
    const press = pressing(app.stdin, app.lastFrame);
    await press('3', /\[3 trials\]/);
    await press('s', /sorted by accuracy/);
    await press('\u001B[B', /rows 2-5 of 5/); // trial 1, the second row
    await settled(() => expect(refreshes).toBeGreaterThan(2));
    await press('\r', /> detail/);
    expect(asked).toEqual([1]);
    app.unmount();
  });

  it('Enter opens the selected trial from the table and the front, Esc goes back', async () => {
    const asked: number[] = [];
    const { lastFrame, stdin } = render(<App load={() => snapshot} loadDetail={(n) => { asked.push(n); return { ...detail, trial: { ...detail.trial, number: n } }; }} intervalMs={10_000} />);
    const press = pressing(stdin, lastFrame);
    await press('3', /\[3 trials\]/);
    await press('\u001B[B', /rows 2-5 of 5/); // down: the second row (trial 1) is selected
    await press('\r', /> detail/);
    expect(asked).toEqual([1]);
    expect(lastFrame()).toMatch(/Esc back/);
    await press('\u001B', /rows 2-5 of 5/);
    await press('2', /◆ trial 1:/); // the cursor starts at the front's first point: trial 1 (0.2 ms)
    await press('\r', /> detail/);
    expect(asked).toEqual([1, 1]);
    await press('\u001B', /◆ trial 1:/);
    await press('\u001B[C', /◆ trial 0:/); // right: trial 0
    await press('\r', /> detail/);
    expect(asked).toEqual([1, 1, 0]);
    await press('\u001B', /◆ trial 0:/);
    // Past the front's end (trials 1 and 0) the cursor stays on its last point, so one Left goes back to trial 1.
    for (let i = 0; i < 5; i++) { stdin.write('\u001B[C'); await tick(); }
    await press('\u001B[D', /◆ trial 1:/);
    await press('\r', /> detail/);
    expect(asked).toEqual([1, 1, 0, 1]);
    // The detail's footer offers Tab and 1-4 too: they leave it for that view.
    await press('1', /\[1 overview\]/);
    expect(lastFrame()).not.toMatch(/> detail/);
    await press('2', /◆ trial 1:/);
    await press('\r', /> detail/);
    await press('\t', /\[3 trials\]/);
    expect(lastFrame()).not.toMatch(/> detail/);
  });

  it('several keys in one chunk (typed fast, or while a frame drew) each count', async () => {
    const asked: number[] = [];
    const { lastFrame, stdin } = render(<App load={() => snapshot} loadDetail={(n) => { asked.push(n); return { ...detail, trial: { ...detail.trial, number: n } }; }} intervalMs={10_000} />);
    const press = pressing(stdin, lastFrame);
    // ink passes a chunk of plain characters as one input: "3s" is the trials view sorted by accuracy, "ss" two sorts on.
    await press('3s', /\[3 trials\][\s\S]*sorted by accuracy/);
    await press('ss', new RegExp(`sorted by ${SORTS[3]}`));
    await press('s\r', /> detail/);
    expect(asked).toHaveLength(1);
    await press('\u001B', /\[3 trials\]/);
    await press('2\t', /\[3 trials\]/);
    // ink splits a read at escape sequences and hands the pieces over before the next render: the arrow must not undo the key before it.
    await press('1', /\[1 overview\]/);
    await press('3\u001B[B', /\[3 trials\][\s\S]*rows 2-5 of 5/);
    await press('s\u001B[B', /rows 2-5 of 5, sorted by seconds/);
    // Esc and the next key in one read reach ink as that key with meta set: the detail closes, and the key counts.
    await press('\r', /> detail/);
    await press('\u001B\u001B[B', /rows 3-5 of 5, sorted by seconds/);
    expect(lastFrame()).not.toMatch(/> detail/);
    await press('\r', /> detail/);
    await press('\u001Bs', /rows 1-5 of 5, sorted by number/);
    expect(lastFrame()).not.toMatch(/> detail/);
  });
});
