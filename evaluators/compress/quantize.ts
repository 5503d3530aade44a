/**
 * Uniform weight quantization to 1..16 bits (or float16), per tensor or per output
 * channel (the last axis of channelShape), as fake quantization: values are snapped to the grid and kept
 * as float32, which is what post-training quantization evaluates and quantization-aware
 * training trains through.
 * - 16 bits: IEEE float16 round trip.
 * - 2..15 bits: symmetric signed integers in [-(2^(b-1) - 1), 2^(b-1) - 1] times a scale of
 *   max|w| / (2^(b-1) - 1) (so 2 bits is ternary {-s, 0, s}, as TTQ/TWN use).
 * - 1 bit: sign(w) times the mean |w| (XNOR-Net's binary weights).
 * Zeros stay exactly zero at every width, so quantizing never undoes pruning.
 */
import { toFloat16AndBack } from './float16.js';

export { toFloat16AndBack };

export type Granularity = 'per-tensor' | 'per-channel';

export interface QuantizedTensor {
  /** The dequantized values (float32 on the grid). */
  values: Float32Array;
  /** One scale per group (1 per tensor, or 1 per output channel). */
  scales: Float32Array;
  bits: number;
}

/**
 * The shape whose last axis is a kernel's output channels, which per-channel quantization
 * scales one by one and the codec stores a scale for: a depthwise kernel [kh, kw, in,
 * multiplier] has in x multiplier of them (as TF-MOT quantizes it); other kernels, their
 * last axis. Row-major order makes it a reshape: no value moves.
 */
export function channelShape(shape: readonly number[], layerClass: string): number[] {
  return layerClass === 'DepthwiseConv2D' && shape.length === 4 ? [shape[0]!, shape[1]!, shape[2]! * shape[3]!] : [...shape];
}

/** Group index of element i: 0 per tensor, its last-axis index per channel. */
function groups(length: number, channels: number, granularity: Granularity): { count: number; of: (i: number) => number } {
  return granularity === 'per-channel' && channels > 0 ? { count: channels, of: (i) => i % channels } : { count: 1, of: () => 0 };
}

export function quantizeWeights(weights: Float32Array, shape: number[], bits: number, granularity: Granularity): QuantizedTensor {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 32)) throw new RangeError(`bits must be an integer in 1..32, got ${bits}`);
  if (bits === 32) return { values: weights.slice(), scales: new Float32Array(0), bits };
  if (bits === 16) return { values: weights.map(toFloat16AndBack), scales: new Float32Array(0), bits };
  const channels = shape[shape.length - 1] ?? 1;
  const g = groups(weights.length, channels, granularity);
  const scales = new Float32Array(g.count);
  const values = new Float32Array(weights.length);
  if (bits === 1) {
    const sum = new Float64Array(g.count), count = new Float64Array(g.count);
    weights.forEach((w, i) => { if (w !== 0) { sum[g.of(i)]! += Math.abs(w); count[g.of(i)]!++; } });
    for (let k = 0; k < g.count; k++) scales[k] = count[k]! > 0 ? sum[k]! / count[k]! : 0;
    weights.forEach((w, i) => { values[i] = w === 0 ? 0 : Math.sign(w) * scales[g.of(i)]!; });
    return { values, scales, bits };
  }
  const levels = 2 ** (bits - 1) - 1;
  const maxAbs = new Float32Array(g.count);
  weights.forEach((w, i) => { const k = g.of(i); if (Math.abs(w) > maxAbs[k]!) maxAbs[k] = Math.abs(w); });
  for (let k = 0; k < g.count; k++) scales[k] = maxAbs[k]! / levels;
  weights.forEach((w, i) => {
    const s = scales[g.of(i)]!;
    const q = s === 0 ? 0 : Math.max(-levels, Math.min(levels, Math.round(w / s)));
    // q of -0 would store -0: keep zeros positive so they encode (and compare) as zero.
    values[i] = q === 0 ? 0 : q * s;
  });
  return { values, scales, bits };
}
