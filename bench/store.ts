/**
 * npm run bench:store [-- --json] [--trials 1000000] [--batch 10000]
 *
 * Fills a fresh database with synthetic trials (two device profiles each, accuracy
 * correlated with latency as for real networks), in batches of one transaction, and
 * reports insert throughput and the time of `best` queries with random budgets: single
 * budgets (one staircase seek) and a combined latency + size budget (an indexed scan).
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../core/rng.js';
import { quantile } from '../core/stats.js';
import { SqliteStore } from '../store/sqlite.js';
import type { NewTrial, TrialOutcome } from '../store/types.js';
import { benchArgs } from './args.js';
import { benchTempDir, removeBenchTempDir } from './temp-dir.js';

const values = benchArgs('npm run bench:store [-- --json] [--trials 1000000] [--batch 10000]', {
  json: { type: 'boolean', default: false }, trials: { type: 'string', default: '1000000' }, batch: { type: 'string', default: '10000' },
});
const total = Number(values.trials), batch = Number(values.batch);
const dir = benchTempDir('store');
const path = join(dir, 'bench.db');
const store = SqliteStore.open(path);
const runId = store.createRun({ name: 'bench', space: 'synthetic', dataset: 'none', strategy: 'random', seed: 1, config: {} });
const rng = new Rng(1);

const started = performance.now();
for (let done = 0; done < total; done += batch) {
  const rows: Array<NewTrial & { outcome: TrialOutcome }> = [];
  for (let i = done; i < Math.min(total, done + batch); i++) {
    const latency = 0.05 + rng.next() * 20;
    const accuracy = Math.min(0.995, 0.6 + 0.015 * latency + 0.1 * rng.next());
    rows.push({
      number: i, genotype: { a: i % 7, b: i % 11 }, genotypeHash: i.toString(16), seed: i, fidelity: { epochs: 1 }, rung: 0,
      outcome: { status: 'complete', accuracy, sizeBytes: Math.round(2000 + rng.next() * 2e6), params: 1000, macs: 1e6,
        costs: [{ profile: 'raspberry-pi-4', latencyMs: latency, energyMj: latency * 0.4, feasible: true },
          { profile: 'stm32h743', latencyMs: latency * 50, feasible: true }] },
    });
  }
  store.insertFinishedTrials(runId, rows, null);
}
const insertSeconds = (performance.now() - started) / 1000;

function timeQueries(n: number, query: () => unknown): { medianMs: number; p95Ms: number } {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    query();
    times.push(performance.now() - t0);
  }
  return { medianMs: quantile(times, 0.5), p95Ms: quantile(times, 0.95) };
}
const single = timeQueries(1000, () => store.best({ runId, profile: 'raspberry-pi-4', maxLatencyMs: rng.next() * 20 }));
const combined = timeQueries(200, () => store.best({ runId, profile: 'raspberry-pi-4', maxLatencyMs: 2 + rng.next() * 18, maxSizeBytes: 200_000 + rng.next() * 1.8e6 }));
const sizeMb = statSync(path).size / 1e6;
store.close();
removeBenchTempDir(dir);

console.log(`${total.toLocaleString('en')} trials in ${insertSeconds.toFixed(1)} s: ${(total / insertSeconds).toFixed(0)} trials/s (batches of ${batch}), ${sizeMb.toFixed(0)} MB`);
console.log(`best, one latency budget:      median ${single.medianMs.toFixed(3)} ms, p95 ${single.p95Ms.toFixed(3)} ms`);
console.log(`best, latency + size budgets:  median ${combined.medianMs.toFixed(3)} ms, p95 ${combined.p95Ms.toFixed(3)} ms`);
if (values.json) {
  console.log(JSON.stringify({ trials: total, insertTrialsPerSec: Math.round(total / insertSeconds), bestMedianMs: Number(single.medianMs.toFixed(3)),
    bestP95Ms: Number(single.p95Ms.toFixed(3)), combinedMedianMs: Number(combined.medianMs.toFixed(3)), combinedP95Ms: Number(combined.p95Ms.toFixed(3)) }));
}
