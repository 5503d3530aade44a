/**
 * `mlp`: stacks of 1-3 dense layers on the flattened input (LeNet-300-100 lives here:
 * the `lenet-300-100` preset), joined with the compression genes.
 */
import type { BuiltinSpace, DatasetShape } from './builtin.js';
import { COMPRESSION_PARAMS, compressionPlan } from './compression-genes.js';
import { INPUT, SpecBuilder } from './blocks.js';
import type { Activation, ModelSpec } from './model-spec.js';
import type { Genotype, SpaceDefinition } from './space.js';
import { keptUnits } from './widths.js';

const UNITS = [32, 64, 100, 128, 256, 300, 512];

export const mlpDefinition: SpaceDefinition = {
  name: 'mlp',
  description: 'dense stacks on the flattened input (LeNet-300-100 is a member)',
  params: {
    depth: { type: 'int', low: 1, high: 3, description: 'hidden layers' },
    'layer0.units': { type: 'categorical', values: UNITS },
    'layer1.units': { type: 'categorical', values: UNITS, when: { depth: [2, 3] } },
    'layer2.units': { type: 'categorical', values: UNITS, when: { depth: [3] } },
    activation: { type: 'categorical', values: ['relu', 'relu6', 'hswish'] },
    ...COMPRESSION_PARAMS,
  },
};

function mlpSpec(g: Genotype, data: DatasetShape): ModelSpec {
  const plan = compressionPlan(g);
  const b = new SpecBuilder(plan);
  const activation = g.activation as Activation;
  let x = b.plain('flatten', 'flatten', INPUT);
  let fanIn = data.inputShape[0] * data.inputShape[1] * data.inputShape[2];
  for (let i = 0; i < (g.depth as number); i++) {
    // Structured pruning removes hidden units (the dense analogue of channels).
    const units = keptUnits(g[`layer${i}.units`] as number, plan.channelPruning);
    x = b.dense(`dense${i}`, x, fanIn, units, activation);
    fanIn = units;
  }
  b.dense('logits', x, fanIn, data.numClasses, 'linear');
  return b.finish('mlp', data.inputShape, data.numClasses);
}

export const mlp: BuiltinSpace = {
  definition: mlpDefinition,
  toSpec: mlpSpec,
  presets: {
    'lenet-300-100': { depth: 2, 'layer0.units': 300, 'layer1.units': 100, activation: 'relu',
      'prune.sparsity': 0, 'prune.channels': 0, 'lowrank.rank': 1, 'quant.bits': 32, 'cluster.k': 0, 'distill.alpha': 0, 'encode.huffman': false },
  },
};
