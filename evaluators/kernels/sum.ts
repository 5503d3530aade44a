/**
 * Sum and Mean over the leading axes (every bias gradient: dy summed over batch and space;
 * batch norm's moments in training) in simd/kernels.c; wasm's own Sum reduces one element
 * at a time, and its Mean transposes first. Other reductions return null and keep the
 * backend's kernel.
 */
import type { Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

export interface SumAttrs { axis: number | number[]; keepDims: boolean }

export function sumLeadingAxes(calls: KernelCalls, inputs: { x: Info }, attrs: SumAttrs, mean = false): Info | null {
  const { x } = inputs;
  const rank = x.shape.length;
  const axes = (Array.isArray(attrs.axis) ? attrs.axis : [attrs.axis]).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
  const leading = rank >= 2 && axes.length === rank - 1 && axes.every((a, i) => a === i);
  if (!leading || x.dtype !== 'float32') return null;
  const cols = x.shape[rank - 1]!;
  const rows = x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const out = calls.allocate(attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols]);
  simdKernelsFor(calls.backend).sum_rows(addressOf(calls.backend, x), addressOf(calls.backend, out), rows, cols);
  if (mean) {
    const values = calls.view(out);
    for (let c = 0; c < cols; c++) values[c] = values[c]! / rows;
  }
  return out;
}
