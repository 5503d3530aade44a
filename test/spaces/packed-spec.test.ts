import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { specGraph } from '../../hardware-profiles/graph.js';
import { builtinProfileIds, costModelFor } from '../../hardware-profiles/registry.js';
import { INPUT, SpecBuilder } from '../../spaces/blocks.js';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { sample } from '../../spaces/operators.js';
import { packedFormOf, packSpec } from '../../spaces/packed-spec.js';
import { BUILTIN_SPACES, getBuiltinSpace } from '../../spaces/registry.js';

/** The spec as JSON.parse gives it: its objects only. */
const plain = (spec: ModelSpec): ModelSpec => JSON.parse(JSON.stringify(spec)) as ModelSpec;

/** Every array of the graph over the entries that mean something for this spec. */
function graphOf(spec: ModelSpec) {
  const g = specGraph(spec);
  const nodes = (a: ArrayLike<number>) => Array.from(a).slice(0, g.n), tensors = (a: ArrayLike<number>) => Array.from(a).slice(0, g.n + 1);
  const weighted = Array.from({ length: g.n }, (_, i) => i).filter((i) => g.weights[i]! > 0);
  return {
    op: nodes(g.op), kind: nodes(g.kind), act: nodes(g.act), macs: nodes(g.macs), weights: nodes(g.weights),
    h: tensors(g.h), w: tensors(g.w), c: tensors(g.c), bits: tensors(g.bits), bytes: tensors(g.bytes), constant: tensors(g.constant), consumers: tensors(g.consumers),
    inputs: Array.from(g.inputs).slice(0, g.inputStart[g.n]), inputStart: tensors(g.inputStart),
    weightBits: weighted.map((i) => g.weightBits[i]), sparsity: weighted.map((i) => g.sparsity[i]),
    storedBytes: g.storedBytes, denseWeightBytes: g.denseWeightBytes, quantized: g.quantized, allNeeded: g.allNeeded,
  };
}

describe('packed specs', () => {
  // The spaces write the packed form as they build; the cost models trust it instead of the
  // objects. It must say exactly what the objects say, for every space, genotype and input.
  it('a space writes the packed form its spec\'s objects give, and costs come out the same', () => {
    const models = builtinProfileIds().map((id) => costModelFor(id));
    const rng = new Rng(11);
    let checked = 0;
    for (const name of Object.keys(BUILTIN_SPACES)) {
      const space = getBuiltinSpace(name);
      for (const data of [{ inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 }, { inputShape: [28, 28, 1] as [number, number, number], numClasses: 7 }]) {
        for (let i = 0; i < 60; i++) {
          const genotype = sample(space.definition, rng);
          for (const spec of [space.toSpec(genotype, data), ...(space.deploymentSpec ? [space.deploymentSpec(genotype, data)] : [])]) {
            const copy = plain(spec);
            const packed = packedFormOf(spec);
            expect(packed, `${name} ${JSON.stringify(genotype)}`).toBeDefined();
            expect(packedFormOf(copy)).toBeUndefined();
            expect(packed).toEqual(packSpec(copy));
            const graph = graphOf(spec);
            expect(graph).toEqual(graphOf(copy));
            // What the packed form says of the structure, counted here from the node objects.
            const readers = [0, ...spec.nodes.map(() => 0)], index = new Map([['input', 0], ...spec.nodes.map((node, k): [string, number] => [node.name, k + 1])]);
            for (const node of spec.nodes) for (const input of node.inputs) readers[index.get(input)!]!++;
            expect(Array.from(packed!.uses)).toEqual(readers);
            expect(graph.consumers).toEqual(readers);
            expect(packed!.allNeeded).toBe(!spec.nodes.some((node) => node.layer.op === 'zeros') && readers.slice(1, -1).every((n) => n > 0));
            expect(graph.allNeeded).toBe(packed!.allNeeded);
            if (i % 6 === 0) for (const model of models) expect(model.estimate(spec)).toEqual(model.estimate(copy));
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(Object.keys(BUILTIN_SPACES).length * 100);
  });

  it('stays out of the spec: JSON, structured clones, spreads and equality see the plain spec', () => {
    const spec = getBuiltinSpace('mobile-cnn').toSpec(sample(getBuiltinSpace('mobile-cnn').definition, new Rng(3)), { inputShape: [32, 32, 3], numClasses: 10 });
    expect(packedFormOf(spec)).toBeDefined();
    expect(Object.keys(spec)).toEqual(['name', 'inputShape', 'numClasses', 'nodes']);
    expect(spec).toEqual(plain(spec));
    expect(packedFormOf(structuredClone(spec))).toBeUndefined();
    expect(packedFormOf({ ...spec })).toBeUndefined();
  });

  it('a space\'s node list cannot change in place, and a changed copy is read from its objects', () => {
    const data = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
    const spec = getBuiltinSpace('tiny-cnn').toSpec(sample(getBuiltinSpace('tiny-cnn').definition, new Rng(5)), data);
    const model = costModelFor('raspberry-pi-4');
    const before = model.estimate(spec).latencyMs;
    const last = spec.nodes[spec.nodes.length - 1]!;
    const wider = { name: 'wider', layer: { op: 'dense' as const, units: 512, activation: 'linear' as const, bias: true }, inputs: [last.name] };
    // In place, the packed form would describe nodes the spec no longer has.
    expect(() => spec.nodes.push(wider)).toThrow(TypeError);
    expect(() => { spec.nodes[0] = wider; }).toThrow(TypeError);
    // A wider classifier appended in a copy, and a copy with the classifier dropped.
    const longer = { ...spec, nodes: [...spec.nodes, wider] };
    expect(packedFormOf(longer)).toBeUndefined();
    expect(model.estimate(longer).latencyMs).toBeGreaterThan(before);
    expect(model.estimate(longer)).toEqual(model.estimate(plain(longer)));
    const shorter = { ...spec, nodes: spec.nodes.slice(0, -1) };
    expect(packedFormOf(shorter)).toBeUndefined();
    expect(model.estimate(shorter)).toEqual(model.estimate(plain(shorter)));
  });

  it('builders that interleave, are abandoned or outgrow the shared scratch each keep their own nodes', () => {
    const outer = new SpecBuilder();
    let x = outer.conv('outer_stem', INPUT, 8, 3, 1);
    // A builder started (and one abandoned) in the middle of another's build.
    const abandoned = new SpecBuilder();
    abandoned.conv('lost', INPUT, 4, 3, 1);
    const inner = new SpecBuilder();
    let y = inner.activation('inner_act', INPUT, 'relu');
    for (let i = 0; i < 700; i++) y = inner.activation(`inner_act${i}`, y, i % 2 === 0 ? 'relu6' : 'hswish');
    inner.denseLayer('inner_fc', inner.plain('inner_pool', 'gap', y), 10, 'linear', true);
    const innerSpec = inner.spec('inner', [8, 8, 3], 10);
    x = outer.join('outer_sum', 'add', [x, outer.batchnorm('outer_bn', x)]);
    outer.denseLayer('outer_fc', outer.plain('outer_pool', 'gap', x), 10, 'linear', true);
    const outerSpec = outer.spec('outer', [8, 8, 3], 10);
    for (const spec of [innerSpec, outerSpec]) expect(packedFormOf(spec)).toEqual(packSpec(plain(spec)));
    expect(innerSpec.nodes).toHaveLength(703);
    expect(outerSpec.nodes.map((n) => n.name)).toEqual(['outer_stem', 'outer_bn', 'outer_sum', 'outer_pool', 'outer_fc']);
  });
});
