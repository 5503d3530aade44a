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
import { efficiencyOf, FOLDING, FUSION, LAYER_KINDS, overheadOf, type LayerKind, type Profile } from './profile.js';
import { createCostModel } from './roofline.js';

export interface Measurement { spec: ModelSpec; latencyMs: number; energyMj?: number | null }
type GraphRules = ExecutionRules;
export interface Calibration {
  profile: Profile;
  /** What was fitted, e.g. efficiency.conv2d, overheadPerKind.pool, invokeOverhead. */
  parameters: string[];
  trainingMape: number;
  rules: GraphRules;
  /** Layer kinds no measured model runs: they keep the base profile's throughput and overhead, uncalibrated. */
  unmeasured: LayerKind[];
  /** When measurements carry energies: how many, and the fit's mean absolute percentage error on them. */
  energy: { n: number; trainingMape: number } | null;
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

interface Design { kinds: LayerKind[]; launched: LayerKind[]; rows: number[][]; parameters: string[]; energyPj: Array<[mac: number, bytes: number]> }

/** Per measurement: seconds at 100% efficiency per kind, kernels per kind, and 1 for the invoke overhead. */
function design(base: Profile, rules: GraphRules, measurements: readonly Measurement[]): Design {
  const ideal = createCostModel({
    ...base, native: { ...base.native, ...rules }, overheadSec: 0, overheadPerKindSec: {}, invokeOverheadSec: 0,
    memory: { ...base.memory, bandwidthBytesPerSec: null, sramBandwidthBytesPerSec: null, flashBandwidthBytesPerSec: null },
    efficiency: Object.fromEntries(LAYER_KINDS.map((k) => [k, 1])) as Profile['efficiency'],
  });
  const raw = measurements.map((m) => {
    const f = { computeSec: new Float64Array(K), kernels: new Float64Array(K), macPj: 0, bytePj: 0 };
    ideal.features(m.spec, f);
    return f;
  });
  const kinds = LAYER_KINDS.filter((_, k) => raw.some((f) => f.computeSec[k]! > 0));
  const launched = LAYER_KINDS.filter((_, k) => raw.some((f) => f.kernels[k]! > 0));
  const rows = raw.map((f) => [...kinds.map((k) => f.computeSec[LAYER_KINDS.indexOf(k)]! * 1000), ...launched.map((k) => f.kernels[LAYER_KINDS.indexOf(k)]!), 1]);
  return { kinds, launched, rows, parameters: [...kinds.map((k) => `efficiency.${k}`), ...launched.map((k) => `overheadPerKind.${k}`), 'invokeOverhead'],
    energyPj: raw.map((f) => [f.macPj, f.bytePj]) };
}

/**
 * The fewest measurements of these networks a calibration can fit: its parameter count
 * under the graph rules that need fewest. It depends on the networks alone, so a caller
 * that times them can refuse too few before timing any.
 */
export function measurementsNeeded(base: Profile, specs: readonly ModelSpec[], options: CalibrationOptions = {}): number {
  const untimed = specs.map((spec) => ({ spec, latencyMs: 1 }));
  return Math.min(...ruleVariants(base, options.searchRules ?? true).map((rules) => design(base, rules, untimed).parameters.length));
}

/**
 * Which kinds a kind shares its rate with when the measurements cannot tell them apart, nearest
 * first: the convolutions and matrix products, or the memory-bound elementwise passes.
 */
const KIN: Record<LayerKind, readonly LayerKind[]> = {
  conv2d: ['pointwise', 'depthwise', 'dense'], pointwise: ['conv2d', 'dense', 'depthwise'], depthwise: ['conv2d', 'pointwise'], dense: ['pointwise', 'conv2d'],
  pool: ['elementwise', 'activation', 'norm'], elementwise: ['activation', 'norm', 'pool'], activation: ['elementwise', 'norm', 'pool'],
  norm: ['elementwise', 'activation', 'pool'], zeros: ['elementwise', 'activation'], other: ['elementwise', 'activation'],
};

/**
 * A tie is one constraint on the fit; it is kept unless the measurements reject it: an F test
 * at 5% (F(1, n - p) ~ 3.84 for all but the smallest fits). With 80 local models that allows
 * ~6% more squared residual; with 3,125 of HW-NAS-Bench's it allows 0.1%. A fixed 5% there
 * tied NB201's cell sums to its ReLUs against the data (Pixel 3: 64% of held-out predictions
 * within 10%, 78% without the tie).
 */
const TIE_F_CRITICAL = 3.84;
/** Convolutions and matrix products: one without measured kin may share another's rate. */
const COMPUTE_KINDS: ReadonlySet<LayerKind> = new Set(['conv2d', 'pointwise', 'depthwise', 'dense']);

/**
 * Non-negative least squares on the design (columns: per-kind compute, then kernels, then
 * invoke). A kind whose compute comes out free is either free on the device (an activation a
 * kernel applies in passing) or one the measurements cannot tell apart from others that always
 * come with it (a pointwise conv is followed by batch norm and an activation, and the fit gave
 * its time to them; where it comes alone it was predicted free: stacks of 1x1 convs came out
 * 6-14x too fast, each conv thousands of times). So such a kind is made to share one rate
 * with its nearest measured kin (a convolution without one, with the most efficient fitted
 * convolution), and kept so unless the measurements reject the tie (TIE_F_CRITICAL);
 * otherwise the measurements say it is free. With no kin measured nothing
 * says either: it keeps the base profile's figures. `tied`: the kind columns that share
 * another's rate; `free`: those the measurements say are free.
 */
function fitCoefficients(rows: number[][], kinds: readonly LayerKind[]): { x: number[]; residual: number; tied: number[]; free: number[] } {
  const width = rows[0]?.length ?? 0;
  // Column c's coefficient is column owner[c]'s.
  const solve = (owner: number[]) => {
    const columns = owner.map((o, c) => (o === c ? c : -1)).filter((c) => c >= 0);
    const fit = nnlsFit(rows.map((r) => columns.map((f) => r.reduce((sum, v, c) => (owner[c] === f ? sum + v : sum), 0))), rows.map(() => 1));
    return { owner, x: owner.map((o) => fit.x[columns.indexOf(o)]!), residual: fit.residual, parameters: columns.length };
  };
  let best = solve(Array.from({ length: width }, (_, c) => c));
  const tried = new Set<number>(), free: number[] = [];
  for (;;) {
    const current = best;
    const c = current.owner.findIndex((o, j) => o === j && j < kinds.length && !(current.x[j]! > 0) && !tried.has(j));
    if (c < 0) return { x: current.x, residual: current.residual, tied: current.owner.flatMap((o, j) => (o !== j ? [j] : [])), free };
    tried.add(c);
    const fitted = (k: number) => k >= 0 && current.owner[k] === k && current.x[k]! > 0;
    const compute = COMPUTE_KINDS.has(kinds[c]!);
    // Its nearest measured kin; a convolution without one shares the most efficient fitted compute kind's rate.
    let kin = KIN[kinds[c]!].map((k) => kinds.indexOf(k)).find(fitted);
    if (kin === undefined && compute) {
      const rates = kinds.map((k, j) => (COMPUTE_KINDS.has(k) && fitted(j) ? j : -1)).filter((j) => j >= 0);
      kin = rates.length > 0 ? rates.reduce((a, b) => (current.x[a]! <= current.x[b]! ? a : b)) : undefined;
    }
    // No kin measured: nothing says the kind is free; it keeps the base profile's figures (as an unmeasured kind).
    if (kin === undefined) continue;
    const tie = solve(current.owner.map((o) => (o === c ? kin : o)));
    const freedom = Math.max(1, rows.length - current.parameters);
    if (tie.residual - current.residual <= TIE_F_CRITICAL * current.residual / freedom + 1e-12) best = tie;
    else free.push(c);
  }
}

const measuredEnergy = (m: Measurement): number | null => (m.energyMj !== undefined && m.energyMj !== null && m.energyMj > 0 ? m.energyMj : null);

/**
 * Energy is linear in the per-MAC and per-byte figures and in a static power drawn for the
 * whole latency, so measured energies fit three numbers (non-negative least squares on
 * relative error, as for latency): one factor for every MAC figure, one for every per-byte
 * figure (the table's ratios between precisions and memory levels stay, its scale becomes
 * the device's) and the static power, against the latencies the fitted profile predicts.
 * Measured devices are mostly the last: their energy is nearly their latency times a
 * constant power.
 */
function fitEnergy(base: Profile, d: Design, measurements: readonly Measurement[], latencyMs: readonly number[]): { energy: Profile['energy']; n: number } | null {
  const measured = measurements.flatMap((m, i) => {
    const mj = measuredEnergy(m);
    return mj === null ? [] : [{ pj: mj * 1e9, features: [...d.energyPj[i]!, latencyMs[i]! * 1e-3 * 1e12] }];
  });
  // Fewer rows than the three unknowns leave the base's figures as they are.
  if (measured.length < 3) return null;
  const { x: [macScale = 1, byteScale = 1, staticWatts = 0] } = nnlsFit(measured.map((m) => m.features.map((f) => f / m.pj)), measured.map(() => 1));
  const scaled = <T extends object>(o: T, by: number): T => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, (v as number) * by])) as T;
  return {
    n: measured.length,
    energy: {
      perMacPj: scaled(base.energy.perMacPj, macScale), perBytePj: scaled(base.energy.perBytePj, byteScale), staticWatts,
      source: `${base.energy.source}; fitted to ${measured.length} measured energies: MACs x ${macScale.toPrecision(3)}, bytes x ${byteScale.toPrecision(3)}, `
        + `static ${staticWatts.toPrecision(3)} W`,
    },
  };
}

export function calibrateProfile(base: Profile, measurements: readonly Measurement[], id = `${base.id}-calibrated`, options: CalibrationOptions = {}): Calibration {
  // The fit weighs each row by 1 / latency: a zero or missing one would poison every rule's residual.
  measurements.forEach((m, i) => {
    if (!(m.latencyMs > 0 && Number.isFinite(m.latencyMs))) throw new Error(`measurement ${i + 1} has latency ${m.latencyMs} ms: calibration needs positive measured latencies`);
  });
  const searched = options.searchRules ?? true;
  const variants = ruleVariants(base, searched);
  let best: { rules: GraphRules; design: Design; x: number[]; residual: number; tied: number[]; free: number[] } | null = null;
  let smallest: Design | null = null;
  for (const rules of variants) {
    const d = design(base, rules, measurements);
    if (measurements.length < d.parameters.length) {
      if (smallest === null || d.parameters.length < smallest.parameters.length) smallest = d;
      continue;
    }
    const fit = fitCoefficients(d.rows.map((r, i) => r.map((v) => v / measurements[i]!.latencyMs)), d.kinds);
    // Strictly better only: ties keep the base profile's own rules, which come first.
    if (best === null || fit.residual < best.residual * (1 - 1e-9)) best = { rules, design: d, x: fit.x, residual: fit.residual, tied: fit.tied, free: fit.free };
  }
  if (best === null) throw new TooFewMeasurementsError(smallest!.parameters.length, measurements.length, smallest!.parameters);
  const { rules, design: d, x } = best;
  const tied = best.tied.map((i) => d.kinds[i]!);

  // x[k] = ms per ms-at-peak = 1 / efficiency; above 100% means the base peak is too low: raise the peak.
  // A kind the measurements say is free (tying it to its kin fitted worse) runs at the peak: efficiency 1.
  // (It was given a peak raised 1000x, which showed a 2-core CPU as 100 TOPS and predicted no better.)
  const nonzero = d.kinds.map((_, i) => x[i]!).filter((v) => v > 0);
  const free = new Set(best.free);
  const scale = Math.max(1, ...nonzero.map((v) => 1 / v));
  // A kind no measured model runs is not fitted: it keeps the base profile's throughput (its
  // efficiency divided by the same scale as the peaks) and per-kernel overhead, so raising
  // the peaks does not make it free.
  const efficiency = { ...base.efficiency };
  const overheadPerKindSec: Profile['overheadPerKindSec'] = {};
  for (const k of LAYER_KINDS) {
    const i = d.kinds.indexOf(k), j = d.launched.indexOf(k);
    efficiency[k] = i >= 0 && x[i]! > 0 ? Math.min(1, 1 / x[i]! / scale) : i >= 0 && free.has(i) ? 1 : efficiencyOf(base, k) / scale;
    overheadPerKindSec[k] = j < 0 ? overheadOf(base, k) : x[d.kinds.length + j]! / 1000;
  }
  const unmeasured = LAYER_KINDS.filter((k) => !d.kinds.includes(k) && !d.launched.includes(k));
  const fitted: Profile = {
    ...base, id,
    peakOpsPerSec: Object.fromEntries(Object.entries(base.peakOpsPerSec).map(([p, v]) => [p, v! * scale])),
    native: { ...base.native, ...rules },
    efficiency, overheadPerKindSec, overheadSec: base.overheadSec,
    invokeOverheadSec: x[x.length - 1]! / 1000,
    memory: { ...base.memory, bandwidthBytesPerSec: null, sramBandwidthBytesPerSec: null, flashBandwidthBytesPerSec: null },
    estimates: [...new Set([...base.estimates, ...d.parameters, ...(scale > 1 ? ['peak'] : []), 'memory.bandwidth', ...(searched ? ['native.folding', 'native.zeros', 'native.fusion'] : [])])],
    sources: [...base.sources, `calibrated on ${measurements.length} measured latencies (${d.parameters.join(', ')} fitted; `
      + `graph rules folding=${rules.folding}, zeros=${rules.zeros}, fusion=${rules.fusion} ${searched ? 'chosen by fit' : 'as given'}; memory roof folded into efficiencies`
      + `${unmeasured.length > 0 ? `; ${unmeasured.join(', ')} not measured: ${base.id}'s figures` : ''}`
      + `${tied.length > 0 ? `; ${tied.join(', ')} not told apart from the kinds measured with ${tied.length === 1 ? 'it' : 'them'}: fitted as one with ${tied.length === 1 ? 'its' : 'their'} nearest kin` : ''})`],
  };
  // Energy does not change latency: the fitted latencies serve the energy fit and the report.
  const fittedModel = createCostModel(fitted);
  const latencies = measurements.map((m) => fittedModel.estimate(m.spec).latencyMs);
  const trainingMape = measurements.reduce((s, m, i) => s + Math.abs(latencies[i]! - m.latencyMs) / m.latencyMs, 0) / measurements.length;
  const energyFit = fitEnergy(base, d, measurements, latencies);
  if (energyFit === null) return { profile: fitted, parameters: d.parameters, trainingMape, rules, unmeasured, energy: null };
  const profile: Profile = { ...fitted, energy: energyFit.energy, estimates: [...new Set([...fitted.estimates, 'energy.perMac', 'energy.perByte', 'energy.static'])] };
  const model = createCostModel(profile);
  const errors = measurements.flatMap((m) => { const mj = measuredEnergy(m); return mj === null ? [] : [Math.abs(model.estimate(m.spec).energyMj - mj) / mj]; });
  return { profile, parameters: d.parameters, trainingMape, rules, unmeasured, energy: { n: energyFit.n, trainingMape: errors.reduce((a, b) => a + b, 0) / errors.length } };
}
