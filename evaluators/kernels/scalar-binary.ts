/**
 * Binary ops of a tensor with a single value (minimum(6, x), x * 0.5, x > 0) for wasm,
 * whose binary kernels broadcast through a per-element index path: relu6 (a minimum with
 * 6) and its gradient's comparisons took a quarter of a mobile-cnn inference and a tenth of
 * its training step. One SIMD pass in simd/kernels.c; anything else (two full tensors,
 * other broadcasts, small or non-float tensors) keeps the backend's kernel.
 */
import type { HeapBackend, Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

const ARITHMETIC = ['Add', 'Sub', 'Multiply', 'RealDiv', 'Minimum', 'Maximum'] as const;
const COMPARISONS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual'] as const;
export type ScalarOp = typeof ARITHMETIC[number] | typeof COMPARISONS[number];
export const SCALAR_OPS: readonly ScalarOp[] = [...ARITHMETIC, ...COMPARISONS];

/** Below this many elements the backend's kernel is as quick. */
const MIN_SIZE = 4096;

const size = (info: Info) => info.shape.reduce((p, d) => p * d, 1);

export function scalarBinary(op: ScalarOp, calls: KernelCalls, inputs: { a: Info; b: Info }): Info | null {
  const { a, b } = inputs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const scalarFirst = size(a) === 1 && size(b) >= MIN_SIZE;
  if (!scalarFirst && !(size(b) === 1 && size(a) >= MIN_SIZE)) return null;
  const [x, scalar] = scalarFirst ? [b, a] : [a, b];
  // A scalar of higher rank ([1, 1] with [n]) adds leading axes to the result, as broadcasting does.
  const shape = scalar.shape.length > x.shape.length ? [...scalar.shape.slice(0, scalar.shape.length - x.shape.length), ...x.shape] : x.shape;
  const backend = calls.backend as HeapBackend;
  const comparison = (COMPARISONS as readonly string[]).indexOf(op);
  const out = comparison >= 0 ? backend.makeOutput(shape, 'bool') : calls.allocate(shape);
  const s = calls.view(scalar)[0]!;
  const kernels = simdKernelsFor(backend), flag = scalarFirst ? 1 : 0;
  const [xAt, outAt] = [addressOf(backend, x), addressOf(backend, out)];
  if (comparison >= 0) kernels.scalar_compare(comparison, xAt, s, outAt, size(x), flag);
  else kernels.scalar_op((ARITHMETIC as readonly string[]).indexOf(op), xAt, s, outAt, size(x), flag);
  return out;
}
