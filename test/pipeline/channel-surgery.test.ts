import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { buildModel } from '../../evaluators/build-model.js';
import { pruneChannels, topChannelsByL1 } from '../../evaluators/pipeline/channel-surgery.js';
import { analyzeSpec, specTotals } from '../../spaces/analyze.js';
import { sample } from '../../spaces/operators.js';
import { getBuiltinSpace } from '../../spaces/registry.js';
import type { Genotype } from '../../spaces/space.js';

beforeAll(async () => { await tf.setBackend('cpu'); });

const DATA = { inputShape: [16, 16, 3] as [number, number, number], numClasses: 10 };

/**
 * Zeroes, in `model`, every channel that surgery will drop: a conv/dense output channel,
 * and the batch norm after it (gamma and beta), so that the dropped channels carry exact
 * zeros and both nets compute the same function.
 */
function zeroDroppedChannels(model: tf.LayersModel, nodes: { name: string; layer: { op: string }; inputs: string[] }[], kept: Map<string, number[]>): void {
  const maskFor = (name: string, size: number) => {
    const keep = new Set(kept.get(name));
    return tf.tensor1d([...Array(size).keys()].map((i) => (keep.has(i) ? 1 : 0)));
  };
  for (const node of nodes) {
    const layer = model.getLayer(node.name);
    if (node.layer.op === 'conv2d' || node.layer.op === 'dense') {
      const [kernel, ...rest] = layer.getWeights();
      const mask = maskFor(node.name, kernel!.shape[kernel!.shape.length - 1]!);
      layer.setWeights([tf.mul(kernel!, mask), ...rest.map((b) => tf.mul(b, mask))]);
    } else if (node.layer.op === 'batchnorm') {
      const [gamma, beta, mean, variance] = layer.getWeights();
      const mask = maskFor(node.name, gamma!.shape[0]!);
      layer.setWeights([tf.mul(gamma!, mask), tf.mul(beta!, mask), mean!, variance!]);
    }
  }
}

function variant(name: string, seed: number): { full: Genotype; pruned: Genotype } {
  const space = getBuiltinSpace(name);
  const base = sample(space.definition, new Rng(seed));
  const plain: Genotype = { ...base, 'prune.channels': 0, 'lowrank.rank': 1 };
  // Only MBConv's expanded width is prunable in mobile-cnn (stage widths feed residuals).
  if (name === 'mobile-cnn') for (let i = 0; i < 4; i++) Object.assign(plain, { [`stage${i}.block`]: 'mbconv', [`stage${i}.expansion`]: 6 });
  return { full: plain, pruned: { ...plain, 'prune.channels': 0.5 } };
}

describe('structured pruning surgery', () => {
  it('keeps the channels with the largest L1 norms', () => {
    const kernel = tf.tensor2d([[1, -5, 0.5, 3], [1, 5, 0.1, -3]]);
    expect(topChannelsByL1(kernel, 2)).toEqual([1, 3]);
  });

  it.each([['tiny-cnn', 1], ['tiny-cnn', 2], ['mobile-cnn', 3], ['mobile-cnn', 4], ['mlp', 5]])(
    '%s (seed %i): the pruned net computes the same function when the dropped channels were zero', (name, seed) => {
      const space = getBuiltinSpace(name);
      const { full, pruned } = variant(name, seed);
      const fullSpec = space.toSpec(full, DATA), prunedSpec = space.toSpec(pruned, DATA);
      const model = buildModel(fullSpec, seed);
      // BN statistics away from 0/1 make the check meaningful for them too.
      for (const layer of model.layers) if (layer.getClassName() === 'BatchNormalization') layer.setWeights(layer.getWeights().map((w, i) => tf.add(tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed + i), i === 3 ? 0 : -0.5)));
      const first = pruneChannels(model, fullSpec, prunedSpec);
      zeroDroppedChannels(model, fullSpec.nodes, first.kept);
      const { model: small } = pruneChannels(model, fullSpec, prunedSpec);
      const x = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 7);
      const a = (model.predict(x) as tf.Tensor).dataSync(), b = (small.predict(x) as tf.Tensor).dataSync();
      const scale = Math.max(1e-6, ...Array.from(a, Math.abs));
      expect(Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!))) / scale).toBeLessThan(1e-4);
      const params = small.trainableWeights.reduce((s, w) => s + w.shape.reduce((p, d) => p! * d!, 1)!, 0);
      expect(params).toBe(specTotals(analyzeSpec(prunedSpec)).params);
      expect(params).toBeLessThan(specTotals(analyzeSpec(fullSpec)).params);
      model.dispose(); small.dispose(); first.model.dispose();
    });

  it('halves the MACs of a layer whose output channels are halved', () => {
    const space = getBuiltinSpace('tiny-cnn');
    const g = { ...variant('tiny-cnn', 6).full, blocks: 1, 'block0.type': 'plain', 'block0.filters': 32 };
    const macs = (p: number) => analyzeSpec(space.toSpec({ ...g, 'prune.channels': p }, DATA)).find((n) => n.name === 'block0')!.macs;
    expect(macs(0.5)).toBe(macs(0) / 2);
  });
});
