/**
 * Peak activation memory over the layer schedule, counted as MCUNet does: running the
 * nodes in order, a tensor is live from the node that makes it until its last consumer
 * has run; a node needs its inputs and its output at once. Flatten and reshape reuse
 * their input's buffer, so a tensor read through them lives until their consumers ran.
 */
import type { NodeAnalysis } from '../spaces/analyze.js';
import type { ModelSpec } from '../spaces/model-spec.js';

export function peakActivationBytes(spec: ModelSpec, analysis: readonly NodeAnalysis[], bytesPerElement: number): number {
  // Tensors by index: 0 is the input image, i + 1 is node i's output.
  const n = spec.nodes.length;
  const index = new Map<string, number>([['input', 0]]);
  const size = new Float64Array(n + 1), root = new Int32Array(n + 1), lastUse = new Int32Array(n + 1).fill(-1);
  size[0] = spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
  for (let i = 0; i < n; i++) {
    const node = spec.nodes[i]!;
    index.set(node.name, i + 1);
    size[i + 1] = analysis[i]!.outputElements;
    const aliased = node.layer.op === 'flatten' || node.layer.op === 'reshape';
    root[i + 1] = aliased ? root[index.get(node.inputs[0]!)!]! : i + 1;
    for (const input of node.inputs) lastUse[root[index.get(input)!]!] = i;
  }
  let live = size[0]!, peak = live;
  for (let i = 0; i < n; i++) {
    const node = spec.nodes[i]!;
    const output = root[i + 1] === i + 1 ? size[i + 1]! : 0;
    if (live + output > peak) peak = live + output;
    live += output;
    let freed = -1;
    for (const input of node.inputs) {
      const r = root[index.get(input)!]!;
      // Free each tensor once, after its last consumer (a node may read one tensor twice).
      if (lastUse[r] === i && r !== freed) { live -= size[r]!; lastUse[r] = -2; freed = r; }
    }
  }
  return peak * bytesPerElement;
}
