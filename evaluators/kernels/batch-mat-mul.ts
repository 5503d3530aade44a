/**
 * BatchMatMul for wasm: the backend's kernel reaches XNNPACK's fast GEMM only when
 * neither operand is transposed and falls to a slow loop otherwise (~1.4 GFLOP/s),
 * which is exactly what every dense layer's backward pass asks for.
 * - A^T.B (the weight gradient X^T.dY) runs in simd/kernels.c, reading both operands
 *   in place: XNNPACK would first repack B, which changes every step.
 * - A.B^T (the input gradient dY.W^T) transposes B explicitly, one copy of the weights,
 *   and takes XNNPACK's fast path.
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

export function batchMatMul(calls: KernelCalls, inputs: { a: Info; b: Info }, attrs: BatchMatMulAttrs): Info {
  const { a, b } = inputs;
  const batchA = batchOf(a), batchB = batchOf(b);
  if (attrs.transposeA && !attrs.transposeB && batchA === batchB && a.dtype === 'float32' && b.dtype === 'float32') {
    const k = a.shape[a.shape.length - 2]!, m = a.shape[a.shape.length - 1]!, n = b.shape[b.shape.length - 1]!;
    const out = calls.allocate([...a.shape.slice(0, -2), m, n]);
    calls.view(out).fill(0);
    const simd = simdKernelsFor(calls.backend);
    const pa = addressOf(calls.backend, a), pb = addressOf(calls.backend, b), pc = addressOf(calls.backend, out);
    for (let i = 0; i < batchA; i++) simd.gemm_atb(pa + 4 * i * k * m, pb + 4 * i * k * n, pc + 4 * i * m * n, m, n, k);
    return out;
  }
  const ta = attrs.transposeA ? swapLastTwo(calls, a) : a;
  const tb = attrs.transposeB ? swapLastTwo(calls, b) : b;
  const out = calls.run('BatchMatMul', { a: ta, b: tb }, { transposeA: false, transposeB: false });
  if (ta !== a) calls.free(ta);
  if (tb !== b) calls.free(tb);
  return out;
}
