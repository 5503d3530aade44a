/**
 * Peak activation memory over the layer schedule, counted as MCUNet does: running the
 * kernels in order, a tensor is live from the kernel that makes it until its last consumer
 * has run; a kernel needs its inputs and its output at once. Layers that run in place
 * (flatten, reshape, and batch norm / activations a runtime fuses) share their input's
 * buffer, so a tensor read through them lives until their consumers ran. Only tensors of
 * kernels that run count: folded constants and dropped branches take no memory.
 */
import type { ModelSpec } from '../spaces/model-spec.js';
import { planExecution, type Execution, type ExecutionRules } from './execution.js';
import { specGraph, type SpecGraph } from './graph.js';

/** `tensorBytes[t]`: bytes of tensor t (0 = the input). Uses, and consumes, the execution's lastUse. */
export function peakActivationBytesOf(g: SpecGraph, ex: Execution, tensorBytes: Float64Array): number {
  const { order, count, root, lastUse } = ex;
  const { inputs, inputStart } = g;
  let live = tensorBytes[0]!, peak = live;
  for (let o = 0; o < count; o++) {
    const j = order[o]!;
    live += tensorBytes[j + 1]!;
    if (live > peak) peak = live;
    for (let k = inputStart[j]!; k < inputStart[j + 1]!; k++) {
      const r = root[inputs[k]!]!;
      // Free each tensor once, after its last consumer (a kernel may read one tensor twice).
      if (lastUse[r] === j) { live -= tensorBytes[r]!; lastUse[r] = -2; }
    }
  }
  return peak;
}

/** Every node runs as its own kernel (no folding, no fusion): the schedule without a runtime's rules. */
export const EVERYTHING_RUNS: ExecutionRules = { folding: 'none', zeros: 'kernel', fusion: 'never' };

/** The same for a whole spec at one width per element (tests, callers without a profile). */
export function peakActivationBytes(spec: ModelSpec, bytesPerElement: number, rules: ExecutionRules = EVERYTHING_RUNS): number {
  const g = specGraph(spec);
  const elementBytes = new Float64Array(g.n + 1);
  for (let t = 0; t <= g.n; t++) elementBytes[t] = g.h[t]! * g.w[t]! * g.c[t]! * bytesPerElement;
  return peakActivationBytesOf(g, planExecution(g, rules), elementBytes);
}
