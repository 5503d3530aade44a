/**
 * Compression genes, shared by every built-in space and joined with its architecture
 * genes in one genotype, so a search trades accuracy against size and speed jointly
 * (as APQ does) instead of compressing one fixed winner afterwards.
 */
import type { Genotype, Param } from './space.js';

export const COMPRESSION_PARAMS: Record<string, Param> = {
  'prune.sparsity': { type: 'categorical', values: [0, 0.5, 0.75, 0.9, 0.95], description: 'unstructured magnitude pruning: share of weights set to zero (polynomial-decay schedule during fine-tuning)' },
  'prune.channels': { type: 'categorical', values: [0, 0.25, 0.5], description: 'structured pruning: share of each conv layer\'s output channels removed (lowest L1 norm first)' },
  'lowrank.rank': { type: 'categorical', values: [1, 0.5, 0.25], description: 'low-rank factorization of dense and 1x1 conv layers: rank kept as a fraction of full rank (1 = off)' },
  'quant.bits': { type: 'categorical', values: [32, 16, 8, 4, 2, 1], description: 'weight bits (32 = float32, 16 = float16, 8..1 = integer)' },
  'quant.mode': { type: 'categorical', values: ['ptq', 'qat'], when: { 'quant.bits': [8, 4, 2, 1] }, description: 'post-training quantization or quantization-aware fine-tuning (fake quant, straight-through estimator)' },
  'quant.granularity': { type: 'categorical', values: ['per-channel', 'per-tensor'], when: { 'quant.bits': [8, 4, 2, 1] }, description: 'one scale per output channel or per tensor' },
  'quant.activations': { type: 'categorical', values: [32, 8], when: { 'quant.bits': [8, 4, 2, 1] }, description: 'activation bits at inference' },
  'cluster.k': { type: 'categorical', values: [0, 4, 16, 64, 256], when: { 'quant.bits': [32, 16] }, description: 'weight sharing: k-means codebook size (0 = off); indices stored in log2(k) bits' },
  'distill.alpha': { type: 'categorical', values: [0, 0.5, 0.9], description: 'knowledge distillation: weight of the teacher\'s soft targets in the loss (0 = off)' },
  'distill.temperature': { type: 'categorical', values: [2, 4, 8], when: { 'distill.alpha': [0.5, 0.9] }, description: 'softmax temperature of the soft targets' },
  'encode.huffman': { type: 'categorical', values: [false, true], description: 'Huffman-code the stored weights (Deep Compression\'s last stage)' },
};

/** The compression genes of a genotype as a typed plan (defaults where a gene is inactive). */
export interface CompressionPlan {
  sparsity: number;
  channelPruning: number;
  lowRank: number;
  weightBits: number;
  quantMode: 'ptq' | 'qat' | 'none';
  granularity: 'per-channel' | 'per-tensor';
  activationBits: number;
  clusters: number;
  distillAlpha: number;
  distillTemperature: number;
  huffman: boolean;
}

export function compressionPlan(g: Genotype): CompressionPlan {
  const num = (key: string, fallback: number) => (typeof g[key] === 'number' ? g[key] as number : fallback);
  const weightBits = num('quant.bits', 32);
  const integer = weightBits <= 8;
  return {
    sparsity: num('prune.sparsity', 0),
    channelPruning: num('prune.channels', 0),
    lowRank: num('lowrank.rank', 1),
    weightBits,
    quantMode: integer ? (g['quant.mode'] === 'qat' ? 'qat' : 'ptq') : 'none',
    granularity: g['quant.granularity'] === 'per-tensor' ? 'per-tensor' : 'per-channel',
    activationBits: integer ? num('quant.activations', 32) : 32,
    clusters: num('cluster.k', 0),
    distillAlpha: num('distill.alpha', 0),
    distillTemperature: num('distill.temperature', 4),
    huffman: g['encode.huffman'] === true,
  };
}

/** A plan that changes nothing (for specs of uncompressed baselines). */
export const NO_COMPRESSION: CompressionPlan = compressionPlan({});

/**
 * The genotypes of the networks a compressed one is cut from: `base` is the uncompressed
 * network that gets trained, `pruned` has channel pruning applied but no factorization.
 */
export function structuralStages(g: Genotype): { base: Genotype; pruned: Genotype } {
  const without = (keys: Record<string, number>): Genotype => {
    const out = { ...g };
    for (const [key, off] of Object.entries(keys)) if (key in out) out[key] = off;
    return out;
  };
  return { base: without({ 'prune.channels': 0, 'lowrank.rank': 1 }), pruned: without({ 'lowrank.rank': 1 }) };
}
