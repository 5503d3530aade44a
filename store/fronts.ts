/**
 * In-memory Pareto fronts of (cost..., accuracy), mirrored into the store's staircase
 * tables by the single writer. Deciding whether a new trial joins a front, and which
 * members it evicts, is done here in microseconds; SQL only sees the (rare) changes.
 */

export interface FrontChange { added: boolean; removed: number[] }

interface Point { costs: number[]; accuracy: number; id: number }

/** Points not beaten by another that is no costlier in every cost and at least as accurate. */
export class ParetoFront {
  private points: Point[] = [];

  constructor(initial: Array<{ costs: number[]; accuracy: number; id: number }> = []) {
    for (const p of initial) this.points.push({ costs: [...p.costs], accuracy: p.accuracy, id: p.id });
  }

  get size(): number {
    return this.points.length;
  }

  /** Adds a point unless an existing one beats or equals it; evicts the points it beats. */
  add(costs: number[], accuracy: number, id: number): FrontChange {
    const points = this.points, dims = costs.length;
    // Most new trials are beaten: check that first, in a plain loop (this runs per trial per front).
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      if (p.accuracy < accuracy) continue;
      let noCostlier = true;
      for (let d = 0; d < dims; d++) if (p.costs[d]! > costs[d]!) { noCostlier = false; break; }
      if (noCostlier) return { added: false, removed: [] };
    }
    const removed: number[] = [];
    let kept = 0;
    for (let i = 0; i < points.length; i++) {
      const p = points[i]!;
      let beaten = p.accuracy <= accuracy;
      for (let d = 0; beaten && d < dims; d++) if (costs[d]! > p.costs[d]!) beaten = false;
      if (beaten) removed.push(p.id); else points[kept++] = p;
    }
    points.length = kept;
    points.push({ costs: [...costs], accuracy, id });
    return { added: true, removed };
  }
}
