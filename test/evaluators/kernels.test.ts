/**
 * Gradient checks of hwnas's wasm training kernels against tfjs's pure-JS cpu backend
 * (the reference implementation), over the geometry grid the search spaces use:
 * strides 1/2, same/valid padding, dilation, kernels 1/3/5/7, channel multiplier 1/2,
 * batch 1 and 64. The tolerance is relative to the largest reference magnitude.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { registerWasmTrainingKernels } from '../../evaluators/kernels/register-wasm.js';

const TOLERANCE = 1e-4;

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
});

function randomArray(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.normal();
  return out;
}

function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0, scale = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}

/** Runs `f` on one backend with tensors made there, and returns plain arrays. */
async function on<T extends Record<string, Float32Array>>(backend: string, f: () => Record<keyof T, tf.Tensor>): Promise<T> {
  await tf.setBackend(backend);
  const tensors = tf.tidy(f);
  const out = {} as Record<string, Float32Array>;
  for (const [key, t] of Object.entries(tensors)) {
    out[key] = (await t.data()) as Float32Array;
    t.dispose();
  }
  await tf.setBackend('wasm');
  return out as T;
}

/** Zero-inserts a [kh,kw,a,b] filter so that an undilated convolution equals a dilated one. */
function dilateFilter(w: tf.Tensor4D, d: number): tf.Tensor4D {
  const [kh, kw, a, b] = w.shape;
  const padded = w.reshape([kh, 1, kw, 1, a, b]).pad([[0, 0], [0, d - 1], [0, 0], [0, d - 1], [0, 0], [0, 0]]);
  return padded.reshape([kh * d, kw * d, a, b]).slice([0, 0, 0, 0], [(kh - 1) * d + 1, (kw - 1) * d + 1, a, b]);
}

interface ConvCase { batch: number; kernel: number; stride: number; pad: 'same' | 'valid'; dilation: number; multiplier: number }

function convCases(depthwise: boolean): ConvCase[] {
  const cases: ConvCase[] = [];
  for (const batch of [1, 64]) for (const kernel of [1, 3, 5, 7]) for (const stride of [1, 2])
    for (const pad of ['same', 'valid'] as const) for (const multiplier of depthwise ? [1, 2] : [1])
      cases.push({ batch, kernel, stride, pad, dilation: 1, multiplier });
  for (const pad of ['same', 'valid'] as const) for (const multiplier of depthwise ? [1, 2] : [1])
    cases.push({ batch: 4, kernel: 3, stride: 1, pad, dilation: 2, multiplier });
  return cases;
}

const name = (c: ConvCase) => `batch ${c.batch}, ${c.kernel}x${c.kernel}, stride ${c.stride}, ${c.pad}, dilation ${c.dilation}` +
  (c.multiplier > 1 ? `, multiplier ${c.multiplier}` : '');

describe('Conv2D backprop kernels on wasm match the cpu backend', () => {
  const H = 11, W = 10, CI = 3, CO = 5;
  it.each(convCases(false).map((c) => [name(c), c] as const))('%s', async (_label, c) => {
    const xShape: [number, number, number, number] = [c.batch, H, W, CI];
    const wShape: [number, number, number, number] = [c.kernel, c.kernel, CI, CO];
    const xData = randomArray(xShape.reduce((p, d) => p * d), 1);
    const wData = randomArray(wShape.reduce((p, d) => p * d), 2);
    // The reference: autodiff on cpu through an undilated convolution with a zero-inserted filter.
    const ref = await on<{ y: Float32Array; dx: Float32Array; dw: Float32Array }>('cpu', () => {
      const x = tf.tensor4d(xData, xShape), w = tf.tensor4d(wData, wShape);
      const wd = dilateFilter(w, c.dilation);
      const y = tf.conv2d(x, wd, c.stride, c.pad);
      const dy = tf.tensor(randomArray(y.size, 3), y.shape);
      const [dx, dwd] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad).mul(dy).sum())([x, wd]);
      const dw = tf.stridedSlice(dwd!, [0, 0, 0, 0], dwd!.shape, [c.dilation, c.dilation, 1, 1]);
      return { y, dx: dx!, dw };
    });
    const got = await on<{ dx: Float32Array; dw: Float32Array }>('wasm', () => {
      const x = tf.tensor4d(xData, xShape), w = tf.tensor4d(wData, wShape);
      const y = tf.conv2d(x, w, c.stride, c.pad, 'NHWC', c.dilation);
      const dy = tf.tensor(randomArray(y.size, 3), y.shape);
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', dilations: c.dilation };
      const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xShape }) as tf.Tensor;
      const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: wShape }) as tf.Tensor;
      return { dx, dw };
    });
    expect(relativeError(got.dx, ref.dx)).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(got.dw, ref.dw)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('DepthwiseConv2dNative backprop kernels on wasm match the cpu backend', () => {
  const H = 11, W = 10, C = 4;
  it.each(convCases(true).map((c) => [name(c), c] as const))('%s', async (_label, c) => {
    const xShape: [number, number, number, number] = [c.batch, H, W, C];
    const wShape: [number, number, number, number] = [c.kernel, c.kernel, C, c.multiplier];
    const xData = randomArray(xShape.reduce((p, d) => p * d), 4);
    const wData = randomArray(wShape.reduce((p, d) => p * d), 5);
    const ref = await on<{ dx: Float32Array; dw: Float32Array }>('cpu', () => {
      const x = tf.tensor4d(xData, xShape), w = tf.tensor4d(wData, wShape);
      const wd = dilateFilter(w, c.dilation);
      const y = tf.depthwiseConv2d(x, wd, c.stride, c.pad);
      const dy = tf.tensor(randomArray(y.size, 6), y.shape);
      const [dx, dwd] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.depthwiseConv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, c.pad).mul(dy).sum())([x, wd]);
      const dw = tf.stridedSlice(dwd!, [0, 0, 0, 0], dwd!.shape, [c.dilation, c.dilation, 1, 1]);
      return { dx: dx!, dw };
    });
    const got = await on<{ dx: Float32Array; dw: Float32Array }>('wasm', () => {
      const x = tf.tensor4d(xData, xShape), w = tf.tensor4d(wData, wShape);
      const y = tf.depthwiseConv2d(x, w, c.stride, c.pad, 'NHWC', c.dilation);
      const dy = tf.tensor(randomArray(y.size, 6), y.shape);
      const attrs = { strides: [c.stride, c.stride], pad: c.pad, dilations: [c.dilation, c.dilation] };
      const dx = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xShape }) as tf.Tensor;
      const dw = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: wShape }) as tf.Tensor;
      return { dx, dw };
    });
    expect(relativeError(got.dx, ref.dx)).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(got.dw, ref.dw)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('pooling kernels on wasm match the cpu backend', () => {
  const cases: Array<[string, number[], number, number, 'same' | 'valid']> = [
    ['2x2 stride 2 valid, even size', [64, 28, 28, 16], 2, 2, 'valid'],
    ['2x2 stride 2 valid, odd size', [3, 7, 9, 5], 2, 2, 'valid'],
    ['2x2 stride 2 same, odd size', [3, 7, 9, 5], 2, 2, 'same'],
    ['3x3 stride 2 same (overlapping)', [2, 9, 8, 6], 3, 2, 'same'],
    ['3x3 stride 1 valid', [2, 6, 6, 3], 3, 1, 'valid'],
  ];
  it.each(cases)('MaxPool and its gradient: %s', async (_label, shape, size, stride, pad) => {
    const data = randomArray(shape.reduce((p, d) => p * d), 7);
    const run = () => {
      const x = tf.tensor(data, shape) as tf.Tensor4D;
      const y = tf.maxPool(x, size, stride, pad);
      const r = tf.tensor(randomArray(y.size, 8), y.shape);
      const dx = tf.grad((xx: tf.Tensor) => tf.maxPool(xx as tf.Tensor4D, size, stride, pad).mul(r).sum())(x);
      return { y, dx };
    };
    const ref = await on<{ y: Float32Array; dx: Float32Array }>('cpu', run);
    const got = await on<{ y: Float32Array; dx: Float32Array }>('wasm', run);
    expect(relativeError(got.y, ref.y)).toBeLessThanOrEqual(TOLERANCE);
    expect(relativeError(got.dx, ref.dx)).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('dense-layer kernels on wasm match the cpu backend', () => {
  it.each([[false, false], [true, false], [false, true], [true, true]])('BatchMatMul transposeA=%s transposeB=%s, with batch dims', async (ta, tb) => {
    const aShape = ta ? [3, 37, 19] : [3, 19, 37];
    const bShape = tb ? [3, 13, 37] : [3, 37, 13];
    const aData = randomArray(3 * 19 * 37, 9), bData = randomArray(3 * 37 * 13, 10);
    const run = () => ({ c: tf.matMul(tf.tensor(aData, aShape), tf.tensor(bData, bShape), ta, tb) });
    const ref = await on<{ c: Float32Array }>('cpu', run);
    const got = await on<{ c: Float32Array }>('wasm', run);
    expect(relativeError(got.c, ref.c)).toBeLessThanOrEqual(TOLERANCE);
  });

  it('Sum over leading axes and bias Add match, and other reductions still work', async () => {
    const data = randomArray(2 * 5 * 6 * 7, 11), bias = randomArray(7, 12);
    const run = () => {
      const x = tf.tensor(data, [2, 5, 6, 7]);
      return { lead: x.sum([0, 1, 2]), keep: x.sum([0, 1, 2], true), inner: x.sum(-1), mid: x.sum(1),
        add: x.add(tf.tensor(bias, [7])), add4: x.add(tf.tensor(bias, [1, 1, 1, 7])), addFull: x.add(x) };
    };
    const ref = await on<Record<string, Float32Array>>('cpu', run);
    const got = await on<Record<string, Float32Array>>('wasm', run);
    for (const key of Object.keys(ref)) expect(relativeError(got[key]!, ref[key]!), key).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('batch-norm kernels on wasm match the cpu backend', () => {
  it('Tile by whole blocks (a per-channel vector to a feature map, and mixed repeats) and Mean over leading axes match; other tilings still work', async () => {
    const data = randomArray(2 * 3 * 4 * 16, 13), channel = randomArray(16, 14);
    const run = () => {
      const x = tf.tensor(data, [2, 3, 4, 16]);
      const c = tf.tensor(channel, [1, 1, 1, 16]);
      return {
        perChannel: c.tile([5, 7, 3, 1]), mixed: x.tile([3, 1, 2, 1]), inner: x.tile([1, 1, 1, 2]), small: tf.tensor([1, 2, 3], [1, 3]).tile([4, 2]),
        mean: x.mean([0, 1, 2]), meanKeep: x.mean([0, 1, 2], true), meanInner: x.mean(-1), meanMid: x.mean(1),
      };
    };
    const ref = await on<Record<string, Float32Array>>('cpu', run);
    const got = await on<Record<string, Float32Array>>('wasm', run);
    for (const key of Object.keys(ref)) expect(relativeError(got[key]!, ref[key]!), key).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('elementwise kernels on wasm match the cpu backend', () => {
  it('ops of a tensor with one value, both ways round, including comparisons, NaN and odd lengths', async () => {
    const size = 3 * 7 * 11 * 29; // not a multiple of 4 or 16: the scalar tails run too
    const data = randomArray(size, 15).map((v, i) => (i === 5 ? Number.NaN : i % 97 === 0 ? 0.5 : v));
    const run = () => {
      const x = tf.tensor(data, [3, 7, 11, 29]);
      const s = tf.scalar(0.5), s2 = tf.tensor([[0.5]]);
      return {
        add: x.add(s), addFirst: s.add(x), sub: x.sub(s), subFirst: s.sub(x), mul: x.mul(s), div: x.div(s), divFirst: s.div(x),
        min: tf.minimum(x, s), minFirst: tf.minimum(s, x), max: tf.maximum(x, s), relu6: tf.minimum(6, tf.relu(x)),
        gt: x.greater(s).cast('float32'), gtFirst: s.greater(x).cast('float32'), ge: x.greaterEqual(s).cast('float32'),
        lt: x.less(s).cast('float32'), le: x.lessEqual(s).cast('float32'), leFirst: s.lessEqual(x).cast('float32'),
        rank: x.reshape([size]).mul(s2),
      };
    };
    const ref = await on<Record<string, Float32Array>>('cpu', run);
    const got = await on<Record<string, Float32Array>>('wasm', run);
    for (const key of Object.keys(ref)) {
      expect(Array.from(got[key]!, Number.isNaN), key).toEqual(Array.from(ref[key]!, Number.isNaN));
      const finite = (a: Float32Array) => a.map((v) => (Number.isNaN(v) ? 0 : v));
      expect(relativeError(finite(got[key]!), finite(ref[key]!)), key).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('batch norm with per-channel statistics (with and without offset and scale) and per-channel Multiply match', async () => {
    const data = randomArray(4 * 6 * 6 * 19, 16), stats = randomArray(4 * 19, 17);
    const run = () => {
      const x = tf.tensor(data, [4, 6, 6, 19]);
      const [mean, variance, offset, scale] = [0, 1, 2, 3].map((k) => tf.tensor(stats.slice(19 * k, 19 * k + 19), [19]));
      return {
        full: tf.batchNorm(x, mean!, variance!.abs(), offset, scale, 1e-3), bare: tf.batchNorm(x, mean!, variance!.abs(), undefined, undefined, 1e-3),
        mul: x.mul(scale!), mulFirst: scale!.reshape([1, 1, 1, 19]).mul(x),
      };
    };
    const ref = await on<Record<string, Float32Array>>('cpu', run);
    const got = await on<Record<string, Float32Array>>('wasm', run);
    for (const key of Object.keys(ref)) expect(relativeError(got[key]!, ref[key]!), key).toBeLessThanOrEqual(TOLERANCE);
  });
});

describe('copies on wasm', () => {
  it('Identity and a Cast to the same dtype share the buffer; a clone outlives its source; other casts convert as on cpu', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1.5, -2, 3], [3]), i = tf.tensor([1, 0, 7], [3], 'int32');
    const buffers = tf.memory().numDataBuffers;
    const clone = x.clone(), same = x.cast('float32'), cloneInt = i.clone();
    expect(tf.memory().numDataBuffers).toBe(buffers);
    x.dispose();
    i.dispose();
    expect(Array.from(await clone.data())).toEqual([1.5, -2, 3]);
    expect(Array.from(await same.data())).toEqual([1.5, -2, 3]);
    expect(Array.from(await cloneInt.data())).toEqual([1, 0, 7]);
    const toInt = clone.cast('int32'), toBool = cloneInt.cast('bool'), floatToBool = clone.cast('bool');
    expect([toInt.dtype, toBool.dtype]).toEqual(['int32', 'bool']);
    expect(Array.from(await floatToBool.data())).toEqual([1, 1, 1]);
    expect(Array.from(await toInt.data())).toEqual([1, -2, 3]);
    expect(Array.from(await toBool.data())).toEqual([1, 0, 1]);
    tf.dispose([clone, same, cloneInt, toInt, toBool, floatToBool]);
    const strings = tf.tensor(['a', 'b']);
    expect(await strings.clone().data()).toEqual(['a', 'b']);
  });
});

describe('the reference CNN trains on wasm exactly as on cpu', () => {
  it('gives the same loss and weight gradients for one batch', async () => {
    const build = () => {
      const model = tf.sequential({ layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }),
      ] });
      const x = tf.tensor(randomArray(64 * 784, 13).map((v) => Math.abs(v) / 3), [64, 28, 28, 1]);
      const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 10), 'int32'), 10);
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x) as tf.Tensor) as tf.Scalar);
      const out: Record<string, tf.Tensor> = { loss: value };
      Object.values(grads).forEach((g, i) => { out[`grad${i}`] = g; });
      model.layers.forEach((l) => l.dispose());
      return out;
    };
    const ref = await on<Record<string, Float32Array>>('cpu', build);
    const got = await on<Record<string, Float32Array>>('wasm', build);
    expect(Object.keys(got).length).toBe(9);
    for (const key of Object.keys(ref)) expect(relativeError(got[key]!, ref[key]!), key).toBeLessThanOrEqual(TOLERANCE);
  });
});
