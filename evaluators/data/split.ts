/** Deterministic, class-stratified splits. */
import { Rng } from '../../core/rng.js';

/**
 * Splits example indices into parts of the given sizes (the last takes the rest), drawing
 * from each class in proportion so every part keeps the class balance. Same seed, same
 * split on every machine.
 */
export function stratifiedSplit(labels: Uint8Array, sizes: number[], seed: number): Int32Array[] {
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  labels.forEach((label, i) => { const list = byClass.get(label) ?? []; list.push(i); byClass.set(label, list); });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  for (const c of classes) rng.shuffle(byClass.get(c)!);
  const total = labels.length;
  const parts: number[][] = sizes.map(() => []);
  const cursors = new Map<number, number>(classes.map((c) => [c, 0]));
  sizes.forEach((size, p) => {
    if (p === sizes.length - 1) {
      for (const c of classes) parts[p]!.push(...byClass.get(c)!.slice(cursors.get(c)));
      return;
    }
    // Largest-remainder apportionment of `size` over classes.
    const quotas = classes.map((c) => ({ c, exact: size * byClass.get(c)!.length / total }));
    let assigned = 0;
    const counts = new Map(quotas.map((q) => { const n = Math.floor(q.exact); assigned += n; return [q.c, n]; }));
    quotas.sort((a, b) => (b.exact - Math.floor(b.exact)) - (a.exact - Math.floor(a.exact)) || a.c - b.c);
    for (let i = 0; assigned < size && i < quotas.length; i++, assigned++) counts.set(quotas[i]!.c, counts.get(quotas[i]!.c)! + 1);
    for (const c of classes) {
      const start = cursors.get(c)!;
      const n = Math.min(counts.get(c)!, byClass.get(c)!.length - start);
      parts[p]!.push(...byClass.get(c)!.slice(start, start + n));
      cursors.set(c, start + n);
    }
  });
  // Interleave classes: sort by a seeded key so a part is not grouped by class.
  return parts.map((part) => rng.shuffle(Int32Array.from(part)));
}
