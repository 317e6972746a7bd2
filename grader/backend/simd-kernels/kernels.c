// Training kernels for the WebAssembly backend, written with WebAssembly SIMD (128-bit) and run on the backend's own
// heap: this module imports the backend's memory and is handed byte offsets of its tensors. Built by
// `node scripts/build-simd-kernels.mjs` into kernels-wasm.generated.ts (both the plain and the shared-memory form).
//
// Rules for this file, checked by the build: no data segments and no stack (locals only), because the memory belongs
// to the backend; no calls to libc (-fno-builtin, -nostdlib).
#include <wasm_simd128.h>

typedef float f32;

// MaxPoolGrad for 2x2 windows, stride 2, no padding, NHWC. Each output cell's gradient goes to the FIRST maximum of
// its window in row order (strictly greater wins, so NaN and -Infinity never win), as the CPU backend and TensorFlow
// do; a window without a maximum passes nothing. The windows do not overlap, so every input cell is written exactly
// once, as 0 + gradient or 0: the same float32 values as filling dx with zeros and adding into it.
__attribute__((export_name("max_pool_grad_2x2")))
void max_pool_grad_2x2(const f32 *x, const f32 *g, f32 *dx, int batch, int in_h, int in_w, int c, int out_h, int out_w) {
  const int row = in_w * c;
  if (in_h != 2 * out_h || in_w != 2 * out_w) {
    // Rows or columns past the last window get no gradient.
    const int n = batch * in_h * row;
    const v128_t z = wasm_f32x4_splat(0.0f);
    int k = 0;
    for (; k + 4 <= n; k += 4) wasm_v128_store(dx + k, z);
    for (; k < n; k++) dx[k] = 0.0f;
  }
  const v128_t zero = wasm_f32x4_splat(0.0f);
  const v128_t neg_inf = wasm_f32x4_splat(-__builtin_inff());
  const f32 *go = g;
  for (int b = 0; b < batch; b++) {
    for (int i = 0; i < out_h; i++) {
      for (int j = 0; j < out_w; j++, go += c) {
        const int t0 = (b * in_h + 2 * i) * row + 2 * j * c;
        const int t1 = t0 + c, t2 = t0 + row, t3 = t2 + c;
        int ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          const v128_t v0 = wasm_v128_load(x + t0 + ch), v1 = wasm_v128_load(x + t1 + ch);
          const v128_t v2 = wasm_v128_load(x + t2 + ch), v3 = wasm_v128_load(x + t3 + ch);
          v128_t w0 = wasm_f32x4_gt(v0, neg_inf);
          v128_t best = wasm_v128_bitselect(v0, neg_inf, w0);
          const v128_t w1 = wasm_f32x4_gt(v1, best);
          best = wasm_v128_bitselect(v1, best, w1);
          v128_t w2 = wasm_f32x4_gt(v2, best);
          best = wasm_v128_bitselect(v2, best, w2);
          const v128_t w3 = wasm_f32x4_gt(v3, best);
          // A later winner takes the cell from every earlier one.
          w2 = wasm_v128_andnot(w2, w3);
          v128_t w1k = wasm_v128_andnot(wasm_v128_andnot(w1, w2), w3);
          w0 = wasm_v128_andnot(wasm_v128_andnot(wasm_v128_andnot(w0, w1), w2), w3);
          const v128_t gv = wasm_v128_load(go + ch);
          // 0 + g, not g: adding into a zeroed cell turns -0 into +0, and so does this.
          wasm_v128_store(dx + t0 + ch, wasm_f32x4_add(zero, wasm_v128_and(w0, gv)));
          wasm_v128_store(dx + t1 + ch, wasm_f32x4_add(zero, wasm_v128_and(w1k, gv)));
          wasm_v128_store(dx + t2 + ch, wasm_f32x4_add(zero, wasm_v128_and(w2, gv)));
          wasm_v128_store(dx + t3 + ch, wasm_f32x4_add(zero, wasm_v128_and(w3, gv)));
        }
        for (; ch < c; ch++) {
          const f32 v0 = x[t0 + ch], v1 = x[t1 + ch], v2 = x[t2 + ch], v3 = x[t3 + ch];
          f32 best = -__builtin_inff();
          int at = -1;
          if (v0 > best) { best = v0; at = t0 + ch; }
          if (v1 > best) { best = v1; at = t1 + ch; }
          if (v2 > best) { best = v2; at = t2 + ch; }
          if (v3 > best) { at = t3 + ch; }
          dx[t0 + ch] = 0.0f;
          dx[t1 + ch] = 0.0f;
          dx[t2 + ch] = 0.0f;
          dx[t3 + ch] = 0.0f;
          if (at >= 0) dx[at] = 0.0f + go[ch];
        }
      }
    }
  }
}

// Sum over the leading axes of x seen as [outer, inner]: out[j] = x[0][j] + x[1][j] + ... in row order, every partial
// sum rounded to float32 — the additions the backend's transposed row sums make, in the same order.
__attribute__((export_name("sum_leading")))
void sum_leading(const f32 *x, f32 *out, int outer, int inner) {
  int j = 0;
  for (; j + 16 <= inner; j += 16) {
    const f32 *p = x + j;
    v128_t a0 = wasm_v128_load(p), a1 = wasm_v128_load(p + 4), a2 = wasm_v128_load(p + 8), a3 = wasm_v128_load(p + 12);
    for (int i = 1; i < outer; i++) {
      p += inner;
      a0 = wasm_f32x4_add(a0, wasm_v128_load(p));
      a1 = wasm_f32x4_add(a1, wasm_v128_load(p + 4));
      a2 = wasm_f32x4_add(a2, wasm_v128_load(p + 8));
      a3 = wasm_f32x4_add(a3, wasm_v128_load(p + 12));
    }
    wasm_v128_store(out + j, a0);
    wasm_v128_store(out + j + 4, a1);
    wasm_v128_store(out + j + 8, a2);
    wasm_v128_store(out + j + 12, a3);
  }
  for (; j + 4 <= inner; j += 4) {
    const f32 *p = x + j;
    v128_t a = wasm_v128_load(p);
    for (int i = 1; i < outer; i++) a = wasm_f32x4_add(a, wasm_v128_load(p += inner));
    wasm_v128_store(out + j, a);
  }
  for (; j < inner; j++) {
    const f32 *p = x + j;
    f32 a = *p;
    for (int i = 1; i < outer; i++) a += *(p += inner);
    out[j] = a;
  }
}

// The filter gradient of a 2-D convolution (NHWC input x, output gradient dy, filter [kh, kw, in_c, out_c], dilation
// 1, any stride and padding):
//
//   dW[a, b, i, o] = sum over n, p, q of  x[n, a + p*stride_h - top, b + q*stride_w - left, i] * dy[n, p, q, o]
//
// with taps outside the input counting as zero. For each tap (a, b) the sum is a matrix product of the input's
// shifted pixels (in_c wide) with dy's (out_c wide) over every output position, done in register blocks of 4 input
// channels by 16 (or 4) output channels kept in SIMD accumulators. Images are taken one at a time, all blocks of an
// image before the next, so that image's x and dy stay in cache; a block's accumulators are stored after each image
// and loaded again for the next, which keeps every sum in plain order over (n, p, q). out_c must be a multiple of 4;
// rows of a block past the last input channel read the last channel again and are not stored.
#define FILTER_GRAD_ARGS                                                                                              \
  const f32 *x, const f32 *dy, f32 *dw_tap, int batch, int in_h, int in_w, int in_c, int out_h, int out_w,           \
      int out_c, int stride_h, int stride_w, int top, int left, int a, int b, int ci0, int co0, int n
#define FILTER_GRAD_POSITIONS(...)                                                                                    \
  {                                                                                                                   \
    for (int p = 0; p < out_h; p++) {                                                                                 \
      const int r = a + p * stride_h - top;                                                                           \
      if (r < 0 || r >= in_h) continue;                                                                               \
      int q0 = 0;                                                                                                     \
      while (q0 < out_w && b + q0 * stride_w - left < 0) q0++;                                                        \
      int q1 = out_w;                                                                                                 \
      while (q1 > q0 && b + (q1 - 1) * stride_w - left >= in_w) q1--;                                                 \
      if (q0 >= q1) continue;                                                                                         \
      const f32 *xi = x + ((n * in_h + r) * in_w + (b + q0 * stride_w - left)) * in_c + ci0;                          \
      const f32 *dq = dy + ((n * out_h + p) * out_w + q0) * out_c + co0;                                              \
      for (int q = q0; q < q1; q++, xi += stride_w * in_c, dq += out_c) {                                             \
        __VA_ARGS__                                                                                                   \
      }                                                                                                               \
    }                                                                                                                 \
  }
#define MAC(s, xv, dv) s = wasm_f32x4_add(s, wasm_f32x4_mul(xv, dv))

// The running sums of the images before this one (n > 0), or zero; a row past the last channel always starts at zero.
static inline v128_t running_sum(const f32 *at, int n, int row_exists) {
  return n > 0 && row_exists ? wasm_v128_load(at) : wasm_f32x4_splat(0.0f);
}

static void filter_grad_block16(FILTER_GRAD_ARGS) {
  const int i1 = ci0 + 1 < in_c ? 1 : 0, i2 = ci0 + 2 < in_c ? 2 : i1, i3 = ci0 + 3 < in_c ? 3 : i2;
  const int h1 = i1 == 1, h2 = i2 == 2, h3 = i3 == 3;
  f32 *o = dw_tap + ci0 * out_c + co0;
  const f32 *o1 = o + out_c, *o2 = o + 2 * out_c, *o3 = o + 3 * out_c;
  v128_t s00 = running_sum(o, n, 1), s01 = running_sum(o + 4, n, 1);
  v128_t s02 = running_sum(o + 8, n, 1), s03 = running_sum(o + 12, n, 1);
  v128_t s10 = running_sum(o1, n, h1), s11 = running_sum(o1 + 4, n, h1);
  v128_t s12 = running_sum(o1 + 8, n, h1), s13 = running_sum(o1 + 12, n, h1);
  v128_t s20 = running_sum(o2, n, h2), s21 = running_sum(o2 + 4, n, h2);
  v128_t s22 = running_sum(o2 + 8, n, h2), s23 = running_sum(o2 + 12, n, h2);
  v128_t s30 = running_sum(o3, n, h3), s31 = running_sum(o3 + 4, n, h3);
  v128_t s32 = running_sum(o3 + 8, n, h3), s33 = running_sum(o3 + 12, n, h3);
  FILTER_GRAD_POSITIONS({
    const v128_t d0 = wasm_v128_load(dq), d1 = wasm_v128_load(dq + 4);
    const v128_t d2 = wasm_v128_load(dq + 8), d3 = wasm_v128_load(dq + 12);
    const v128_t x0 = wasm_v128_load32_splat(xi), x1 = wasm_v128_load32_splat(xi + i1);
    const v128_t x2 = wasm_v128_load32_splat(xi + i2), x3 = wasm_v128_load32_splat(xi + i3);
    MAC(s00, x0, d0); MAC(s01, x0, d1); MAC(s02, x0, d2); MAC(s03, x0, d3);
    MAC(s10, x1, d0); MAC(s11, x1, d1); MAC(s12, x1, d2); MAC(s13, x1, d3);
    MAC(s20, x2, d0); MAC(s21, x2, d1); MAC(s22, x2, d2); MAC(s23, x2, d3);
    MAC(s30, x3, d0); MAC(s31, x3, d1); MAC(s32, x3, d2); MAC(s33, x3, d3);
  })
  wasm_v128_store(o, s00); wasm_v128_store(o + 4, s01); wasm_v128_store(o + 8, s02); wasm_v128_store(o + 12, s03);
  if (i1 != 1) return;
  o += out_c;
  wasm_v128_store(o, s10); wasm_v128_store(o + 4, s11); wasm_v128_store(o + 8, s12); wasm_v128_store(o + 12, s13);
  if (i2 != 2) return;
  o += out_c;
  wasm_v128_store(o, s20); wasm_v128_store(o + 4, s21); wasm_v128_store(o + 8, s22); wasm_v128_store(o + 12, s23);
  if (i3 != 3) return;
  o += out_c;
  wasm_v128_store(o, s30); wasm_v128_store(o + 4, s31); wasm_v128_store(o + 8, s32); wasm_v128_store(o + 12, s33);
}

static void filter_grad_block4(FILTER_GRAD_ARGS) {
  const int i1 = ci0 + 1 < in_c ? 1 : 0, i2 = ci0 + 2 < in_c ? 2 : i1, i3 = ci0 + 3 < in_c ? 3 : i2;
  f32 *o = dw_tap + ci0 * out_c + co0;
  v128_t s0 = running_sum(o, n, 1), s1 = running_sum(o + out_c, n, i1 == 1);
  v128_t s2 = running_sum(o + 2 * out_c, n, i2 == 2), s3 = running_sum(o + 3 * out_c, n, i3 == 3);
  FILTER_GRAD_POSITIONS({
    const v128_t d = wasm_v128_load(dq);
    MAC(s0, wasm_v128_load32_splat(xi), d);
    MAC(s1, wasm_v128_load32_splat(xi + i1), d);
    MAC(s2, wasm_v128_load32_splat(xi + i2), d);
    MAC(s3, wasm_v128_load32_splat(xi + i3), d);
  })
  wasm_v128_store(o, s0);
  if (i1 == 1) wasm_v128_store(o + out_c, s1);
  if (i2 == 2) wasm_v128_store(o + 2 * out_c, s2);
  if (i3 == 3) wasm_v128_store(o + 3 * out_c, s3);
}

__attribute__((export_name("conv2d_backprop_filter")))
void conv2d_backprop_filter(const f32 *x, const f32 *dy, f32 *dw, int batch, int in_h, int in_w, int in_c, int out_h,
                            int out_w, int out_c, int k_h, int k_w, int stride_h, int stride_w, int top, int left) {
  for (int n = 0; n < batch; n++) {
    for (int a = 0; a < k_h; a++) {
      for (int b = 0; b < k_w; b++) {
        f32 *dw_tap = dw + (a * k_w + b) * in_c * out_c;
        for (int ci0 = 0; ci0 < in_c; ci0 += 4) {
          int co0 = 0;
          for (; co0 + 16 <= out_c; co0 += 16)
            filter_grad_block16(x, dy, dw_tap, batch, in_h, in_w, in_c, out_h, out_w, out_c, stride_h, stride_w, top,
                                left, a, b, ci0, co0, n);
          for (; co0 < out_c; co0 += 4)
            filter_grad_block4(x, dy, dw_tap, batch, in_h, in_w, in_c, out_h, out_w, out_c, stride_h, stride_w, top,
                               left, a, b, ci0, co0, n);
        }
      }
    }
  }
}

// out[r][j] = a[r][j] + bias[j]: Add of a bias vector along the last axis (every convolution's and dense layer's
// forward pass when its activation is not fused), the same one addition per value as the backend's broadcast Add.
__attribute__((export_name("add_bias")))
void add_bias(const f32 *a, const f32 *bias, f32 *out, int rows, int c) {
  for (int r = 0; r < rows; r++, a += c, out += c) {
    int j = 0;
    for (; j + 4 <= c; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(a + j), wasm_v128_load(bias + j)));
    for (; j < c; j++) out[j] = a[j] + bias[j];
  }
}

// The gradient of ReLU, dy * step(x), in one pass: step(x) is 1 where x > 0, x itself where x is NaN, else 0 — the
// backend's Step — and the product is the same multiplication, so -0 and NaN come out as they do from Step then Mul.
__attribute__((export_name("relu_grad")))
void relu_grad(const f32 *dy, const f32 *x, f32 *out, int n) {
  const v128_t one = wasm_f32x4_splat(1.0f), zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t xv = wasm_v128_load(x + i);
    v128_t s = wasm_v128_bitselect(one, zero, wasm_f32x4_gt(xv, zero));
    s = wasm_v128_bitselect(xv, s, wasm_f32x4_ne(xv, xv));
    wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(dy + i), s));
  }
  for (; i < n; i++) {
    const f32 xi = x[i];
    out[i] = dy[i] * (xi != xi ? xi : xi > 0.0f ? 1.0f : 0.0f);
  }
}
