/**
 * BatchMatMul for wasm. The backend reaches XNNPACK's GEMM only when neither operand is
 * transposed (~8 GFLOP/s there, as XNNPACK repacks B on every new tensor) and a scalar
 * loop otherwise (~1.4 GFLOP/s), which is what every dense layer's backward pass asks for.
 * All float32 products run instead as A^T.B in simd/kernels.c (~20 GFLOP/s), reading A^T
 * and B in place; the layouts that kernel cannot read directly cost one transpose of the
 * smaller operand (the batch of activations, or the weights).
 */
import type { Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

export interface BatchMatMulAttrs { transposeA: boolean; transposeB: boolean }

function swapLastTwo(calls: KernelCalls, x: Info): Info {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return calls.transpose(x, perm);
}

function batchOf(x: Info): number {
  return x.shape.slice(0, -2).reduce((p, d) => p * d, 1);
}

export function batchMatMul(calls: KernelCalls, inputs: { a: Info; b: Info }, attrs: BatchMatMulAttrs): Info | null {
  const { a, b } = inputs;
  const batch = batchOf(a);
  if (batch !== batchOf(b) || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  // The kernel wants A as [K x M] (that is, A^T) and B as [K x N], both row-major.
  const aT = attrs.transposeA ? a : swapLastTwo(calls, a);
  const bKN = attrs.transposeB ? swapLastTwo(calls, b) : b;
  const k = aT.shape[aT.shape.length - 2]!, m = aT.shape[aT.shape.length - 1]!, n = bKN.shape[bKN.shape.length - 1]!;
  const out = calls.allocate([...a.shape.slice(0, -2), m, n]);
  calls.view(out).fill(0);
  const simd = simdKernelsFor(calls.backend);
  const pa = addressOf(calls.backend, aT), pb = addressOf(calls.backend, bKN), pc = addressOf(calls.backend, out);
  for (let i = 0; i < batch; i++) simd.gemm_atb(pa + 4 * i * k * m, pb + 4 * i * k * n, pc + 4 * i * m * n, m, n, k);
  if (aT !== a) calls.free(aT);
  if (bKN !== b) calls.free(bKN);
  return out;
}
