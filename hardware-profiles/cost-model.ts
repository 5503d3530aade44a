/**
 * The cost-model contract: pure, synchronous functions of a ModelSpec, cheap enough
 * (well under a millisecond) to reject over-budget candidates before any training.
 */
import type { ModelSpec } from '../spaces/model-spec.js';
import type { Genotype } from '../spaces/space.js';

export interface Cost {
  profile: string;
  latencyMs: number;
  energyMj: number;
  /** Peak live activation bytes over the layer schedule. */
  peakMemoryBytes: number;
  /** Stored weight bytes as the spec's compression plan would store them. */
  storedBytes: number;
  /** Device limits this candidate breaks, each saying by how much; empty when it fits. */
  violations: string[];
}

export interface CostModel {
  readonly profile: string;
  estimate(spec: ModelSpec): Cost;
  /**
   * Models that answer from a table of measured architectures need the genotype, not
   * only its network; callers that have one use this when it is there (costOf).
   */
  estimateGenotype?(genotype: Genotype, spec: ModelSpec): Cost;
}

/** A candidate's cost: by its genotype where the model looks genotypes up, by its network otherwise. */
export function costOf(model: CostModel, genotype: Genotype, spec: ModelSpec): Cost {
  return model.estimateGenotype !== undefined ? model.estimateGenotype(genotype, spec) : model.estimate(spec);
}
