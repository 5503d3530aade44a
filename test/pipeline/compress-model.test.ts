import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArtifact } from '../../evaluators/artifact/artifact.js';
import { buildModel } from '../../evaluators/build-model.js';
import { registerWasmTrainingKernels } from '../../evaluators/kernels/register-wasm.js';
import { channelShape } from '../../evaluators/compress/quantize.js';
import { compressModel, type CompressionResult } from '../../evaluators/pipeline/compress-model.js';
import { trainModel } from '../../evaluators/training/train.js';
import { analyzeSpec } from '../../spaces/analyze.js';
import { compressionPlan, structuralStages } from '../../spaces/compression-genes.js';
import { getBuiltinSpace } from '../../spaces/registry.js';
import type { Genotype } from '../../spaces/space.js';
import { quadrantData } from '../helpers/quadrant-data.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
});

const data = quadrantData(512, 11);
const MLP: Genotype = { depth: 2, 'layer0.units': 64, 'layer1.units': 32, activation: 'relu',
  'prune.sparsity': 0, 'prune.channels': 0, 'lowrank.rank': 1, 'quant.bits': 32, 'cluster.k': 0, 'distill.alpha': 0, 'encode.huffman': false };
const TINY: Genotype = { blocks: 2, 'stem.stride': 1, activation: 'relu', head: 'gap',
  'block0.type': 'plain', 'block0.filters': 16, 'block0.kernel': 3, 'block0.pool': true,
  'block1.type': 'separable', 'block1.filters': 32, 'block1.kernel': 3, 'block1.pool': false,
  'prune.sparsity': 0, 'prune.channels': 0, 'lowrank.rank': 1, 'quant.bits': 32, 'cluster.k': 0, 'distill.alpha': 0, 'encode.huffman': false };

function compress(spaceName: string, genotype: Genotype, allocation: 'uniform' | 'erk' = 'erk', fineTuneEpochs = 1): CompressionResult & { trainedAccuracy: number } {
  const space = getBuiltinSpace(spaceName);
  const { base, pruned } = structuralStages(genotype);
  const baseSpec = space.toSpec(base, data);
  const trained = buildModel(baseSpec, 3);
  const result = trainModel(trained, data, { budget: { epochs: 2, batchSize: 32 }, optimizer: { name: 'adam', learningRate: 3e-3 }, schedule: { kind: 'cosine' }, seed: 3 });
  const out = compressModel({
    trained, baseSpec, prunedSpec: space.toSpec(pruned, data), targetSpec: space.toSpec(genotype, data), plan: compressionPlan(genotype), data, allocation,
    fineTune: { epochs: fineTuneEpochs, batchSize: 32, optimizer: { name: 'adam', learningRate: 1e-3 }, schedule: { kind: 'constant' }, seed: 4 },
  });
  trained.dispose();
  return { ...out, trainedAccuracy: result.testAccuracy };
}

/** Each kernel with the number of output channels it is quantized by (a depthwise kernel's are its input channels x multiplier). */
function kernels(model: tf.LayersModel): Array<{ name: string; values: Float32Array; shape: number[]; channels: number; depthwise: boolean }> {
  return model.layers.filter((l) => ['Dense', 'Conv2D', 'DepthwiseConv2D'].includes(l.getClassName()) && l.trainable).map((l) => {
    const shape = l.getWeights()[0]!.shape;
    return { name: l.name, values: l.getWeights()[0]!.dataSync() as Float32Array, shape, channels: channelShape(shape, l.getClassName()).at(-1)!, depthwise: l.getClassName() === 'DepthwiseConv2D' };
  });
}

/** The artifact reloads into a model that predicts exactly what the compressed model predicts. */
function expectSamePredictions(result: CompressionResult): void {
  const reloaded = readArtifact(result.artifact.bytes).model;
  const x = tf.tensor4d(Float32Array.from(data.test.pixels.subarray(0, 64 * 144), (p) => p / 255), [64, 12, 12, 1]);
  const a = (result.model.predict(x) as tf.Tensor).dataSync(), b = (reloaded.predict(x) as tf.Tensor).dataSync();
  expect(Array.from(b)).toEqual(Array.from(a));
  x.dispose();
  reloaded.dispose();
}

describe('compression pipeline', () => {
  it('90% uniform magnitude pruning leaves exactly 10% nonzero in every kernel, reports stages, and round-trips', () => {
    const r = compress('mlp', { ...MLP, 'prune.sparsity': 0.9 }, 'uniform', 4);
    for (const k of kernels(r.model)) expect(k.values.filter((v) => v !== 0).length).toBe(Math.round(k.values.length * 0.1));
    expect(r.stages.map((s) => s.stage)).toEqual(['trained', 'prune']);
    expect(r.stages[1]!.storedBytes).toBeLessThan(r.stages[0]!.storedBytes / 3);
    expect(r.stages[1]!.effectiveMacs).toBeLessThan(r.stages[1]!.macs * 0.2);
    expect(r.stages[1]!.accuracy).toBeGreaterThan(0.8);
    expect(r.artifact.weightBytes).toBe(r.stages[1]!.storedBytes);
    expectSamePredictions(r);
    r.model.dispose();
  });

  it.each([[4, 'qat'], [2, 'ptq'], [8, 'ptq']] as const)('int%i %s: at most 2^bits - 1 distinct values per channel, zeros kept, round trip exact', (bits, mode) => {
    const r = compress('mlp', { ...MLP, 'prune.sparsity': 0.5, 'quant.bits': bits, 'quant.mode': mode, 'quant.granularity': 'per-channel', 'quant.activations': 32 });
    const all = kernels(r.model);
    const total = all.reduce((a, k) => a + k.values.length, 0), zeros = all.reduce((a, k) => a + k.values.filter((v) => v === 0).length, 0);
    expect(zeros).toBeGreaterThanOrEqual(Math.round(total * 0.5));
    for (const k of all) {
      const channels = k.shape.at(-1)!;
      for (let c = 0; c < channels; c++) {
        const distinct = new Set(k.values.filter((_, i) => i % channels === c));
        expect(distinct.size).toBeLessThanOrEqual(2 ** bits - 1);
      }
    }
    expect(r.stages.at(-1)!.stage).toBe('quantize');
    expect(r.stages.at(-1)!.detail).toContain(mode === 'qat' ? 'quantization-aware' : 'post-training');
    expectSamePredictions(r);
    r.model.dispose();
  });

  it('int8 activations: a calibrated fake-quantized evaluation close to the float one, ranges reported', () => {
    const r = compress('tiny-cnn', { ...TINY, 'quant.bits': 8, 'quant.mode': 'ptq', 'quant.granularity': 'per-channel', 'quant.activations': 8 });
    const [weights, activations] = r.stages.slice(-2);
    expect(weights!.stage).toBe('quantize');
    expect(activations!.stage).toBe('activations');
    expect(Math.abs(activations!.accuracy - weights!.accuracy)).toBeLessThan(0.05);
    expect(activations!.storedBytes).toBe(weights!.storedBytes);
    const ranges = r.activationRanges!;
    expect(ranges.block0_pool![0]).toBe(0); // after a ReLU
    expect(ranges.block0_pool![1]).toBeGreaterThan(0);
    // The stored file carries them: a deployment quantizes activations as the reported accuracy did.
    const loaded = readArtifact(r.artifact.bytes);
    expect(loaded.activations).toEqual({ bits: 8, ranges });
    loaded.model.dispose();
    r.model.dispose();
  });

  it('per-stage bits give mixed precision: each stage\'s layers on their own grid', () => {
    const MOBILE: Genotype = { width: 0.35, 'stem.stride': 1, strides: '1-2-2-1', activation: 'relu', 'head.filters': 0,
      ...Object.fromEntries([0, 1, 2, 3].flatMap((i) => [[`stage${i}.block`, 'separable'], [`stage${i}.depth`, 1], [`stage${i}.kernel`, 3], [`stage${i}.se`, false],
        [`stage${i}.bits`, i === 1 ? 4 : i === 2 ? 8 : 'model']])),
      'prune.sparsity': 0, 'prune.channels': 0, 'lowrank.rank': 1, 'quant.bits': 32, 'cluster.k': 0, 'distill.alpha': 0, 'encode.huffman': false };
    const r = compress('mobile-cnn', MOBILE);
    expect(r.stages.at(-1)!.detail).toMatch(/^mixed fp32\/int8\/int4 per-channel, post-training/);
    for (const k of kernels(r.model)) {
      const bits = k.name.startsWith('s1b') ? 4 : k.name.startsWith('s2b') ? 8 : 32;
      const { channels } = k;
      const perChannel = Math.max(...[...Array(channels).keys()].map((c) => new Set(k.values.filter((_, i) => i % channels === c)).size));
      if (bits < 32) {
        expect(perChannel).toBeLessThanOrEqual(2 ** bits - 1);
        // A depthwise kernel has a scale per channel, not one for the layer: more magnitudes than one int4 grid holds.
        if (k.depthwise && bits <= 4) expect(new Set(k.values.filter((v) => v !== 0).map(Math.abs)).size).toBeGreaterThan(2 ** (bits - 1));
      } else expect(new Set(k.values).size, k.name).toBe(k.values.length); // untouched float32: all distinct
    }
    expectSamePredictions(r);
    r.model.dispose();
  });

  it('k-means weight sharing leaves at most k distinct nonzero values per layer; Huffman shrinks the artifact', () => {
    const r = compress('mlp', { ...MLP, 'prune.sparsity': 0.75, 'cluster.k': 4, 'encode.huffman': true });
    for (const k of kernels(r.model)) expect(new Set(k.values.filter((v) => v !== 0)).size).toBeLessThanOrEqual(4);
    const [quantized, encoded] = r.stages.slice(-2);
    expect(quantized!.stage).toBe('quantize');
    expect(encoded!.storedBytes).toBeLessThan(quantized!.storedBytes);
    expectSamePredictions(r);
    r.model.dispose();
  });

  it('low-rank factorization keeps rank x0.5 and channel pruning halves the first conv layer\'s MACs', () => {
    // With channel pruning too: on wasm, gathered biases once broke the fused MatMul.
    const lr = compress('mlp', { ...MLP, 'lowrank.rank': 0.5, 'prune.channels': 0.25 });
    const inner = kernels(lr.model).find((k) => k.name === 'dense0_lr');
    expect(inner?.shape[0]).toBe(144);
    expect(inner!.shape[1]).toBeLessThanOrEqual(24);
    expect(lr.stages[1]!.params).toBeLessThan(lr.stages[0]!.params);
    expectSamePredictions(lr);
    lr.model.dispose();

    const cut = compress('tiny-cnn', { ...TINY, 'prune.channels': 0.5, 'distill.alpha': 0.5, 'distill.temperature': 4 });
    const space = getBuiltinSpace('tiny-cnn');
    const before = analyzeSpec(space.toSpec(TINY, data)), after = analyzeSpec(cut.spec);
    const firstConv = before.find((n) => n.macs > 0)!;
    expect(after.find((n) => n.name === firstConv.name)!.macs).toBe(firstConv.macs / 2);
    expect(cut.stages[1]!.macs).toBeLessThanOrEqual(cut.stages[0]!.macs / 2);
    expect(cut.stages[1]!.accuracyBeforeFineTune).toBeDefined();
    expectSamePredictions(cut);
    cut.model.dispose();
  });
});
