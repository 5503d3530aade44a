/**
 * Tile for wasm when what repeats is a contiguous block of at least 8 values. tfjs's
 * batch-norm gradient tiles a [1, 1, 1, C] tensor to [B, H, W, C] for every BN layer at
 * every step, and wasm's Tile computes every element's source index on its own: on a
 * mobile-cnn block at 28x28 that was half of the training time. Here whole blocks are
 * copied (and a block repeated end to end doubles by copyWithin). Other tilings keep the
 * backend's kernel.
 */
import type { Info, KernelCalls } from './kernel-calls.js';

export interface TileAttrs { reps: number[] }

const product = (dims: readonly number[]) => dims.reduce((p, d) => p * d, 1);

export function tileBlocks(calls: KernelCalls, inputs: { x: Info }, attrs: TileAttrs): Info | null {
  const { x } = inputs;
  const shape = x.shape, reps = attrs.reps, rank = shape.length;
  if (x.dtype !== 'float32' || reps.length !== rank) return null;
  // Axis k is the last one repeated; the axes after it form the block copied whole.
  let k = rank - 1;
  while (k >= 0 && reps[k] === 1) k--;
  const block = product(shape.slice(k + 1));
  if (k < 0 || block < 8) return null;
  const outShape = shape.map((d, i) => d * reps[i]!);
  const out = calls.allocate(outShape);
  const src = calls.view(x), dst = calls.view(out);
  const total = product(outShape);
  if (shape.slice(0, k + 1).every((d) => d === 1)) {
    // One block, repeated: copy it once, then double what is written.
    dst.set(src.subarray(0, block));
    for (let filled = block; filled < total;) {
      const n = Math.min(filled, total - filled);
      dst.copyWithin(filled, 0, n);
      filled += n;
    }
    return out;
  }
  // Output block o has, per axis i <= k, the digit o_i; its source block has o_i mod shape[i].
  const outer = outShape.slice(0, k + 1), srcStride = new Array<number>(k + 1);
  for (let i = k, s = 1; i >= 0; i--) { srcStride[i] = s; s *= shape[i]!; }
  const digits = new Array<number>(k + 1).fill(0);
  for (let o = 0, dstAt = 0; dstAt < total; o++, dstAt += block) {
    let from = 0;
    for (let i = 0; i <= k; i++) from += (digits[i]! % shape[i]!) * srcStride[i]!;
    dst.set(src.subarray(from * block, from * block + block), dstAt);
    for (let i = k; i >= 0; i--) { if (++digits[i]! < outer[i]!) break; digits[i] = 0; }
  }
  return out;
}
