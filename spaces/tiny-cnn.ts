/**
 * `tiny-cnn`: plain or depthwise-separable conv stacks sized for microcontrollers
 * (tens of kilobytes of weights, small activations), joined with the compression genes.
 */
import { INPUT, SpecBuilder } from './blocks.js';
import type { BuiltinSpace, DatasetShape } from './builtin.js';
import { COMPRESSION_PARAMS, compressionPlan } from './compression-genes.js';
import type { Activation, ModelSpec } from './model-spec.js';
import type { Genotype, Param, SpaceDefinition } from './space.js';
import { keptUnits } from './widths.js';

const MAX_BLOCKS = 4;
const FILTERS = [4, 8, 12, 16, 24, 32, 48, 64];

function blockParams(i: number): Record<string, Param> {
  const when = i === 0 ? undefined : { blocks: Array.from({ length: MAX_BLOCKS - i }, (_, k) => i + 1 + k) };
  const p = (param: Param): Param => (when === undefined ? param : { ...param, when });
  return {
    [`block${i}.type`]: p({ type: 'categorical', values: ['plain', 'separable'] }),
    [`block${i}.filters`]: p({ type: 'categorical', values: FILTERS }),
    [`block${i}.kernel`]: p({ type: 'categorical', values: [3, 5] }),
    [`block${i}.pool`]: p({ type: 'categorical', values: [false, true], description: '2x2 max pool after the block' }),
  };
}

export const tinyCnnDefinition: SpaceDefinition = {
  name: 'tiny-cnn',
  description: 'plain and depthwise-separable conv stacks sized for microcontrollers',
  params: {
    blocks: { type: 'int', low: 1, high: MAX_BLOCKS },
    'stem.stride': { type: 'categorical', values: [1, 2] },
    activation: { type: 'categorical', values: ['relu', 'relu6'] },
    ...Object.assign({}, ...Array.from({ length: MAX_BLOCKS }, (_, i) => blockParams(i))) as Record<string, Param>,
    head: { type: 'categorical', values: ['gap', 'flatten'], description: 'global average pool or flatten before the classifier' },
    ...COMPRESSION_PARAMS,
  },
};

function tinyCnnSpec(g: Genotype, data: DatasetShape): ModelSpec {
  const plan = compressionPlan(g);
  const b = new SpecBuilder(plan);
  const activation = g.activation as Activation;
  let [h, w, c] = data.inputShape;
  let x = INPUT;
  const stemStride = g['stem.stride'] as number;
  for (let i = 0; i < (g.blocks as number); i++) {
    const filters = keptUnits(g[`block${i}.filters`] as number, plan.channelPruning);
    const kernel = g[`block${i}.kernel`] as number;
    const stride = i === 0 ? stemStride : 1;
    if (g[`block${i}.type`] === 'separable' && i > 0) x = b.separable(`block${i}`, x, c, filters, { kernel, stride, se: false, activation });
    else x = b.convBnAct(`block${i}`, x, filters, kernel, stride, activation);
    c = filters;
    h = Math.ceil(h / stride); w = Math.ceil(w / stride);
    // A pool that would shrink the map below 2x2 is dropped: the genotype stays valid on any input size.
    if (g[`block${i}.pool`] === true && h >= 4 && w >= 4) {
      x = b.pool(`block${i}_pool`, x, 'maxpool', 2, 2, 'valid');
      h = Math.floor(h / 2); w = Math.floor(w / 2);
    }
  }
  const head = b.plain('head', g.head === 'gap' ? 'gap' : 'flatten', x);
  const fanIn = g.head === 'gap' ? c : h * w * c;
  b.dense('logits', head, fanIn, data.numClasses, 'linear');
  return b.finish('tiny-cnn', data.inputShape, data.numClasses);
}

export const tinyCnn: BuiltinSpace = { definition: tinyCnnDefinition, toSpec: tinyCnnSpec };
