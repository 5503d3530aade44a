/** The full, JSON-serialisable configuration of a search run (stored with the run, read back on resume). */
import type { Json } from '../core/json.js';
import type { TrainingSettings } from '../evaluators/protocol.js';
import { formatBytes } from '../core/units.js';

export type StrategyName = 'random' | 'evolution' | 'nsga2' | 'halving';
export const STRATEGY_NAMES: readonly StrategyName[] = ['random', 'evolution', 'nsga2', 'halving'];

export interface Budgets {
  maxLatencyMs?: number;
  maxEnergyMj?: number;
  maxSizeBytes?: number;
  maxPeakMemoryBytes?: number;
}

/** A byte budget in the units it was likely given in: 64KB (64,000 B) as 64 kB, not 62.5 KiB. */
export const budgetBytes = (bytes: number) => formatBytes(bytes, { si: bytes % 1000 === 0 && bytes % 1024 !== 0 });

/** The budgets in words, e.g. 'latency <= 2 ms, size <= 64 KiB'; with `relation` ' ', values alone ('latency 2 ms'). */
export function describeBudgets(b: Budgets, relation = ' <= '): string {
  const parts = [
    b.maxLatencyMs !== undefined ? `latency${relation}${Number(b.maxLatencyMs.toPrecision(4))} ms` : '', b.maxEnergyMj !== undefined ? `energy${relation}${Number(b.maxEnergyMj.toPrecision(4))} mJ` : '',
    b.maxSizeBytes !== undefined ? `size${relation}${budgetBytes(b.maxSizeBytes)}` : '', b.maxPeakMemoryBytes !== undefined ? `peak memory${relation}${budgetBytes(b.maxPeakMemoryBytes)}` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'no budgets';
}

export interface RunConfig {
  name: string;
  /** Built-in space name, or the JSON content of a space file. */
  space: string | Json;
  spaceName: string;
  dataset: { name: string; dataDir?: string; validationSize?: number };
  strategy: StrategyName;
  seed: number;
  fidelity: { epochs: number; trainFraction: number };
  training: TrainingSettings;
  trials: number | null;
  seconds: number | null;
  workers: number;
  /** The profile budgets and objectives refer to. */
  profile: string;
  /** More profiles every trial is costed on (absent in runs from older hwnas). */
  extraProfiles?: string[];
  /**
   * By id, the JSON of profiles read from files (and `local`) when the run started: a resume
   * costs with these, not with the files as they are by then. (Runs from older hwnas have
   * none, and a file's path as their profile.)
   */
  profileData?: Record<string, Json>;
  budgets: Budgets;
  backend?: string;
  trialTimeoutSeconds: number | null;
  /** Answer trials from a table of trained architectures instead of training them (absent: train). */
  evaluator?: { kind: 'tabular'; table: string };
}
