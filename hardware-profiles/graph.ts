/**
 * A spec flattened into typed arrays in one pass (op and kind codes, shapes, MACs,
 * weights, input indices, the compression plan, which values are constants), so the cost
 * model touches no strings or small objects per node: it runs for every proposal, 100,000
 * times a second, and reading a spec's objects is most of that time. Tensor 0 is the input
 * image; tensor i + 1 is node i's output. Specs come from the spaces, already validated by
 * analyzeSpec's rules; this pass does not re-check them. MACs and parameters follow
 * analyzeSpec; stored bytes follow summarizeSpec.
 */
import type { Activation, ModelSpec } from '../spaces/model-spec.js';
import type { LayerKind } from './profile.js';

export const OP = { conv2d: 0, depthwise: 1, dense: 2, batchnorm: 3, activation: 4, maxpool: 5, avgpool: 6, gap: 7, flatten: 8, add: 9, scale: 10, reshape: 11, zeros: 12 } as const;
/** Activation codes are indices into ACTIVATIONS. */
export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'hswish', 'hsigmoid', 'sigmoid'] as const satisfies readonly Activation[];
const ACT = Object.fromEntries(ACTIVATIONS.map((a, i) => [a, i])) as Record<Activation, number>;
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

const convOut = (size: number, kernel: number, stride: number, same: boolean) => (same ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1);
const clampBits = (b: number) => (b < 1 ? 1 : b > 32 ? 32 : Math.round(b));

/** Node names to tensor indices, built only for a spec with an input further back than the scan looks. */
function farTensor(spec: ModelSpec, name: string, before: number): number {
  const t = spec.nodes.findIndex((node) => node.name === name) + 1;
  if (t <= 0 || t > before) throw new Error(`${spec.name}: input '${name}' is not an earlier node`);
  return t;
}

export function specGraph(spec: ModelSpec, buffers: GraphBuffers = new GraphBuffers()): SpecGraph {
  const nodes = spec.nodes;
  const n = nodes.length;
  const g = buffers.reserve(n);
  const { op, kind, act, h, w, c, macs, weights, inputStart, constant, consumers, bits, bytes, weightBits, sparsity } = g;
  let inputs = g.inputs;
  const shape = spec.inputShape;
  h[0] = shape[0]; w[0] = shape[1]; c[0] = shape[2];
  constant[0] = 0;
  bits[0] = 32;
  bytes[0] = shape[0] * shape[1] * shape[2] * 4;
  let at = 0, stored = 0, dense = 0, quantized = true, firstWeights = true;
  // Nodes no input reads yet, and constants seen: with none of either at the end, no node is dead.
  let unread = n, constants = 0;
  consumers.fill(0, 0, n + 1);
  for (let i = 0; i < n; i++) {
    const node = nodes[i]!;
    inputStart[i] = at;
    let allConstant = 1;
    const names = node.inputs;
    const count = names.length;
    if (at + count > inputs.length) inputs = buffers.growInputs(at + count);
    for (let k = 0; k < count; k++) {
      const name = names[k]!;
      // Inputs are almost always a few nodes back and usually the very same string object, so
      // scanning back beats hashing every fresh node name into a Map (which took most of an
      // estimate's time). 'input' is checked only when the scan fails, and an input further
      // back than 48 nodes is looked up by name.
      let t = 0;
      const stop = i > 48 ? i - 48 : 0;
      for (let j = i - 1; j >= stop; j--) if (nodes[j]!.name === name) { t = j + 1; break; }
      if (t === 0 && name !== 'input') t = farTensor(spec, name, i);
      inputs[at++] = t;
      if (consumers[t]!++ === 0 && t > 0) unread--;
      if (constant[t] === 0) allConstant = 0;
    }
    const t0 = inputs[inputStart[i]!]!;
    const ih = h[t0]!, iw = w[t0]!, ic = c[t0]!;
    let oh = ih, ow = iw, oc = ic, m = 0, wt = 0, p = 0, a = 0;
    const layer = node.layer;
    switch (layer.op) {
      case 'activation': op[i] = OP.activation; kind[i] = KIND.activation; a = ACT[layer.activation]; break;
      case 'batchnorm': m = ih * iw * ic; op[i] = OP.batchnorm; kind[i] = KIND.norm; break;
      case 'conv2d': {
        const same = layer.padding === 'same', kernel = layer.kernel, filters = layer.filters;
        oh = convOut(ih, kernel, layer.stride, same); ow = convOut(iw, kernel, layer.stride, same); oc = filters;
        wt = kernel * kernel * ic * filters; m = oh * ow * wt; p = wt + (layer.bias ? filters : 0);
        op[i] = OP.conv2d; kind[i] = kernel === 1 ? KIND.pointwise : KIND.conv2d; a = ACT[layer.activation];
        break;
      }
      case 'add': m = ih * iw * ic * (count - 1); op[i] = OP.add; kind[i] = KIND.elementwise; break;
      case 'depthwise': {
        const same = layer.padding === 'same', kernel = layer.kernel;
        oh = convOut(ih, kernel, layer.stride, same); ow = convOut(iw, kernel, layer.stride, same); oc = ic * layer.multiplier;
        wt = kernel * kernel * oc; m = oh * ow * wt; p = wt + (layer.bias ? oc : 0);
        op[i] = OP.depthwise; kind[i] = KIND.depthwise; a = ACT[layer.activation];
        break;
      }
      case 'dense':
        oh = 1; ow = 1; oc = layer.units; wt = ic * layer.units; m = wt; p = wt + (layer.bias ? layer.units : 0);
        op[i] = OP.dense; kind[i] = KIND.dense; a = ACT[layer.activation];
        break;
      case 'maxpool': case 'avgpool': {
        const same = layer.padding === 'same', size = layer.size;
        oh = convOut(ih, size, layer.stride, same); ow = convOut(iw, size, layer.stride, same);
        if (layer.op === 'avgpool') { m = oh * ow * ic * size * size; op[i] = OP.avgpool; } else op[i] = OP.maxpool;
        kind[i] = KIND.pool;
        break;
      }
      case 'gap': oh = 1; ow = 1; m = ih * iw * ic; op[i] = OP.gap; kind[i] = KIND.pool; break;
      case 'flatten': oh = 1; ow = 1; oc = ih * iw * ic; op[i] = OP.flatten; kind[i] = KIND.other; break;
      case 'scale': m = ih * iw * ic; op[i] = OP.scale; kind[i] = KIND.elementwise; break;
      case 'reshape': oh = layer.shape[0]; ow = layer.shape[1]; oc = layer.shape[2]; op[i] = OP.reshape; kind[i] = KIND.other; break;
      case 'zeros': op[i] = OP.zeros; kind[i] = KIND.zeros; allConstant = 1; break;
    }
    macs[i] = m; weights[i] = wt; act[i] = a;
    h[i + 1] = oh; w[i + 1] = ow; c[i + 1] = oc;
    constant[i + 1] = allConstant;
    constants += allConstant;
    if (wt > 0) {
      const comp = node.compression;
      let wb = 32, ab = 32, s = 0;
      if (comp !== undefined) { wb = clampBits(comp.weightBits ?? 32); ab = clampBits(comp.activationBits ?? 32); s = comp.sparsity ?? 0; }
      weightBits[i] = wb; sparsity[i] = s; bits[i + 1] = ab;
      if (firstWeights) {
        // A quantized model quantizes its input: the input, and what was computed from it before
        // the first weight layer, have that layer's activation width.
        firstWeights = false;
        if (ab !== 32) for (let q = 0; q <= i; q++) { bits[q] = ab; bytes[q] = h[q]! * w[q]! * c[q]! * ab / 8; }
      }
      // Nonzeros at their width plus 4-bit relative indices when sparse, biases in float32 (summarizeSpec's estimate).
      stored += Math.ceil(Math.round(wt * (1 - s)) * (wb + (s > 0 ? 4 : 0)) / 8) + (p - wt) * 4;
      dense += wt * wb / 8;
      if (wb > 8 || ab > 8) quantized = false;
    } else bits[i + 1] = bits[t0]!;
    bytes[i + 1] = oh * ow * oc * bits[i + 1]! / 8;
  }
  inputStart[n] = at;
  g.storedBytes = stored; g.denseWeightBytes = dense; g.quantized = quantized;
  g.allNeeded = unread === 1 && constants === 0;
  return g;
}
