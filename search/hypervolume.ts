/**
 * Hypervolume in two minimised objectives: the area dominated by a set of points and
 * bounded by a reference point worse than all of them (points not better than the
 * reference on both objectives add nothing). The standard measure of how much of the
 * trade-off a search has found; `1 - HV(found) / HV(true front)` is its regret.
 */
export function hypervolume2d(points: ReadonlyArray<readonly [number, number]>, reference: readonly [number, number]): number {
  const inside = points.filter(([a, b]) => a < reference[0] && b < reference[1]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  let area = 0, bestSecond = reference[1];
  // Sweep by the first objective: each point that improves the second adds a slab up to the reference's first coordinate.
  for (const [a, b] of inside) {
    if (b >= bestSecond) continue;
    area += (reference[0] - a) * (bestSecond - b);
    bestSecond = b;
  }
  return area;
}
