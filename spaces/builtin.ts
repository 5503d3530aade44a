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
  /** Named genotypes worth knowing (e.g. LeNet-300-100 in `mlp`). */
  presets?: Record<string, Genotype>;
}
