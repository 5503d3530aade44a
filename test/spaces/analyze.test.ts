import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../evaluators/build-model.js';
import { analyzeSpec, specTotals } from '../../spaces/analyze.js';
import { costModelFor } from '../../hardware-profiles/registry.js';
import type { ModelSpec } from '../../spaces/model-spec.js';

beforeAll(async () => { await tf.setBackend('cpu'); });

/** A small graph with every op: stem, depthwise block with SE and hswish, residual, head. */
const spec: ModelSpec = {
  name: 'every_op', inputShape: [16, 16, 3], numClasses: 10,
  nodes: [
    { name: 'stem', layer: { op: 'conv2d', filters: 8, kernel: 3, stride: 2, padding: 'same', activation: 'linear', bias: false }, inputs: ['input'] },
    { name: 'stem_bn', layer: { op: 'batchnorm' }, inputs: ['stem'] },
    { name: 'stem_act', layer: { op: 'activation', activation: 'hswish' }, inputs: ['stem_bn'] },
    { name: 'dw', layer: { op: 'depthwise', kernel: 3, stride: 1, multiplier: 1, padding: 'same', activation: 'relu6', bias: true }, inputs: ['stem_act'] },
    { name: 'se_squeeze', layer: { op: 'gap' }, inputs: ['dw'] },
    { name: 'se_shape', layer: { op: 'reshape', shape: [1, 1, 8] }, inputs: ['se_squeeze'] },
    { name: 'se_reduce', layer: { op: 'conv2d', filters: 2, kernel: 1, stride: 1, padding: 'same', activation: 'relu', bias: true }, inputs: ['se_shape'] },
    { name: 'se_expand', layer: { op: 'conv2d', filters: 8, kernel: 1, stride: 1, padding: 'same', activation: 'hsigmoid', bias: true }, inputs: ['se_reduce'] },
    { name: 'se', layer: { op: 'scale' }, inputs: ['dw', 'se_expand'] },
    { name: 'residual', layer: { op: 'add' }, inputs: ['se', 'stem_act'] },
    { name: 'pool', layer: { op: 'avgpool', size: 2, stride: 2, padding: 'valid' }, inputs: ['residual'] },
    { name: 'dead', layer: { op: 'zeros' }, inputs: ['pool'] },
    { name: 'sum', layer: { op: 'add' }, inputs: ['pool', 'dead'] },
    { name: 'flat', layer: { op: 'flatten' }, inputs: ['sum'] },
    { name: 'fc', layer: { op: 'dense', units: 10, activation: 'linear', bias: true }, inputs: ['flat'] },
  ],
};

describe('analyzeSpec', () => {
  it('computes shapes, MACs and parameters by hand-checkable rules', () => {
    const a = analyzeSpec(spec);
    const byName = Object.fromEntries(a.map((n) => [n.name, n]));
    expect(byName.stem!.outputShape).toEqual([8, 8, 8]);
    expect(byName.stem!.macs).toBe(8 * 8 * 3 * 3 * 3 * 8);
    expect(byName.stem!.params).toBe(3 * 3 * 3 * 8);
    expect(byName.dw!.params).toBe(3 * 3 * 8 + 8);
    expect(byName.pool!.outputShape).toEqual([4, 4, 8]);
    expect(byName.fc!.params).toBe(128 * 10 + 10);
    expect(specTotals(a).weightLayers).toBe(5);
  });

  it('rejects dangling inputs, mismatched adds and a wrong head', () => {
    expect(() => analyzeSpec({ ...spec, nodes: [{ name: 'a', layer: { op: 'gap' }, inputs: ['nope'] }] })).toThrow(/input 'nope' is not an earlier node/);
    expect(() => analyzeSpec({ ...spec, nodes: [...spec.nodes.slice(0, 3), { name: 'bad', layer: { op: 'add' }, inputs: ['input', 'stem_act'] }] }))
      .toThrow(/add of mismatched shapes/);
    expect(() => analyzeSpec({ ...spec, numClasses: 7 })).toThrow(/expected \[1,1,7\] logits/);
    expect(() => analyzeSpec({ ...spec, nodes: [{ name: 'fc', layer: { op: 'dense', units: 10, activation: 'linear', bias: true }, inputs: ['input'] }] }))
      .toThrow(/needs a flatten or gap/);
    // A conv with a 0x0 kernel keeps a non-empty output but has no weights; a node without inputs has nothing to read.
    const noWeights = { ...spec, nodes: spec.nodes.map((n) => (n.name === 'stem' && n.layer.op === 'conv2d' ? { ...n, layer: { ...n.layer, kernel: 0 } } : n)) };
    expect(() => analyzeSpec(noWeights)).toThrow(/stem: conv2d has no weights \(weight shape \[0,0,3,8\]\)/);
    const noInputs = { ...spec, nodes: spec.nodes.map((n, i) => (i === 1 ? { ...n, inputs: [] } : n)) };
    expect(() => analyzeSpec(noInputs)).toThrow(/a node needs at least one input/);
    expect(() => costModelFor('raspberry-pi-4').estimate(noInputs)).toThrow(/a node needs at least one input/);
  });
});

describe('buildModel', () => {
  it('builds a tfjs model whose trainable parameters and output match the analysis', () => {
    const model = buildModel(spec, 1);
    const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((p, d) => p! * d!, 1)!, 0);
    expect(trainable).toBe(specTotals(analyzeSpec(spec)).params);
    const y = model.predict(tf.zeros([2, 16, 16, 3])) as tf.Tensor;
    expect(y.shape).toEqual([2, 10]);
    y.dispose();
    model.dispose();
  });

  it('gives identical initial weights for the same seed and different ones for another', () => {
    const weights = (seed: number) => { const m = buildModel(spec, seed); const w = m.getWeights()[0]!.dataSync().slice(); m.dispose(); return w; };
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });

  it('round-trips through the tfjs JSON topology with standard layers only', async () => {
    const model = buildModel(spec, 2);
    const artifacts = await new Promise<tf.io.ModelArtifacts>((resolve) => {
      void model.save(tf.io.withSaveHandler(async (a) => { resolve(a); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
    });
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    const x = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 5);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    model.dispose();
    loaded.dispose();
  });
});

describe('summarizeSpec', () => {
  it('lists weight layers with MACs, params, nonzeros, bits and bytes', async () => {
    const { summarizeSpec } = await import('../../spaces/summary.js');
    const rows = summarizeSpec(spec);
    expect(rows.map((r) => r.name)).toEqual(['stem', 'dw', 'se_reduce', 'se_expand', 'fc']);
    const fc = rows.find((r) => r.name === 'fc')!;
    expect(fc).toMatchObject({ kind: 'dense', weightShape: [128, 10], macs: 1280, params: 1290, nonzeros: 1290, bits: 32, bytes: 1290 * 4 });
    const pruned = summarizeSpec({ ...spec, nodes: spec.nodes.map((n) => (n.name === 'fc' ? { ...n, compression: { sparsity: 0.9, weightBits: 8 } } : n)) });
    // 1280 weights at 90% sparsity keep 128, each 8 bits + a 4-bit index = 192 bytes, plus 10 biases x 4 bytes.
    expect(pruned.find((r) => r.name === 'fc')).toMatchObject({ nonzeros: 138, effectiveMacs: 128, bytes: 192 + 40 });
  });
});
