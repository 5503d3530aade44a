import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { constrainedDominates, crowdingDistances, dominates, hypervolume, nonDominatedFronts, paretoFront, paretoRanking } from '../../search/pareto.js';

describe('dominance', () => {
  it('needs no-worse everywhere and better somewhere', () => {
    expect(dominates([1, 2], [2, 2])).toBe(true);
    expect(dominates([1, 2], [1, 2])).toBe(false);
    expect(dominates([1, 3], [2, 2])).toBe(false);
  });
  it('puts feasible before infeasible, and less violation before more', () => {
    expect(constrainedDominates([9, 9], 0, [1, 1], 0.5)).toBe(true);
    expect(constrainedDominates([9, 9], 0.1, [1, 1], 0.5)).toBe(true);
    expect(constrainedDominates([1, 1], 0.5, [9, 9], 0)).toBe(false);
  });
});

describe('non-dominated sorting', () => {
  it('finds the fronts of a hand-made set', () => {
    const points = [[1, 5], [2, 3], [4, 1], [2, 5], [3, 4], [5, 5], [1, 5]];
    expect(nonDominatedFronts(points)).toEqual([[0, 1, 2, 6], [3, 4], [5]]);
    expect(paretoFront(points)).toEqual([0, 1, 2, 6]);
  });
  it('agrees with a brute-force definition on random points', () => {
    const rng = new Rng(1);
    const points = Array.from({ length: 120 }, () => [rng.int(20), rng.int(20), rng.int(20)]);
    const fronts = nonDominatedFronts(points);
    expect(fronts.flat().sort((a, b) => a - b)).toEqual([...points.keys()]);
    const rank = new Map<number, number>();
    fronts.forEach((f, r) => f.forEach((i) => rank.set(i, r)));
    for (let i = 0; i < points.length; i++) {
      const dominators = points.map((_, j) => j).filter((j) => dominates(points[j]!, points[i]!));
      if (rank.get(i) === 0) expect(dominators).toEqual([]);
      else expect(Math.max(...dominators.map((j) => rank.get(j)!))).toBe(rank.get(i)! - 1);
    }
  });
  it('ranks feasible points first under constraints', () => {
    const points = [[1, 1], [5, 5], [2, 2]];
    expect(nonDominatedFronts(points, [0.3, 0, 0])).toEqual([[2], [1], [0]]);
  });
});

describe('crowding and ranking', () => {
  it('gives boundary points infinite distance and interior points their normalised gaps', () => {
    expect(crowdingDistances([[0, 4], [1, 2], [4, 0]])).toEqual([Infinity, (4 - 0) / 4 + (4 - 0) / 4, Infinity]);
  });
  it('orders by front, then by crowding, deterministically', () => {
    // Front 0 is {0, 1, 2, 4}; (6,6) is dominated by (5,5). Crowding: 0 and 2 are
    // boundaries; point 1: (10-4)/10 + (6-0)/10 = 1.2; point 4: (5-0)/10 + (10-5)/10 = 1.0.
    const points = [[0, 10], [5, 5], [10, 0], [6, 6], [4, 6]];
    expect(paretoRanking(points)).toEqual([0, 2, 1, 4, 3]);
  });
});

describe('hypervolume', () => {
  it('is exact in 2-D on a staircase worked by hand', () => {
    // Reference (4,4); points (1,3), (2,2), (3,1): 3x1 + 2x1 + 1x1 = 6.
    expect(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4])).toBe(6);
    expect(hypervolume([[1, 3], [2, 2], [3, 1], [3, 3]], [4, 4])).toBe(6);
    expect(hypervolume([[5, 1]], [4, 4])).toBe(0);
  });
  it('is exact in 3-D (two overlapping boxes)', () => {
    // Boxes to (2,2,2) from (0,0,1) and (1,1,0): 2*2*1 + 1*1*2 - 1*1*1 = 5.
    expect(hypervolume([[0, 0, 1], [1, 1, 0]], [2, 2, 2])).toBeCloseTo(5);
  });
  it('matches a Monte Carlo estimate in 3-D', () => {
    const rng = new Rng(4);
    const points = Array.from({ length: 15 }, () => [rng.next(), rng.next(), rng.next()]);
    let hits = 0;
    const samples = 40_000;
    for (let s = 0; s < samples; s++) {
      const q = [rng.next(), rng.next(), rng.next()];
      if (points.some((p) => p.every((v, i) => v <= q[i]!))) hits++;
    }
    expect(hypervolume(points, [1, 1, 1])).toBeCloseTo(hits / samples, 2);
  });
});
