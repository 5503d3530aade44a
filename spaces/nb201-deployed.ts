/**
 * The NAS-Bench-201 network as HW-NAS-Bench's devices ran it, as a ModelSpec.
 *
 * spaces/nb201.ts builds the network a cell means: a `none` edge is absent and a node fed
 * by one edge is that edge. The reference PyTorch cell (NB201's InferCell, which
 * HW-NAS-Bench converted with torch2trt, TFLite and its simulators) computes something
 * longer: every `none` edge is a real x * 0 (its Zero op) and every node is
 * `sum(edge outputs)`, Python's sum, so even a one-edge node is one elementwise op (0 + x).
 * Runtimes differ in what they drop of that, and the measurements show it: on the Jetson
 * TX2 a cell `|none~0|+|none~0|skip_connect~1|+|skip_connect~0|skip_connect~1|skip_connect~2|`
 * costs as much as six skips, while the canonical spec calls it an identity. The cost
 * model predicts what runs, so validating it against those measurements needs the
 * network that ran; which of its parts a runtime folds or fuses is the profile's business
 * (native.folding, native.zeros, native.fusion).
 *
 * Everything else (stem, residual reduction blocks, classifier) is spaces/nb201.ts's.
 */
import type { DatasetShape } from './builtin.js';
import type { ModelSpec, NodeSpec } from './model-spec.js';
import { NB201_EDGES, type Nb201Op } from './nb201.js';
import type { Genotype } from './space.js';

export function nb201MeasuredSpec(g: Genotype, data: DatasetShape): ModelSpec {
  const nodes: NodeSpec[] = [];
  const push = (node: NodeSpec) => { nodes.push(node); return node.name; };
  const reluConvBn = (name: string, input: string, filters: number, kernel: number, stride: number) => {
    const r = push({ name: `${name}_relu`, layer: { op: 'activation', activation: 'relu' }, inputs: [input] });
    const c = push({ name, layer: { op: 'conv2d', filters, kernel, stride, padding: 'same', activation: 'linear', bias: false }, inputs: [r] });
    return push({ name: `${name}_bn`, layer: { op: 'batchnorm' }, inputs: [c] });
  };
  const stem = push({ name: 'stem', layer: { op: 'conv2d', filters: 16, kernel: 3, stride: 1, padding: 'same', activation: 'linear', bias: false }, inputs: ['input'] });
  let x = push({ name: 'stem_bn', layer: { op: 'batchnorm' }, inputs: [stem] });

  const cell = (name: string, input: string, channels: number): string => {
    const outputs: string[] = [input];
    for (let to = 1; to <= 3; to++) {
      const terms: string[] = [];
      NB201_EDGES.forEach(([t, from], e) => {
        if (t !== to) return;
        const source = outputs[from]!;
        const edge = `${name}_e${from}${to}`;
        const op = g[`edge${e}`] as Nb201Op;
        if (op === 'none') terms.push(push({ name: edge, layer: { op: 'zeros' }, inputs: [source] }));
        else if (op === 'skip_connect') terms.push(source);
        else if (op === 'nor_conv_1x1') terms.push(reluConvBn(edge, source, channels, 1, 1));
        else if (op === 'nor_conv_3x3') terms.push(reluConvBn(edge, source, channels, 3, 1));
        else terms.push(push({ name: edge, layer: { op: 'avgpool', size: 3, stride: 1, padding: 'same' }, inputs: [source] }));
      });
      outputs.push(push({ name: `${name}_n${to}`, layer: { op: 'add' }, inputs: terms }));
    }
    return outputs[3]!;
  };

  const reduction = (name: string, input: string, channels: number): string => {
    const a = reluConvBn(`${name}_a`, input, channels, 3, 2);
    const b = reluConvBn(`${name}_b`, a, channels, 3, 1);
    const pool = push({ name: `${name}_pool`, layer: { op: 'avgpool', size: 2, stride: 2, padding: 'valid' }, inputs: [input] });
    const shortcut = push({ name: `${name}_shortcut`, layer: { op: 'conv2d', filters: channels, kernel: 1, stride: 1, padding: 'same', activation: 'linear', bias: false }, inputs: [pool] });
    return push({ name: `${name}_add`, layer: { op: 'add' }, inputs: [b, shortcut] });
  };

  [16, 32, 64].forEach((channels, stage) => {
    if (stage > 0) x = reduction(`reduce${stage}`, x, channels);
    for (let c = 0; c < 5; c++) x = cell(`s${stage}c${c}`, x, channels);
  });
  const bn = push({ name: 'lastact_bn', layer: { op: 'batchnorm' }, inputs: [x] });
  const relu = push({ name: 'lastact_relu', layer: { op: 'activation', activation: 'relu' }, inputs: [bn] });
  const pool = push({ name: 'pool', layer: { op: 'gap' }, inputs: [relu] });
  push({ name: 'logits', layer: { op: 'dense', units: data.numClasses, activation: 'linear', bias: true }, inputs: [pool] });
  return { name: 'nb201-as-measured', inputShape: data.inputShape, numClasses: data.numClasses, nodes };
}
