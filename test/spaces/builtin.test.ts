import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { buildModel } from '../../evaluators/build-model.js';
import { analyzeSpec, specTotals } from '../../spaces/analyze.js';
import { fromArchString, toArchString } from '../../spaces/nb201.js';
import { genotypeHash, sample, spaceSize } from '../../spaces/operators.js';
import { BUILTIN_SPACES, getBuiltinSpace } from '../../spaces/registry.js';
import { checkGenotype, checkSpaceDefinition } from '../../spaces/validate.js';

beforeAll(async () => { await tf.setBackend('cpu'); });

const MNIST = { inputShape: [28, 28, 1] as [number, number, number], numClasses: 10 };
const CIFAR = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };

describe.each(Object.keys(BUILTIN_SPACES))('built-in space %s', (name) => {
  const space = getBuiltinSpace(name);
  it('has a valid definition', () => {
    expect(checkSpaceDefinition(space.definition)).toEqual([]);
  });
  it('turns 200 sampled genotypes into valid specs for 28x28x1 and 32x32x3 inputs', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 200; i++) {
      const g = sample(space.definition, rng);
      expect(checkGenotype(space.definition, g)).toBeNull();
      for (const data of [MNIST, CIFAR]) {
        const spec = space.toSpec(g, data);
        expect(() => analyzeSpec(spec), `${name} ${JSON.stringify(g)}`).not.toThrow();
      }
    }
  });
  it('builds a tfjs model for sampled genotypes with the analysed parameter count', () => {
    const rng = new Rng(12);
    for (let i = 0; i < 3; i++) {
      const spec = space.toSpec(sample(space.definition, rng), CIFAR);
      const model = buildModel(spec, 1);
      const trainable = model.trainableWeights.reduce((s, w) => s + w.shape.reduce((p, d) => p! * d!, 1)!, 0);
      expect(trainable).toBe(specTotals(analyzeSpec(spec)).params);
      model.dispose();
    }
  });
});

describe('space sizes', () => {
  it('nb201 has exactly 5^6 cells', () => {
    expect(spaceSize(getBuiltinSpace('nb201').definition)).toBe(15_625n);
  });
  it('the other spaces are finite and large', () => {
    for (const name of ['mlp', 'tiny-cnn', 'mobile-cnn']) {
      const size = spaceSize(getBuiltinSpace(name).definition);
      expect(size, name).not.toBeNull();
      expect(size! > 1_000_000n, name).toBe(true);
    }
  });
});

describe('mlp', () => {
  it('holds LeNet-300-100 with its 266,610 parameters', () => {
    const space = getBuiltinSpace('mlp');
    const g = space.presets!['lenet-300-100']!;
    expect(checkGenotype(space.definition, g)).toBeNull();
    expect(specTotals(analyzeSpec(space.toSpec(g, MNIST))).params).toBe(784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10);
  });
  it('factorizes dense layers when low-rank compression is on', () => {
    const space = getBuiltinSpace('mlp');
    const g = { ...space.presets!['lenet-300-100']!, 'lowrank.rank': 0.25 };
    const params = specTotals(analyzeSpec(space.toSpec(g, MNIST))).params;
    // rank = round(0.25 * min(fanIn, units)), factorized only where smaller:
    // dense0 784x300 -> 75: 784*75 + 75*300 + 300 bias = 81,600
    // dense1 300x100 -> 25: 300*25 + 25*100 + 100 bias = 10,100
    // logits 100x10  ->  3: 100*3  + 3*10   + 10 bias  =    340
    expect(params).toBe(81_600 + 10_100 + 340);
  });
});

describe('nb201 architecture strings', () => {
  const arch = '|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|';
  it('are the canonical form: parse and print round-trip', () => {
    expect(toArchString(fromArchString(arch))).toBe(arch);
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      const g = sample(getBuiltinSpace('nb201').definition, rng);
      expect(fromArchString(toArchString(g))).toEqual(g);
    }
  });
  it('give distinct hashes for distinct cells', () => {
    const rng = new Rng(2);
    const seen = new Map<string, string>();
    for (let i = 0; i < 300; i++) {
      const g = sample(getBuiltinSpace('nb201').definition, rng);
      const prior = seen.get(genotypeHash(g));
      if (prior !== undefined) expect(prior).toBe(toArchString(g));
      seen.set(genotypeHash(g), toArchString(g));
    }
  });
  it.each([
    ['|nor_conv_3x3~0|+|nor_conv_3x3~0|', /expected 3/],
    ['|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|', /unknown operation 'conv'/],
    ['|none~0|+|none~0|none~0|+|none~0|none~1|none~2|', /should read from node 1/],
  ])('reject %s', (bad, message) => {
    expect(() => fromArchString(bad)).toThrow(message);
  });
  it('build the NB201 macro network: more convolutions, more MACs; all-none cells still give logits', () => {
    const space = getBuiltinSpace('nb201');
    const macs = (a: string) => specTotals(analyzeSpec(space.toSpec(fromArchString(a), CIFAR))).macs;
    const allConv = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|';
    const allSkip = '|skip_connect~0|+|skip_connect~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|';
    const allNone = '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|';
    expect(macs(allConv)).toBeGreaterThan(macs(allSkip));
    expect(macs(allSkip)).toBeGreaterThan(0);
    const model = buildModel(space.toSpec(fromArchString(allNone), CIFAR), 1);
    expect((model.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor).shape).toEqual([1, 10]);
    model.dispose();
  });
});
