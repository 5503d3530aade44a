/*
 * hwnas training kernels in WebAssembly SIMD, run directly on the tfjs wasm backend's
 * heap: the module imports that backend's WebAssembly.Memory, so tensors are read and
 * written in place. Nothing here may touch memory it was not handed: the module has no
 * data segment and no stack (every function keeps its state in locals); see build.sh,
 * which checks the compiled module for both.
 *
 * Why these exist: XNNPACK, as tfjs-wasm drives it, repacks a convolution's filter
 * whenever the filter tensor changes. In a filter gradient both operands change every
 * step, so the GEMM pays a full repack (~9 ns/element) of an activation-sized tensor.
 * The kernels below read both operands where they lie.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

/* acc[i][j] += a[i] * b[j] for a 4-row x 8-column block of C. */
#define MICRO_4x8(ap, bp)                                  \
  do {                                                     \
    v128_t b0 = wasm_v128_load(bp), b1 = wasm_v128_load((bp) + 4); \
    v128_t a0 = wasm_f32x4_splat((ap)[0]);                 \
    v128_t a1 = wasm_f32x4_splat((ap)[1]);                 \
    v128_t a2 = wasm_f32x4_splat((ap)[2]);                 \
    v128_t a3 = wasm_f32x4_splat((ap)[3]);                 \
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a0, b0));     \
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a0, b1));     \
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a1, b0));     \
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a1, b1));     \
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a2, b0));     \
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a2, b1));     \
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a3, b0));     \
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a3, b1));     \
  } while (0)

/*
 * The gathered A^T.B product behind every weight gradient: for each of `count` row pairs
 * r, C[i][j] += A_r[i] * B_r[j], where row r of A starts at a + aOffset(r) and row r of
 * B at b + bOffset(r). Rows are addressed through a row walker so that a convolution's
 * shifted input windows need no im2col copy.
 */
typedef struct {
  /* rows are (n, y, x) triples over [n0,n1) x [y0,y1) x [x0,x1) */
  int n0, n1, y0, y1, x0, x1;
  /* element offsets: A row = aN*n + aY*y + aX*x + aBase, same for B */
  int aN, aY, aX, aBase, bN, bY, bX, bBase;
} Walk;

static inline __attribute__((always_inline)) void block_4x8(const float* a, const float* b, Walk wk, float* c, int ldc) {
  const Walk* w = &wk;
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (int n = w->n0; n < w->n1; n++) {
    for (int y = w->y0; y < w->y1; y++) {
      const float* ap = a + w->aN * n + w->aY * y + w->aX * w->x0 + w->aBase;
      const float* bp = b + w->bN * n + w->bY * y + w->bX * w->x0 + w->bBase;
      for (int x = w->x0; x < w->x1; x++, ap += w->aX, bp += w->bX) MICRO_4x8(ap, bp);
    }
  }
  float* c0 = c; float* c1 = c + ldc; float* c2 = c + 2 * ldc; float* c3 = c + 3 * ldc;
  wasm_v128_store(c0, wasm_f32x4_add(wasm_v128_load(c0), c00)); wasm_v128_store(c0 + 4, wasm_f32x4_add(wasm_v128_load(c0 + 4), c01));
  wasm_v128_store(c1, wasm_f32x4_add(wasm_v128_load(c1), c10)); wasm_v128_store(c1 + 4, wasm_f32x4_add(wasm_v128_load(c1 + 4), c11));
  wasm_v128_store(c2, wasm_f32x4_add(wasm_v128_load(c2), c20)); wasm_v128_store(c2 + 4, wasm_f32x4_add(wasm_v128_load(c2 + 4), c21));
  wasm_v128_store(c3, wasm_f32x4_add(wasm_v128_load(c3), c30)); wasm_v128_store(c3 + 4, wasm_f32x4_add(wasm_v128_load(c3 + 4), c31));
}

/* One row of A against four columns of B: the edges of blocks that do not fill 4x8. */
static inline __attribute__((always_inline)) void block_1x4(const float* a, const float* b, Walk wk, float* c) {
  const Walk* w = &wk;
  v128_t acc = wasm_f32x4_splat(0);
  for (int n = w->n0; n < w->n1; n++) {
    for (int y = w->y0; y < w->y1; y++) {
      const float* ap = a + w->aN * n + w->aY * y + w->aX * w->x0 + w->aBase;
      const float* bp = b + w->bN * n + w->bY * y + w->bX * w->x0 + w->bBase;
      for (int x = w->x0; x < w->x1; x++, ap += w->aX, bp += w->bX)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(ap[0]), wasm_v128_load(bp)));
    }
  }
  wasm_v128_store(c, wasm_f32x4_add(wasm_v128_load(c), acc));
}

static inline __attribute__((always_inline)) void block_1x1(const float* a, const float* b, Walk wk, float* c) {
  const Walk* w = &wk;
  float acc = 0;
  for (int n = w->n0; n < w->n1; n++) {
    for (int y = w->y0; y < w->y1; y++) {
      const float* ap = a + w->aN * n + w->aY * y + w->aX * w->x0 + w->aBase;
      const float* bp = b + w->bN * n + w->bY * y + w->bX * w->x0 + w->bBase;
      for (int x = w->x0; x < w->x1; x++, ap += w->aX, bp += w->bX) acc += ap[0] * bp[0];
    }
  }
  c[0] += acc;
}

/* C[m][n] += sum over the walk of A_r[m] * B_r[n], for an m x n block of C (row stride ldc). */
static inline __attribute__((always_inline)) void gathered_atb(const float* a, const float* b, Walk w, float* c, int m, int n, int ldc) {
  int i = 0;
  for (; i + 4 <= m; i += 4) {
    int j = 0;
    for (; j + 8 <= n; j += 8) block_4x8(a + i, b + j, w, c + i * ldc + j, ldc);
    for (int r = 0; r < 4; r++) {
      int jj = j;
      for (; jj + 4 <= n; jj += 4) block_1x4(a + i + r, b + jj, w, c + (i + r) * ldc + jj);
      for (; jj < n; jj++) block_1x1(a + i + r, b + jj, w, c + (i + r) * ldc + jj);
    }
  }
  for (; i < m; i++) {
    int j = 0;
    for (; j + 4 <= n; j += 4) block_1x4(a + i, b + j, w, c + i * ldc + j);
    for (; j < n; j++) block_1x1(a + i, b + j, w, c + i * ldc + j);
  }
}

static int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
static int max_i(int a, int b) { return a > b ? a : b; }
static int min_i(int a, int b) { return a < b ? a : b; }

/*
 * Filter gradient of an NHWC convolution (groups = 1):
 *   dw[kh][kw][ci][co] = sum_{b,oh,ow} x[b][oh*sh + kh*dh - pt][ow*sw + kw*dw - pl][ci] * dy[b][oh][ow][co]
 * For each tap the rows that read inside the input form a rectangle of (oh, ow), so the
 * walk skips padding without a branch in the inner loop. dw must be zeroed by the caller.
 */
EXPORT(conv2d_filter_grad)
void conv2d_filter_grad(const float* x, const float* dy, float* dw,
                        int batch, int h, int w, int ci, int oh, int ow, int co,
                        int kh, int kw, int sh, int sw, int dh, int dwl, int pt, int pl) {
  for (int i = 0; i < kh; i++) {
    int off_h = i * dh - pt;
    int y0 = max_i(0, ceil_div(-off_h, sh)), y1 = min_i(oh, floor_div(h - 1 - off_h, sh) + 1);
    for (int j = 0; j < kw; j++) {
      int off_w = j * dwl - pl;
      int x0 = max_i(0, ceil_div(-off_w, sw)), x1 = min_i(ow, floor_div(w - 1 - off_w, sw) + 1);
      if (y0 >= y1 || x0 >= x1) continue;
      Walk walk = {0, batch, y0, y1, x0, x1,
                   h * w * ci, sh * w * ci, sw * ci, off_h * w * ci + off_w * ci,
                   oh * ow * co, ow * co, co, 0};
      gathered_atb(x, dy, walk, dw + (i * kw + j) * ci * co, ci, co, co);
    }
  }
}

/*
 * Filter gradient of a depthwise NHWC convolution with channel multiplier m:
 *   dw[kh][kw][c][q] = sum_{b,oh,ow} x[b][..][..][c] * dy[b][oh][ow][c*m + q]
 * Channels are independent, so this is an elementwise multiply-accumulate over rows,
 * vectorised across channels when m == 1. dw must be zeroed by the caller.
 */
EXPORT(depthwise_filter_grad)
void depthwise_filter_grad(const float* x, const float* dy, float* dw,
                           int batch, int h, int w, int c, int oh, int ow, int m,
                           int kh, int kw, int sh, int sw, int dh, int dwl, int pt, int pl) {
  int cm = c * m;
  for (int i = 0; i < kh; i++) {
    int off_h = i * dh - pt;
    int y0 = max_i(0, ceil_div(-off_h, sh)), y1 = min_i(oh, floor_div(h - 1 - off_h, sh) + 1);
    for (int j = 0; j < kw; j++) {
      int off_w = j * dwl - pl;
      int x0 = max_i(0, ceil_div(-off_w, sw)), x1 = min_i(ow, floor_div(w - 1 - off_w, sw) + 1);
      if (y0 >= y1 || x0 >= x1) continue;
      float* out = dw + (i * kw + j) * cm;
      for (int b = 0; b < batch; b++) {
        for (int y = y0; y < y1; y++) {
          for (int xx = x0; xx < x1; xx++) {
            const float* xp = x + ((b * h + y * sh + off_h) * w + xx * sw + off_w) * c;
            const float* dp = dy + ((b * oh + y) * ow + xx) * cm;
            if (m == 1) {
              int k = 0;
              for (; k + 4 <= c; k += 4)
                wasm_v128_store(out + k, wasm_f32x4_add(wasm_v128_load(out + k),
                                wasm_f32x4_mul(wasm_v128_load(xp + k), wasm_v128_load(dp + k))));
              for (; k < c; k++) out[k] += xp[k] * dp[k];
            } else {
              for (int k = 0; k < c; k++)
                for (int q = 0; q < m; q++) out[k * m + q] += xp[k] * dp[k * m + q];
            }
          }
        }
      }
    }
  }
}

/* C[m][n] += sum_k A[k][m] * B[k][n]: the weight gradient X^T.dY of a dense layer. */
EXPORT(gemm_atb)
void gemm_atb(const float* a, const float* b, float* c, int m, int n, int k) {
  Walk walk = {0, 1, 0, 1, 0, k, 0, 0, m, 0, 0, 0, n, 0};
  gathered_atb(a, b, walk, c, m, n, n);
}

/* Sum over all rows of an [rows][cols] matrix into out[cols] (bias gradients). */
EXPORT(sum_rows)
void sum_rows(const float* x, float* out, int rows, int cols) {
  int j = 0;
  for (; j + 16 <= cols; j += 16) {
    v128_t s0 = wasm_f32x4_splat(0), s1 = s0, s2 = s0, s3 = s0;
    for (int r = 0; r < rows; r++) {
      const float* p = x + r * cols + j;
      s0 = wasm_f32x4_add(s0, wasm_v128_load(p)); s1 = wasm_f32x4_add(s1, wasm_v128_load(p + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(p + 8)); s3 = wasm_f32x4_add(s3, wasm_v128_load(p + 12));
    }
    wasm_v128_store(out + j, s0); wasm_v128_store(out + j + 4, s1);
    wasm_v128_store(out + j + 8, s2); wasm_v128_store(out + j + 12, s3);
  }
  for (; j + 4 <= cols; j += 4) {
    v128_t s = wasm_f32x4_splat(0);
    for (int r = 0; r < rows; r++) s = wasm_f32x4_add(s, wasm_v128_load(x + r * cols + j));
    wasm_v128_store(out + j, s);
  }
  for (; j < cols; j++) {
    float s = 0;
    for (int r = 0; r < rows; r++) s += x[r * cols + j];
    out[j] = s;
  }
}

/*
 * Gradient of a 2x2/stride-2 unpadded max pool: each pooled element's gradient goes to
 * the first maximum of its window in row-major order (tfjs's cpu backend rule); the
 * other three get 0. Branch-free: on real activations which of the four wins is random,
 * and a mispredicted branch per element cost more than the whole SIMD select.
 * Writes every element of dx, including rows and columns an odd size leaves unpooled.
 */
EXPORT(max_pool_2x2_grad)
void max_pool_2x2_grad(const float* x, const float* dy, float* dx, int batch, int h, int w, int c, int oh, int ow) {
  int row = w * c;
  if (h != 2 * oh || w != 2 * ow)
    for (int i = 0; i < batch * h * w * c; i++) dx[i] = 0;
  for (int b = 0; b < batch; b++) {
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        int p00 = ((b * h + 2 * i) * w + 2 * j) * c, p01 = p00 + c, p10 = p00 + row, p11 = p10 + c;
        const float* g = dy + ((b * oh + i) * ow + j) * c;
        int k = 0;
        for (; k + 4 <= c; k += 4) {
          v128_t v00 = wasm_v128_load(x + p00 + k), v01 = wasm_v128_load(x + p01 + k);
          v128_t v10 = wasm_v128_load(x + p10 + k), v11 = wasm_v128_load(x + p11 + k);
          v128_t best = wasm_f32x4_max(wasm_f32x4_max(v00, v01), wasm_f32x4_max(v10, v11));
          v128_t m00 = wasm_f32x4_eq(v00, best);
          v128_t m01 = wasm_v128_andnot(wasm_f32x4_eq(v01, best), m00);
          v128_t taken = wasm_v128_or(m00, m01);
          v128_t m10 = wasm_v128_andnot(wasm_f32x4_eq(v10, best), taken);
          taken = wasm_v128_or(taken, m10);
          v128_t m11 = wasm_v128_not(taken);
          v128_t gv = wasm_v128_load(g + k);
          wasm_v128_store(dx + p00 + k, wasm_v128_and(gv, m00));
          wasm_v128_store(dx + p01 + k, wasm_v128_and(gv, m01));
          wasm_v128_store(dx + p10 + k, wasm_v128_and(gv, m10));
          wasm_v128_store(dx + p11 + k, wasm_v128_and(gv, m11));
        }
        for (; k < c; k++) {
          float v00 = x[p00 + k], v01 = x[p01 + k], v10 = x[p10 + k], v11 = x[p11 + k];
          int pick = 0; float best = v00;
          if (v01 > best) { best = v01; pick = 1; }
          if (v10 > best) { best = v10; pick = 2; }
          if (v11 > best) { pick = 3; }
          dx[p00 + k] = pick == 0 ? g[k] : 0; dx[p01 + k] = pick == 1 ? g[k] : 0;
          dx[p10 + k] = pick == 2 ? g[k] : 0; dx[p11 + k] = pick == 3 ? g[k] : 0;
        }
      }
    }
  }
}

/* 2x2/stride-2 unpadded max pool (XNNPACK's takes ~4x longer through tfjs). */
EXPORT(max_pool_2x2)
void max_pool_2x2(const float* x, float* y, int batch, int h, int w, int c, int oh, int ow) {
  int row = w * c;
  for (int b = 0; b < batch; b++) {
    for (int i = 0; i < oh; i++) {
      for (int j = 0; j < ow; j++) {
        const float* p = x + ((b * h + 2 * i) * w + 2 * j) * c;
        float* out = y + ((b * oh + i) * ow + j) * c;
        int k = 0;
        for (; k + 4 <= c; k += 4) {
          v128_t m = wasm_f32x4_max(wasm_f32x4_max(wasm_v128_load(p + k), wasm_v128_load(p + c + k)),
                                    wasm_f32x4_max(wasm_v128_load(p + row + k), wasm_v128_load(p + row + c + k)));
          wasm_v128_store(out + k, m);
        }
        for (; k < c; k++) {
          float m = p[k];
          if (p[c + k] > m) m = p[c + k];
          if (p[row + k] > m) m = p[row + k];
          if (p[row + c + k] > m) m = p[row + c + k];
          out[k] = m;
        }
      }
    }
  }
}

/* out[r][j] = x[r][j] + bias[j]: a bias add broadcast over rows (wasm's Add broadcasts per element). */
EXPORT(add_bias)
void add_bias(const float* x, const float* bias, float* out, int rows, int cols) {
  for (int r = 0; r < rows; r++) {
    const float* xp = x + r * cols;
    float* op = out + r * cols;
    int j = 0;
    for (; j + 4 <= cols; j += 4) wasm_v128_store(op + j, wasm_f32x4_add(wasm_v128_load(xp + j), wasm_v128_load(bias + j)));
    for (; j < cols; j++) op[j] = xp[j] + bias[j];
  }
}

/* out[r][j] = x[r][j] * ab[j] + ab[cols + j]: batch norm folded per channel into a scale and a shift. */
EXPORT(scale_shift)
void scale_shift(const float* x, const float* ab, float* out, int rows, int cols) {
  const float* a = ab;
  const float* b = ab + cols;
  for (int r = 0; r < rows; r++) {
    const float* xp = x + r * cols;
    float* op = out + r * cols;
    int j = 0;
    for (; j + 4 <= cols; j += 4) {
      wasm_v128_store(op + j, wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(xp + j), wasm_v128_load(a + j)), wasm_v128_load(b + j)));
    }
    for (; j < cols; j++) op[j] = xp[j] * a[j] + b[j];
  }
}

/*
 * out = x op s (or s op x when scalar_first) for a tensor and one value: 0 add, 1 sub,
 * 2 mul, 3 div, 4 min, 5 max. wasm's binary kernels broadcast a scalar per element.
 * min/max propagate NaN as tfjs's cpu backend does (Math.min/Math.max).
 */
static inline v128_t nan_min(v128_t a, v128_t b) { return wasm_f32x4_min(a, b); }
static inline v128_t nan_max(v128_t a, v128_t b) { return wasm_f32x4_max(a, b); }

EXPORT(scalar_op)
void scalar_op(int op, const float* x, float s, float* out, int n, int scalar_first) {
  const v128_t sv = wasm_f32x4_splat(s);
  int i = 0;
  switch (op) {
#define LOOP(VEXPR, SEXPR) \
    for (; i + 4 <= n; i += 4) { v128_t v = wasm_v128_load(x + i); wasm_v128_store(out + i, VEXPR); } \
    for (; i < n; i++) { float v = x[i]; out[i] = SEXPR; } \
    break;
    case 0: LOOP(wasm_f32x4_add(v, sv), v + s)
    case 1: if (scalar_first) { LOOP(wasm_f32x4_sub(sv, v), s - v) } else { LOOP(wasm_f32x4_sub(v, sv), v - s) }
    case 2: LOOP(wasm_f32x4_mul(v, sv), v * s)
    case 3: if (scalar_first) { LOOP(wasm_f32x4_div(sv, v), s / v) } else { LOOP(wasm_f32x4_div(v, sv), v / s) }
    case 4: LOOP(nan_min(v, sv), (v != v || s != s) ? v + s : (v < s ? v : s))
    case 5: LOOP(nan_max(v, sv), (v != v || s != s) ? v + s : (v > s ? v : s))
#undef LOOP
  }
}

/* out = (x cmp s) ? 1 : 0 as bytes (tfjs's bool), or (s cmp x) when scalar_first: 0 >, 1 >=, 2 <, 3 <=. */
EXPORT(scalar_compare)
void scalar_compare(int op, const float* x, float s, unsigned char* out, int n, int scalar_first) {
  /* s > x is x < s: a comparison with the scalar first flips. */
  if (scalar_first) op = op ^ 2;
  const v128_t sv = wasm_f32x4_splat(s), one = wasm_i32x4_splat(1);
  int i = 0;
#define CMP(v) wasm_v128_and(op == 0 ? wasm_f32x4_gt(v, sv) : op == 1 ? wasm_f32x4_ge(v, sv) : op == 2 ? wasm_f32x4_lt(v, sv) : wasm_f32x4_le(v, sv), one)
  for (; i + 16 <= n; i += 16) {
    /* Four lanes of 0/1 words narrowed twice: sixteen 0/1 bytes. No arrays: the module has no stack. */
    v128_t m0 = CMP(wasm_v128_load(x + i)), m1 = CMP(wasm_v128_load(x + i + 4));
    v128_t m2 = CMP(wasm_v128_load(x + i + 8)), m3 = CMP(wasm_v128_load(x + i + 12));
    wasm_v128_store(out + i, wasm_u8x16_narrow_i16x8(wasm_u16x8_narrow_i32x4(m0, m1), wasm_u16x8_narrow_i32x4(m2, m3)));
  }
#undef CMP
  for (; i < n; i++) {
    float v = x[i];
    out[i] = op == 0 ? v > s : op == 1 ? v >= s : op == 2 ? v < s : v <= s;
  }
}
