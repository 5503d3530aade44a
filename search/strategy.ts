/**
 * The ask/tell contract every search strategy implements. Strategies are pure objects:
 * no I/O, no clock, no Math.random (they hold a seeded Rng), and their whole state is
 * JSON (`snapshot`), so a run resumes exactly and a seeded run proposes the same trials
 * whatever the number of workers or the order in which they finish: strategies only ever
 * act on complete batches of results, applied in trial order.
 */
import type { Json } from '../core/json.js';
import type { Genotype } from '../spaces/space.js';

/** How much training a trial gets: a share of the full budget's epochs and data. */
export interface Fidelity {
  /** Epochs to train. */
  epochs: number;
  /** Share of the training set each epoch visits, in (0, 1]. */
  trainFraction: number;
  /** Rung of a multi-fidelity schedule (0 = cheapest); 0 for single-fidelity strategies. */
  rung: number;
}

export interface Proposal {
  /** Trial number within the run, assigned by the strategy in ask order. */
  number: number;
  genotype: Genotype;
  fidelity: Fidelity;
  /** Seeds the trial's weight init and data order. */
  seed: number;
}

export type Ask = { kind: 'trial'; proposal: Proposal } | { kind: 'wait' } | { kind: 'done' };

/** A finished trial as the strategy learns of it. Objectives are minimised. */
export interface ToldTrial {
  number: number;
  state: 'complete' | 'failed' | 'pruned' | 'rejected';
  objectives?: number[];
  /** Total constraint violation, 0 when feasible. */
  violation?: number;
}

export interface Strategy {
  readonly name: string;
  ask(): Ask;
  tell(trial: ToldTrial): void;
  snapshot(): Json;
}

/** A trial seed from the run seed and trial number (SplitMix-style mixing). */
export function trialSeed(runSeed: number, trialNumber: number): number {
  let z = (Math.imul(runSeed >>> 0, 0x9e3779b1) ^ Math.imul(trialNumber + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}
