/**
 * Non-negative least squares, min ||A x - b|| subject to x >= 0, by Lawson and Hanson's
 * active-set method on the normal equations. Calibration needs it because every fitted
 * quantity (seconds per operation, seconds per kernel) is a physical cost that cannot be
 * negative, and a plain least-squares fit happily trades a negative overhead for a larger
 * efficiency when features are nearly collinear (NB201's convs and their ReLUs are).
 * Columns are scaled to unit norm first: features range from 1e-6 s to hundreds of kernels.
 */

/** Solves the symmetric positive (semi)definite system restricted to `active`, by Cholesky with a tiny ridge. */
function solveActive(g: Float64Array, h: Float64Array, m: number, active: number[]): Float64Array {
  const n = active.length;
  const a = new Float64Array(n * n), y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    y[r] = h[active[r]!]!;
    for (let c = 0; c < n; c++) a[r * n + c] = g[active[r]! * m + active[c]!]!;
    // Columns have unit norm, so 1e-10 only matters for exactly collinear ones.
    a[r * n + r]! += 1e-10;
  }
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[j * n + k]! ** 2;
    d = Math.sqrt(Math.max(d, 1e-300));
    a[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = s / d;
    }
  }
  for (let i = 0; i < n; i++) { let s = y[i]!; for (let k = 0; k < i; k++) s -= a[i * n + k]! * y[k]!; y[i] = s / a[i * n + i]!; }
  for (let i = n - 1; i >= 0; i--) { let s = y[i]!; for (let k = i + 1; k < n; k++) s -= a[k * n + i]! * y[k]!; y[i] = s / a[i * n + i]!; }
  return y;
}

export interface NnlsResult { x: number[]; /** ||A x - b||^2 */ residual: number }

export function nnlsFit(rows: readonly (readonly number[])[], targets: readonly number[]): NnlsResult {
  const m = rows[0]?.length ?? 0;
  if (m === 0) return { x: [], residual: targets.reduce((s, t) => s + t * t, 0) };
  const norm = new Float64Array(m);
  for (const r of rows) for (let j = 0; j < m; j++) norm[j]! += r[j]! ** 2;
  for (let j = 0; j < m; j++) norm[j] = norm[j]! > 0 ? Math.sqrt(norm[j]!) : 1;
  const g = new Float64Array(m * m), h = new Float64Array(m);
  let bb = 0;
  rows.forEach((r, i) => {
    const t = targets[i]!;
    bb += t * t;
    for (let a = 0; a < m; a++) {
      const ra = r[a]! / norm[a]!;
      if (ra === 0) continue;
      h[a]! += ra * t;
      for (let b = 0; b < m; b++) g[a * m + b]! += ra * r[b]! / norm[b]!;
    }
  });
  const x = new Float64Array(m);
  const passive = new Array<boolean>(m).fill(false);
  const gradient = () => { const w = new Float64Array(m); for (let a = 0; a < m; a++) { let s = h[a]!; for (let b = 0; b < m; b++) s -= g[a * m + b]! * x[b]!; w[a] = s; } return w; };
  const tol = 1e-12 * Math.max(1, Math.sqrt(bb));
  for (let outer = 0; outer < 3 * m + 10; outer++) {
    const w = gradient();
    let best = -1;
    for (let j = 0; j < m; j++) if (!passive[j] && w[j]! > tol && (best < 0 || w[j]! > w[best]!)) best = j;
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < 3 * m + 10; inner++) {
      const active = [...passive.keys()].filter((j) => passive[j]);
      const s = solveActive(g, h, m, active);
      if (s.every((v) => v > 0)) { x.fill(0); active.forEach((j, k) => { x[j] = s[k]!; }); break; }
      // Step from x toward s until the first passive variable hits zero, then drop it.
      let alpha = 1;
      active.forEach((j, k) => { if (s[k]! <= 0) alpha = Math.min(alpha, x[j]! / (x[j]! - s[k]!)); });
      active.forEach((j, k) => { x[j] = x[j]! + alpha * (s[k]! - x[j]!); });
      for (const j of active) if (x[j]! <= 1e-15) { x[j] = 0; passive[j] = false; }
      if (!passive.some(Boolean)) break;
    }
  }
  // Residual from the normal equations: ||Ax - b||^2 = x'Gx - 2h'x + b'b (in scaled units).
  let residual = bb;
  for (let a = 0; a < m; a++) { residual -= 2 * h[a]! * x[a]!; for (let b = 0; b < m; b++) residual += x[a]! * g[a * m + b]! * x[b]!; }
  return { x: Array.from(x, (v, j) => v / norm[j]!), residual: Math.max(0, residual) };
}

/** The solution alone. */
export function nnls(rows: readonly (readonly number[])[], targets: readonly number[]): number[] {
  return nnlsFit(rows, targets).x;
}
