/**
 * `mobile-cnn`: MobileNetV2/MnasNet-style networks. A stem conv, four stages of
 * inverted-residual (MBConv) or depthwise-separable blocks, each stage with its own depth,
 * kernel (3/5/7), expansion (1/3/6) and squeeze-excitation switch (the "selective
 * attention" option) and weight bits (mixed precision), a width multiplier, a stride
 * pattern, and relu/relu6/hswish.
 * Sized for 28x28 to 32x32 inputs; joined with the compression genes.
 */
import { INPUT, SpecBuilder } from './blocks.js';
import type { BuiltinSpace, DatasetShape } from './builtin.js';
import { COMPRESSION_PARAMS, compressionPlan } from './compression-genes.js';
import type { Activation, ModelSpec } from './model-spec.js';
import type { Genotype, Param, SpaceDefinition } from './space.js';
import { makeDivisible } from './widths.js';

/** Output channels of each stage at width 1.0. */
const STAGE_CHANNELS = [16, 24, 40, 80];
/** Which stages start with a stride-2 block; with the stem stride, total downsampling is 4-16x. */
export const STRIDE_PATTERNS = ['1-2-2-1', '1-2-2-2', '2-2-1-1', '2-2-2-1', '1-1-2-2'] as const;

function stageParams(i: number): Record<string, Param> {
  return {
    [`stage${i}.block`]: { type: 'categorical', values: ['mbconv', 'separable'] },
    [`stage${i}.depth`]: { type: 'int', low: 1, high: i === 0 ? 2 : 3 },
    [`stage${i}.kernel`]: { type: 'categorical', values: [3, 5, 7] },
    [`stage${i}.expansion`]: { type: 'categorical', values: [1, 3, 6], when: { [`stage${i}.block`]: ['mbconv'] } },
    [`stage${i}.se`]: { type: 'categorical', values: [false, true] },
    [`stage${i}.bits`]: { type: 'categorical', values: ['model', 8, 4],
      description: 'weight bits of this stage\'s layers (mixed precision, as HAQ searches); model = the quant.bits gene; ignored with weight sharing' },
  };
}

export const mobileCnnDefinition: SpaceDefinition = {
  name: 'mobile-cnn',
  description: 'MobileNetV2/MnasNet-style stages of inverted-residual or depthwise-separable blocks',
  params: {
    width: { type: 'categorical', values: [0.35, 0.5, 0.75, 1.0], description: 'width multiplier of every stage' },
    'stem.stride': { type: 'categorical', values: [1, 2] },
    strides: { type: 'categorical', values: [...STRIDE_PATTERNS], description: 'stride of each stage\'s first block' },
    activation: { type: 'categorical', values: ['relu', 'relu6', 'hswish'] },
    ...Object.assign({}, ...STAGE_CHANNELS.map((_, i) => stageParams(i))) as Record<string, Param>,
    'head.filters': { type: 'categorical', values: [0, 128, 256], description: 'a 1x1 conv before pooling (0 = none)' },
    ...COMPRESSION_PARAMS,
  },
};

function mobileCnnSpec(g: Genotype, data: DatasetShape): ModelSpec {
  const plan = compressionPlan(g);
  const b = new SpecBuilder(plan);
  const activation = g.activation as Activation;
  const width = g.width as number;
  const strides = (g.strides as string).split('-').map(Number);
  const stemChannels = makeDivisible(16 * width, 8);
  let x = b.convBnAct('stem', INPUT, stemChannels, 3, g['stem.stride'] as number, activation);
  let channels = stemChannels;
  STAGE_CHANNELS.forEach((base, i) => {
    const out = makeDivisible(base * width, 8);
    const kind = g[`stage${i}.block`];
    const bits = g[`stage${i}.bits`];
    b.layerBits = typeof bits === 'number' ? bits : null;
    for (let j = 0; j < (g[`stage${i}.depth`] as number); j++) {
      const opts = { kernel: g[`stage${i}.kernel`] as number, stride: j === 0 ? strides[i]! : 1, se: g[`stage${i}.se`] === true, activation };
      x = kind === 'mbconv'
        ? b.invertedResidual(`s${i}b${j}`, x, channels, out, { ...opts, expansion: g[`stage${i}.expansion`] as number })
        : b.separable(`s${i}b${j}`, x, channels, out, opts);
      channels = out;
    }
    b.layerBits = null;
  });
  const headFilters = g['head.filters'] as number;
  if (headFilters > 0) {
    x = b.pointwise('head', x, channels, headFilters, activation);
    channels = headFilters;
  }
  const pool = b.plain('pool', 'gap', x);
  b.dense('logits', pool, channels, data.numClasses, 'linear');
  return b.finish('mobile-cnn', data.inputShape, data.numClasses);
}

export const mobileCnn: BuiltinSpace = { definition: mobileCnnDefinition, toSpec: mobileCnnSpec };
