/**
 * Weight sharing by k-means clustering (Deep Compression, Han et al. 2016): every nonzero
 * weight is replaced by its cluster's centroid, so a layer stores a k-entry codebook and
 * log2(k)-bit indices. Linear initialisation over [min, max], which the paper found best
 * (it keeps the rare large weights represented). Runs on a sorted copy, so each Lloyd
 * iteration is a linear sweep: fast at hundreds of thousands of weights.
 */
export interface Clustering { centroids: Float32Array; values: Float32Array }

export function clusterWeights(weights: Float32Array, k: number, iterations = 20): Clustering {
  const nonzero = Float32Array.from(weights.filter((w) => w !== 0)).sort();
  const n = nonzero.length;
  if (n === 0) return { centroids: new Float32Array(0), values: weights.slice() };
  const distinct = new Set(nonzero).size;
  const clusters = Math.max(1, Math.min(k, distinct));
  const lo = nonzero[0]!, hi = nonzero[n - 1]!;
  const centroids = Float64Array.from({ length: clusters }, (_, c) => (clusters === 1 ? (lo + hi) / 2 : lo + (hi - lo) * c / (clusters - 1)));
  // boundaries[c] = first sorted index assigned to cluster c.
  const boundaries = new Int32Array(clusters + 1);
  const assign = () => {
    let c = 0;
    boundaries[0] = 0;
    for (let i = 0; i < n; i++) {
      while (c + 1 < clusters && Math.abs(nonzero[i]! - centroids[c + 1]!) < Math.abs(nonzero[i]! - centroids[c]!)) boundaries[++c] = i;
    }
    for (let r = c + 1; r <= clusters; r++) boundaries[r] = n;
  };
  for (let it = 0; it < iterations; it++) {
    assign();
    let moved = false;
    for (let c = 0; c < clusters; c++) {
      const from = boundaries[c]!, to = boundaries[c + 1]!;
      if (to <= from) continue; // an empty cluster keeps its centroid
      let sum = 0;
      for (let i = from; i < to; i++) sum += nonzero[i]!;
      const mean = sum / (to - from);
      if (mean !== centroids[c]) { centroids[c] = mean; moved = true; }
    }
    if (!moved) break;
  }
  const codebook = Float32Array.from(centroids);
  const values = new Float32Array(weights.length);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w === 0) continue;
    // Binary search of the nearest centroid (the codebook is sorted).
    let a = 0, b = codebook.length - 1;
    while (b - a > 1) { const m = (a + b) >> 1; if (codebook[m]! <= w) a = m; else b = m; }
    values[i] = Math.abs(w - codebook[a]!) <= Math.abs(w - codebook[b]!) ? codebook[a]! : codebook[b]!;
  }
  return { centroids: codebook, values };
}
