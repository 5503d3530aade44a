/**
 * npm run bench:dashboard [-- --json] [--trials 100000]
 *
 * One dashboard refresh at 100k trials: the incremental store query (10 new trials since
 * the last look) plus rendering each view to a frame, median of nine refreshes (mounting it afresh, which costs more
 * than the running dashboard's re-render). Target: <= 50 ms.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { render } from 'ink-testing-library';
import { Rng } from '../core/rng.js';
import { RunWatcher } from '../dashboard/snapshot.js';
import { Overview } from '../dashboard/views/overview.js';
import { ParetoView } from '../dashboard/views/pareto-view.js';
import { TrialsTable } from '../dashboard/views/trials-table.js';
import { WorkersView } from '../dashboard/views/workers.js';
import { SqliteStore } from '../store/sqlite.js';
import type { NewTrial, TrialOutcome } from '../store/types.js';
import { benchTempDir } from './temp-dir.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, trials: { type: 'string', default: '100000' } } });
const total = Number(values.trials);
// 25 MB a run: removed on the way out, however the bench ends.
const dir = benchTempDir('dashboard');
const db = join(dir, 'runs.db');
const store = SqliteStore.open(db);
const runId = store.createRun({ name: 'bench', space: 'mlp', dataset: 'mnist', strategy: 'random', seed: 1, config: { trials: total + 10, profile: 'proxy', budgets: { maxLatencyMs: 0.5 } } });
const rng = new Rng(1);
const trial = (number: number): NewTrial & { outcome: TrialOutcome } => {
  const latencyMs = 0.05 + rng.next(), accuracy = Math.min(0.99, 0.5 + 0.4 * Math.sqrt(latencyMs) + 0.05 * rng.normal());
  return { number, genotype: { n: number }, genotypeHash: `h${number}`, seed: number, fidelity: { epochs: 1, trainFraction: 1 }, rung: 0,
    outcome: { status: 'complete', accuracy, valAccuracy: accuracy, sizeBytes: Math.round(latencyMs * 50_000), params: 1000, macs: 1000,
      costs: [{ profile: 'proxy', latencyMs, energyMj: latencyMs / 1000, peakMemoryBytes: 4096, feasible: true }] } };
};
for (let start = 0; start < total; start += 10_000) store.insertFinishedTrials(runId, Array.from({ length: Math.min(10_000, total - start) }, (_, i) => trial(start + i)), null);
const reader = SqliteStore.open(db, { readonly: true });
const watcher = new RunWatcher(reader, runId, 'proxy');
let started = performance.now();
const cold = watcher.refresh();
const coldMs = performance.now() - started;
// The running dashboard keeps its orders between refreshes: build them once, as its first frames do.
cold.derived!.sorted('accuracy');
// Nine refreshes, each after 10 new trials; the median of each part is reported (one run is at the mercy of the machine).
const samples: Record<string, number[]> = { query: [], overview: [], pareto: [], trials: [], workers: [] };
for (let round = 0; round < 9; round++) {
  store.insertFinishedTrials(runId, Array.from({ length: 10 }, (_, i) => trial(total + round * 10 + i)), null);
  started = performance.now();
  const snapshot = watcher.refresh();
  samples.query!.push(performance.now() - started);
  for (const [name, element] of [
    ['overview', <Overview snapshot={snapshot} width={80} />],
    ['pareto', <ParetoView snapshot={snapshot} width={80} height={20} axis="latency" cursor={3} />],
    ['trials', <TrialsTable snapshot={snapshot} height={20} sort="accuracy" feasibleOnly={false} offset={0} />],
    ['workers', <WorkersView snapshot={snapshot} width={80} now={Date.now() / 1000} />],
  ] as const) {
    started = performance.now();
    const frame = render(element);
    frame.lastFrame();
    frame.unmount();
    samples[name]!.push(performance.now() - started);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const times = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<string, number>;
const worst = times.query! + Math.max(times.overview!, times.pareto!, times.trials!, times.workers!);
console.log(`${total.toLocaleString('en')} trials: first load ${coldMs.toFixed(0)} ms; refresh query ${times.query!.toFixed(1)} ms, render overview ${times.overview!.toFixed(1)} ms, `
  + `pareto ${times.pareto!.toFixed(1)} ms, trials ${times.trials!.toFixed(1)} ms, workers ${times.workers!.toFixed(1)} ms (medians of 9); worst refresh ${worst.toFixed(1)} ms (bar 50 ms)`);
if (values.json) console.log(JSON.stringify({ trials: total, firstLoadMs: Math.round(coldMs), queryMs: Number(times.query!.toFixed(2)), renderMs: { overview: Number(times.overview!.toFixed(2)), pareto: Number(times.pareto!.toFixed(2)), trials: Number(times.trials!.toFixed(2)), workers: Number(times.workers!.toFixed(2)) }, refreshMs: Number(worst.toFixed(2)) }));
reader.close();
store.close();
