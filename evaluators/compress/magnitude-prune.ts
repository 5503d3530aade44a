/**
 * Unstructured magnitude pruning (Han et al. 2015; TF-MOT's prune_low_magnitude): keep
 * the largest-magnitude weights, zero the rest, ramping the sparsity up during
 * fine-tuning on TF-MOT's polynomial-decay schedule.
 */

/** 1 for the round((1 - sparsity) * n) largest |w| (ties broken by lower index), 0 elsewhere. */
export function magnitudeMask(weights: Float32Array, sparsity: number): Uint8Array {
  const n = weights.length;
  const keep = Math.max(0, Math.min(n, Math.round((1 - sparsity) * n)));
  const mask = new Uint8Array(n);
  if (keep === n) return mask.fill(1);
  if (keep === 0) return mask;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => Math.abs(weights[b]!) - Math.abs(weights[a]!) || a - b);
  for (let i = 0; i < keep; i++) mask[order[i]!] = 1;
  return mask;
}

export function applyMask(weights: Float32Array, mask: Uint8Array): Float32Array {
  const out = new Float32Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = mask[i] ? weights[i]! : 0;
  return out;
}

export interface PolynomialDecay { initialSparsity: number; finalSparsity: number; beginStep: number; endStep: number; power?: number }

/**
 * TF-MOT's PolynomialDecay: s(t) = s_f + (s_i - s_f) * (1 - (t - t0) / (t1 - t0))^p for
 * t in [t0, t1] (p = 3 by default), s_i before and s_f after, so most pruning happens
 * early while the network can still recover.
 */
export function polynomialSparsity(step: number, schedule: PolynomialDecay): number {
  const { initialSparsity: si, finalSparsity: sf, beginStep: t0, endStep: t1, power = 3 } = schedule;
  if (step <= t0) return si;
  if (step >= t1) return sf;
  return sf + (si - sf) * (1 - (step - t0) / (t1 - t0)) ** power;
}

export type SparsityAllocation = 'uniform' | 'erk';

/**
 * Per-layer sparsities. 'uniform' gives every layer the same sparsity (TF-MOT's default:
 * each layer keeps round((1 - sparsity) * size)), except layers too small to matter; 'erk' (Erdős–Rényi-Kernel, Evci et al.
 * 2020, RigL) keeps a layer's density proportional to sum(shape) / prod(shape), so small,
 * sensitive layers (a 100x10 classifier, depthwise kernels) stay dense while the big ones
 * take the cut, which is what Deep Compression's hand-tuned per-layer rates do; its kept
 * weights add up to exactly round((1 - sparsity) * total).
 */
export function layerSparsities(shapes: number[][], sparsity: number, allocation: SparsityAllocation): number[] {
  const sizes = shapes.map((s) => s.reduce((p, d) => p * d, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  // Layers under 1% of the weights (a first conv's 144 weights, a 10-way classifier) save
  // nothing worth their accuracy: uniform pruning leaves them dense, as TF-MOT's guide does.
  if (allocation === 'uniform') return sizes.map((n) => (n < 0.01 * total ? 0 : sparsity));
  const keepTotal = Math.round((1 - sparsity) * total);
  let density: number[];
  {
    const score = shapes.map((s, i) => s.reduce((a, d) => a + d, 0) / sizes[i]!);
    const dense = new Set<number>();
    // Layers whose density would exceed 1 are kept whole; the rest share what is left.
    for (;;) {
      const budget = keepTotal - [...dense].reduce((a, i) => a + sizes[i]!, 0);
      const weighted = score.reduce((a, s, i) => a + (dense.has(i) ? 0 : s * sizes[i]!), 0);
      const epsilon = weighted > 0 ? budget / weighted : 0;
      const over = score.findIndex((s, i) => !dense.has(i) && s * epsilon > 1);
      if (over < 0) { density = score.map((s, i) => (dense.has(i) ? 1 : s * epsilon)); break; }
      dense.add(over);
    }
  }
  // Round to whole weights, handing leftover weights to the largest remainders so the total is exact.
  const exact = density.map((d, i) => Math.min(1, Math.max(0, d)) * sizes[i]!);
  const keep = exact.map(Math.floor);
  let left = keepTotal - keep.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => i).sort((a, b) => (exact[b]! - keep[b]!) - (exact[a]! - keep[a]!) || a - b);
  for (const i of order) { if (left <= 0) break; if (keep[i]! < sizes[i]!) { keep[i]!++; left--; } }
  return keep.map((k, i) => (sizes[i]! === 0 ? 0 : 1 - k / sizes[i]!));
}
