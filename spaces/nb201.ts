/**
 * `nb201`: the NAS-Bench-201 cell space. A cell is a DAG of 4 nodes; each of the 6 edges
 * j -> i (j < i) carries one of 5 operations, so there are 5^6 = 15,625 cells. The
 * canonical form is NB201's architecture string `|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`
 * (edge `op~j` in group i feeds node i from node j), so results and costs line up with
 * the published tables. The macro network is NB201's: a 3x3 stem with 16 channels, three
 * stages of 5 cells at 16/32/64 channels joined by residual reduction blocks, then
 * BN-ReLU, global average pooling and the classifier.
 */
import { nb201MeasuredSpec } from './nb201-deployed.js';
import { INPUT, SpecBuilder, type Tensor } from './blocks.js';
import type { BuiltinSpace, DatasetShape } from './builtin.js';
import type { ModelSpec } from './model-spec.js';
import type { Genotype, SpaceDefinition } from './space.js';

export const NB201_OPS = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;
export type Nb201Op = typeof NB201_OPS[number];

/** The edges in architecture-string order: [to, from]. */
export const NB201_EDGES: ReadonlyArray<readonly [number, number]> = [[1, 0], [2, 0], [2, 1], [3, 0], [3, 1], [3, 2]];

export const nb201Definition: SpaceDefinition = {
  name: 'nb201',
  description: 'NAS-Bench-201 cell space (6 edges x 5 operations) in the standard NB201 macro network',
  params: Object.fromEntries(NB201_EDGES.map(([to, from], i) => [`edge${i}`, {
    type: 'categorical' as const, values: [...NB201_OPS], description: `operation on the edge from node ${from} to node ${to}`,
  }])),
};

export function toArchString(g: Genotype): string {
  const op = (i: number) => `${g[`edge${i}`] as string}~${NB201_EDGES[i]![1]}`;
  return `|${op(0)}|+|${op(1)}|${op(2)}|+|${op(3)}|${op(4)}|${op(5)}|`;
}

/** The operation on each edge, in NB201_EDGES order (read once: fifteen cells use them). */
export function edgeOps(g: Genotype): Nb201Op[] {
  return NB201_EDGES.map((_, e) => g[`edge${e}`] as Nb201Op);
}

/** Parses an architecture string; throws with the position of the first problem. */
export function fromArchString(arch: string): Genotype {
  const groups = arch.trim().split('+');
  if (groups.length !== 3) throw new Error(`'${arch}': expected 3 '+'-separated node groups like |op~0|+|op~0|op~1|+|op~0|op~1|op~2|`);
  const g: Genotype = {};
  let edge = 0;
  groups.forEach((group, i) => {
    const ops = group.split('|').filter((s) => s.length > 0);
    if (ops.length !== i + 1) throw new Error(`'${arch}': node ${i + 1} needs ${i + 1} inputs, found ${ops.length}`);
    ops.forEach((token, j) => {
      const [op, from] = token.split('~');
      if (!NB201_OPS.includes(op as Nb201Op)) throw new Error(`'${arch}': unknown operation '${op}' (one of ${NB201_OPS.join(', ')})`);
      if (Number(from) !== j) throw new Error(`'${arch}': '${token}' should read from node ${j}`);
      g[`edge${edge++}`] = op!;
    });
  });
  return g;
}

/** NB201's ReLU-Conv-BN unit. */
export function reluConvBn(b: SpecBuilder, name: string, input: Tensor, filters: number, kernel: number, stride: number): Tensor {
  return b.batchnorm(`${name}_bn`, b.conv(name, b.activation(`${name}_relu`, input, 'relu'), filters, kernel, stride));
}

/** Builds one cell from `input` at `channels` and returns its output. */
export type Nb201Cell = (b: SpecBuilder, name: string, input: Tensor, channels: number) => Tensor;

/** NB201's macro network around a cell: a 3x3 stem, three stages of five cells joined by residual reduction blocks, BN-ReLU, pooling, classifier. */
export function nb201Network(specName: string, data: DatasetShape, cell: Nb201Cell): ModelSpec {
  const b = new SpecBuilder();
  let x = b.batchnorm('stem_bn', b.conv('stem', INPUT, 16, 3, 1));

  const reduction = (name: string, input: Tensor, channels: number): Tensor => {
    const first = reluConvBn(b, `${name}_a`, input, channels, 3, 2);
    const second = reluConvBn(b, `${name}_b`, first, channels, 3, 1);
    const shortcut = b.conv(`${name}_shortcut`, b.pool(`${name}_pool`, input, 'avgpool', 2, 2, 'valid'), channels, 1, 1);
    return b.join(`${name}_add`, 'add', [second, shortcut]);
  };

  [16, 32, 64].forEach((channels, stage) => {
    if (stage > 0) x = reduction(`reduce${stage}`, x, channels);
    for (let c = 0; c < 5; c++) x = cell(b, `s${stage}c${c}`, x, channels);
  });
  const relu = b.activation('lastact_relu', b.batchnorm('lastact_bn', x), 'relu');
  b.denseLayer('logits', b.plain('pool', 'gap', relu), data.numClasses, 'linear', true);
  return b.spec(specName, data.inputShape, data.numClasses);
}

/** The network a cell means: a `none` edge is absent, a node fed by one edge is that edge. */
function nb201Spec(g: Genotype, data: DatasetShape): ModelSpec {
  const ops = edgeOps(g);
  return nb201Network('nb201', data, (b, name, input, channels) => {
    // A node fed only by `none` edges (or by such nodes) is zero; edges out of it add nothing.
    const outputs: Array<Tensor | null> = [input];
    for (let to = 1; to <= 3; to++) {
      const terms: Tensor[] = [];
      NB201_EDGES.forEach(([t, from], e) => {
        if (t !== to) return;
        const op = ops[e]!;
        const source = outputs[from];
        if (op === 'none' || source === null || source === undefined) return;
        const edge = `${name}_e${from}${to}`;
        if (op === 'skip_connect') terms.push(source);
        else if (op === 'nor_conv_1x1') terms.push(reluConvBn(b, edge, source, channels, 1, 1));
        else if (op === 'nor_conv_3x3') terms.push(reluConvBn(b, edge, source, channels, 3, 1));
        else terms.push(b.pool(edge, source, 'avgpool', 3, 1, 'same'));
      });
      outputs.push(terms.length === 0 ? null : terms.length === 1 ? terms[0]! : b.join(`${name}_n${to}`, 'add', terms));
    }
    return outputs[3] ?? b.plain(`${name}_zero`, 'zeros', input);
  });
}

// Lazily: nb201-deployed.ts reads this module's edge table.
export const nb201: BuiltinSpace = { definition: nb201Definition, toSpec: nb201Spec, deploymentSpec: (g, data) => nb201MeasuredSpec(g, data) };
