/**
 * Low-rank factorization by truncated SVD: W (rows x cols) ~ A (rows x r) . B (r x cols)
 * with A = U_r sqrt(S_r) and B = sqrt(S_r) V_r^T. The SVD is one-sided Jacobi on the
 * columns (Hestenes): plain, deterministic and accurate; O(sweeps * cols^2 * rows), about
 * a second for a 784 x 300 layer.
 */
export interface Svd { u: Float64Array; s: Float64Array; v: Float64Array; rows: number; cols: number }

/** SVD of a row-major rows x cols matrix with rows >= cols (transpose first otherwise). */
export function svd(matrix: Float32Array | Float64Array, rows: number, cols: number): Svd {
  if (rows < cols) throw new RangeError('svd expects rows >= cols; pass the transpose');
  // Work on columns: a[c][r] (column-major) for cache-friendly column dot products.
  const a = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) a[c * rows + r] = matrix[r * cols + c]!;
  const v = new Float64Array(cols * cols);
  for (let c = 0; c < cols; c++) v[c * cols + c] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        let alpha = 0, beta = 0, gamma = 0;
        for (let r = 0; r < rows; r++) {
          const x = a[p * rows + r]!, y = a[q * rows + r]!;
          alpha += x * x; beta += y * y; gamma += x * y;
        }
        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma === 0) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t), sn = cs * t;
        for (let r = 0; r < rows; r++) {
          const x = a[p * rows + r]!, y = a[q * rows + r]!;
          a[p * rows + r] = cs * x - sn * y;
          a[q * rows + r] = sn * x + cs * y;
        }
        for (let r = 0; r < cols; r++) {
          const x = v[p * cols + r]!, y = v[q * cols + r]!;
          v[p * cols + r] = cs * x - sn * y;
          v[q * cols + r] = sn * x + cs * y;
        }
      }
    }
    if (!rotated) break;
  }
  // Singular values are the column norms; sort descending.
  const norms = Array.from({ length: cols }, (_, c) => {
    let s = 0;
    for (let r = 0; r < rows; r++) s += a[c * rows + r]! ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, i) => i).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const u = new Float64Array(rows * cols), s = new Float64Array(cols), vv = new Float64Array(cols * cols);
  order.forEach((c, k) => {
    s[k] = norms[c]!;
    for (let r = 0; r < rows; r++) u[r * cols + k] = norms[c]! > 0 ? a[c * rows + r]! / norms[c]! : 0;
    for (let r = 0; r < cols; r++) vv[r * cols + k] = v[c * cols + r]!;
  });
  return { u, s, v: vv, rows, cols };
}

/** W (rows x cols, row-major) ~ A (rows x rank) . B (rank x cols). */
export function lowRankFactor(weights: Float32Array, rows: number, cols: number, rank: number): { a: Float32Array; b: Float32Array } {
  const transpose = rows < cols;
  let m = weights, mr = rows, mc = cols;
  if (transpose) {
    m = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m[c * rows + r] = weights[r * cols + c]!;
    mr = cols; mc = rows;
  }
  const { u, s, v } = svd(m, mr, mc);
  const k = Math.min(rank, mc);
  // For M = U S V^T: left = U_k sqrt(S), right = sqrt(S) V_k^T.
  const left = new Float32Array(mr * k), right = new Float32Array(k * mc);
  for (let r = 0; r < mr; r++) for (let j = 0; j < k; j++) left[r * k + j] = u[r * mc + j]! * Math.sqrt(s[j]!);
  for (let j = 0; j < k; j++) for (let c = 0; c < mc; c++) right[j * mc + c] = Math.sqrt(s[j]!) * v[c * mc + j]!;
  if (!transpose) return { a: left, b: right };
  // W = M^T = right^T . left^T
  const a = new Float32Array(rows * k), b = new Float32Array(k * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < k; j++) a[r * k + j] = right[j * mc + r]!;
  for (let j = 0; j < k; j++) for (let c = 0; c < cols; c++) b[j * cols + c] = left[c * k + j]!;
  return { a, b };
}
