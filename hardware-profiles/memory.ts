/**
 * Peak activation memory over the layer schedule, counted as MCUNet does: running the
 * nodes in order, a tensor is live from the node that makes it until its last consumer
 * has run; a node needs its inputs and its output at once. Flatten and reshape reuse
 * their input's buffer, so a tensor read through them lives until their consumers ran.
 */
import type { NodeAnalysis } from '../spaces/analyze.js';
import type { ModelSpec } from '../spaces/model-spec.js';

export function peakActivationBytes(spec: ModelSpec, analysis: readonly NodeAnalysis[], bytesPerElement: number): number {
  const size = new Map<string, number>([['input', spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2]]]);
  for (const a of analysis) size.set(a.name, a.outputElements);
  const source = new Map<string, string>();
  const root = (name: string): string => source.get(name) ?? name;
  for (const node of spec.nodes) if (node.layer.op === 'flatten' || node.layer.op === 'reshape') source.set(node.name, root(node.inputs[0]!));
  const lastUse = new Map<string, number>();
  spec.nodes.forEach((node, i) => { for (const input of node.inputs) lastUse.set(root(input), i); });
  let live = size.get('input')!;
  let peak = live;
  spec.nodes.forEach((node, i) => {
    const output = source.has(node.name) ? 0 : size.get(node.name)!;
    peak = Math.max(peak, live + output);
    live += output;
    for (const input of new Set(node.inputs.map(root))) if (lastUse.get(input) === i) live -= size.get(input)!;
  });
  return peak * bytesPerElement;
}
