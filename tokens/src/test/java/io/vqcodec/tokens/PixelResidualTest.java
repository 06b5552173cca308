package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.entropy.EntropyDecodingException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PixelResidualTest {
  /** A picture of {@code w x h} 0xRRGGBB pixels, rows read and written in place. */
  private static final class Picture implements PixelResidual.Rows, PixelResidual.RowSink {
    final int w;
    final int[] px;

    Picture(int w, int h) {
      this.w = w;
      this.px = new int[w * h];
    }

    Picture copy() {
      Picture c = new Picture(w, px.length / w);
      System.arraycopy(px, 0, c.px, 0, px.length);
      return c;
    }

    @Override
    public void read(int y, int[] rgb) {
      System.arraycopy(px, y * w, rgb, 0, w);
    }

    @Override
    public void write(int y, int[] rgb) {
      System.arraycopy(rgb, 0, px, y * w, w);
    }
  }

  /** A smooth source and a blurred, offset "synthesis" of it, as a decoder network leaves it. */
  private static Picture[] sourceAndSynthesis(int w, int h, long seed) {
    Random r = new Random(seed);
    Picture src = new Picture(w, h), syn = new Picture(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int red = (int) (128 + 100 * Math.sin(x * 0.21 + y * 0.05)) + r.nextInt(9) - 4;
        int green = (int) (128 + 90 * Math.cos(y * 0.17)) + r.nextInt(9) - 4;
        int blue = (x * 255) / w;
        src.px[y * w + x] = clamp(red) << 16 | clamp(green) << 8 | clamp(blue);
        syn.px[y * w + x] = clamp(red + 6) << 16 | clamp(green - 5) << 8 | clamp(blue / 2 + 60);
      }
    }
    return new Picture[] {src, syn};
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static double psnr(Picture a, Picture b) {
    double se = 0;
    for (int i = 0; i < a.px.length; i++) {
      for (int s = 0; s < 24; s += 8) {
        int d = ((a.px[i] >> s) & 255) - ((b.px[i] >> s) & 255);
        se += d * d;
      }
    }
    return 10 * Math.log10(255.0 * 255 * 3 * a.px.length / Math.max(se, 1e-9));
  }

  @Test
  void zigzagVisitsEveryCoefficientOnceDiagonalByDiagonal() {
    Set<Integer> seen = new HashSet<>();
    for (int k : PixelResidual.ZIGZAG) seen.add(k);
    assertThat(seen).hasSize(64);
    assertThat(Arrays.copyOf(PixelResidual.ZIGZAG, 10))
        .containsExactly(0, 1, 8, 16, 9, 2, 3, 10, 17, 24);
    assertThat(PixelResidual.ZIGZAG[63]).isEqualTo(63);
  }

  @Test
  void inverseTransformIsTheSpecsSingleExactSum() {
    // Spec §6.9.3: floor((sum_u sum_v B[v][j] B[u][i] q[8v+u] step + 2^14) / 2^15), clamped;
    // the separable computation must equal it for any coefficients, extremes included.
    Random r = new Random(7);
    int[] dst = new int[64];
    long[] tmp = new long[64];
    for (int trial = 0; trial < 200; trial++) {
      int[] q = new int[64];
      int step = trial < 5 ? 65535 : 1 + r.nextInt(400);
      for (int k = 0; k < 64; k++) {
        if (trial < 5) q[k] = (r.nextBoolean() ? 1 : -1) * 8205;
        else if (r.nextInt(4) == 0) q[k] = r.nextInt(61) - 30;
      }
      PixelResidual.inverseTransform(q, 64, step, tmp, dst, 8, 0);
      for (int j = 0; j < 8; j++) {
        for (int i = 0; i < 8; i++) {
          BigInteger s = BigInteger.ZERO;
          for (int v = 0; v < 8; v++) {
            for (int u = 0; u < 8; u++) {
              s =
                  s.add(
                      BigInteger.valueOf(
                          (long) PixelResidual.BASIS[v][j]
                              * PixelResidual.BASIS[u][i]
                              * q[8 * v + u]
                              * step));
            }
          }
          long r15 = s.add(BigInteger.valueOf(1 << 14)).shiftRight(15).longValueExact();
          long want = Math.max(-4095, Math.min(4095, r15));
          assertThat(dst[j * 8 + i]).as("trial %d at %d,%d", trial, i, j).isEqualTo((int) want);
        }
      }
    }
  }

  @Test
  void codesTheDifferenceSoThatDecodingBringsTheSourceBack() throws EntropyDecodingException {
    int w = 37, h = 29; // blocks cut at the right and bottom edges
    Picture[] p = sourceAndSynthesis(w, h, 1);
    double before = psnr(p[0], p[1]);
    double last = before;
    for (int step : new int[] {160, 40, 8}) {
      PixelResidual.Steps steps = new PixelResidual.Steps(step, 2 * step);
      byte[] part = PixelResidual.encode(steps, 0.18, false, w, 0, h, p[0], p[1]);
      Picture out = p[1].copy();
      PixelResidual.decode(part, 0, part.length, steps, false, w, 0, h, p[1], out);
      double after = psnr(p[0], out);
      assertThat(after).as("step %d", step).isGreaterThan(last);
      last = after;
    }
    assertThat(before).isLessThan(30);
    assertThat(last).isGreaterThan(45);
  }

  @Test
  void slicesCoverTheirOwnRowsAndGrayCodesOnePlane() throws EntropyDecodingException {
    int w = 50, h = 40;
    Picture[] p = sourceAndSynthesis(w, h, 2);
    for (int i = 0; i < p[0].px.length; i++) {
      int g = (p[0].px[i] >> 8) & 255, s = (p[1].px[i] >> 8) & 255;
      p[0].px[i] = g << 16 | g << 8 | g;
      p[1].px[i] = s << 16 | s << 8 | s;
    }
    PixelResidual.Steps steps = new PixelResidual.Steps(16, 1);
    Picture out = p[1].copy();
    for (int y0 = 0; y0 < h; y0 += 16) {
      int y1 = Math.min(h, y0 + 16);
      byte[] part = PixelResidual.encode(steps, 0.18, true, w, y0, y1, p[0], p[1]);
      PixelResidual.decode(part, 0, part.length, steps, true, w, y0, y1, p[1], out);
    }
    for (int i = 0; i < out.px.length; i++) {
      int v = out.px[i];
      assertThat((v >> 16) & 255).isEqualTo(v & 255).isEqualTo((v >> 8) & 255);
      assertThat(Math.abs((v & 255) - (p[0].px[i] & 255))).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void emptyPartWritesTheRowsUnchanged() throws EntropyDecodingException {
    int w = 20, h = 10;
    Picture[] p = sourceAndSynthesis(w, h, 3);
    PixelResidual.Steps steps = new PixelResidual.Steps(4, 4);
    assertThat(PixelResidual.encode(steps, 0.18, false, w, 0, h, p[1], p[1])).isEmpty();
    Picture out = new Picture(w, h);
    PixelResidual.decode(new byte[0], 0, 0, steps, false, w, 0, h, p[1], out);
    assertThat(out.px).isEqualTo(p[1].px);
  }

  @Test
  void aDamagedPartWritesNothingAndSaysWhy() {
    int w = 40, h = 32;
    Picture[] p = sourceAndSynthesis(w, h, 4);
    PixelResidual.Steps steps = new PixelResidual.Steps(20, 40);
    byte[] part = PixelResidual.encode(steps, 0.18, false, w, 0, h, p[0], p[1]);
    Picture out = p[1].copy();
    byte[] truncated = Arrays.copyOf(part, part.length - 4);
    assertThatThrownBy(
            () ->
                PixelResidual.decode(
                    truncated, 0, truncated.length, steps, false, w, 0, h, p[1], out))
        .isInstanceOf(EntropyDecodingException.class);
    byte[] flipped = part.clone();
    flipped[flipped.length / 2] ^= 0x5A;
    try {
      PixelResidual.decode(flipped, 0, flipped.length, steps, false, w, 0, h, p[1], out);
    } catch (EntropyDecodingException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
    // Spec §6.9.5: a part that fails adds nothing to any row (the checking pass runs first).
    assertThat(out.px).isEqualTo(p[1].px);
  }

  @Test
  void largeDifferencesGoThroughTheEscape() throws EntropyDecodingException {
    // Black against white at the finest step: DC magnitudes of thousands, escapes of 12 bits.
    int w = 8, h = 8;
    Picture src = new Picture(w, h), syn = new Picture(w, h);
    Arrays.fill(src.px, 0xFFFFFF);
    PixelResidual.Steps steps = new PixelResidual.Steps(1, 1);
    byte[] part = PixelResidual.encode(steps, 0, false, w, 0, h, src, syn);
    Picture out = new Picture(w, h);
    PixelResidual.decode(part, 0, part.length, steps, false, w, 0, h, syn, out);
    assertThat(out.px).containsOnly(0xFFFFFF);
  }

  @Test
  void payloadSplitsBackIntoItsPartsAndRefusesBadLengths() {
    byte[] payload = PixelResidual.payload(new byte[] {1, 2, 3}, new byte[] {9, 8});
    byte[][] parts = PixelResidual.split(payload);
    assertThat(parts[0]).containsExactly(1, 2, 3);
    assertThat(parts[1]).containsExactly(9, 8);
    assertThat(PixelResidual.split(PixelResidual.payload(new byte[0], new byte[0]))[1]).isEmpty();
    assertThat(PixelResidual.split(new byte[] {0, 0, 0})).isNull();
    assertThat(PixelResidual.describeMalformed(new byte[] {0, 0, 0})).contains("3 bytes");
    byte[] tooLong = {0, 0, 0, 3, 1, 2};
    assertThat(PixelResidual.split(tooLong)).isNull();
    assertThat(PixelResidual.describeMalformed(tooLong)).contains("token_part_length 3");
    byte[] huge = {(byte) 0xFF, 0, 0, 0, 1};
    assertThat(PixelResidual.split(huge)).isNull();
  }
}
