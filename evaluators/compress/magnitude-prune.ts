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
