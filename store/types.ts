/** What the store keeps, as plain JSON-friendly records. */
import type { Json } from '../core/json.js';
import type { Genotype } from '../spaces/space.js';

export type RunStatus = 'running' | 'complete' | 'interrupted' | 'failed';
export const TRIAL_STATUSES = ['queued', 'running', 'complete', 'pruned', 'failed', 'interrupted', 'rejected'] as const;
export type TrialStatus = typeof TRIAL_STATUSES[number];
export type FinalTrialStatus = Exclude<TrialStatus, 'queued' | 'running'>;
export type CostName = 'latency_ms' | 'energy_mj' | 'size_bytes' | 'peak_memory_bytes';

export interface NewRun {
  name: string;
  space: string;
  dataset: string;
  strategy: string;
  seed: number;
  /** Everything needed to resume: space definition, budgets, objectives, profiles, options. */
  config: Json;
}

export interface RunRecord extends NewRun {
  id: number;
  status: RunStatus;
  strategyState: Json | null;
  ownerPid: number | null;
  ownerHost: string | null;
  heartbeatAt: number | null;
  /** Seconds searched so far, over every resume (as of the last heartbeat). */
  activeSeconds: number;
  createdAt: number;
  finishedAt: number | null;
}

export interface NewTrial {
  number: number;
  genotype: Genotype;
  genotypeHash: string;
  seed: number;
  fidelity: Json;
  rung: number;
}

export interface TrialCost {
  profile: string;
  latencyMs?: number | null;
  energyMj?: number | null;
  peakMemoryBytes?: number | null;
  feasible: boolean;
}

export interface EpochRow {
  epoch: number;
  trainLoss: number | null;
  trainAccuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  learningRate: number | null;
  seconds: number | null;
  imagesPerSecond: number | null;
}

export interface TrialOutcome {
  status: FinalTrialStatus;
  error?: string;
  accuracy?: number | null;
  valAccuracy?: number | null;
  sizeBytes?: number | null;
  params?: number | null;
  macs?: number | null;
  metrics?: Json;
  costs?: TrialCost[];
  epochs?: EpochRow[];
  /** The trained (and compressed) model as an hwnas artifact file. */
  artifact?: Uint8Array;
}

export interface TrialRecord extends NewTrial {
  id: number;
  runId: number;
  status: TrialStatus;
  worker: number | null;
  error: string | null;
  queuedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  accuracy: number | null;
  valAccuracy: number | null;
  sizeBytes: number | null;
  params: number | null;
  macs: number | null;
  metrics: Json | null;
  /** A running trial's latest progress report (the evaluator's TrialProgress); null before the first, or in files older than schema 3. */
  progress: Json | null;
}

/** Budgets for `best`: every given bound must hold; the most accurate such trial wins. */
export interface BestQuery {
  runId: number;
  profile?: string;
  maxLatencyMs?: number;
  maxEnergyMj?: number;
  maxSizeBytes?: number;
  maxPeakMemoryBytes?: number;
}

export interface RunCounts { total: number; byStatus: Record<TrialStatus, number> }
