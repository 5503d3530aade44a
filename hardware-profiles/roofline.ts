/**
 * The roofline cost model. Per kernel that runs: the time to compute its operations at
 * the layer kind's effective throughput for the precision it executes in, or to move its
 * bytes at the bandwidth of the memory level its tensors live in, whichever is longer, plus
 * the kind's per-kernel overhead; the model's latency is the sum plus one invoke overhead.
 * Energy is MACs times the energy of a MAC at that precision plus bytes times the energy
 * of a byte at their memory level, plus the profile's static power times the latency.
 * Pure and synchronous: a candidate is costed before it is built.
 *
 * Compression counts only where the hardware honours it: pruned channels and low rank are
 * already smaller layers in the spec; zero weights skip MACs (and their bytes) only where a
 * sparse kernel matches the layer's kind, precision and sparsity; a weight narrower than
 * the narrowest native precision is stored and moved small but computed at that native
 * precision: a 4-bit weight on an int8 device runs at int8 speed, and an int8 layer on a
 * device without int8 at its narrowest native precision (fp16 on a Jetson, fp32 on a CPU
 * without fp16).
 *
 * Activations run as many kernels as the profile says the runtime splits them into (tfjs
 * runs hswish as four), and a weight layer's activation that the runtime does not fuse
 * runs after it as such kernels.
 *
 * Where tensors live: on a microcontroller ('hard' limits) activations are in SRAM and
 * weights in flash. Elsewhere a layer's activations are on chip when they fit the SRAM
 * (cache) size, and weights when the whole model's do; otherwise they stream from DRAM.
 */
import type { ModelSpec, NodeSpec } from '../spaces/model-spec.js';
import type { Cost, CostModel } from './cost-model.js';
import { ExecutionBuffers, planExecution } from './execution.js';
import { activationFusion, ACTIVATIONS, GraphBuffers, KIND, OP, specGraph, type SpecGraph } from './graph.js';
import { efficiencyOf, LAYER_KINDS, overheadOf, PRECISION_BITS, PRECISIONS, type LayerKind, type Precision, type Profile } from './profile.js';

export interface LayerCost {
  name: string;
  kind: LayerKind;
  precision: Precision;
  /** MACs executed (after any skipped zeros). */
  macs: number;
  latencyMs: number;
  computeMs: number;
  memoryMs: number;
  energyMj: number;
  bytesMoved: number;
}

export interface DetailedCost extends Cost { layers: LayerCost[] }

/**
 * What calibration fits. Per layer kind: seconds at 100% efficiency (operations / peak) and
 * kernels launched; and the model's energy at the profile's figures, split into the MACs'
 * and the bytes moved (picojoules).
 */
export interface KindFeatures { computeSec: Float64Array; kernels: Float64Array; macPj: number; bytePj: number }

export interface RooflineModel extends CostModel {
  estimateDetailed(spec: ModelSpec): DetailedCost;
  /**
   * Costs a spec already read into a graph (specGraph): the estimate without reading the
   * spec's objects, which bench:cost times to show what reading them costs.
   */
  estimateGraph(graph: SpecGraph): Cost;
  /** Adds this spec's per-kind features to `into` (calibration). */
  features(spec: ModelSpec, into: KindFeatures): void;
}

const K = LAYER_KINDS.length;
const P = PRECISIONS.length;
const LEVEL_SRAM = 0, LEVEL_DRAM = 1, LEVEL_FLASH = 2;

/** The precision a layer executes in: the narrowest native one at least as wide as its operands. */
export function executedPrecision(profile: Profile, weightBits: number, activationBits: number): Precision {
  const need = Math.max(weightBits, activationBits);
  const natives = [...profile.native.precisions].sort((a, b) => PRECISION_BITS[a] - PRECISION_BITS[b] || (a.startsWith('fp') ? -1 : 1));
  // Float operands need a float unit unless they are quantized to integers (<= 16 bits).
  const fits = natives.filter((p) => PRECISION_BITS[p] >= need && (need > 16 ? p === 'fp32' : true));
  return fits[0] ?? natives[natives.length - 1]!;
}

/** Everything about a profile the per-kernel loop needs, as flat arrays indexed by kind and precision code. */
function tables(profile: Profile) {
  const peak = new Float64Array(P), secPerOp = new Float64Array(K * P), overhead = new Float64Array(K), macPj = new Float64Array(P);
  const sparseMin = new Float64Array(K * P).fill(Number.POSITIVE_INFINITY);
  PRECISIONS.forEach((p, pi) => {
    peak[pi] = profile.peakOpsPerSec[p] ?? Number.NaN;
    macPj[pi] = profile.energy.perMacPj[p] ?? profile.energy.perMacPj.fp32 ?? 0;
  });
  LAYER_KINDS.forEach((kind, ki) => {
    overhead[ki] = overheadOf(profile, kind);
    PRECISIONS.forEach((_, pi) => { secPerOp[ki * P + pi] = 1 / (peak[pi]! * efficiencyOf(profile, kind)); });
  });
  for (const s of profile.native.sparseKernels) {
    LAYER_KINDS.forEach((kind, ki) => {
      if (s.kinds !== null && !s.kinds.includes(kind)) return;
      PRECISIONS.forEach((p, pi) => {
        if (s.precisions !== null && !s.precisions.includes(p)) return;
        sparseMin[ki * P + pi] = Math.min(sparseMin[ki * P + pi]!, s.minSparsity);
      });
    });
  }
  // Executed precision by (weight bits, activation bits), both clamped to 1..32.
  const precisionOf = new Int8Array(33 * 33);
  for (let wb = 0; wb <= 32; wb++) for (let ab = 0; ab <= 32; ab++) precisionOf[wb * 33 + ab] = PRECISIONS.indexOf(executedPrecision(profile, Math.max(wb, 1), Math.max(ab, 1)));
  const m = profile.memory;
  const inverse = (bw: number | null) => (bw === null || bw <= 0 ? 0 : 1 / bw);
  const secPerByte = new Float64Array([inverse(m.sramBandwidthBytesPerSec), inverse(m.bandwidthBytesPerSec), inverse(m.flashBandwidthBytesPerSec)]);
  const e = profile.energy.perBytePj;
  const pjPerByte = new Float64Array([e.sram, e.dram, e.flash ?? e.sram]);
  // By activation code: kernels an activation layer runs, and kernels a weight layer's own activation adds after
  // it when the runtime's kernels cannot apply it (the same fusion test the execution plan uses for activation layers).
  const activationFuses = activationFusion(profile.native.fusedActivations);
  const activationKernels = Float64Array.from(ACTIVATIONS, (a) => (a === 'linear' ? 1 : profile.native.activationKernels[a] ?? 1));
  const addedKernels = activationKernels.map((k, code) => (activationFuses[code] === 1 ? 0 : k));
  return { peak, secPerOp, overhead, macPj, sparseMin, precisionOf, secPerByte, pjPerByte, activationKernels, addedKernels, activationFuses };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export function createCostModel(profile: Profile): RooflineModel {
  const { peak, secPerOp, overhead, macPj, sparseMin, precisionOf, secPerByte, pjPerByte, activationKernels, addedKernels, activationFuses } = tables(profile);
  const ACT_KIND = KIND.activation;
  const rules = { folding: profile.native.folding, zeros: profile.native.zeros, fusion: profile.native.fusion, activationFuses };
  const hard = profile.memory.limits === 'hard';
  const sram = profile.memory.sramBytes, flash = profile.memory.flashBytes, dram = profile.memory.dramBytes;
  const invoke = profile.invokeOverheadSec;
  const staticPjPerSec = (profile.energy.staticWatts ?? 0) * 1e12;
  // Scratch reused across estimates: an estimate allocates nothing per node.
  const graphBuffers = new GraphBuffers(), executionBuffers = new ExecutionBuffers();

  /** `nodes` names the layers when `layers` is given. */
  const run = (g: SpecGraph, layers: LayerCost[] | null, nodes: readonly NodeSpec[], features: KindFeatures | null): Cost => {
    const ex = planExecution(g, rules, executionBuffers);
    const { op, kind, act, h, w, c, macs, weights, inputs, inputStart, bits, bytes: tensorBytes, weightBits, sparsity } = g;
    const { order, count, folded, root, lastUse } = ex;
    // The memory schedule walks the same kernels in the same order (memory.ts's peakActivationBytesOf, inlined: one pass instead of two).
    let live = tensorBytes[0]!, peakMemoryBytes = live;

    const weightLevel = hard ? (flash !== null ? LEVEL_FLASH : LEVEL_SRAM) : sram !== null && g.denseWeightBytes <= sram ? LEVEL_SRAM : LEVEL_DRAM;
    let latencySec = invoke, energyPj = invoke * staticPjPerSec;
    for (let o = 0; o < count; o++) {
      const i = order[o]!;
      const k = kind[i]!;
      const isWeight = k <= 3;
      const p = isWeight ? precisionOf[weightBits[i]! * 33 + bits[i + 1]!]! : precisionOf[bits[i + 1]! * 34]!;
      const outBytes = tensorBytes[i + 1]!;
      live += outBytes;
      if (live > peakMemoryBytes) peakMemoryBytes = live;
      // Inputs a compiler folded to constants (x + 0) are not read; each buffer is freed after its last reader.
      let activationBytes = outBytes, inElements = 0;
      for (let q = inputStart[i]!; q < inputStart[i + 1]!; q++) {
        const x = inputs[q]!;
        const r = root[x]!;
        if (lastUse[r] === i) { live -= tensorBytes[r]!; lastUse[r] = -2; }
        if (folded[x] === 1) continue;
        activationBytes += tensorBytes[x]!;
        inElements += h[x]! * w[x]! * c[x]!;
      }
      let executedMacs = macs[i]!, ops: number, weightBytes = 0;
      if (isWeight) {
        const s = sparsity[i]!;
        const skips = s > 0 && s >= sparseMin[k * P + p]!;
        if (skips) executedMacs *= 1 - s;
        ops = 2 * executedMacs;
        // A dense kernel reads weights decompressed to its layout; a sparse one reads nonzeros and their indices.
        weightBytes = skips ? weights[i]! * (1 - s) * (weightBits[i]! + 4) / 8 : weights[i]! * weightBits[i]! / 8;
      } else {
        // About one operation per element read, or per window element for pooling.
        if (op[i] === OP.add) executedMacs = inElements - h[i + 1]! * w[i + 1]! * c[i + 1]!;
        ops = executedMacs > inElements ? executedMacs : inElements;
      }
      const activationLevel = hard || (sram !== null && activationBytes <= sram) ? LEVEL_SRAM : LEVEL_DRAM;
      // An activation the runtime splits into several kernels reads and writes its tensor in each.
      const kernels = k === ACT_KIND ? activationKernels[act[i]!]! : 1;
      let computeSec = ops * kernels * secPerOp[k * P + p]!;
      let memorySec = (activationBytes * secPerByte[activationLevel]! + weightBytes * secPerByte[weightLevel]!) * kernels;
      let sec = (computeSec > memorySec ? computeSec : memorySec) + overhead[k]! * kernels;
      const macEnergy = executedMacs * macPj[p]! * kernels;
      let byteEnergy = (activationBytes * pjPerByte[activationLevel]! + weightBytes * pjPerByte[weightLevel]!) * kernels;
      let bytesMoved = (activationBytes + weightBytes) * kernels;
      if (features !== null) { features.computeSec[k]! += ops * kernels / peak[p]!; features.kernels[k]! += kernels; }
      const added = isWeight ? addedKernels[act[i]!]! : 0;
      if (added > 0) {
        // The weight layer's activation runs after it as activation kernels over its output.
        const elements = h[i + 1]! * w[i + 1]! * c[i + 1]!, level = hard || (sram !== null && 2 * outBytes <= sram) ? LEVEL_SRAM : LEVEL_DRAM;
        const actCompute = elements * added * secPerOp[ACT_KIND * P + p]!, actMemory = 2 * outBytes * added * secPerByte[level]!;
        sec += (actCompute > actMemory ? actCompute : actMemory) + overhead[ACT_KIND]! * added;
        computeSec += actCompute; memorySec += actMemory;
        byteEnergy += 2 * outBytes * added * pjPerByte[level]!;
        bytesMoved += 2 * outBytes * added;
        if (features !== null) { features.computeSec[ACT_KIND]! += elements * added / peak[p]!; features.kernels[ACT_KIND]! += added; }
      }
      const pj = macEnergy + byteEnergy + sec * staticPjPerSec;
      if (features !== null) { features.macPj += macEnergy; features.bytePj += byteEnergy; }
      latencySec += sec;
      energyPj += pj;
      if (layers !== null) {
        layers.push({ name: nodes[i]!.name, kind: LAYER_KINDS[k]!, precision: PRECISIONS[p]!, macs: executedMacs, latencyMs: sec * 1000,
          computeMs: computeSec * 1000, memoryMs: memorySec * 1000, energyMj: pj * 1e-9, bytesMoved });
      }
    }

    const violations: string[] = [];
    const storedBytes = g.storedBytes;
    if (profile.native.requiresQuantization && !g.quantized) {
      violations.push(`${profile.id} runs only ${profile.native.precisions.join('/')} models: quantize weights and activations to 8 bits`);
    }
    if (hard) {
      if (sram !== null && peakMemoryBytes > sram) violations.push(`peak activation memory ${kib(peakMemoryBytes)} exceeds ${profile.id}'s SRAM ${kib(sram)} by ${kib(peakMemoryBytes - sram)}`);
      if (flash !== null && storedBytes > flash) violations.push(`stored weights ${kib(storedBytes)} exceed ${profile.id}'s flash ${kib(flash)} by ${kib(storedBytes - flash)}`);
    } else if (dram !== null && storedBytes + peakMemoryBytes > dram) {
      violations.push(`weights and activations ${kib(storedBytes + peakMemoryBytes)} exceed ${profile.id}'s DRAM ${kib(dram)} by ${kib(storedBytes + peakMemoryBytes - dram)}`);
    }
    return { profile: profile.id, latencyMs: latencySec * 1000, energyMj: energyPj * 1e-9, peakMemoryBytes, storedBytes, violations };
  };
  return {
    profile: profile.id,
    estimate: (spec) => run(specGraph(spec, graphBuffers), null, spec.nodes, null),
    estimateGraph: (graph) => run(graph, null, [], null),
    estimateDetailed: (spec) => {
      const layers: LayerCost[] = [];
      return { ...run(specGraph(spec, graphBuffers), layers, spec.nodes, null), layers };
    },
    features: (spec, into) => { run(specGraph(spec, graphBuffers), null, spec.nodes, into); },
  };
}
