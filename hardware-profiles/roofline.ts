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
import { HAS_BIAS, packedFormOf, packSpec, SAME_PADDING, type PackedSpec } from '../spaces/packed-spec.js';
import { estimatedLayerBytes } from '../spaces/summary.js';
import type { Cost, CostModel } from './cost-model.js';
import { ExecutionBuffers, neededConsumers, placementOf, placeNode } from './execution.js';
import { activationFusion, ACTIVATIONS, clampBits, convOut, GraphBuffers, inputBits, KIND, OP, packedStructure } from './graph.js';
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
  /** Adds this spec's per-kind features to `into` (calibration). */
  features(spec: ModelSpec, into: KindFeatures): void;
}

// The per-node loop reads op and kind codes as module constants: reading a property of OP or KIND
// takes type feedback, and a case first reached after V8 optimized the loop (a spec's first zeros
// node, say) throws that code away, after which V8 often runs the loop through on-stack
// replacement on every call, at about half the speed.
const { activation: OP_ACTIVATION, add: OP_ADD, avgpool: OP_AVGPOOL, batchnorm: OP_BATCHNORM, conv2d: OP_CONV2D, dense: OP_DENSE, depthwise: OP_DEPTHWISE, flatten: OP_FLATTEN, gap: OP_GAP, maxpool: OP_MAXPOOL, reshape: OP_RESHAPE, scale: OP_SCALE, zeros: OP_ZEROS } = OP;
const { activation: KIND_ACTIVATION, conv2d: KIND_CONV2D, dense: KIND_DENSE, depthwise: KIND_DEPTHWISE, elementwise: KIND_ELEMENTWISE, norm: KIND_NORM, other: KIND_OTHER, pointwise: KIND_POINTWISE, pool: KIND_POOL, zeros: KIND_ZEROS } = KIND;
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
  const rules = { folding: profile.native.folding, zeros: profile.native.zeros, fusion: profile.native.fusion, activationFuses };
  const place = placementOf(rules);
  const hard = profile.memory.limits === 'hard';
  const sram = profile.memory.sramBytes, flash = profile.memory.flashBytes, dram = profile.memory.dramBytes;
  const invoke = profile.invokeOverheadSec;
  const staticPjPerSec = (profile.energy.staticWatts ?? 0) * 1e12;
  // Scratch reused across estimates: an estimate allocates nothing per node.
  const graphBuffers = new GraphBuffers(), executionBuffers = new ExecutionBuffers();

  // Where weights live depends on the whole model's weight bytes, known only once every node is read. So
  // a node is costed with its weights at each of two levels (A and B, the same where it cannot vary),
  // and the model's total at the level that applies is chosen at the end.
  const fixedWeightLevel = hard ? (flash !== null ? LEVEL_FLASH : LEVEL_SRAM) : sram === null ? LEVEL_DRAM : -1;
  let weightLevelChosen = LEVEL_DRAM;

  /**
   * Reads, places (execution.ts's rule) and costs each node in one pass over the packed
   * form: a node is costed as soon as it is read, if it runs. `names` names the layers
   * when `layers` is given; per-layer figures are at weight level A.
   */
  const run = (shape: readonly [number, number, number], packed: PackedSpec, needed: Uint8Array, consumers: Int32Array, constant: Uint8Array, levelA: number, levelB: number,
    layers: LayerCost[] | null, names: readonly NodeSpec[], features: KindFeatures | null): Cost => {
    const n = packed.n;
    const g = graphBuffers.graph;
    const { records, weightBits: storedBits, activationBits: runBits, sparsity: zeroShare } = packed;
    const full = place.full;
    const { runs, root, order, lastUse: lastRead, freed } = executionBuffers;
    const { h, w, c, bits, bytes: tensorBytes } = g;
    h[0] = shape[0]; w[0] = shape[1]; c[0] = shape[2];
    bits[0] = inputBits(packed);
    tensorBytes[0] = shape[0] * shape[1] * shape[2] * bits[0]! / 8;
    root[0] = 0; lastRead[0] = -1;

    let latencyA = invoke, latencyB = invoke, energyA = invoke * staticPjPerSec, energyB = energyA;
    let r = 0, weightNode = 0, stored = 0, dense = 0, quantized = true, count = 0;
    for (let i = 0; i < n; i++) {
      const o = records[r]!, a = records[r + 1]!, p0 = records[r + 2]!, p1 = records[r + 3]!, p2 = records[r + 4]!, flags = records[r + 5]!;
      const from = r + 7;
      r = from + records[r + 6]!;
      const t0 = records[from]!;
      const ih = h[t0]!, iw = w[t0]!, ic = c[t0]!;
      const same = (flags & SAME_PADDING) !== 0, bias = (flags & HAS_BIAS) !== 0;
      // graph.ts's packedGraph reads a node the same way (a test holds the two to the same shapes,
      // MACs and weights); written out here because V8 will not inline a function this large.
      let oh = ih, ow = iw, oc = ic, m = 0, wt = 0, params = 0, k: number = KIND_OTHER;
      switch (o) {
        case OP_ACTIVATION: k = KIND_ACTIVATION; break;
        case OP_BATCHNORM: m = ih * iw * ic; k = KIND_NORM; break;
        case OP_CONV2D:
          oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); oc = p0;
          wt = p1 * p1 * ic * p0; m = oh * ow * wt; params = wt + (bias ? p0 : 0);
          k = p1 === 1 ? KIND_POINTWISE : KIND_CONV2D;
          break;
        case OP_ADD: m = ih * iw * ic * (r - from - 1); k = KIND_ELEMENTWISE; break;
        case OP_DEPTHWISE:
          oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); oc = ic * p0;
          wt = p1 * p1 * oc; m = oh * ow * wt; params = wt + (bias ? oc : 0);
          k = KIND_DEPTHWISE;
          break;
        case OP_DENSE: oh = 1; ow = 1; oc = p0; wt = ic * p0; m = wt; params = wt + (bias ? p0 : 0); k = KIND_DENSE; break;
        case OP_MAXPOOL: oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); k = KIND_POOL; break;
        case OP_AVGPOOL: oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); m = oh * ow * ic * p0 * p1; k = KIND_POOL; break;
        case OP_GAP: oh = 1; ow = 1; m = ih * iw * ic; k = KIND_POOL; break;
        case OP_FLATTEN: oh = 1; ow = 1; oc = ih * iw * ic; break;
        case OP_SCALE: m = ih * iw * ic; k = KIND_ELEMENTWISE; break;
        case OP_RESHAPE: oh = p0; ow = p1; oc = p2; break;
        case OP_ZEROS: k = KIND_ZEROS; break;
      }
      h[i + 1] = oh; w[i + 1] = ow; c[i + 1] = oc;
      let outBits = bits[t0]!, wb = 32, s = 0;
      if (o <= OP_DENSE) {
        // Every weight layer has a compression entry, in node order, whether or not it has weights.
        wb = clampBits(storedBits[weightNode]!); s = zeroShare[weightNode]!;
        const ab = clampBits(runBits[weightNode]!);
        weightNode++;
        if (wt > 0) {
          outBits = ab;
          stored += estimatedLayerBytes(wt, params, wb, s);
          dense += wt * wb / 8;
          if (wb > 8 || ab > 8) quantized = false;
        }
      }
      bits[i + 1] = outBits;
      const outBytes = oh * ow * oc * outBits / 8;
      tensorBytes[i + 1] = outBytes;

      if (needed[i] === 0) { runs[i] = 0; root[i + 1] = i + 1; continue; }
      if (!placeNode(i, o, a, records, from, r, place, consumers, constant, root, runs)) continue;
      // Kernel `count`: the memory schedule below needs, per buffer, the last kernel that reads it.
      order[count] = i; lastRead[i + 1] = -1;
      const isWeight = k <= 3;
      const p = isWeight ? precisionOf[wb * 33 + outBits]! : precisionOf[outBits * 34]!;
      // Inputs a compiler folded to constants (x + 0) are not read.
      let activationBytes = outBytes, inElements = 0;
      for (let q = from; q < r; q++) {
        const x = records[q]!;
        lastRead[root[x]!] = count;
        if (full && constant[x] === 1) continue;
        activationBytes += tensorBytes[x]!;
        inElements += h[x]! * w[x]! * c[x]!;
      }
      count++;
      let executedMacs = m, ops: number, weightBytes = 0;
      if (isWeight) {
        // Read whether or not the layer is sparse: a read V8 first meets after optimizing the loop would undo that.
        const sparseFrom = sparseMin[k * P + p]!;
        const skips = s > 0 && s >= sparseFrom;
        if (skips) executedMacs *= 1 - s;
        ops = 2 * executedMacs;
        // A dense kernel reads weights decompressed to its layout; a sparse one reads nonzeros and their indices.
        weightBytes = skips ? wt * (1 - s) * (wb + 4) / 8 : wt * wb / 8;
      } else {
        // About one operation per element read, or per window element for pooling.
        if (o === OP_ADD) executedMacs = inElements - oh * ow * oc;
        ops = executedMacs > inElements ? executedMacs : inElements;
      }
      const activationLevel = hard || (sram !== null && activationBytes <= sram) ? LEVEL_SRAM : LEVEL_DRAM;
      // An activation the runtime splits into several kernels reads and writes its tensor in each.
      const kernels = k === KIND_ACTIVATION ? activationKernels[a]! : 1;
      let computeSec = ops * kernels * secPerOp[k * P + p]!;
      const activationSec = activationBytes * secPerByte[activationLevel]!, activationPj = activationBytes * pjPerByte[activationLevel]!;
      let memorySec = (activationSec + weightBytes * secPerByte[levelA]!) * kernels;
      const memoryB = (activationSec + weightBytes * secPerByte[levelB]!) * kernels;
      let sec = (computeSec > memorySec ? computeSec : memorySec) + overhead[k]! * kernels;
      let secB = (computeSec > memoryB ? computeSec : memoryB) + overhead[k]! * kernels;
      const macEnergy = executedMacs * macPj[p]! * kernels;
      let byteEnergy = (activationPj + weightBytes * pjPerByte[levelA]!) * kernels;
      let byteEnergyB = (activationPj + weightBytes * pjPerByte[levelB]!) * kernels;
      let bytesMoved = (activationBytes + weightBytes) * kernels;
      if (features !== null) { features.computeSec[k]! += ops * kernels / peak[p]!; features.kernels[k]! += kernels; }
      const added = isWeight ? addedKernels[a]! : 0;
      if (added > 0) {
        // The weight layer's activation runs after it as activation kernels over its output.
        const elements = oh * ow * oc, level = hard || (sram !== null && 2 * outBytes <= sram) ? LEVEL_SRAM : LEVEL_DRAM;
        const actCompute = elements * added * secPerOp[KIND_ACTIVATION * P + p]!, actMemory = 2 * outBytes * added * secPerByte[level]!;
        const actSec = (actCompute > actMemory ? actCompute : actMemory) + overhead[KIND_ACTIVATION]! * added, actPj = 2 * outBytes * added * pjPerByte[level]!;
        sec += actSec; secB += actSec;
        computeSec += actCompute; memorySec += actMemory;
        byteEnergy += actPj; byteEnergyB += actPj;
        bytesMoved += 2 * outBytes * added;
        if (features !== null) { features.computeSec[KIND_ACTIVATION]! += elements * added / peak[p]!; features.kernels[KIND_ACTIVATION]! += added; }
      }
      const pj = macEnergy + byteEnergy + sec * staticPjPerSec;
      if (features !== null) { features.macPj += macEnergy; features.bytePj += byteEnergy; }
      latencyA += sec; latencyB += secB;
      energyA += pj; energyB += macEnergy + byteEnergyB + secB * staticPjPerSec;
      if (layers !== null) {
        layers.push({ name: names[i]!.name, kind: LAYER_KINDS[k]!, precision: PRECISIONS[p]!, macs: executedMacs, latencyMs: sec * 1000,
          computeMs: computeSec * 1000, memoryMs: memorySec * 1000, energyMj: pj * 1e-9, bytesMoved });
      }
    }
    const atA = levelA === levelB || dense <= sram!;
    weightLevelChosen = atA ? levelA : levelB;
    const latencySec = atA ? latencyA : latencyB, energyPj = atA ? energyA : energyB;

    // Peak activation memory, counted as MCUNet does (memory.ts): running the kernels in order, a buffer
    // is live from the kernel that makes it until its last reader has run, and a kernel needs its inputs
    // and its output at once. freed[o]: the bytes of buffers whose last reader was kernel o - 1.
    freed.fill(0, 0, count + 1);
    let live = tensorBytes[0]!, peakMemoryBytes = live;
    if (lastRead[0]! >= 0) freed[lastRead[0]! + 1] = tensorBytes[0]!;
    for (let o = 0; o < count; o++) {
      const t = order[o]! + 1, bytes = tensorBytes[t]!;
      live += bytes - freed[o]!;
      if (live > peakMemoryBytes) peakMemoryBytes = live;
      if (lastRead[t]! >= 0) freed[lastRead[t]! + 1]! += bytes;
    }

    const violations: string[] = [];
    const storedBytes = stored;
    if (profile.native.requiresQuantization && !quantized) {
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
  /**
   * Which tensors are constants and how many needed nodes read each: the packed form says, or, with dead
   * nodes or constants, a structural pass of their own. Kept out of `run`: a call its optimized code had
   * not seen would send it back to the interpreter, and V8 then enters its loop through on-stack
   * replacement on every call, at about half the speed.
   */
  const prepared = (shape: readonly [number, number, number], packed: PackedSpec, levelA: number, levelB: number,
    layers: LayerCost[] | null, names: readonly NodeSpec[], features: KindFeatures | null): Cost => {
    const n = packed.n;
    graphBuffers.reserve(n);
    executionBuffers.reserve(n);
    if (packed.allNeeded) return run(shape, packed, executionBuffers.allNeeded(n), packed.uses, executionBuffers.unfolded(n), levelA, levelB, layers, names, features);
    const structure = packedStructure(packed, graphBuffers);
    const consumers = neededConsumers(structure, place, executionBuffers);
    return run(shape, packed, executionBuffers.needed, consumers, structure.constant, levelA, levelB, layers, names, features);
  };
  const levelA = fixedWeightLevel >= 0 ? fixedWeightLevel : LEVEL_SRAM, levelB = fixedWeightLevel >= 0 ? fixedWeightLevel : LEVEL_DRAM;
  const packedOf = (spec: ModelSpec): PackedSpec => packedFormOf(spec) ?? packSpec(spec);
  /** Per layer, at the weight level that applies: the first pass finds it, the second reports at it. */
  const perLayer = (spec: ModelSpec, layers: LayerCost[] | null, features: KindFeatures | null): Cost => {
    const packed = packedOf(spec);
    prepared(spec.inputShape, packed, levelA, levelB, null, spec.nodes, null);
    const level = weightLevelChosen;
    return prepared(spec.inputShape, packed, level, level, layers, spec.nodes, features);
  };
  return {
    profile: profile.id,
    estimate: (spec) => prepared(spec.inputShape, packedOf(spec), levelA, levelB, null, spec.nodes, null),
    estimateDetailed: (spec) => {
      const layers: LayerCost[] = [];
      return { ...perLayer(spec, layers, null), layers };
    },
    features: (spec, into) => { perLayer(spec, null, into); },
  };
}
