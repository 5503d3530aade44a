export { analyzeSpec, specTotals, type NodeAnalysis, type Shape3, type SpecTotals } from './analyze.js';
export type { BuiltinSpace, DatasetShape } from './builtin.js';
export { COMPRESSION_PARAMS, compressionPlan, structuralStages, type CompressionPlan } from './compression-genes.js';
export type { Activation, LayerCompression, LayerSpec, ModelSpec, NodeSpec } from './model-spec.js';
export { canonical, crossover, distance, genotypeHash, mutate, sample, spaceSize } from './operators.js';
export { BUILTIN_SPACES, getBuiltinSpace } from './registry.js';
export type { Condition, Genotype, Param, SpaceDefinition } from './space.js';
export { checkGenotype, checkSpaceDefinition } from './validate.js';
export { fromArchString, toArchString } from './nb201.js';
