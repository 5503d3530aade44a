/**
 * Calibration: fits a profile's per-kind efficiencies and per-kernel overhead to measured
 * latencies. With the memory roof folded into the efficiencies (bandwidth left out), the
 * roofline's latency is linear in 1/efficiency per layer kind and in the overhead:
 *
 *   latency = sum over kinds of (ops at peak) / efficiency + kernels of that kind x its overhead
 *
 * so the fit is a non-negative least squares on those features with each row divided by
 * its measurement (relative error, which is what a latency budget cares about).
 */
import type { ModelSpec } from '../spaces/model-spec.js';
import { LAYER_KINDS, type LayerKind, type Profile } from './profile.js';
import { createCostModel } from './roofline.js';

export interface Measurement { spec: ModelSpec; latencyMs: number }
export interface Calibration { profile: Profile; parameters: string[]; trainingMape: number }

/** Per-kind milliseconds at 100% efficiency with no overhead or memory roof, and the kernel count. */
export function latencyFeatures(base: Profile): (spec: ModelSpec) => { perKind: Record<LayerKind, number>; kernels: Record<LayerKind, number> } {
  const ideal = createCostModel({
    ...base, overheadSec: 0, overheadPerKindSec: {}, memory: { ...base.memory, bandwidthBytesPerSec: null },
    efficiency: Object.fromEntries(LAYER_KINDS.map((k) => [k, 1])) as Profile['efficiency'],
  });
  return (spec) => {
    const perKind = Object.fromEntries(LAYER_KINDS.map((k) => [k, 0])) as Record<LayerKind, number>;
    const kernels = Object.fromEntries(LAYER_KINDS.map((k) => [k, 0])) as Record<LayerKind, number>;
    for (const l of ideal.estimateDetailed(spec).layers) { perKind[l.kind] += l.latencyMs; kernels[l.kind]++; }
    return { perKind, kernels };
  };
}

/** Solves G x = h restricted to `active` (Gaussian elimination with partial pivoting); null when singular. */
function solveSubset(g: number[][], h: number[], active: number[]): number[] | null {
  const n = active.length;
  const a = active.map((i) => [...active.map((j) => g[i]![j]!), h[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    if (Math.abs(a[pivot]![c]!) < 1e-12 * Math.max(1, Math.abs(g[active[c]!]![active[c]!]!))) return null;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return a.map((row, i) => row[n]! / row[i]!);
}

/**
 * Non-negative least squares, exactly: with a handful of unknowns every subset of free
 * variables is solved unconstrained and the best non-negative solution wins (the optimum
 * is the unconstrained optimum of its own support).
 */
export function nnls(rows: number[][], targets: number[]): number[] {
  const m = rows[0]!.length;
  if (m > 12) throw new RangeError('nnls: at most 12 unknowns');
  const g = Array.from({ length: m }, () => new Array<number>(m).fill(0)), h = new Array<number>(m).fill(0);
  let tt = 0;
  rows.forEach((r, i) => {
    tt += targets[i]! ** 2;
    for (let a = 0; a < m; a++) { h[a]! += r[a]! * targets[i]!; for (let b = 0; b < m; b++) g[a]![b]! += r[a]! * r[b]!; }
  });
  // ||Ax - t||^2 = x'Gx - 2h'x + t't
  const objective = (x: number[]) => {
    let v = tt;
    for (let a = 0; a < m; a++) { v -= 2 * h[a]! * x[a]!; for (let b = 0; b < m; b++) v += x[a]! * g[a]![b]! * x[b]!; }
    return v;
  };
  let best = new Array<number>(m).fill(0), bestValue = objective(best);
  for (let mask = 1; mask < 1 << m; mask++) {
    const active = [...Array(m).keys()].filter((i) => mask & (1 << i));
    const solution = solveSubset(g, h, active);
    if (solution === null || solution.some((v) => v < 0)) continue;
    const x = new Array<number>(m).fill(0);
    active.forEach((i, k) => { x[i] = solution[k]!; });
    const value = objective(x);
    if (value < bestValue) { best = x; bestValue = value; }
  }
  return best;
}

export function calibrateProfile(base: Profile, measurements: readonly Measurement[], id = `${base.id}-calibrated`): Calibration {
  const features = latencyFeatures(base);
  const rows = measurements.map((m) => features(m.spec));
  const kinds = LAYER_KINDS.filter((k) => rows.some((r) => r.perKind[k] > 0));
  const launched = LAYER_KINDS.filter((k) => rows.some((r) => r.kernels[k] > 0));
  const parameters = [...kinds.map((k) => `efficiency.${k}`), ...launched.map((k) => `overheadPerKind.${k}`)];
  if (measurements.length < parameters.length) {
    throw new Error(`calibration needs at least ${parameters.length} measurements (it fits ${parameters.join(', ')}), got ${measurements.length}`);
  }
  const matrix = rows.map((r, i) => [...kinds.map((k) => r.perKind[k]), ...launched.map((k) => r.kernels[k])].map((v) => v / measurements[i]!.latencyMs));
  const x = nnls(matrix, measurements.map(() => 1));
  // x[k] = 1 / efficiency; above 100% means the base peak is too low: raise the peak instead.
  // A kind the fit finds free (x = 0) gets efficiency 1 at a peak raised 1000x further, so it
  // costs a thousandth of its ideal time: as free as a roofline can say.
  const efficiency = { ...base.efficiency };
  const fitted = kinds.map((_, i) => x[i]!).filter((v) => v > 0);
  const anyFree = fitted.length < kinds.length;
  const scale = Math.max(1, ...fitted.map((v) => 1 / v)) * (anyFree ? 1000 : 1);
  kinds.forEach((k, i) => { efficiency[k] = x[i]! > 0 ? 1 / x[i]! / scale : 1; });
  const peakOpsPerSec = Object.fromEntries(Object.entries(base.peakOpsPerSec).map(([p, v]) => [p, v! * scale]));
  const overheads = launched.map((_, i) => x[kinds.length + i]! / 1000);
  const overheadPerKindSec = Object.fromEntries(launched.map((k, i) => [k, overheads[i]!]));
  const profile: Profile = {
    ...base, id, peakOpsPerSec, efficiency, overheadSec: overheads.length > 0 ? Math.min(...overheads) : base.overheadSec, overheadPerKindSec,
    memory: { ...base.memory, bandwidthBytesPerSec: null },
    estimates: [...new Set([...base.estimates, ...parameters, ...(scale > 1 ? ['peak'] : []), 'memory.bandwidth'])],
    sources: [...base.sources, `calibrated on ${measurements.length} measured latencies (${parameters.join(', ')} fitted; memory roof folded into efficiencies)`],
  };
  const model = createCostModel(profile);
  const trainingMape = measurements.reduce((s, m) => s + Math.abs(model.estimate(m.spec).latencyMs - m.latencyMs) / m.latencyMs, 0) / measurements.length;
  return { profile, parameters, trainingMape };
}
