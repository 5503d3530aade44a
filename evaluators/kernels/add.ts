/**
 * Add for wasm when the second operand is a bias broadcast over every leading axis
 * (x[..., c] + b[c]): wasm's Add handles any broadcast through a per-element index path.
 * Everything else returns null and keeps the backend's kernel.
 */
import type { Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

export function addBias(calls: KernelCalls, inputs: { a: Info; b: Info }): Info | null {
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2) return null;
  const cols = a.shape[a.shape.length - 1]!;
  const biasLike = b.shape.length >= 1 && b.shape.length <= a.shape.length
    && b.shape[b.shape.length - 1] === cols && b.shape.slice(0, -1).every((d) => d === 1);
  if (!biasLike) return null;
  const rows = a.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const out = calls.allocate(a.shape);
  simdKernelsFor(calls.backend).add_bias(addressOf(calls.backend, a), addressOf(calls.backend, b), addressOf(calls.backend, out), rows, cols);
  return out;
}
