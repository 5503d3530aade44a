/**
 * The cost-model contract: pure, synchronous functions of a ModelSpec, cheap enough
 * (well under a millisecond) to reject over-budget candidates before any training.
 */
import type { ModelSpec } from '../spaces/model-spec.js';

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
}
