/**
 * Pareto machinery as pure functions over objective vectors, shared by NSGA-II, the
 * multi-fidelity promoter, `hwnas pareto`, the dashboard and the search-quality benchmark.
 * Every objective is MINIMISED: callers negate what they maximise (accuracy -> -accuracy).
 */
import type { Rng } from '../core/rng.js';

export type Objectives = readonly number[];

/** a dominates b: no worse everywhere and strictly better somewhere. */
export function dominates(a: Objectives, b: Objectives): boolean {
  let strictly = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]! > b[i]!) return false;
    if (a[i]! < b[i]!) strictly = true;
  }
  return strictly;
}

/**
 * Deb's constraint domination: a feasible point beats an infeasible one; of two
 * infeasible points the smaller total violation wins; two feasible points compare by
 * Pareto dominance. `violation` is 0 when feasible.
 */
export function constrainedDominates(a: Objectives, violationA: number, b: Objectives, violationB: number): boolean {
  if (violationA === 0 && violationB > 0) return true;
  if (violationA > 0 && violationB === 0) return false;
  if (violationA > 0 && violationB > 0) return violationA < violationB;
  return dominates(a, b);
}

/**
 * Fast non-dominated sort (Deb et al. 2002): the indices of each front, best first.
 * With violations, constraint domination decides (NSGA-II's constraint handling).
 */
export function nonDominatedFronts(points: readonly Objectives[], violations?: readonly number[]): number[][] {
  const n = points.length;
  const better = violations === undefined
    ? (i: number, j: number) => dominates(points[i]!, points[j]!)
    : (i: number, j: number) => constrainedDominates(points[i]!, violations[i]!, points[j]!, violations[j]!);
  const dominatedBy = Array.from({ length: n }, () => [] as number[]);
  const count = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (better(i, j)) { dominatedBy[i]!.push(j); count[j]!++; } else if (better(j, i)) { dominatedBy[j]!.push(i); count[i]!++; }
    }
  }
  const fronts: number[][] = [[...Array(n).keys()].filter((i) => count[i] === 0)];
  let current = 0;
  while (fronts[current]!.length > 0) {
    const next: number[] = [];
    for (const i of fronts[current]!) for (const j of dominatedBy[i]!) if (--count[j]! === 0) next.push(j);
    fronts.push(next.sort((a, b) => a - b));
    current++;
  }
  fronts.pop();
  return fronts;
}

/** Indices of the non-dominated points. */
export function paretoFront(points: readonly Objectives[]): number[] {
  return nonDominatedFronts(points)[0] ?? [];
}

/**
 * Crowding distance of each point within one front (Deb et al. 2002): boundary points get
 * Infinity; ties in an objective are broken by index so the result is deterministic.
 */
export function crowdingDistances(points: readonly Objectives[]): number[] {
  const n = points.length;
  const distance = new Array<number>(n).fill(0);
  if (n === 0) return distance;
  const m = points[0]!.length;
  for (let k = 0; k < m; k++) {
    const order = [...Array(n).keys()].sort((a, b) => points[a]![k]! - points[b]![k]! || a - b);
    const lo = points[order[0]!]![k]!, hi = points[order[n - 1]!]![k]!;
    distance[order[0]!] = Infinity;
    distance[order[n - 1]!] = Infinity;
    if (hi === lo) continue;
    for (let i = 1; i < n - 1; i++) distance[order[i]!]! += (points[order[i + 1]!]![k]! - points[order[i - 1]!]![k]!) / (hi - lo);
  }
  return distance;
}

/**
 * Ranks all points best-first by (front, -crowding, index): NSGA-II's survival order, and
 * how multi-fidelity promotion picks candidates under a Pareto objective.
 */
export function paretoRanking(points: readonly Objectives[], violations?: readonly number[]): number[] {
  const ranked: number[] = [];
  for (const front of nonDominatedFronts(points, violations)) {
    const crowd = crowdingDistances(front.map((i) => points[i]!));
    ranked.push(...front.map((i, k) => ({ i, c: crowd[k]! })).sort((a, b) => b.c - a.c || a.i - b.i).map((e) => e.i));
  }
  return ranked;
}

/** NSGA-II's environmental selection: the best `n` of a pool by (front, crowding), with constraint domination, best first. */
export function survivors<T extends { objectives: Objectives; violation: number }>(pool: readonly T[], n: number): T[] {
  return paretoRanking(pool.map((p) => p.objectives), pool.map((p) => p.violation)).slice(0, n).map((i) => pool[i]!);
}

/** Binary tournament on a list kept best first (as `survivors` returns it): the lower of two random indices wins. */
export function tournament<T>(ranked: readonly T[], rng: Rng): T {
  const a = rng.int(ranked.length), b = rng.int(ranked.length);
  return ranked[Math.min(a, b)]!;
}

/**
 * Hypervolume dominated by `points` and bounded by `reference` (all objectives minimised;
 * points not strictly better than the reference in every objective add nothing). Exact:
 * a sweep in 2-D (O(n log n)), recursive slicing over the first objective above that.
 */
export function hypervolume(points: readonly Objectives[], reference: Objectives): number {
  const inside = points.filter((p) => p.every((v, i) => v < reference[i]!));
  if (inside.length === 0) return 0;
  const m = reference.length;
  if (m === 1) return reference[0]! - Math.min(...inside.map((p) => p[0]!));
  if (m === 2) {
    const sorted = [...inside].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let volume = 0, bestY = reference[1]!;
    for (const p of sorted) {
      if (p[1]! < bestY) {
        volume += (reference[0]! - p[0]!) * (bestY - p[1]!);
        bestY = p[1]!;
      }
    }
    return volume;
  }
  // Slice along objective 0: between consecutive x values, the (m-1)-D hypervolume of the points at or left of the slice.
  const xs = [...new Set(inside.map((p) => p[0]!))].sort((a, b) => a - b);
  let volume = 0;
  for (let s = 0; s < xs.length; s++) {
    const width = (s + 1 < xs.length ? xs[s + 1]! : reference[0]!) - xs[s]!;
    const slice = inside.filter((p) => p[0]! <= xs[s]!).map((p) => p.slice(1));
    volume += width * hypervolume(slice, reference.slice(1));
  }
  return volume;
}
