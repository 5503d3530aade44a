/**
 * A spec flattened into typed arrays in one pass (op and kind codes, shapes, MACs,
 * weights, input indices, the compression plan, which values are constants), so a cost
 * model touches no strings or small objects per node. The MAC proxy, the tabular model,
 * memory.ts and the plan (execution.ts) read specs this way; the roofline model, which
 * runs for every proposal 100,000 times a second, reads, places and costs each node in a
 * single pass of its own. The pass reads the spec's packed form (spaces/packed-spec.ts),
 * which the spaces write as they build a spec; a spec without one is packed from its
 * objects first. Tensor 0 is the input image; tensor i + 1 is node i's output. Specs come
 * from the spaces, already validated by analyzeSpec's rules; this pass does not re-check
 * them. MACs and parameters follow analyzeSpec; stored bytes follow summarizeSpec.
 */
import type { Activation, ModelSpec } from '../spaces/model-spec.js';
import { estimatedLayerBytes } from '../spaces/summary.js';
import { ACTIVATIONS, HAS_BIAS, OP, packedFormOf, packSpec, SAME_PADDING, type PackedSpec } from '../spaces/packed-spec.js';
import type { LayerKind } from './profile.js';

export { ACTIVATIONS, OP };
/** By activation code, 1 where a kernel applies that activation itself (a profile's fusedActivations; null = all). */
export function activationFusion(fused: readonly Activation[] | null): Uint8Array {
  return Uint8Array.from(ACTIVATIONS, (a) => (fused === null || a === 'linear' || fused.includes(a) ? 1 : 0));
}
/** Kind codes: indices into LAYER_KINDS. */
export const KIND = { conv2d: 0, pointwise: 1, depthwise: 2, dense: 3, pool: 4, elementwise: 5, activation: 6, norm: 7, zeros: 8, other: 9 } as const satisfies Record<LayerKind, number>;

export interface SpecGraph {
  n: number;
  /** Per node: OP and KIND codes. */
  op: Uint8Array; kind: Uint8Array;
  /** Per node: the activation code of an activation layer, or of a weight layer's own activation (0 = linear, and for other layers). */
  act: Uint8Array;
  /** Per tensor (n + 1). */
  h: Int32Array; w: Int32Array; c: Int32Array;
  /** Per node: MACs as analyzeSpec counts them; weights (0 for layers without). */
  macs: Float64Array; weights: Float64Array;
  /** Input tensor indices of node i: inputs[inputStart[i] .. inputStart[i + 1]). */
  inputStart: Int32Array; inputs: Int32Array;
  /** Per tensor: 1 when its value is known without the input (zeros, and what is computed only from them). */
  constant: Uint8Array;
  /** Per tensor: how many inputs read it. */
  consumers: Int32Array;
  /** Every node but the last is read by some node and nothing is constant: every node reaches the output. */
  allNeeded: boolean;
  /** Per tensor: bits per element (a weight layer's activationBits; other layers keep their first input's), and bytes. */
  bits: Uint8Array; bytes: Float64Array;
  /** Per weight node (`weights` > 0; other nodes' entries are stale): stored weight bits (1..32) and share of zero weights. */
  weightBits: Uint8Array; sparsity: Float64Array;
  /** Stored weight bytes of the whole model, as summarizeSpec estimates them. */
  storedBytes: number;
  /** Weight bytes a dense kernel reads, summed over the model (every weight at its stored width, zeros included). */
  denseWeightBytes: number;
  /** Every weight layer has weights and activations of at most 8 bits. */
  quantized: boolean;
}

/** Reusable arrays, grown on demand: a cost model keeps one so an estimate allocates nothing per node. */
export class GraphBuffers {
  private capacity = 0;
  graph: SpecGraph = GraphBuffers.allocate(0, 64, 128);

  private static allocate(n: number, cap: number, inputCap: number): SpecGraph {
    return {
      n, op: new Uint8Array(cap), kind: new Uint8Array(cap), act: new Uint8Array(cap), h: new Int32Array(cap + 1), w: new Int32Array(cap + 1), c: new Int32Array(cap + 1),
      macs: new Float64Array(cap), weights: new Float64Array(cap), inputStart: new Int32Array(cap + 1), inputs: new Int32Array(inputCap),
      constant: new Uint8Array(cap + 1), consumers: new Int32Array(cap + 1), allNeeded: true, bits: new Uint8Array(cap + 1), bytes: new Float64Array(cap + 1), weightBits: new Uint8Array(cap), sparsity: new Float64Array(cap),
      storedBytes: 0, denseWeightBytes: 0, quantized: true,
    };
  }

  reserve(n: number): SpecGraph {
    if (n > this.capacity) {
      this.capacity = Math.max(n, this.capacity * 2, 64);
      this.graph = GraphBuffers.allocate(n, this.capacity, Math.max(this.graph.inputs.length, 2 * this.capacity));
    }
    this.graph.n = n;
    return this.graph;
  }

  /** Room for `count` input indices (inputs are counted as they are read, not in a pass of their own). */
  growInputs(count: number): Int32Array {
    const old = this.graph.inputs;
    if (count > old.length) { this.graph.inputs = new Int32Array(Math.max(count, 2 * old.length)); this.graph.inputs.set(old); }
    return this.graph.inputs;
  }
}

export const convOut = (size: number, kernel: number, stride: number, same: boolean) => (same ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1);
export const clampBits = (b: number) => (b < 1 ? 1 : b > 32 ? 32 : Math.round(b));

/**
 * Bits per element of the input: a quantized model quantizes its input, so the input, and
 * what is computed from it before the first weight layer, have that layer's activation width.
 * (Every weight layer has weights: analyzeSpec refuses one without.)
 */
export const inputBits = (packed: PackedSpec): number => (packed.activationBits.length > 0 ? clampBits(packed.activationBits[0]!) : 32);

/**
 * A spec's structure alone: op codes, inputs, which tensors are constants, how many inputs
 * read each and whether every node is needed (the last two as the packed form has them);
 * no shapes or costs. packedGraph adds the
 * rest; the roofline model reads only this, for specs with dead nodes or constants.
 */
export function packedStructure(packed: PackedSpec, buffers: GraphBuffers): SpecGraph {
  const n = packed.n;
  const g = buffers.reserve(n);
  const { op, act, inputStart, constant } = g;
  const records = packed.records;
  // Room for every input before the loop (a record per node holds at least 7 other fields), so the loop calls nothing.
  const inputs = records.length > g.inputs.length ? buffers.growInputs(records.length) : g.inputs;
  constant[0] = 0;
  let at = 0, r = 0;
  for (let i = 0; i < n; i++) {
    const o = records[r]!, count = records[r + 6]!;
    op[i] = o; act[i] = records[r + 1]!;
    r += 7;
    inputStart[i] = at;
    let allConstant = 1;
    for (let k = 0; k < count; k++) {
      const t = records[r++]!;
      inputs[at++] = t;
      if (constant[t] === 0) allConstant = 0;
    }
    // A zeros node's output is known without its input.
    constant[i + 1] = o === OP.zeros ? 1 : allConstant;
  }
  inputStart[n] = at;
  // The writer counted each tensor's readers, and found whether any node is dead or constant.
  g.consumers.set(packed.uses);
  g.allNeeded = packed.allNeeded;
  return g;
}

/** Reads a spec: from the packed form its space wrote, or packed from its objects first. */
export function specGraph(spec: ModelSpec, buffers: GraphBuffers = new GraphBuffers()): SpecGraph {
  return packedGraph(spec.inputShape, packedFormOf(spec) ?? packSpec(spec), buffers);
}

export function packedGraph(shape: readonly [number, number, number], packed: PackedSpec, buffers: GraphBuffers = new GraphBuffers()): SpecGraph {
  const n = packed.n;
  const g = packedStructure(packed, buffers);
  const { kind, h, w, c, macs, weights, inputs, inputStart, bits, bytes, weightBits, sparsity } = g;
  const { records, weightBits: storedBits, activationBits: runBits, sparsity: zeroShare } = packed;
  h[0] = shape[0]; w[0] = shape[1]; c[0] = shape[2];
  bits[0] = inputBits(packed);
  bytes[0] = shape[0] * shape[1] * shape[2] * bits[0]! / 8;
  let r = 0, weightNode = 0, stored = 0, dense = 0, quantized = true;
  for (let i = 0; i < n; i++) {
    const o = records[r]!, p0 = records[r + 2]!, p1 = records[r + 3]!, p2 = records[r + 4]!, flags = records[r + 5]!, count = records[r + 6]!;
    r += 7 + count;
    const t0 = inputs[inputStart[i]!]!;
    const ih = h[t0]!, iw = w[t0]!, ic = c[t0]!;
    const same = (flags & SAME_PADDING) !== 0, bias = (flags & HAS_BIAS) !== 0;
    let oh = ih, ow = iw, oc = ic, m = 0, wt = 0, p = 0, k: number = KIND.other;
    switch (o) {
      case OP.activation: k = KIND.activation; break;
      case OP.batchnorm: m = ih * iw * ic; k = KIND.norm; break;
      case OP.conv2d:
        oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); oc = p0;
        wt = p1 * p1 * ic * p0; m = oh * ow * wt; p = wt + (bias ? p0 : 0);
        k = p1 === 1 ? KIND.pointwise : KIND.conv2d;
        break;
      case OP.add: m = ih * iw * ic * (count - 1); k = KIND.elementwise; break;
      case OP.depthwise:
        oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); oc = ic * p0;
        wt = p1 * p1 * oc; m = oh * ow * wt; p = wt + (bias ? oc : 0);
        k = KIND.depthwise;
        break;
      case OP.dense: oh = 1; ow = 1; oc = p0; wt = ic * p0; m = wt; p = wt + (bias ? p0 : 0); k = KIND.dense; break;
      case OP.maxpool: oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); k = KIND.pool; break;
      case OP.avgpool: oh = convOut(ih, p1, p2, same); ow = convOut(iw, p1, p2, same); m = oh * ow * ic * p0 * p1; k = KIND.pool; break;
      case OP.gap: oh = 1; ow = 1; m = ih * iw * ic; k = KIND.pool; break;
      case OP.flatten: oh = 1; ow = 1; oc = ih * iw * ic; break;
      case OP.scale: m = ih * iw * ic; k = KIND.elementwise; break;
      case OP.reshape: oh = p0; ow = p1; oc = p2; break;
      case OP.zeros: k = KIND.zeros; break;
    }
    kind[i] = k;
    macs[i] = m; weights[i] = wt;
    h[i + 1] = oh; w[i + 1] = ow; c[i + 1] = oc;
    if (o <= OP.dense) {
      // Every weight layer has a compression entry, in node order, whether or not it has weights.
      const wb = clampBits(storedBits[weightNode]!), ab = clampBits(runBits[weightNode]!), s = zeroShare[weightNode]!;
      weightNode++;
      if (wt > 0) {
        weightBits[i] = wb; sparsity[i] = s; bits[i + 1] = ab;
        stored += estimatedLayerBytes(wt, p, wb, s);
        dense += wt * wb / 8;
        if (wb > 8 || ab > 8) quantized = false;
      } else bits[i + 1] = bits[t0]!;
    } else bits[i + 1] = bits[t0]!;
    bytes[i + 1] = oh * ow * oc * bits[i + 1]! / 8;
  }
  g.storedBytes = stored; g.denseWeightBytes = dense; g.quantized = quantized;
  return g;
}
