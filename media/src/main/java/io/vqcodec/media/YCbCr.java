package io.vqcodec.media;

/**
 * Y'CbCr to and from 8-bit R'G'B' (0xRRGGBB ints, as in a {@code BufferedImage} TYPE_INT_RGB). One
 * place for the matrices, the two ranges and chroma siting, used by every reader and writer of the
 * module so that what a sink writes, a source reads back with the same numbers.
 *
 * <p>Ranges at bit depth d (ITU-R BT.601/709/2020 and JFIF): limited ("tv") has Y' in [16, 235] and
 * Cb, Cr in [16, 240], each scaled by 2^(d-8); full ("pc") has Y' in [0, 2^d - 1] and Cb, Cr
 * centred on 2^(d-1), divided by 2^d - 1. Chroma planes are rounded up: a 33x17 picture at 4:2:0
 * has 17x9 chroma samples.
 */
final class YCbCr {
  private YCbCr() {}

  /** The luma coefficients of a colour matrix: Y' = Kr R' + (1 - Kr - Kb) G' + Kb B'. */
  enum Matrix {
    BT601(0.299, 0.114),
    BT709(0.2126, 0.0722),
    BT2020(0.2627, 0.0593),
    SMPTE240M(0.212, 0.087);

    final double kr;
    final double kb;
    final double kg;

    Matrix(double kr, double kb) {
      this.kr = kr;
      this.kb = kb;
      this.kg = 1 - kr - kb;
    }
  }

  /**
   * Where chroma samples sit along one axis, as a fraction of the span of luma samples one chroma
   * sample covers: 0 co-sited with the first (MPEG-2 "left", "top"), 0.5 centred (JPEG, MPEG-1), 1
   * co-sited with the last ("bottom").
   */
  static final double COSITED = 0, CENTRED = 0.5, LAST = 1;

  /**
   * Upsampling taps along one axis: for each of {@code n} luma positions, the two chroma indexes
   * and the weight of the second. Bilinear, clamped at the edges.
   */
  static final class Taps {
    final int[] i0;
    final int[] i1;
    final float[] w1;

    Taps(int n, int log2, double siting) {
      i0 = new int[n];
      i1 = new int[n];
      w1 = new float[n];
      int s = 1 << log2;
      int cn = chromaSize(n, log2);
      double off = siting * (s - 1);
      for (int x = 0; x < n; x++) {
        double c = (x - off) / s;
        int a = (int) Math.floor(c);
        double t = c - a;
        if (a < 0) {
          a = 0;
          t = 0;
        }
        if (a >= cn - 1) {
          a = cn - 1;
          t = 0;
        }
        i0[x] = a;
        i1[x] = Math.min(a + 1, cn - 1);
        w1[x] = (float) t;
      }
    }
  }

  /** Chroma samples covering {@code n} luma samples at subsampling 2^log2 (rounded up). */
  static int chromaSize(int n, int log2) {
    return -((-n) >> log2);
  }

  /**
   * Converts planar Y'CbCr samples to 8-bit RGB. Chroma is upsampled separably: each chroma row
   * horizontally once, then two such rows blended per luma row (about 5 ms per 1280x720 frame).
   *
   * @param y luma, w*h samples
   * @param cb blue difference, cw*ch samples (cw, ch from {@link #chromaSize}); null with cr for a
   *     gray picture
   * @param cr red difference
   * @param tx horizontal upsampling taps for w (unused for gray)
   * @param ty vertical upsampling taps for h
   * @param depth bits per sample, 8 to 16
   * @param full full range, else limited
   * @param out w*h RGB ints
   */
  static void toRgb(
      int[] y,
      int[] cb,
      int[] cr,
      int w,
      int h,
      int cw,
      Taps tx,
      Taps ty,
      int depth,
      boolean full,
      Matrix m,
      int[] out) {
    double scale = 1 << (depth - 8);
    // Y' times 255 and C' times 255, from the samples: one multiply-add each.
    float yMul, yAdd, cMul, cAdd;
    if (full) {
      double max = (1 << depth) - 1;
      yMul = (float) (255 / max);
      yAdd = 0;
      cMul = (float) (255 / max);
      cAdd = (float) (-(1 << (depth - 1)) * 255 / max);
    } else {
      yMul = (float) (255 / (219 * scale));
      yAdd = -16 * (float) scale * yMul;
      cMul = (float) (255 / (224 * scale));
      cAdd = -128 * (float) scale * cMul;
    }
    if (cb == null) {
      for (int i = 0; i < w * h; i++) {
        int v = clamp8(y[i] * yMul + yAdd);
        out[i] = v << 16 | v << 8 | v;
      }
      return;
    }
    float rCr = (float) (2 * (1 - m.kr)), bCb = (float) (2 * (1 - m.kb));
    float gCb = (float) (-m.kb * 2 * (1 - m.kb) / m.kg),
        gCr = (float) (-m.kr * 2 * (1 - m.kr) / m.kg);
    // Horizontally upsampled chroma rows, cached by chroma row: [slot][x].
    float[][] hu = new float[2][w], hv = new float[2][w];
    int[] cached = {-1, -1};
    float[] u = new float[w], v = new float[w];
    for (int row = 0; row < h; row++) {
      int s0 = upsampleRow(cb, cr, ty.i0[row], cw, tx, cMul, cAdd, hu, hv, cached);
      int s1 = upsampleRow(cb, cr, ty.i1[row], cw, tx, cMul, cAdd, hu, hv, cached);
      float wy = ty.w1[row];
      float[] u0 = hu[s0], u1 = hu[s1], v0 = hv[s0], v1 = hv[s1];
      if (wy == 0) {
        System.arraycopy(u0, 0, u, 0, w);
        System.arraycopy(v0, 0, v, 0, w);
      } else {
        for (int x = 0; x < w; x++) {
          u[x] = u0[x] + wy * (u1[x] - u0[x]);
          v[x] = v0[x] + wy * (v1[x] - v0[x]);
        }
      }
      int o = row * w;
      for (int x = 0; x < w; x++) {
        float l = y[o + x] * yMul + yAdd;
        float cu = u[x], cv = v[x];
        out[o + x] =
            clamp8(l + rCr * cv) << 16
                | clamp8(l + gCb * cu + gCr * cv) << 8
                | clamp8(l + bCb * cu);
      }
    }
  }

  /**
   * Makes sure chroma row {@code cy}, horizontally upsampled and scaled, is in one of the two cache
   * slots, and returns that slot. Luma rows visit chroma rows in order, so two slots hold every
   * pair a row blends.
   */
  private static int upsampleRow(
      int[] cb,
      int[] cr,
      int cy,
      int cw,
      Taps tx,
      float cMul,
      float cAdd,
      float[][] hu,
      float[][] hv,
      int[] cached) {
    if (cached[0] == cy) return 0;
    if (cached[1] == cy) return 1;
    // Replace the slot holding the lower row: the next luma rows need the higher one.
    int slot = cached[0] < cached[1] ? 0 : 1;
    cached[slot] = cy;
    float[] du = hu[slot], dv = hv[slot];
    int base = cy * cw;
    for (int x = 0; x < du.length; x++) {
      int a = base + tx.i0[x], b = base + tx.i1[x];
      float t = tx.w1[x];
      du[x] = (cb[a] + t * (cb[b] - cb[a])) * cMul + cAdd;
      dv[x] = (cr[a] + t * (cr[b] - cr[a])) * cMul + cAdd;
    }
    return slot;
  }

  /**
   * Converts 8-bit RGB to 8-bit Y'CbCr with chroma subsampled by 2^log2w x 2^log2h. Each chroma
   * sample is the mean of the chroma of the luma samples it covers (fewer at the right and bottom
   * edges of odd sizes), so it sits at the centre of its block: tag it {@link #CENTRED}.
   *
   * @param y w*h luma samples out
   * @param cb cw*ch samples out
   * @param cr cw*ch samples out
   */
  static void fromRgb(
      int[] rgb,
      int w,
      int h,
      int log2w,
      int log2h,
      boolean full,
      Matrix m,
      byte[] y,
      byte[] cb,
      byte[] cr) {
    double yMul = full ? 1 : 219 / 255.0, yAdd = full ? 0 : 16;
    double cMul = full ? 1 : 224 / 255.0;
    double cbDiv = 2 * (1 - m.kb), crDiv = 2 * (1 - m.kr);
    int cw = chromaSize(w, log2w), ch = chromaSize(h, log2h);
    double[] sumB = new double[cw], sumR = new double[cw];
    int[] count = new int[cw];
    for (int cy = 0; cy < ch; cy++) {
      java.util.Arrays.fill(sumB, 0);
      java.util.Arrays.fill(sumR, 0);
      java.util.Arrays.fill(count, 0);
      int yEnd = Math.min(h, (cy + 1) << log2h);
      for (int row = cy << log2h; row < yEnd; row++) {
        for (int x = 0; x < w; x++) {
          int p = rgb[row * w + x];
          int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
          double l = m.kr * r + m.kg * g + m.kb * b;
          y[row * w + x] = (byte) clamp8(l * yMul + yAdd);
          int c = x >> log2w;
          sumB[c] += (b - l) / cbDiv;
          sumR[c] += (r - l) / crDiv;
          count[c]++;
        }
      }
      for (int c = 0; c < cw; c++) {
        cb[cy * cw + c] = (byte) clamp8(128 + cMul * sumB[c] / count[c]);
        cr[cy * cw + c] = (byte) clamp8(128 + cMul * sumR[c] / count[c]);
      }
    }
  }

  /** Rounded to the nearest integer (halves up) and clipped to [0, 255]. */
  static int clamp8(double v) {
    if (v <= 0) return 0;
    if (v >= 255) return 255;
    return (int) (v + 0.5);
  }

  static int clamp8(float v) {
    if (v <= 0) return 0;
    if (v >= 255) return 255;
    return (int) (v + 0.5f);
  }
}
