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
