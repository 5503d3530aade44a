/**
 * Calibration: fits a profile's per-kind efficiencies, per-kind kernel overheads and
 * invoke overhead to measured latencies. With the memory roof folded into the
 * efficiencies (bandwidths left out), the roofline's latency is linear in those unknowns:
 *
 *   latency = invoke + sum over kinds of (ops at peak) / efficiency + kernels x overhead
 *
 * so the fit is a non-negative least squares on those features, each row divided by its
 * measurement. Why relative error rather than log latency: the model is linear in the
 * unknowns only on the latency scale, and dividing by the measurement weighs a 0.1 ms and
 * a 10 ms model alike, as a log fit would, while keeping the exact, non-negative linear
 * solve; a latency budget cares about relative error too.
 *
 * The runtime's graph rules (constant folding, whether x * 0 runs, layer fusion) change
 * which kernels exist, so each combination is fitted and the one that fits the
 * measurements best is kept: a choice made on the calibration data alone.
 */
import type { ModelSpec } from '../spaces/model-spec.js';
import type { ExecutionRules } from './execution.js';
import { nnlsFit } from './nnls.js';
import { FOLDING, FUSION, LAYER_KINDS, type LayerKind, type Profile } from './profile.js';
import { createCostModel } from './roofline.js';

export interface Measurement { spec: ModelSpec; latencyMs: number }
type GraphRules = ExecutionRules;
export interface Calibration {
  profile: Profile;
  /** What was fitted, e.g. efficiency.conv2d, overheadPerKind.pool, invokeOverhead. */
  parameters: string[];
  trainingMape: number;
  rules: GraphRules;
}
/** Fewer measurements than the fit has parameters (under every graph rule tried). */
export class TooFewMeasurementsError extends Error {
  override readonly name = 'TooFewMeasurementsError';
  constructor(readonly needed: number, readonly given: number, parameters: readonly string[]) {
    super(`calibration needs at least ${needed} measurements (it fits ${parameters.join(', ')}), got ${given}`);
  }
}

export interface CalibrationOptions {
  /** Also try the other graph rules (default true); false keeps the base profile's. */
  searchRules?: boolean;
}

const K = LAYER_KINDS.length;

function ruleVariants(base: Profile, search: boolean): GraphRules[] {
  const own: GraphRules = { folding: base.native.folding, zeros: base.native.zeros, fusion: base.native.fusion };
  if (!search) return [own];
  const all: GraphRules[] = [own];
  for (const folding of FOLDING) {
    for (const zeros of ['constant', 'kernel'] as const) {
      if (folding === 'full' && zeros === 'kernel') continue;
      for (const fusion of FUSION) {
        if (!all.some((r) => r.folding === folding && r.zeros === zeros && r.fusion === fusion)) all.push({ folding, zeros, fusion });
      }
    }
  }
  return all;
}

interface Design { kinds: LayerKind[]; launched: LayerKind[]; rows: number[][]; parameters: string[] }

/** Per measurement: seconds at 100% efficiency per kind, kernels per kind, and 1 for the invoke overhead. */
function design(base: Profile, rules: GraphRules, measurements: readonly Measurement[]): Design {
  const ideal = createCostModel({
    ...base, native: { ...base.native, ...rules }, overheadSec: 0, overheadPerKindSec: {}, invokeOverheadSec: 0,
    memory: { ...base.memory, bandwidthBytesPerSec: null, sramBandwidthBytesPerSec: null, flashBandwidthBytesPerSec: null },
    efficiency: Object.fromEntries(LAYER_KINDS.map((k) => [k, 1])) as Profile['efficiency'],
  });
  const raw = measurements.map((m) => {
    const f = { computeSec: new Float64Array(K), kernels: new Float64Array(K) };
    ideal.features(m.spec, f);
    return f;
  });
  const kinds = LAYER_KINDS.filter((_, k) => raw.some((f) => f.computeSec[k]! > 0));
  const launched = LAYER_KINDS.filter((_, k) => raw.some((f) => f.kernels[k]! > 0));
  const rows = raw.map((f) => [...kinds.map((k) => f.computeSec[LAYER_KINDS.indexOf(k)]! * 1000), ...launched.map((k) => f.kernels[LAYER_KINDS.indexOf(k)]!), 1]);
  return { kinds, launched, rows, parameters: [...kinds.map((k) => `efficiency.${k}`), ...launched.map((k) => `overheadPerKind.${k}`), 'invokeOverhead'] };
}

export function calibrateProfile(base: Profile, measurements: readonly Measurement[], id = `${base.id}-calibrated`, options: CalibrationOptions = {}): Calibration {
  // The fit weighs each row by 1 / latency: a zero or missing one would poison every rule's residual.
  measurements.forEach((m, i) => {
    if (!(m.latencyMs > 0 && Number.isFinite(m.latencyMs))) throw new Error(`measurement ${i + 1} has latency ${m.latencyMs} ms: calibration needs positive measured latencies`);
  });
  const searched = options.searchRules ?? true;
  const variants = ruleVariants(base, searched);
  let best: { rules: GraphRules; design: Design; x: number[]; residual: number } | null = null;
  let smallest: Design | null = null;
  for (const rules of variants) {
    const d = design(base, rules, measurements);
    if (measurements.length < d.parameters.length) {
      if (smallest === null || d.parameters.length < smallest.parameters.length) smallest = d;
      continue;
    }
    const fit = nnlsFit(d.rows.map((r, i) => r.map((v) => v / measurements[i]!.latencyMs)), measurements.map(() => 1));
    // Strictly better only: ties keep the base profile's own rules, which come first.
    if (best === null || fit.residual < best.residual * (1 - 1e-9)) best = { rules, design: d, x: fit.x, residual: fit.residual };
  }
  if (best === null) throw new TooFewMeasurementsError(smallest!.parameters.length, measurements.length, smallest!.parameters);
  const { rules, design: d, x } = best;

  // x[k] = ms per ms-at-peak = 1 / efficiency; above 100% means the base peak is too low: raise the peak.
  // A kind the fit finds free (x = 0) gets efficiency 1 at a peak raised 1000x further, so it
  // costs a thousandth of its ideal time: as free as a roofline can say.
  const fitted = d.kinds.map((_, i) => x[i]!).filter((v) => v > 0);
  const anyFree = fitted.length < d.kinds.length;
  const scale = Math.max(1, ...fitted.map((v) => 1 / v)) * (anyFree ? 1000 : 1);
  const efficiency = { ...base.efficiency };
  d.kinds.forEach((k, i) => { efficiency[k] = x[i]! > 0 ? Math.min(1, 1 / x[i]! / scale) : 1; });
  const overheadPerKindSec = Object.fromEntries(d.launched.map((k, i) => [k, x[d.kinds.length + i]! / 1000]));
  const overheads = Object.values(overheadPerKindSec);
  const profile: Profile = {
    ...base, id,
    peakOpsPerSec: Object.fromEntries(Object.entries(base.peakOpsPerSec).map(([p, v]) => [p, v! * scale])),
    native: { ...base.native, ...rules },
    efficiency, overheadPerKindSec, overheadSec: overheads.length > 0 ? Math.min(...overheads) : base.overheadSec,
    invokeOverheadSec: x[x.length - 1]! / 1000,
    memory: { ...base.memory, bandwidthBytesPerSec: null, sramBandwidthBytesPerSec: null, flashBandwidthBytesPerSec: null },
    estimates: [...new Set([...base.estimates, ...d.parameters, ...(scale > 1 ? ['peak'] : []), 'memory.bandwidth', ...(searched ? ['native.folding', 'native.zeros', 'native.fusion'] : [])])],
    sources: [...base.sources, `calibrated on ${measurements.length} measured latencies (${d.parameters.join(', ')} fitted; `
      + `graph rules folding=${rules.folding}, zeros=${rules.zeros}, fusion=${rules.fusion} ${searched ? 'chosen by fit' : 'as given'}; memory roof folded into efficiencies)`],
  };
  const model = createCostModel(profile);
  const trainingMape = measurements.reduce((s, m) => s + Math.abs(model.estimate(m.spec).latencyMs - m.latencyMs) / m.latencyMs, 0) / measurements.length;
  return { profile, parameters: d.parameters, trainingMape, rules };
}
