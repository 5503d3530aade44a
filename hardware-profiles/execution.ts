/**
 * Which nodes of a spec a runtime really executes, and which share a buffer. Compilers
 * fold constants (NB201's `none` edges compute x * 0), drop what does not reach the
 * output, fold batch norm into the conv before it and fuse activations; simulators and
 * tfjs do less. HW-NAS-Bench's measurements show each of these differences (a cell whose
 * output has only `none` inputs makes a TFLite model ~0.01 ms; on Eyeriss every layer
 * costs whether or not its result is used; on the Jetson a ReLU costs a kernel exactly
 * when several edges read its input), so they are profile settings, not constants.
 */
import { activationFusion, OP, type SpecGraph } from './graph.js';
import type { Folding, Fusion } from './profile.js';

export interface ExecutionRules {
  folding: Folding; zeros: 'kernel' | 'constant'; fusion: Fusion;
  /** By activation code, 1 where a kernel can apply it (activationFusion); absent = every activation. */
  activationFuses?: Uint8Array;
}
const EVERY_ACTIVATION_FUSES = activationFusion(null);

export interface Execution {
  /** Per node: 1 when it runs as a kernel. */
  runs: Uint8Array;
  /** The kernels that run, in schedule order: order[0 .. count). */
  order: Int32Array; count: number;
  /** Per tensor (n + 1): the tensor whose buffer it is (itself, or the one a flatten, reshape, fused or elided layer aliases). */
  root: Int32Array;
  /** Per tensor (n + 1): the last kernel that reads its buffer (-1: none); only roots are set. */
  lastUse: Int32Array;
  /** Per tensor (n + 1): 1 when folding made it a constant the kernels reading it need not load. */
  folded: Uint8Array;
}

export class ExecutionBuffers {
  private capacity = 0;
  runs = new Uint8Array(0); needed = new Uint8Array(0); consumers = new Int32Array(0); root = new Int32Array(0); lastUse = new Int32Array(0);
  /** Per kernel position (+ 1): bytes freed before it runs (the roofline model's memory schedule). */
  freed = new Float64Array(0);
  order = new Int32Array(0);
  private none = new Uint8Array(0);
  private all = new Uint8Array(0);
  /** All zeros: what `folded` is when nothing folds. */
  unfolded(n: number): Uint8Array { if (this.none.length < n + 1) this.none = new Uint8Array(Math.max(n + 1, this.capacity + 1)); return this.none; }
  /** All ones: what `needed` is when every node is. */
  allNeeded(n: number): Uint8Array { if (this.all.length < n) this.all = new Uint8Array(Math.max(n, this.capacity)).fill(1); return this.all; }
  reserve(n: number): void {
    if (n <= this.capacity) return;
    this.capacity = Math.max(n, this.capacity * 2, 64);
    this.runs = new Uint8Array(this.capacity); this.needed = new Uint8Array(this.capacity); this.order = new Int32Array(this.capacity);
    this.consumers = new Int32Array(this.capacity + 1); this.root = new Int32Array(this.capacity + 1);
    this.lastUse = new Int32Array(this.capacity + 1); this.freed = new Float64Array(this.capacity + 1);
  }
}

/** A profile's execution rules as the per-node decision reads them. */
export interface Placement { folds: boolean; full: boolean; zerosFree: boolean; soleConsumer: boolean; fuseAlways: boolean; fuses: Uint8Array }

export function placementOf(rules: ExecutionRules): Placement {
  const full = rules.folding === 'full';
  return { folds: rules.folding !== 'none', full, zerosFree: rules.zeros === 'constant' || full, soleConsumer: rules.fusion === 'sole-consumer', fuseAlways: rules.fusion === 'always', fuses: rules.activationFuses ?? EVERY_ACTIVATION_FUSES };
}

/**
 * How many needed nodes read each tensor, marking in `buffers.needed` the nodes that reach
 * the output. Full folding stops at constants; a constant zeros buffer needs no input.
 * Most specs have no dead node and no constant (the graph pass knows): then every node is
 * needed, `needed` is not written, and the graph's own counts are returned.
 */
export function neededConsumers(g: SpecGraph, place: Placement, buffers: ExecutionBuffers): Int32Array {
  if (g.allNeeded) return g.consumers;
  const n = g.n;
  const { needed, consumers } = buffers;
  const { op, inputs, inputStart, constant } = g;
  // A constant output: nothing runs, the runtime skips the model.
  const skipped = place.folds && constant[n] === 1;
  needed.fill(0, 0, n);
  consumers.fill(0, 0, n + 1);
  if (n > 0 && !skipped) needed[n - 1] = 1;
  for (let i = n - 1; i >= 0; i--) {
    if (needed[i] === 0 || (op[i] === OP.zeros && place.zerosFree)) continue;
    for (let k = inputStart[i]!; k < inputStart[i + 1]!; k++) {
      const t = inputs[k]!;
      if (place.full && constant[t] === 1) continue;
      consumers[t]!++;
      if (t > 0) needed[t - 1] = 1;
    }
  }
  return consumers;
}

/**
 * Decides needed node i (op code `o`, activation code `act`, inputs list[from .. to)), the
 * nodes before it decided: sets root[i + 1], the tensor whose buffer its output is, and
 * runs[i]; returns whether it runs as a kernel. The one rule both the plan and the
 * roofline model's single pass apply.
 */
export function placeNode(i: number, o: number, act: number, list: Int32Array, from: number, to: number, place: Placement,
  consumers: Int32Array, constant: Uint8Array, root: Int32Array, runs: Uint8Array): boolean {
  // Every rule read up front: a field first read, in a hot loop, only when a rare node (zeros) turns up
  // sends V8's optimized code back to the interpreter.
  const { full, zerosFree, soleConsumer, fuseAlways, fuses } = place;
  const first = list[from]!;
  let alias = -1;
  if (o === OP.flatten || o === OP.reshape) alias = first;
  else if (o === OP.batchnorm || (o === OP.activation && fuses[act] === 1)) {
    // Fused into the kernel that makes its input, when the rules allow it and that kernel exists
    // (and, for an activation, when the runtime's kernels can apply that one).
    const producer = root[first]!;
    if (fuseAlways || (soleConsumer && consumers[first] === 1 && producer > 0 && runs[producer - 1] === 1)) alias = first;
  } else if (o === OP.add && full) {
    // x + 0 is x: with constants folded, a sum with one varying input is that input.
    let varying = -1, varyingCount = 0;
    for (let k = from; k < to; k++) if (constant[list[k]!] === 0) { varying = list[k]!; varyingCount++; }
    if (varyingCount === 1) alias = varying;
  }
  root[i + 1] = alias >= 0 ? root[alias]! : i + 1;
  const running = alias < 0 && !(o === OP.zeros && zerosFree) && !(full && constant[i + 1] === 1);
  runs[i] = running ? 1 : 0;
  return running;
}

export function planExecution(g: SpecGraph, rules: ExecutionRules, buffers: ExecutionBuffers = new ExecutionBuffers()): Execution {
  const n = g.n;
  buffers.reserve(n);
  const place = placementOf(rules);
  const consumers = neededConsumers(g, place, buffers);
  const { runs, needed, root, lastUse, order } = buffers;
  const { op, act, inputs, inputStart, constant } = g;
  const allNeeded = g.allNeeded;
  lastUse.fill(-1, 0, n + 1);
  root[0] = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (!allNeeded && needed[i] === 0) { runs[i] = 0; root[i + 1] = i + 1; continue; }
    if (!placeNode(i, op[i]!, act[i]!, inputs, inputStart[i]!, inputStart[i + 1]!, place, consumers, constant, root, runs)) continue;
    order[count++] = i;
    for (let k = inputStart[i]!; k < inputStart[i + 1]!; k++) {
      const r = root[inputs[k]!]!;
      if (r === 0 || runs[r - 1] === 1) lastUse[r] = i;
    }
  }
  return { runs, order, count, root, lastUse, folded: place.full ? g.constant : buffers.unfolded(n) };
}

/** Per node, whether it runs: for callers and tests that want a plain array. */
export function runningNodes(g: SpecGraph, rules: ExecutionRules): boolean[] {
  const { runs } = planExecution(g, rules);
  return Array.from({ length: g.n }, (_, i) => runs[i] === 1);
}
