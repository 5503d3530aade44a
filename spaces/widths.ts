/** Channel arithmetic shared by the spaces. */

/** Rounds to a multiple of `divisor`, never below it and never more than 10% below `value` (MobileNet's rule). */
export function makeDivisible(value: number, divisor = 8): number {
  const rounded = Math.max(divisor, Math.floor((value + divisor / 2) / divisor) * divisor);
  return rounded < 0.9 * value ? rounded + divisor : rounded;
}

/** Units or channels left after structured pruning removes `pruned` of them (at least 1). */
export function keptUnits(units: number, pruned: number): number {
  return Math.max(1, Math.round(units * (1 - pruned)));
}
