/**
 * A built-in space: its declarative definition plus the function that turns one of its
 * genotypes into a ModelSpec for a dataset's input shape and class count.
 */
import type { ModelSpec } from './model-spec.js';
import type { Genotype, SpaceDefinition } from './space.js';

export interface DatasetShape { inputShape: [number, number, number]; numClasses: number }

export interface BuiltinSpace {
  definition: SpaceDefinition;
  /** The network a genotype describes, compressed widths included (structured pruning, low rank). */
  toSpec(genotype: Genotype, data: DatasetShape): ModelSpec;
  /**
   * The network as the reference deployments run it, when that differs from the one
   * trained (NB201's measured cells keep every zero edge and sum): what cost models price
   * and what measured latencies are calibrated against.
   */
  deploymentSpec?(genotype: Genotype, data: DatasetShape): ModelSpec;
  /** Named genotypes worth knowing (e.g. LeNet-300-100 in `mlp`). */
  presets?: Record<string, Genotype>;
}

/** The spec to cost a genotype by: its deployed network where the space gives one. */
export function costSpecOf(space: BuiltinSpace, genotype: Genotype, data: DatasetShape): ModelSpec {
  return space.deploymentSpec?.(genotype, data) ?? space.toSpec(genotype, data);
}
