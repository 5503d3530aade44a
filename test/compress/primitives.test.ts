import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { clusterWeights } from '../../evaluators/compress/cluster.js';
import { lowRankFactor, svd } from '../../evaluators/compress/low-rank.js';
import { applyMask, magnitudeMask, polynomialSparsity } from '../../evaluators/compress/magnitude-prune.js';
import { quantizeWeights, toFloat16AndBack } from '../../evaluators/compress/quantize.js';

const randomWeights = (n: number, seed: number) => { const rng = new Rng(seed); return Float32Array.from({ length: n }, () => rng.normal() * 0.1); };

describe('magnitude pruning', () => {
  it('keeps exactly the largest (1 - sparsity) share', () => {
    const w = randomWeights(10_000, 1);
    const pruned = applyMask(w, magnitudeMask(w, 0.9));
    expect(pruned.filter((v) => v !== 0).length).toBe(1000);
    const smallestKept = Math.min(...Array.from(pruned).filter((v) => v !== 0).map(Math.abs));
    const largestDropped = Math.max(...Array.from(w).filter((_, i) => pruned[i] === 0).map(Math.abs));
    expect(smallestKept).toBeGreaterThanOrEqual(largestDropped);
  });
  it('follows TF-MOT polynomial decay (power 3)', () => {
    const s = { initialSparsity: 0, finalSparsity: 0.9, beginStep: 0, endStep: 100 };
    expect(polynomialSparsity(0, s)).toBe(0);
    expect(polynomialSparsity(50, s)).toBeCloseTo(0.9 - 0.9 * 0.5 ** 3);
    expect(polynomialSparsity(100, s)).toBe(0.9);
    expect(polynomialSparsity(500, s)).toBe(0.9);
  });
});

describe('quantization', () => {
  // Pruned zeros are stored through the sparse index, not the value code: count nonzeros.
  it.each([8, 4, 3, 2, 1])('%i-bit per-channel weights take at most 2^bits distinct nonzero values per channel, and zeros stay zero', (bits) => {
    const w = randomWeights(64 * 16, 2);
    w[5] = 0;
    const q = quantizeWeights(w, [64, 16], bits, 'per-channel');
    for (let c = 0; c < 16; c++) {
      const values = new Set(Array.from(q.values).filter((v, i) => i % 16 === c && v !== 0));
      expect(values.size).toBeLessThanOrEqual(2 ** bits);
    }
    expect(q.values[5]).toBe(0);
    expect(q.scales.length).toBe(16);
  });
  it('8-bit per-tensor error is at most half a step', () => {
    const w = randomWeights(5000, 3);
    const q = quantizeWeights(w, [5000], 8, 'per-tensor');
    const step = q.scales[0]!;
    expect(Math.max(...Array.from(w, (v, i) => Math.abs(v - q.values[i]!)))).toBeLessThanOrEqual(step / 2 + 1e-9);
  });
  it('rounds to float16 exactly', () => {
    expect(toFloat16AndBack(1)).toBe(1);
    expect(toFloat16AndBack(1 + 2 ** -11)).toBe(1); // halfway, ties to even
    expect(toFloat16AndBack(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(toFloat16AndBack(65520)).toBe(Infinity);
    expect(toFloat16AndBack(2 ** -24)).toBe(2 ** -24);
    expect(toFloat16AndBack(-0.1)).toBeCloseTo(-0.0999755859375, 12);
  });
});

describe('clustering', () => {
  it('leaves at most k distinct nonzero values, keeps zeros, and is deterministic', () => {
    const w = randomWeights(266_000, 4);
    for (let i = 0; i < w.length; i += 3) w[i] = 0;
    const a = clusterWeights(w, 32);
    expect(new Set(Array.from(a.values).filter((v) => v !== 0)).size).toBeLessThanOrEqual(32);
    expect(Array.from(a.values).every((v, i) => (w[i] === 0) === (v === 0))).toBe(true);
    expect(clusterWeights(w, 32).values).toEqual(a.values);
    // Each weight maps to its nearest centroid.
    for (let i = 1; i < 2000; i += 7) {
      const nearest = a.centroids.reduce((best, c) => (Math.abs(w[i]! - c) < Math.abs(w[i]! - best) ? c : best), a.centroids[0]!);
      if (w[i] !== 0) expect(Math.abs(w[i]! - a.values[i]!)).toBeCloseTo(Math.abs(w[i]! - nearest), 6);
    }
  });
});

describe('low-rank factorization', () => {
  it('reconstructs a rank-3 matrix exactly at rank 3', () => {
    const rng = new Rng(5);
    const rows = 40, cols = 25, rank = 3;
    const x = Array.from({ length: rows * rank }, () => rng.normal()), y = Array.from({ length: rank * cols }, () => rng.normal());
    const m = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) for (let k = 0; k < rank; k++) m[r * cols + c]! += x[r * rank + k]! * y[k * cols + c]!;
    for (const [R, C, M] of [[rows, cols, m]] as const) {
      const { a, b } = lowRankFactor(M, R, C, rank);
      for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) {
        let s = 0;
        for (let k = 0; k < rank; k++) s += a[r * rank + k]! * b[k * C + c]!;
        expect(s).toBeCloseTo(M[r * C + c]!, 3);
      }
    }
  });
  it('leaves exactly the tail singular values as error (Eckart-Young), also for wide matrices', () => {
    const rows = 20, cols = 30, w = randomWeights(rows * cols, 6);
    const t = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
    const { s } = svd(t, cols, rows);
    const { a, b } = lowRankFactor(w, rows, cols, 5);
    let err = 0;
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) {
      let v = 0;
      for (let k = 0; k < 5; k++) v += a[r * 5 + k]! * b[k * cols + c]!;
      err += (v - w[r * cols + c]!) ** 2;
    }
    const tail = Array.from(s).slice(5).reduce((acc, x) => acc + x * x, 0);
    expect(err).toBeCloseTo(tail, 4);
  });
});
