/** Orders and fronts over trial rows, kept up to date incrementally by the watcher. */
import type { ScatterPoint } from './scatter.js';
import type { TrialRow } from './snapshot.js';

export const SORTS = ['number', 'accuracy', 'latency', 'energy', 'size', 'seconds'] as const;
export type SortKey = typeof SORTS[number];
export type Axis = 'latency' | 'size';

export function sortValue(t: TrialRow, sort: SortKey): number {
  switch (sort) {
    case 'number': return t.number;
    // Most accurate first; trials without a value last.
    case 'accuracy': return -(t.accuracy ?? -1);
    case 'latency': return t.latencyMs ?? Infinity;
    case 'energy': return t.energyMj ?? Infinity;
    case 'size': return t.sizeBytes ?? Infinity;
    case 'seconds': return t.seconds ?? Infinity;
  }
}

export const compareRows = (sort: SortKey) => (a: TrialRow, b: TrialRow) => sortValue(a, sort) - sortValue(b, sort) || a.number - b.number;

/** Inserts `row` into `sorted` (ascending by `sort`) by binary search. */
export function insertSorted(sorted: TrialRow[], row: TrialRow, sort: SortKey): void {
  const compare = compareRows(sort);
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (compare(sorted[mid]!, row) < 0) lo = mid + 1; else hi = mid; }
  sorted.splice(lo, 0, row);
}

export function pointOf(t: TrialRow, axis: Axis): ScatterPoint | null {
  if (t.status !== 'complete' || t.accuracy === null) return null;
  const x = axis === 'size' ? t.sizeBytes : t.latencyMs;
  return x === null ? null : { id: t.number, x, y: t.accuracy * 100 };
}

/** Adds a point to a front (ascending x, ascending y): kept if nothing dominates it, dropping what it dominates. */
export function addToFront(front: ScatterPoint[], p: ScatterPoint): ScatterPoint[] {
  if (front.some((q) => q.x <= p.x && q.y >= p.y)) return front;
  return [...front.filter((q) => !(p.x <= q.x && p.y >= q.y)), p].sort((a, b) => a.x - b.x || b.y - a.y);
}
