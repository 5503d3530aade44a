/**
 * npm run bench:search [-- --json] [--seeds 20] [--devices raspi4,edgegpu,pixel3] [--no-peer]
 *
 * Search quality on NAS-Bench-201 + HW-NAS-Bench (../shared/benchmarks/nb201.json): for
 * random search, regularized evolution, NSGA-II and multi-fidelity successive halving
 * (valid12 as the cheap fidelity, costed at 12/200 of an evaluation), over --seeds seeds
 * and 300 evaluations, per device: the median and IQR of hypervolume regret in the plane
 * (test200 accuracy, measured latency) at 50/100/200/300 evaluations, and the share of
 * seeds whose pick under a budget at the device's median latency is within 0.3 pt of the
 * table's best feasible test accuracy at 100/200/300 (protocol: search/table-benchmark.ts).
 * With Debian's python3-optuna installed, Optuna's NSGAIISampler and RandomSampler run the
 * same protocol side by side (bench/optuna-nb201.py). Its last line is one JSON object.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../core/errors.js';
import { cell, readTable, requireColumn } from '../evaluators/tabular/table.js';
import { RegularizedEvolution } from '../search/evolution.js';
import { Nsga2 } from '../search/nsga2.js';
import { RandomSearch } from '../search/random.js';
import { SuccessiveHalving, tabularHalving } from '../search/successive-halving.js';
import { benchmarkStrategy, deviceTable, type BenchRow, type StrategyFactory, type StrategySummary } from '../search/table-benchmark.js';
import { nb201Definition } from '../spaces/nb201.js';
import { benchArgs } from './args.js';

const values = benchArgs('npm run bench:search [-- --json] [--seeds 20] [--devices raspi4,edgegpu,pixel3] [--no-peer]', {
  json: { type: 'boolean', default: false }, seeds: { type: 'string', default: '20' }, devices: { type: 'string', default: 'raspi4,edgegpu,pixel3' },
  'no-peer': { type: 'boolean', default: false }, strategies: { type: 'string' },
});
const file = fileURLToPath(new URL('../../../shared/benchmarks/nb201.json', import.meta.url));
if (!existsSync(file)) {
  console.log(`skipped: ${file} not found (the NAS-Bench-201 / HW-NAS-Bench table lives in ../shared/benchmarks beside the project)`);
  process.exit(0);
}
const seeds = Number(values.seeds);
const checkpoints = [50, 100, 200, 300];
const table = readTable(file);
const devices = values.devices.split(',');
try {
  for (const column of ['test200', 'valid200', 'valid12']) requireColumn(table, 'acc', 'cifar10', column);
  for (const device of devices) requireColumn(table, 'hw', 'cifar10', `${device}_latency`);
} catch (error) {
  console.error(`bench:search: ${errorMessage(error)}`);
  process.exit(2);
}

export const STRATEGIES: Record<string, StrategyFactory> = {
  random: (space, seed, full) => new RandomSearch(space, seed, full, Infinity),
  evolution: (space, seed, full) => new RegularizedEvolution(space, seed, full, { populationSize: 20, sampleSize: 5, mutationRate: 0.3, batchSize: 4 }),
  nsga2: (space, seed, full) => new Nsga2(space, seed, full, { populationSize: 16, crossoverRate: 0.9, mutationRate: 0.25 }),
  // The table has two fidelities (12 and 200 epochs): two rungs, the cheap one screening three candidates per full evaluation.
  halving: (space, seed, full) => new SuccessiveHalving(space, seed, { ...full, rung: 1 }, tabularHalving(full)),
};
const chosen = values.strategies?.split(',') ?? Object.keys(STRATEGIES);
const unknown = chosen.filter((name) => STRATEGIES[name] === undefined);
if (unknown.length > 0) {
  console.error(`bench:search: unknown strategy ${unknown.join(', ')}: use some of ${Object.keys(STRATEGIES).join(', ')}`);
  process.exit(2);
}

const results: StrategySummary[] = [];
const pct = (x: number) => (100 * x).toFixed(0).padStart(3);
for (const device of devices) {
  const rows: BenchRow[] = table.rows.map((r) => ({ arch: r.arch, test200: cell(r, 'acc', 'cifar10', 'test200')!, valid200: cell(r, 'acc', 'cifar10', 'valid200')!,
    valid12: cell(r, 'acc', 'cifar10', 'valid12'), latency: cell(r, 'hw', 'cifar10', `${device}_latency`) }));
  const onDevice = deviceTable(device, rows);
  console.log(`${device}: true-front HV ${onDevice.trueHv.toFixed(1)}, budget ${onDevice.budget.toFixed(3)} ms (median), best feasible test accuracy ${onDevice.bestFeasibleTest.toFixed(2)}%`);
  for (const name of chosen) {
    const started = performance.now();
    const summary = benchmarkStrategy(name, STRATEGIES[name]!, nb201Definition, onDevice, seeds, checkpoints);
    results.push(summary);
    console.log(`  ${name.padEnd(10)} HV regret median [IQR] ${summary.regret.map((r) => `@${r.evaluations} ${r.median.toFixed(4)} [${r.q1.toFixed(4)}-${r.q3.toFixed(4)}]`).join('  ')}`
      + `;  pick within 0.3 pt ${summary.pickWithin.filter((p) => p.evaluations >= 100).map((p) => `@${p.evaluations} ${pct(p.share)}%`).join(' ')}  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }
}

// Optuna 3.1 (Debian's python3-optuna) on the same protocol, when it is installed.
let optuna: unknown = null;
const python = '/usr/bin/python3';
const hasOptuna = !values['no-peer'] && existsSync(python) && spawnSync(python, ['-c', 'import optuna'], { stdio: 'ignore' }).status === 0;
if (values['no-peer']) console.log('optuna: skipped (--no-peer)');
else if (!hasOptuna) console.log('optuna: skipped: python3-optuna is not installed (apt-get install python3-optuna)');
else {
  const script = fileURLToPath(new URL('../../bench/optuna-nb201.py', import.meta.url));
  // One Python process per device, two at a time (one per core): Optuna's samplers are single-threaded and slow.
  const runDevice = (device: string) => new Promise<{ version: string; results: StrategySummary[] }>((resolve, reject) => {
    const child = spawn(python, [script, file, String(seeds), device], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code) => {
      if (code !== 0) { reject(new Error(`optuna-nb201.py exited with ${code}`)); return; }
      const lines = out.replace(/\n+$/, '').split('\n');
      for (const line of lines.slice(0, -1)) console.log(line);
      resolve(JSON.parse(lines.at(-1)!) as { version: string; results: StrategySummary[] });
    });
  });
  const queue = [...devices];
  const parts: Array<{ version: string; results: StrategySummary[] }> = [];
  await Promise.all([0, 1].map(async () => { for (let d = queue.shift(); d !== undefined; d = queue.shift()) parts.push(await runDevice(d)); }));
  optuna = { version: parts[0]?.version ?? null, results: parts.flatMap((p) => p.results) };
}
// The bar: some strategy of ours beats Optuna's NSGA-II on every device (median HV regret at 100 and 300, pick share at 200),
// as the issue measured Optuna; and, for the samplers alone, the same against Optuna given free rejections as ours have.
let verdict: Record<string, boolean> | null = null, verdictFree: Record<string, boolean> | null = null;
if (optuna !== null) {
  const at = (r: StrategySummary, n: number) => r.regret.find((x) => x.evaluations === n)!.median;
  const share = (r: StrategySummary, n: number) => r.pickWithin.find((x) => x.evaluations === n)!.share;
  const against = (peerName: string, label: string) => {
    const peer = (optuna as { results: StrategySummary[] }).results.filter((r) => r.strategy === peerName);
    const beats = Object.fromEntries(chosen.map((name) => [name, peer.every((p) => {
      const ours = results.find((r) => r.strategy === name && r.device === p.device)!;
      return at(ours, 100) < at(p, 100) && at(ours, 300) < at(p, 300) && share(ours, 200) > share(p, 200);
    })]));
    console.log(`beats ${label} on every device (HV regret at 100 and 300, pick share at 200): ${Object.entries(beats).map(([k, v]) => `${k} ${v ? 'yes' : 'no'}`).join(', ')}`);
    return beats;
  };
  verdict = against('optuna-nsga2', "Optuna's NSGA-II");
  verdictFree = against('optuna-nsga2-free', "Optuna's NSGA-II with free rejections");
}
if (values.json) console.log(JSON.stringify({ seeds, evaluations: 300, checkpoints, results, optuna, beatsOptunaNsga2: verdict, beatsOptunaNsga2FreeRejections: verdictFree }));
