/** Order statistics shared by measurements and benchmarks. */

/** The q-quantile (0..1) of `values`, interpolated between neighbours; `values` is not changed. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const i = (s.length - 1) * q, lo = Math.floor(i), hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}

/** Median and interquartile range. */
export function quartiles(values: readonly number[]): { median: number; q1: number; q3: number } {
  return { median: quantile(values, 0.5), q1: quantile(values, 0.25), q3: quantile(values, 0.75) };
}
