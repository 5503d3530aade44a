/** The full, JSON-serialisable configuration of a search run (stored with the run, read back on resume). */
import type { Json } from '../core/json.js';
import type { TrainingSettings } from '../evaluators/protocol.js';
import { formatBytes, parseBytes } from '../core/units.js';

export type StrategyName = 'random' | 'evolution' | 'nsga2' | 'halving';
export const STRATEGY_NAMES: readonly StrategyName[] = ['random', 'evolution', 'nsga2', 'halving'];

export interface Budgets {
  maxLatencyMs?: number;
  maxEnergyMj?: number;
  maxSizeBytes?: number;
  maxPeakMemoryBytes?: number;
}

/**
 * A byte budget in a unit that shows it exactly, as it was likely given: 64KB (64,000 B) as
 * 64 kB, not 62.5 KiB; 64KiB as 64 KiB; 1.1KB as 1.1 kB, not 1.1 KiB (1,126 B); and an odd
 * count such as 30494B as 30,494 B, not 29.8 KiB.
 */
export function budgetBytes(bytes: number): string {
  for (const si of [true, false]) {
    const shown = formatBytes(bytes, { si });
    try {
      if (parseBytes(shown.replace(' ', '')) === bytes) return shown;
    } catch {
      // Not a whole number of bytes once rounded: not exact.
    }
  }
  return `${bytes.toLocaleString('en')} B`;
}

const BUDGET_FORMATS = {
  latency: { value: (v: number) => `${v.toPrecision(4)} ms`, budget: (v: number) => `${v} ms`, unit: ' ms' },
  energy: { value: (v: number) => `${v.toPrecision(4)} mJ`, budget: (v: number) => `${v} mJ`, unit: ' mJ' },
  size: { value: formatBytes, budget: budgetBytes, unit: ' B' },
  'peak memory': { value: formatBytes, budget: budgetBytes, unit: ' B' },
} as const;
export type BudgetKind = keyof typeof BUDGET_FORMATS;

/**
 * "size 33.2 KiB > budget 20 kB": the value as show prints it, the budget in the units it was
 * likely given in. "6 KiB > budget 6 kB" reads as equal: where the rounded figures agree,
 * the exact ones follow.
 */
export function overBudget(what: BudgetKind, value: number, limit: number): string {
  const format = BUDGET_FORMATS[what];
  const exactText = (v: number) => `${v.toLocaleString('en')}${format.unit}`;
  // A budget shown as an exact count (30,494 B) is compared with the exact value, not with 29.8 KiB.
  const limitShown = format.budget(limit), shown = limitShown === exactText(limit) && format.unit === ' B' ? exactText(value) : format.value(value);
  const exact = parseFloat(shown) === parseFloat(limitShown) ? (v: number, s: string) => (s === exactText(v) ? '' : ` (${exactText(v)})`) : () => '';
  return `${what} ${shown}${exact(value, shown)} > budget ${limitShown}${exact(limit, limitShown)}`;
}

/** A budget as describeBudgets prints it: '2 ms', '64 kB'. */
export const budgetText = (what: BudgetKind, limit: number) => BUDGET_FORMATS[what].budget(limit);

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
