/**
 * Strategy quality on a table of trained architectures (NAS-Bench-201 + HW-NAS-Bench):
 * the protocol `npm run bench:search` runs, as pure functions of the table so tests can
 * run it on a generated one. A search sees validation accuracy (valid200, or valid12 at a
 * multi-fidelity strategy's cheap rungs) and the measured latency; it is judged on test
 * accuracy (test200):
 *
 * - hypervolume regret, 1 - HV(found) / HV(table's true front), in the plane (test200
 *   accuracy, latency) with reference point (10% accuracy, 1.01 x the largest latency),
 *   after a number of evaluations;
 * - under a latency budget (the device's median latency): whether the search's pick (best
 *   validation accuracy among the feasible trials it evaluated) is within 0.3 pt of the
 *   table's best feasible test accuracy.
 *
 * Cost is counted in full evaluations: a valid12 lookup costs 12/200 of one. A candidate
 * without a measured latency, or over the budget, is rejected before it is evaluated and
 * costs nothing: as in a real run, where the cost model rejects it before any training.
 */
import { quartiles } from '../core/stats.js';
import type { SpaceDefinition } from '../spaces/space.js';
import { archKey } from '../hardware-profiles/tabular.js';
import { hypervolume } from './pareto.js';
import { TABLE_CHEAP_EPOCHS } from './successive-halving.js';
import type { Fidelity, Strategy } from './strategy.js';

/** One architecture as the benchmark needs it (accuracies in %, latency in ms; null = not in the table). */
export interface BenchRow { arch: string; test200: number; valid200: number; valid12: number | null; latency: number | null }

export interface DeviceTable {
  device: string;
  byArch: Map<string, BenchRow>;
  /** HV of the table's true front, the reference point, the budget and the best feasible test accuracy under it. */
  trueHv: number;
  reference: [number, number];
  budget: number;
  bestFeasibleTest: number;
}

export const FULL_EPOCHS = 200;
export const CHEAP_COST = TABLE_CHEAP_EPOCHS / FULL_EPOCHS;

/** Minimised coordinates of a (test accuracy %, latency) point. */
const point = (accuracy: number, latency: number): [number, number] => [-accuracy, latency];

export function deviceTable(device: string, rows: readonly BenchRow[]): DeviceTable {
  const measured = rows.filter((r) => r.latency !== null);
  const maxLatency = Math.max(...measured.map((r) => r.latency!));
  const reference: [number, number] = [-10, 1.01 * maxLatency];
  const latencies = measured.map((r) => r.latency!).sort((a, b) => a - b);
  const budget = latencies[Math.floor((latencies.length - 1) / 2)]!;
  const bestFeasibleTest = Math.max(...measured.filter((r) => r.latency! <= budget).map((r) => r.test200));
  return {
    device, byArch: new Map(rows.map((r) => [r.arch, r])), reference, budget, bestFeasibleTest,
    trueHv: hypervolume(measured.map((r) => point(r.test200, r.latency!)), reference),
  };
}

export interface RunResult {
  /** HV regret after each checkpoint's cost (null when the search stopped before it). */
  regret: Array<number | null>;
  /** Whether the pick was within 0.3 pt of the best feasible after each checkpoint's cost. */
  pickWithin: Array<boolean | null>;
  evaluations: number;
}

/**
 * Runs one strategy until `checkpoints`' last cost is spent. With `budgeted`, over-budget
 * candidates are rejected (told as infeasible with their violation) and the pick is scored;
 * without, the hypervolume is. A strategy that only proposes rejected candidates for 2,000
 * asks in a row is stopped, as the controller stops it.
 */
export function runOnTable(strategy: Strategy, table: DeviceTable, checkpoints: readonly number[], budgeted: boolean): RunResult {
  const found: Array<[number, number]> = [];
  let bestValid = -Infinity, pickTest = -Infinity;
  let cost = 0, evaluations = 0, rejectedInARow = 0, next = 0;
  const regret: Array<number | null> = checkpoints.map(() => null);
  const pickWithin: Array<boolean | null> = checkpoints.map(() => null);
  const record = () => {
    // Every checkpoint this evaluation reached or passed gets the state after it.
    while (next < checkpoints.length && cost >= checkpoints[next]! - 1e-9) {
      regret[next] = 1 - hypervolume(found, table.reference) / table.trueHv;
      pickWithin[next] = pickTest >= table.bestFeasibleTest - 0.3;
      next++;
    }
  };
  const limit = checkpoints[checkpoints.length - 1]!;
  while (cost < limit - 1e-9 && rejectedInARow < 2000) {
    const ask = strategy.ask();
    if (ask.kind !== 'trial') break;
    const { proposal } = ask;
    const row = table.byArch.get(archKey(proposal.genotype) ?? '');
    const latency = row?.latency ?? null;
    if (row === undefined || latency === null || (budgeted && latency > table.budget)) {
      const violation = latency === null ? 1 : (latency - table.budget) / table.budget;
      strategy.tell({ number: proposal.number, state: 'rejected', objectives: [0, latency ?? Number.MAX_VALUE], violation });
      rejectedInARow++;
      continue;
    }
    rejectedInARow = 0;
    const full = proposal.fidelity.epochs >= FULL_EPOCHS;
    const validation = full ? row.valid200 : row.valid12;
    if (validation === null) {
      strategy.tell({ number: proposal.number, state: 'failed' });
      continue;
    }
    cost += full ? 1 : CHEAP_COST;
    evaluations++;
    strategy.tell({ number: proposal.number, state: 'complete', objectives: [-validation / 100, latency], violation: 0 });
    if (full) {
      found.push(point(row.test200, latency));
      if (row.valid200 > bestValid) { bestValid = row.valid200; pickTest = row.test200; }
    }
    record();
  }
  return { regret, pickWithin, evaluations };
}

export type StrategyFactory = (space: SpaceDefinition, seed: number, full: Fidelity) => Strategy;

export interface StrategySummary {
  strategy: string;
  device: string;
  seeds: number;
  /** Per checkpoint: median and IQR of HV regret over seeds. */
  regret: Array<{ evaluations: number; median: number; q1: number; q3: number }>;
  /** Per checkpoint: share of seeds whose pick is within 0.3 pt of the best feasible. */
  pickWithin: Array<{ evaluations: number; share: number }>;
}

export function benchmarkStrategy(name: string, make: StrategyFactory, space: SpaceDefinition, table: DeviceTable, seeds: number,
  checkpoints: readonly number[]): StrategySummary {
  const full: Fidelity = { epochs: FULL_EPOCHS, trainFraction: 1, rung: 0 };
  const regrets: number[][] = checkpoints.map(() => []), picks: boolean[][] = checkpoints.map(() => []);
  for (let seed = 0; seed < seeds; seed++) {
    const free = runOnTable(make(space, seed, full), table, checkpoints, false);
    const budgeted = runOnTable(make(space, seed, full), table, checkpoints, true);
    checkpoints.forEach((_, i) => {
      regrets[i]!.push(free.regret[i] ?? 1);
      picks[i]!.push(budgeted.pickWithin[i] ?? false);
    });
  }
  return {
    strategy: name, device: table.device, seeds,
    regret: checkpoints.map((evaluations, i) => ({ evaluations, ...quartiles(regrets[i]!) })),
    pickWithin: checkpoints.map((evaluations, i) => ({ evaluations, share: picks[i]!.filter(Boolean).length / seeds })),
  };
}
