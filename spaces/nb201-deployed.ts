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
 * Everything else (stem, residual reduction blocks, classifier) is spaces/nb201.ts's nb201Network.
 */
import type { DatasetShape } from './builtin.js';
import type { ModelSpec } from './model-spec.js';
import type { Tensor } from './blocks.js';
import { edgeOps, NB201_EDGES, nb201Network, reluConvBn } from './nb201.js';
import type { Genotype } from './space.js';

export function nb201MeasuredSpec(g: Genotype, data: DatasetShape): ModelSpec {
  const ops = edgeOps(g);
  return nb201Network('nb201-as-measured', data, (b, name, input, channels) => {
    const outputs: Tensor[] = [input];
    for (let to = 1; to <= 3; to++) {
      const terms: Tensor[] = [];
      NB201_EDGES.forEach(([t, from], e) => {
        if (t !== to) return;
        const source = outputs[from]!;
        const edge = `${name}_e${from}${to}`;
        const op = ops[e]!;
        if (op === 'none') terms.push(b.plain(edge, 'zeros', source));
        else if (op === 'skip_connect') terms.push(source);
        else if (op === 'nor_conv_1x1') terms.push(reluConvBn(b, edge, source, channels, 1, 1));
        else if (op === 'nor_conv_3x3') terms.push(reluConvBn(b, edge, source, channels, 3, 1));
        else terms.push(b.pool(edge, source, 'avgpool', 3, 1, 'same'));
      });
      outputs.push(b.join(`${name}_n${to}`, 'add', terms));
    }
    return outputs[3]!;
  });
}
