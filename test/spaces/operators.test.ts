import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { canonical, crossover, distance, genotypeHash, mutate, sample, spaceSize } from '../../spaces/operators.js';
import type { SpaceDefinition } from '../../spaces/space.js';
import { checkGenotype, checkSpaceDefinition } from '../../spaces/validate.js';

const toy: SpaceDefinition = {
  name: 'toy',
  params: {
    depth: { type: 'int', low: 1, high: 3 },
    kernel: { type: 'categorical', values: [3, 5, 7] },
    attention: { type: 'categorical', values: [false, true] },
    reduction: { type: 'categorical', values: [4, 8], when: { attention: [true] } },
    bits: { type: 'categorical', values: [32, 8, 4] },
    qat: { type: 'categorical', values: [false, true], when: { bits: [8, 4] } },
    lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  },
};
const discrete: SpaceDefinition = { name: 'discrete', params: Object.fromEntries(Object.entries(toy.params).filter(([k]) => k !== 'lr')) };

describe('space definitions are validated with the offending key named', () => {
  it('accepts a valid space', () => {
    expect(checkSpaceDefinition(toy)).toEqual([]);
  });
  it.each([
    [{ name: 'x', params: { k: { type: 'categorical', values: [] } } }, 'params.k.values: expected a non-empty array'],
    [{ name: 'x', params: { k: { type: 'int', low: 5, high: 1 } } }, 'params.k: low 5 is greater than high 1'],
    [{ name: 'x', params: { k: { type: 'float', low: 0, high: 1, log: true } } }, 'params.k.low: a log-scaled parameter needs low > 0'],
    [{ name: 'x', params: { k: { type: 'int', low: 1, high: 4, stride: 2 } } }, 'params.k.stride: unknown key for an int parameter (its keys: type, low, high, step, log, when, description)'],
    [{ name: 'x', params: { k: { type: 'conv', values: [1] } } }, 'params.k.type: "conv" is not one of categorical, int, float'],
    [{ name: 'x', params: { k: { type: 'toString', values: [1] } } }, 'params.k.type: "toString" is not one of categorical, int, float'],
    [{ name: 'x', params: { a: { type: 'categorical', values: [1], when: { b: [1] } }, b: { type: 'categorical', values: [1] } } },
      "params.a.when.b: conditions may only refer to parameters declared before 'a'"],
    [{ params: { a: { type: 'categorical', values: [1] } } }, 'name: expected a non-empty string'],
    [{ name: 'x', params: { a: { type: 'categorical', values: [1, 1] } } }, 'params.a.values: duplicate values'],
  ])('rejects %j', (def, message) => {
    expect(checkSpaceDefinition(def)).toContain(message);
  });
  it('names the key of a genotype that does not belong', () => {
    expect(checkGenotype(toy, { depth: 9, kernel: 3, attention: false, bits: 32, lr: 0.01 })).toMatch(/^depth: 9 is not a legal value \(int in \[1, 3\]\)/);
    expect(checkGenotype(toy, { depth: 1, kernel: 3, attention: false, reduction: 4, bits: 32, lr: 0.01 })).toMatch(/^reduction: set, but inactive/);
    expect(checkGenotype(toy, { depth: 1, kernel: 3, attention: true, bits: 32, lr: 0.01 })).toMatch(/^reduction: missing/);
    expect(checkGenotype(toy, { depth: 1, kernel: 3, attention: false, bits: 32, lr: 0.01, extra: 1 })).toMatch(/^extra: not a parameter/);
  });
});

describe('operators', () => {
  it('sample is deterministic for a seed and different across seeds', () => {
    const a = Array.from({ length: 5 }, (_, i) => sample(toy, new Rng(i)));
    const b = Array.from({ length: 5 }, (_, i) => sample(toy, new Rng(i)));
    expect(a).toEqual(b);
    expect(new Set(a.map(genotypeHash)).size).toBeGreaterThan(1);
  });

  it('sampled, mutated and crossed genotypes stay inside the space', () => {
    const rng = new Rng(42);
    let pool = Array.from({ length: 20 }, () => sample(toy, rng));
    for (let round = 0; round < 50; round++) {
      const a = rng.pick(pool), b = rng.pick(pool);
      const child = crossover(toy, rng, a, b);
      const mutant = mutate(toy, rng, child, 0.3);
      expect(checkGenotype(toy, child)).toBeNull();
      expect(checkGenotype(toy, mutant)).toBeNull();
      pool = [...pool.slice(1), mutant];
    }
  });

  it('mutation stays on the grid when the range is not a whole number of steps', () => {
    const grid: SpaceDefinition = { name: 'grid', params: { x: { type: 'int', low: 0, high: 101, step: 3 } } };
    const rng = new Rng(5);
    for (let i = 0; i < 200; i++) expect(checkGenotype(grid, mutate(grid, rng, { x: 99 }, 1))).toBeNull();
  });

  it('handles an int range of a billion values without listing them', () => {
    const wide: SpaceDefinition = { name: 'wide', params: { n: { type: 'int', low: 1, high: 1_000_000_000 }, m: { type: 'int', low: 1, high: 20_000_000, log: true } } };
    expect(spaceSize(wide)).toBe(1_000_000_000n * 20_000_000n);
    const rng = new Rng(9);
    for (let i = 0; i < 50; i++) {
      const g = sample(wide, rng);
      expect(checkGenotype(wide, g)).toBeNull();
      expect(checkGenotype(wide, mutate(wide, rng, g, 1))).toBeNull();
    }
  });

  it('a mutant always differs from its parent', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 100; i++) {
      const parent = sample(discrete, rng);
      expect(genotypeHash(mutate(discrete, rng, parent, 0))).not.toBe(genotypeHash(parent));
    }
  });

  it('mutation and crossover are deterministic for a seed', () => {
    const parent = sample(toy, new Rng(1)), other = sample(toy, new Rng(2));
    expect(mutate(toy, new Rng(9), parent, 0.5)).toEqual(mutate(toy, new Rng(9), parent, 0.5));
    expect(crossover(toy, new Rng(9), parent, other)).toEqual(crossover(toy, new Rng(9), parent, other));
  });

  it('crossover takes every value from one of the parents', () => {
    const rng = new Rng(5);
    for (let i = 0; i < 50; i++) {
      const a = sample(discrete, rng), b = sample(discrete, rng);
      const child = crossover(discrete, rng, a, b);
      for (const [k, v] of Object.entries(child)) {
        if (k in a && k in b) expect([a[k], b[k]]).toContainEqual(v);
      }
    }
  });

  it('distance is 0 for equal genotypes, symmetric, and within [0, 1]', () => {
    const rng = new Rng(6);
    for (let i = 0; i < 30; i++) {
      const a = sample(toy, rng), b = sample(toy, rng);
      expect(distance(toy, a, a)).toBe(0);
      expect(distance(toy, a, b)).toBeCloseTo(distance(toy, b, a));
      expect(distance(toy, a, b)).toBeGreaterThanOrEqual(0);
      expect(distance(toy, a, b)).toBeLessThanOrEqual(1);
    }
  });

  it('hashes are stable: independent of key order, fixed across releases', () => {
    const g = { depth: 2, kernel: 5, attention: true, reduction: 8, bits: 4, qat: true, lr: 0.001 };
    const shuffled = { lr: 0.001, qat: true, bits: 4, reduction: 8, attention: true, kernel: 5, depth: 2 };
    expect(genotypeHash(g)).toBe(genotypeHash(shuffled));
    expect(Object.keys(canonical(shuffled))).toEqual(['attention', 'bits', 'depth', 'kernel', 'lr', 'qat', 'reduction']);
    // Pinned: a change here would orphan every stored trial's hash.
    expect(genotypeHash(g)).toBe('30be082da2575e8c');
  });

  it('counts distinct genotypes exactly, conditionals included', () => {
    // depth 3 x kernel 3 x (attention off 1 + on 2) x (bits 32: 1 + bits 8/4: 2 x 2)
    expect(spaceSize(discrete)).toBe(3n * 3n * 3n * 5n);
    expect(spaceSize(toy)).toBeNull();
  });
});
