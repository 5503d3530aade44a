/** How well predicted costs match measured ones: rank agreement and relative error. */

/** Ranks with ties sharing their average rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

export function spearman(a: readonly number[], b: readonly number[]): number {
  const ra = ranks(a), rb = ranks(b), n = a.length;
  const mean = (n - 1) / 2;
  let cov = 0, va = 0, vb = 0;
  for (let i = 0; i < n; i++) { cov += (ra[i]! - mean) * (rb[i]! - mean); va += (ra[i]! - mean) ** 2; vb += (rb[i]! - mean) ** 2; }
  return cov / Math.sqrt(va * vb);
}

/** Kendall's tau-b (ties in either list counted as neither concordant nor discordant). */
export function kendallTau(a: readonly number[], b: readonly number[]): number {
  let concordant = 0, discordant = 0, tiesA = 0, tiesB = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = i + 1; j < a.length; j++) {
      const da = Math.sign(a[i]! - a[j]!), db = Math.sign(b[i]! - b[j]!);
      if (da === 0 && db === 0) continue;
      if (da === 0) tiesA++;
      else if (db === 0) tiesB++;
      else if (da === db) concordant++;
      else discordant++;
    }
  }
  return (concordant - discordant) / Math.sqrt((concordant + discordant + tiesA) * (concordant + discordant + tiesB));
}

export interface Agreement { n: number; kendallTau: number; spearman: number; mape: number; within10: number }

export function agreement(predicted: readonly number[], measured: readonly number[]): Agreement {
  const errors = predicted.map((p, i) => Math.abs(p - measured[i]!) / measured[i]!);
  return {
    n: predicted.length, kendallTau: kendallTau(predicted, measured), spearman: spearman(predicted, measured),
    mape: errors.reduce((s, e) => s + e, 0) / errors.length, within10: errors.filter((e) => e <= 0.1).length / errors.length,
  };
}
