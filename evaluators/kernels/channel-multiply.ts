/**
 * Multiply for wasm when one operand is a per-channel vector broadcast over every leading
 * axis (x[..., c] * s[c]: batch norm's scale and its gradient), as one SIMD scale-and-shift
 * pass with a zero shift; wasm's Multiply broadcasts per element. Everything else returns
 * null and keeps the backend's kernel.
 */
import type { Info, KernelCalls } from './kernel-calls.js';
import { scaleShiftChannels } from './scale-shift.js';

const channelVector = (v: Info, cols: number, rank: number) =>
  v.shape.length >= 1 && v.shape.length <= rank && v.shape[v.shape.length - 1] === cols && v.shape.slice(0, -1).every((d) => d === 1);

export function multiplyChannels(calls: KernelCalls, inputs: { a: Info; b: Info }): Info | null {
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  // Either operand may be the vector (multiplication commutes).
  const [x, v] = a.shape.length >= 2 && channelVector(b, a.shape.at(-1)!, a.shape.length) ? [a, b]
    : b.shape.length >= 2 && channelVector(a, b.shape.at(-1)!, b.shape.length) ? [b, a] : [null, null];
  if (x === null || v === null || x.shape.every((d, i) => d === 1 || i === x.shape.length - 1)) return null;
  return scaleShiftChannels(calls, x, (folded, channels) => {
    folded.set(calls.view(v).subarray(0, channels));
    folded.fill(0, channels);
  });
}
