/**
 * Peak activation memory over the layer schedule, counted as MCUNet does: running the
 * nodes in order, a tensor is live from the node that makes it until its last consumer
 * has run; a node needs its inputs and its output at once. Flatten and reshape reuse
 * their input's buffer, so a tensor read through them lives until their consumers ran.
 */
import type { NodeAnalysis } from '../spaces/analyze.js';
import type { ModelSpec } from '../spaces/model-spec.js';
import { specGraph, type SpecGraph } from './graph.js';

export function peakActivationBytesOf(spec: ModelSpec, g: SpecGraph, bytesPerElement: number): number {
  const n = g.n;
  const size = (t: number) => g.h[t]! * g.w[t]! * g.c[t]!;
  const root = new Int32Array(n + 1), lastUse = new Int32Array(n + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const op = spec.nodes[i]!.layer.op;
    root[i + 1] = op === 'flatten' || op === 'reshape' ? root[g.inputs[g.inputStart[i]!]!]! : i + 1;
    for (let k = g.inputStart[i]!; k < g.inputStart[i + 1]!; k++) lastUse[root[g.inputs[k]!]!] = i;
  }
  let live = size(0), peak = live;
  for (let i = 0; i < n; i++) {
    const output = root[i + 1] === i + 1 ? size(i + 1) : 0;
    if (live + output > peak) peak = live + output;
    live += output;
    for (let k = g.inputStart[i]!; k < g.inputStart[i + 1]!; k++) {
      const r = root[g.inputs[k]!]!;
      // Free each tensor once, after its last consumer (a node may read one tensor twice).
      if (lastUse[r] === i) { live -= size(r); lastUse[r] = -2; }
    }
  }
  return peak * bytesPerElement;
}

/** The same from a spec (its analysis is implied by the spec; kept for callers that have one). */
export function peakActivationBytes(spec: ModelSpec, _analysis: readonly NodeAnalysis[], bytesPerElement: number): number {
  return peakActivationBytesOf(spec, specGraph(spec), bytesPerElement);
}
