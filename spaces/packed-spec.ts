/**
 * A ModelSpec's content as one flat list of small integers: per node its op and
 * activation codes, up to three parameters, padding/bias flags and its inputs as tensor
 * indices (0 = the input image, i + 1 = node i's output), and per weight node its
 * compression. The cost models read this instead of the nodes' objects: a budget check
 * runs for every proposal, and reading 160 objects per spec, each input found by name, was
 * most of an estimate's time. The spaces write it as they build a spec (SpecBuilder), so a
 * spec from a space is never read back; any other spec (a test's, one parsed from JSON) is
 * packed from its objects on demand by packSpec.
 *
 * A spec's packed form is kept beside it under a symbol, so specs stay plain JSON. It
 * describes the nodes as they were built, so a spec from a space is not to be edited in
 * place (its node list is frozen; its node objects are not, and an edit inside one would
 * go unnoticed): derive a new one (`{ ...spec, nodes: [...] }`), which packs afresh.
 */
import { isWeightOp, type Activation, type LayerSpec, type ModelSpec, type NodeSpec } from './model-spec.js';

export const OP = { conv2d: 0, depthwise: 1, dense: 2, batchnorm: 3, activation: 4, maxpool: 5, avgpool: 6, gap: 7, flatten: 8, add: 9, scale: 10, reshape: 11, zeros: 12 } as const;
/** Activation codes are indices into ACTIVATIONS. */
export const ACTIVATIONS = ['linear', 'relu', 'relu6', 'hswish', 'hsigmoid', 'sigmoid'] as const satisfies readonly Activation[];
export const ACTIVATION_CODE = Object.fromEntries(ACTIVATIONS.map((a, i) => [a, i])) as Record<Activation, number>;
/** Flag bits of a node record. */
export const SAME_PADDING = 1, HAS_BIAS = 2;

/**
 * `records` holds one record per node, in node order: op, activation, p0, p1, p2, flags,
 * input count, then the input tensors. p0..p2 are conv2d: filters, kernel, stride;
 * depthwise: multiplier, kernel, stride; dense: units; pools: size, size, stride; reshape:
 * the shape. Weight node k (in node order) stores weightBits[k], activationBits[k] and
 * sparsity[k] as its compression gives them (32, 32 and 0 where it has none).
 */
export interface PackedSpec {
  n: number;
  records: Int32Array;
  weightBits: number[]; activationBits: number[]; sparsity: number[];
  /** Per tensor (n + 1): how many inputs read it. */
  uses: Int32Array;
  /** No zeros node, and every node but the last is read: every node reaches the output and none is constant. */
  allNeeded: boolean;
}

// A non-enumerable symbol: JSON, structured clones (worker messages), spreads and test
// equality all leave it out, so a spec stays plain JSON wherever it goes.
const PACKED = Symbol('packed spec');
interface PackedBeside { readonly [PACKED]?: { nodes: readonly NodeSpec[]; packed: PackedSpec } }

/** Keeps a spec's packed form beside it (the spaces' builder does, as it finishes a spec). */
export function keepPacked(spec: ModelSpec, packed: PackedSpec): void {
  Object.defineProperty(spec, PACKED, { value: { nodes: spec.nodes, packed } });
}

/** The packed form kept beside this spec, if its nodes are still the ones packed. */
export function packedFormOf(spec: ModelSpec): PackedSpec | undefined {
  const kept = (spec as PackedBeside)[PACKED];
  return kept !== undefined && kept.nodes === spec.nodes && kept.packed.n === spec.nodes.length ? kept.packed : undefined;
}

/** Writes a packed form node by node, as a spec's nodes are made. */
export class PackedWriter {
  /**
   * Records are written into one scratch array and copied out at the end: growing a list
   * per spec (Array.prototype.push, or a typed array per spec) made building a spec a third
   * slower. The newest writer holds the scratch; one it takes it from (a builder inside
   * another's build, or one an exception abandoned) goes on in a copy of its own.
   */
  private static scratch = new Int32Array(4096);
  private static holder: PackedWriter | null = null;
  private records: Int32Array;
  private at = 0;
  private n = 0;
  private weightNodes = 0;
  private readonly weightBits: number[] = []; private readonly activationBits: number[] = []; private readonly sparsity: number[] = [];

  constructor() {
    const holder = PackedWriter.holder;
    if (holder !== null) holder.records = holder.records.slice();
    PackedWriter.holder = this;
    this.records = PackedWriter.scratch;
  }

  /** Starts a node's record, its fields given; its `count` inputs follow (input). */
  header(op: number, act: number, p0: number, p1: number, p2: number, flags: number, count: number): void {
    if (this.at + 7 + count > this.records.length) this.grow(7 + count);
    const r = this.records, at = this.at;
    r[at] = op; r[at + 1] = act; r[at + 2] = p0; r[at + 3] = p1; r[at + 4] = p2; r[at + 5] = flags; r[at + 6] = count;
    this.at = at + 7;
    this.n++;
    if (op <= OP.dense) this.weightNodes++;
  }

  input(t: number): void { this.records[this.at++] = t; }

  /** A node with one input, its fields given (the spaces' builder, which knows them without reading a layer back). */
  record(op: number, act: number, p0: number, p1: number, p2: number, flags: number, input: number): void {
    this.header(op, act, p0, p1, p2, flags, 1);
    this.input(input);
  }

  /** The next weight node's compression, in node order (a weight node without any gets 32, 32, 0). */
  compression(weightBits: number, activationBits: number, sparsity: number): void {
    this.weightBits.push(weightBits); this.activationBits.push(activationBits); this.sparsity.push(sparsity);
  }

  /** Starts a node's record from its layer object; its `count` inputs follow (input). */
  layerHeader(layer: LayerSpec, count: number): void {
    switch (layer.op) {
      case 'conv2d': return this.header(OP.conv2d, ACTIVATION_CODE[layer.activation], layer.filters, layer.kernel, layer.stride, flagsOf(layer.padding === 'same', layer.bias), count);
      case 'depthwise': return this.header(OP.depthwise, ACTIVATION_CODE[layer.activation], layer.multiplier, layer.kernel, layer.stride, flagsOf(layer.padding === 'same', layer.bias), count);
      case 'dense': return this.header(OP.dense, ACTIVATION_CODE[layer.activation], layer.units, 0, 0, flagsOf(false, layer.bias), count);
      case 'activation': return this.header(OP.activation, ACTIVATION_CODE[layer.activation], 0, 0, 0, 0, count);
      case 'maxpool': case 'avgpool': return this.header(OP[layer.op], 0, layer.size, layer.size, layer.stride, flagsOf(layer.padding === 'same', false), count);
      case 'reshape': return this.header(OP.reshape, 0, layer.shape[0], layer.shape[1], layer.shape[2], 0, count);
      default: return this.header(OP[layer.op], 0, 0, 0, 0, 0, count);
    }
  }

  private grow(count: number): void {
    const grown = new Int32Array(Math.max(2 * this.records.length, this.at + count));
    grown.set(this.records.subarray(0, this.at));
    if (this.records === PackedWriter.scratch) PackedWriter.scratch = grown;
    this.records = grown;
  }

  /** The packed form, written; the writer is done. */
  finish(): PackedSpec {
    const { weightBits, activationBits, sparsity } = this;
    while (weightBits.length < this.weightNodes) this.compression(32, 32, 0);
    const records = this.records.slice(0, this.at);
    if (PackedWriter.holder === this) PackedWriter.holder = null;
    // Use counts let a cost model decide, as it reads a node, whether the node is its input's only reader.
    const n = this.n, uses = new Int32Array(n + 1);
    let zeros = false;
    for (let i = 0, r = 0; i < n; i++) {
      const count = records[r + 6]!;
      if (records[r] === OP.zeros) zeros = true;
      for (let k = r + 7; k < r + 7 + count; k++) uses[records[k]!]!++;
      r += 7 + count;
    }
    let allNeeded = n > 0 && !zeros;
    for (let t = 1; t < n && allNeeded; t++) if (uses[t] === 0) allNeeded = false;
    return { n, records, weightBits, activationBits, sparsity, uses, allNeeded };
  }
}

export const flagsOf = (same: boolean, bias: boolean): number => (same ? SAME_PADDING : 0) | (bias ? HAS_BIAS : 0);

/** Node names to tensor indices, built only for a spec with an input further back than the scan looks. */
function farTensor(spec: ModelSpec, name: string, before: number): number {
  const t = spec.nodes.findIndex((node) => node.name === name) + 1;
  if (t <= 0 || t > before) throw new Error(`${spec.name}: input '${name}' is not an earlier node`);
  return t;
}

/**
 * Packs a spec from its objects: a spec no space built, or one derived from another. The
 * result is not kept: such specs may be edited in place.
 */
export function packSpec(spec: ModelSpec): PackedSpec {
  const nodes = spec.nodes;
  const writer = new PackedWriter();
  for (let i = 0; i < nodes.length; i++) {
    const { layer, inputs: names, compression: c } = nodes[i]!;
    // The cost models read a node's first input unchecked (analyzeSpec refuses such a node too).
    if (names.length === 0) throw new Error(`${spec.name}.${nodes[i]!.name}: a node needs at least one input`);
    writer.layerHeader(layer, names.length);
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      // Inputs are almost always a few nodes back, so scanning back beats hashing every name
      // into a Map; 'input' is checked only when the scan fails, and an input further back
      // than 48 nodes is looked up by name.
      let t = 0;
      const stop = i > 48 ? i - 48 : 0;
      for (let j = i - 1; j >= stop; j--) if (nodes[j]!.name === name) { t = j + 1; break; }
      if (t === 0 && name !== 'input') t = farTensor(spec, name, i);
      writer.input(t);
    }
    if (isWeightOp(layer.op)) writer.compression(c?.weightBits ?? 32, c?.activationBits ?? 32, c?.sparsity ?? 0);
  }
  return writer.finish();
}
