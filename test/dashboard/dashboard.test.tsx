import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../dashboard/app.js';
import { CURSOR, DOT, FRONT, scatter } from '../../dashboard/scatter.js';
import type { Snapshot, TrialRow } from '../../dashboard/snapshot.js';
import { Overview } from '../../dashboard/views/overview.js';
import { ParetoView } from '../../dashboard/views/pareto-view.js';
import { TrialsTable } from '../../dashboard/views/trials-table.js';

const row = (number: number, accuracy: number | null, latencyMs: number | null, sizeBytes: number | null, status: TrialRow['status'] = 'complete'): TrialRow =>
  ({ id: number + 1, number, status, accuracy, latencyMs, sizeBytes, energyMj: null, macs: null, error: status === 'failed' ? 'diverged: NaN' : null, seconds: 2 });

const snapshot: Snapshot = {
  run: { id: 1, name: 'night', space: 'mlp', dataset: 'mnist', strategy: 'nsga2', seed: 1, config: { trials: 10, budgets: { maxLatencyMs: 0.5 } }, status: 'running',
    strategyState: null, ownerPid: null, ownerHost: null, heartbeatAt: null, createdAt: 1000, finishedAt: null },
  profile: 'raspberry-pi-4',
  counts: { total: 6, byStatus: { queued: 1, running: 1, complete: 3, pruned: 0, failed: 1, interrupted: 0, rejected: 0 } },
  trials: [row(0, 0.9, 1.0, 40_000), row(1, 0.85, 0.2, 20_000), row(2, 0.8, 0.6, 30_000), row(3, null, null, null, 'failed'), row(4, null, null, null, 'running')],
  elapsedSeconds: 3600,
};
const tick = () => new Promise((r) => setTimeout(r, 50));

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
    expect(lines[0]).toMatch(/^10 │/);
  });
});

describe('dashboard views', () => {
  it('overview: progress, counts, the best trial', () => {
    const { lastFrame } = render(<Overview snapshot={snapshot} width={80} />);
    expect(lastFrame()).toMatch(/night  mlp on mnist, nsga2, seed 1, profile raspberry-pi-4, budgets: maxLatencyMs 0.5/);
    expect(lastFrame()).toMatch(/4\/10  4 trials\/hour/);
    expect(lastFrame()).toMatch(/complete 3  running 1  queued 1  failed 1/);
    expect(lastFrame()).toMatch(/best: trial 0, 90.00% test accuracy, 39.1 KiB, 1.000 ms/);
  });
  it('pareto: the front, the budget line and the selected trial', () => {
    const { lastFrame } = render(<ParetoView snapshot={snapshot} width={60} height={12} axis="latency" cursor={1} />);
    const frame = lastFrame()!;
    const plot = frame.split('\n').slice(0, -1).join('\n');
    expect(plot.split(FRONT).length - 1 + plot.split(CURSOR).length - 1).toBe(2); // trials 1 and 0; trial 2 is dominated
    expect(frame).toContain('┊');
    expect(frame).toMatch(/◆ trial 0: 90.00%, 1.000 ms, 39.1 KiB {2}\(2 on the front of 3\)/);
  });
  it('trials: sorted and filtered', () => {
    const { lastFrame } = render(<TrialsTable snapshot={snapshot} height={10} sort="accuracy" feasibleOnly offset={0} />);
    const numbers = lastFrame()!.split('\n').slice(1, -1).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(numbers).toEqual([0, 1, 2]);
    expect(lastFrame()).toMatch(/rows 1-3 of 3, sorted by accuracy, complete only/);
  });
  it('the app switches views with keys and lists them in the footer', async () => {
    const { lastFrame, stdin } = render(<App load={() => snapshot} intervalMs={10_000} />);
    expect(lastFrame()).toMatch(/\[1 overview\]/);
    expect(lastFrame()).toMatch(/Tab\/1-3 views {2}q quit/);
    stdin.write('3');
    await tick();
    expect(lastFrame()).toMatch(/\[3 trials\]/);
    expect(lastFrame()).toMatch(/rows 1-5 of 5, sorted by number/);
    stdin.write('s');
    await tick();
    expect(lastFrame()).toMatch(/sorted by accuracy/);
    stdin.write('\t');
    await tick();
    expect(lastFrame()).toMatch(/\[1 overview\]/);
  });
});
