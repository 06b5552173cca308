package io.vqcodec.tokens;

import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansDecoder;
import io.vqcodec.entropy.RansEncoder;

/**
 * The pixel residual of a slice (Spec §6.9, signalled by the pixel-residual block, §9.6.4): what
 * the synthesised picture misses, coded as 8x8 integer-DCT blocks of the three YCoCg planes of the
 * difference (one plane for gray pictures), added to the synthesised pixels. It lifts the quality
 * above what the tokens alone reach: on the validation images a residual on top of all-fine tokens
 * beats residual token stages by 0.4 to 1.5 dB at 0.2 to 0.5 bpp (results/pixel-residual).
 *
 * <p>Decoding is exact integer arithmetic (§6.9.3 to §6.9.5), so every conforming decoder adds the
 * same residual; only the synthesised picture it is added to may differ. The encoder's forward
 * transform and quantiser are its own choice (floating point here).
 *
 * <p>A slice's residual covers its pixel rows, {@code 16 * first_row} to {@code 16 * (first_row +
 * row_count)} (cut at the picture's height), in rows of 8x8 blocks; its models start afresh in
 * every slice, so slices stay independent (§5.1).
 */
public final class PixelResidual {
  /** Spec §6.9: block side in pixels. */
  public static final int BLOCK = 8;

  /** Spec §6.9.2: magnitudes 0..14 are coded as they are, 15 is an escape. */
  static final int ESCAPE = 15;

  /** Spec §6.9.2: at most this many escape prefix bits (magnitudes up to 15 + 2^13 - 2). */
  static final int MAX_ESCAPE_BITS = 12;

  /**
   * Spec §6.9.3: each plane sample, in quarter units, is clamped to this range before the colour
   * transform (a difference of 8-bit channels needs at most ±510).
   */
  static final int MAX_SAMPLE = 4095;

  /**
   * Spec §9.6.4: quantiser steps in quarter units of the orthonormal DCT's coefficients, 1..65535.
   *
   * @param luma the Y plane's step (also the gray plane's)
   * @param chroma the Co and Cg planes' step
   */
  public record Steps(int luma, int chroma) {
    public Steps {
      if (luma < 1 || luma > 65535 || chroma < 1 || chroma > 65535)
        throw new IllegalArgumentException("residual steps " + luma + ", " + chroma + ": 1..65535");
    }

    int of(int plane) {
      return plane == 0 ? luma : chroma;
    }
  }

  /** Rows of a picture, {@code 0xRRGGBB} ints (gray pictures: the gray value in every channel). */
  public interface Rows {
    void read(int y, int[] rgb);
  }

  /** Where the decoder's corrected rows go. */
  public interface RowSink {
    void write(int y, int[] rgb);
  }

  private PixelResidual() {}

  // -- Spec §6.9.1: the slice payload ------------------------------------------------------------

  /** Spec §6.9.1: a slice payload of {@code tokenPart} (§6.3) then {@code residualPart}. */
  public static byte[] payload(byte[] tokenPart, byte[] residualPart) {
    byte[] p = new byte[4 + tokenPart.length + residualPart.length];
    int n = tokenPart.length;
    p[0] = (byte) (n >>> 24);
    p[1] = (byte) (n >>> 16);
    p[2] = (byte) (n >>> 8);
    p[3] = (byte) n;
    System.arraycopy(tokenPart, 0, p, 4, n);
    System.arraycopy(residualPart, 0, p, 4 + n, residualPart.length);
    return p;
  }

  /**
   * Spec §6.9.1: {token part, residual part} of a non-empty slice payload, or null if it is
   * malformed (shorter than 4 bytes, or a token_part_length past its end): the slice is then lost.
   */
  public static byte[][] split(byte[] payload) {
    if (payload.length < 4) return null;
    long n = tokenPartLength(payload);
    if (n > payload.length - 4) return null;
    return new byte[][] {
      java.util.Arrays.copyOfRange(payload, 4, 4 + (int) n),
      java.util.Arrays.copyOfRange(payload, 4 + (int) n, payload.length)
    };
  }

  private static long tokenPartLength(byte[] p) {
    return (p[0] & 0xFFL) << 24 | (p[1] & 0xFF) << 16 | (p[2] & 0xFF) << 8 | (p[3] & 0xFF);
  }

  /**
   * Why {@link #split} refuses a payload (conformance/README.md, "Mutation testing": describe*
   * methods are not mutated).
   */
  static String describeMalformed(byte[] payload) {
    if (payload.length < 4)
      return "a payload of "
          + payload.length
          + " bytes has no token_part_length: a slice with a pixel residual needs 4 (Spec §6.9.1)";
    return "token_part_length "
        + tokenPartLength(payload)
        + " is past the payload's "
        + (payload.length - 4)
        + " bytes after it (Spec §6.9.1)";
  }

  // -- Spec §6.9.2: coefficient order and contexts ----------------------------------------------

  /** Zigzag scan: position k of the scan is coefficient {@code ZIGZAG[k] = 8 * v + u}. */
  static final int[] ZIGZAG = new int[64];

  /** Spec §6.9.2: the band of scan position k, 0..6. */
  static final int[] BAND = new int[64];

  static {
    int k = 0;
    for (int s = 0; s < 15; s++) {
      for (int i = 0; i <= s; i++) {
        int v = (s % 2 == 0) ? s - i : i, u = s - v;
        if (u < 8 && v < 8) ZIGZAG[k++] = 8 * v + u;
      }
    }
    for (k = 0; k < 64; k++) {
      BAND[k] = k == 0 ? 0 : k < 3 ? 1 : k < 6 ? 2 : k < 10 ? 3 : k < 15 ? 4 : k < 28 ? 5 : 6;
    }
  }

  /**
   * Spec §6.9.3: the 8-point integer DCT basis (row u is frequency u), rows of squared length about
   * 2^15, as in H.265.
   */
  static final int[][] BASIS = {
    {64, 64, 64, 64, 64, 64, 64, 64},
    {89, 75, 50, 18, -18, -50, -75, -89},
    {83, 36, -36, -83, -83, -36, 36, 83},
    {75, -18, -89, -50, 50, 89, 18, -75},
    {64, -64, -64, 64, 64, -64, -64, 64},
    {50, -89, 18, 75, -75, -18, 89, -50},
    {36, -83, 83, -36, -36, 83, -83, 36},
    {18, -50, 75, -89, 89, -75, 50, -18}
  };

  /** The models of one slice's residual (Spec §6.9.2), fresh for every slice. */
  private static final class Models {
    // [plane class: 0 luma, 1 chroma][context 0..2]
    final AdaptiveModel[][] last = new AdaptiveModel[2][3];
    // [plane class][band 0..6][context 0..2]
    final AdaptiveModel[][][] level = new AdaptiveModel[2][7][3];

    Models() {
      for (int c = 0; c < 2; c++) {
        for (int x = 0; x < 3; x++) last[c][x] = new AdaptiveModel(65);
        for (int b = 0; b < 7; b++) {
          for (int x = 0; x < 3; x++) level[c][b][x] = new AdaptiveModel(ESCAPE + 1);
        }
      }
    }
  }

  /** Spec §6.9.2: a magnitude's context from the two magnitudes before it in the scan. */
  private static int levelContext(int[] mag, int k) {
    int s = (k > 0 ? mag[k - 1] : 0) + (k > 1 ? mag[k - 2] : 0);
    return Math.min(2, s);
  }

  // -- Decoding ---------------------------------------------------------------------------------

  /** Receives a residual's samples a pixel row at a time (Spec §6.9.3). */
  public interface PlaneRows {
    /**
     * Row {@code y}: plane {@code p}'s samples of the row, quarter units, at {@code planes[p][off +
     * x]} for {@code x < width}; valid only during the call.
     */
    void accept(int y, int[][] planes, int off);
  }

  /**
   * Spec §6.9: decodes the residual part {@code buf[off .. off + len)} of the slice covering pixel
   * rows {@code y0 .. y1 - 1} and writes those rows of {@code synthesised} plus the residual
   * (§6.9.4), clamped to 0..255, to {@code out}. An empty part ({@code len} 0) is a residual of
   * zeros.
   *
   * <p>The part is decoded twice, first only to check it (Spec §6.9.5: a part that fails adds
   * nothing to any row), then to add it, so that memory is a row of blocks whatever the slice's
   * height.
   *
   * @throws EntropyDecodingException if the part is corrupt; nothing has then been written
   */
  public static void decode(
      byte[] buf,
      int off,
      int len,
      Steps steps,
      boolean gray,
      int width,
      int y0,
      int y1,
      Rows synthesised,
      RowSink out)
      throws EntropyDecodingException {
    if (len > 0) walk(buf, off, len, steps, gray, width, y0, y1, null);
    int[] rgb = new int[width];
    walk(
        buf,
        off,
        len,
        steps,
        gray,
        width,
        y0,
        y1,
        (y, planes, o) -> {
          synthesised.read(y, rgb);
          addRow(planes, o, gray, rgb, width);
          out.write(y, rgb);
        });
  }

  /**
   * Spec §6.9.2, §6.9.3: the residual samples of the part, row by row, without adding them to
   * anything (the conformance serialisation of Spec §C.2 hashes them). Unlike {@link #decode}, rows
   * reach {@code sink} as they are decoded: a part that fails has given the rows before the error.
   *
   * @throws EntropyDecodingException if the part is corrupt
   */
  public static void decodePlanes(
      byte[] buf,
      int off,
      int len,
      Steps steps,
      boolean gray,
      int width,
      int y0,
      int y1,
      PlaneRows sink)
      throws EntropyDecodingException {
    walk(buf, off, len, steps, gray, width, y0, y1, sink);
  }

  /** Decodes a part; without {@code sink} it decodes and checks only. */
  private static void walk(
      byte[] buf,
      int off,
      int len,
      Steps steps,
      boolean gray,
      int width,
      int y0,
      int y1,
      PlaneRows sink)
      throws EntropyDecodingException {
    int planes = gray ? 1 : 3, bw = (width + BLOCK - 1) / BLOCK, stride = bw * BLOCK;
    int[][] band = sink == null ? null : new int[planes][BLOCK * stride];
    if (len == 0) {
      for (int y = y0; y < y1 && sink != null; y++) sink.accept(y, band, 0);
      return;
    }
    RansDecoder dec = new RansDecoder(buf, off, len);
    Models m = new Models();
    int[][] lastAbove = new int[planes][bw];
    int[] lastLeft = new int[planes];
    int[] q = new int[64], mag = new int[64];
    long[] tmp = new long[64];
    for (int by = y0; by < y1; by += BLOCK) {
      java.util.Arrays.fill(lastLeft, 0);
      for (int bx = 0; bx < bw; bx++) {
        for (int p = 0; p < planes; p++) {
          int cls = p == 0 ? 0 : 1;
          int ctx = (lastLeft[p] > 0 ? 1 : 0) + (by > y0 && lastAbove[p][bx] > 0 ? 1 : 0);
          int last = dec.decode(m.last[cls][ctx]);
          java.util.Arrays.fill(q, 0);
          java.util.Arrays.fill(mag, 0);
          for (int k = 0; k < last; k++) {
            int a = dec.decode(m.level[cls][BAND[k]][levelContext(mag, k)]);
            if (a == ESCAPE) a += escape(dec);
            if (k == last - 1) a += 1; // the last coefficient is not zero: its magnitude less 1
            mag[k] = a;
            if (a != 0) q[ZIGZAG[k]] = dec.decodeBits(1) == 1 ? -a : a;
          }
          lastLeft[p] = last;
          lastAbove[p][bx] = last;
          if (band != null) {
            inverseTransform(q, last, steps.of(p), tmp, band[p], stride, bx * BLOCK);
          }
        }
      }
      if (band == null) continue;
      int rows = Math.min(BLOCK, y1 - by);
      for (int j = 0; j < rows; j++) sink.accept(by + j, band, j * stride);
    }
    dec.verifyEnd();
  }

  /** Spec §6.9.2: exp-Golomb (order 0) in bypass bits: the amount above {@link #ESCAPE}. */
  private static int escape(RansDecoder dec) throws EntropyDecodingException {
    int n = 0;
    while (dec.decodeBits(1) == 1) {
      if (++n > MAX_ESCAPE_BITS)
        throw new EntropyDecodingException(
            "pixel residual: an escape of more than " + MAX_ESCAPE_BITS + " prefix bits", -1);
    }
    return (1 << n) - 1 + dec.decodeBits(n);
  }

  /**
   * Spec §6.9.3: dequantises {@code q} (coefficient {@code 8 * v + u}) with {@code step} and writes
   * the inverse transform in quarter units, row j column i at {@code dst[off + j * stride + i]},
   * clamped to ±{@link #MAX_SAMPLE}: {@code r = floor((sum_u sum_v B[v][j] B[u][i] q[v][u] step +
   * 2^14) / 2^15)}, exact in 64-bit integers (B's rows have squared length about 2^15 and the step
   * is in quarter units, so r is the orthonormal inverse in quarter units).
   */
  static void inverseTransform(
      int[] q, int last, int step, long[] tmp, int[] dst, int stride, int off) {
    if (last == 0) {
      for (int j = 0; j < BLOCK; j++)
        java.util.Arrays.fill(dst, off + j * stride, off + j * stride + BLOCK, 0);
      return;
    }
    // Columns first: tmp[v][i] = sum_u B[u][i] q[v][u] step (exact).
    for (int v = 0; v < BLOCK; v++) {
      for (int i = 0; i < BLOCK; i++) {
        long s = 0;
        for (int u = 0; u < BLOCK; u++) s += (long) BASIS[u][i] * q[8 * v + u];
        tmp[8 * v + i] = s * step;
      }
    }
    for (int j = 0; j < BLOCK; j++) {
      for (int i = 0; i < BLOCK; i++) {
        long s = 0;
        for (int v = 0; v < BLOCK; v++) s += BASIS[v][j] * tmp[8 * v + i];
        long r = (s + (1L << 14)) >> 15;
        dst[off + j * stride + i] = (int) Math.max(-MAX_SAMPLE, Math.min(MAX_SAMPLE, r));
      }
    }
  }

  /**
   * Spec §6.9.4: one row of the planes (Y, Co, Cg; or gray; quarter units) added to a row of
   * synthesised pixels: the YCoCg inverse {@code G = Y + Cg/2, R = Y - Cg/2 + Co/2, B = Y - Cg/2 -
   * Co/2} rounded once, then each channel plus its residual clamped to 0..255.
   */
  static void addRow(int[][] planes, int off, boolean gray, int[] rgb, int width) {
    for (int x = 0; x < width; x++) {
      int p = rgb[x];
      int r = (p >> 16) & 255, g = (p >> 8) & 255, b = p & 255;
      if (gray) {
        int v = clamp8(g + ((planes[0][off + x] + 2) >> 2));
        rgb[x] = v << 16 | v << 8 | v;
        continue;
      }
      int y2 = 2 * planes[0][off + x], co = planes[1][off + x], cg = planes[2][off + x];
      int dg = (y2 + cg + 4) >> 3, dr = (y2 - cg + co + 4) >> 3, db = (y2 - cg - co + 4) >> 3;
      rgb[x] = clamp8(r + dr) << 16 | clamp8(g + dg) << 8 | clamp8(b + db);
    }
  }

  private static int clamp8(int v) {
    return v < 0 ? 0 : v > 255 ? 255 : v;
  }

  // -- Encoding (informative: any quantiser that writes this syntax conforms) -------------------

  /** DCT-II basis, orthonormal, for the encoder's forward transform. */
  private static final double[][] DCT = new double[BLOCK][BLOCK];

  static {
    for (int u = 0; u < BLOCK; u++) {
      for (int i = 0; i < BLOCK; i++) {
        DCT[u][i] = (u == 0 ? Math.sqrt(1.0 / 8) : 0.5) * Math.cos(Math.PI * (2 * i + 1) * u / 16);
      }
    }
  }

  /**
   * The residual part of the slice covering pixel rows {@code y0 .. y1 - 1}: {@code source} minus
   * {@code synthesised}, transformed, quantised with {@code steps} (rounding towards zero by {@code
   * deadZone} of a step, 0..0.5), coded. Returns an empty array when every coefficient quantises to
   * zero (an empty part: Spec §6.9).
   */
  public static byte[] encode(
      Steps steps,
      double deadZone,
      boolean gray,
      int width,
      int y0,
      int y1,
      Rows source,
      Rows synthesised) {
    int planes = gray ? 1 : 3, bw = (width + BLOCK - 1) / BLOCK, pw = bw * BLOCK;
    RansEncoder enc = new RansEncoder();
    Models m = new Models();
    int[][] lastAbove = new int[planes][bw];
    int[] src = new int[width], syn = new int[width];
    double[][] diff = new double[planes][BLOCK * pw];
    double[] block = new double[64], coef = new double[64];
    int[] mag = new int[64], sign = new int[64];
    boolean any = false;
    for (int by = y0; by < y1; by += BLOCK) {
      // The block row's differences in YCoCg, edges replicated into the padding.
      for (int j = 0; j < BLOCK; j++) {
        int y = Math.min(by + j, y1 - 1);
        source.read(y, src);
        synthesised.read(y, syn);
        for (int x = 0; x < pw; x++) {
          int s = src[Math.min(x, width - 1)], d = syn[Math.min(x, width - 1)];
          double dr = ((s >> 16) & 255) - ((d >> 16) & 255);
          double dg = ((s >> 8) & 255) - ((d >> 8) & 255);
          double db = (s & 255) - (d & 255);
          if (gray) {
            diff[0][j * pw + x] = dg;
          } else {
            diff[0][j * pw + x] = (dr + 2 * dg + db) / 4;
            diff[1][j * pw + x] = dr - db;
            diff[2][j * pw + x] = dg - (dr + db) / 2;
          }
        }
      }
      int[] lastLeft = new int[planes];
      for (int bx = 0; bx < bw; bx++) {
        for (int p = 0; p < planes; p++) {
          for (int j = 0; j < BLOCK; j++) {
            System.arraycopy(diff[p], j * pw + bx * BLOCK, block, j * BLOCK, BLOCK);
          }
          forward(block, coef);
          double step = steps.of(p) / 4.0;
          int last = 0;
          for (int k = 0; k < 64; k++) {
            double z = Math.abs(coef[ZIGZAG[k]]) / step;
            mag[k] = (int) Math.max(0, Math.floor(z + 0.5 - deadZone));
            mag[k] = Math.min(mag[k], ESCAPE + (1 << (MAX_ESCAPE_BITS + 1)) - 2);
            sign[k] = coef[ZIGZAG[k]] < 0 ? 1 : 0;
            if (mag[k] != 0) last = k + 1;
          }
          int cls = p == 0 ? 0 : 1;
          int ctx = (lastLeft[p] > 0 ? 1 : 0) + (by > y0 && lastAbove[p][bx] > 0 ? 1 : 0);
          enc.encode(m.last[cls][ctx], last);
          for (int k = 0; k < last; k++) {
            int a = k == last - 1 ? mag[k] - 1 : mag[k];
            enc.encode(m.level[cls][BAND[k]][levelContext(mag, k)], Math.min(a, ESCAPE));
            if (a >= ESCAPE) {
              int e = a - ESCAPE + 1, n = 31 - Integer.numberOfLeadingZeros(e);
              for (int i = 0; i < n; i++) enc.encodeBits(1, 1);
              enc.encodeBits(0, 1);
              enc.encodeBits(e - (1 << n), n);
            }
            if (mag[k] != 0) enc.encodeBits(sign[k], 1);
          }
          if (last > 0) any = true;
          lastLeft[p] = last;
          lastAbove[p][bx] = last;
        }
      }
    }
    return any ? enc.finish() : new byte[0];
  }

  private static void forward(double[] block, double[] coef) {
    double[] t = new double[64];
    for (int j = 0; j < BLOCK; j++) {
      for (int u = 0; u < BLOCK; u++) {
        double s = 0;
        for (int i = 0; i < BLOCK; i++) s += DCT[u][i] * block[j * BLOCK + i];
        t[j * BLOCK + u] = s;
      }
    }
    for (int v = 0; v < BLOCK; v++) {
      for (int u = 0; u < BLOCK; u++) {
        double s = 0;
        for (int j = 0; j < BLOCK; j++) s += DCT[v][j] * t[j * BLOCK + u];
        coef[8 * v + u] = s;
      }
    }
  }
}
