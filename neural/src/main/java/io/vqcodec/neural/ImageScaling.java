package io.vqcodec.neural;

import java.awt.image.BufferedImage;

/**
 * The resampling of reduced-resolution coding (Spec §9.6.1, informative part): the encoder codes
 * the picture downscaled by {@code 2^shift}, the decoder resamples what the neural decoder
 * synthesises back up. Both work on pixel centres with the exact factor {@code 2^shift} (not the
 * ratio of the rounded sizes), so a coded pixel sits where its source square was.
 *
 * <p>Deterministic, pure Java; the encoder's rate control measures distortion through the same
 * {@link #upscale} the decoder uses.
 */
public final class ImageScaling {
  private ImageScaling() {}

  /**
   * Box filter: each output pixel is the mean of a {@code 2^shift} square of the input, edge pixels
   * replicated where the square passes the right or bottom edge. Output {@code ceil(w / 2^shift)} x
   * {@code ceil(h / 2^shift)}, TYPE_INT_RGB.
   */
  public static BufferedImage downscale(BufferedImage rgb, int shift) {
    checkShift(shift);
    int f = 1 << shift, w = rgb.getWidth(), h = rgb.getHeight();
    int ow = (w + f - 1) >> shift, oh = (h + f - 1) >> shift;
    BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    int[] sum = new int[3 * ow];
    int[] outRow = new int[ow];
    int n = f * f, half = n / 2;
    for (int oy = 0; oy < oh; oy++) {
      java.util.Arrays.fill(sum, 0);
      for (int dy = 0; dy < f; dy++) {
        rgb.getRGB(0, Math.min(h - 1, oy * f + dy), w, 1, row, 0, w);
        for (int ox = 0; ox < ow; ox++) {
          for (int dx = 0; dx < f; dx++) {
            int p = row[Math.min(w - 1, ox * f + dx)];
            sum[3 * ox] += (p >> 16) & 255;
            sum[3 * ox + 1] += (p >> 8) & 255;
            sum[3 * ox + 2] += p & 255;
          }
        }
      }
      for (int ox = 0; ox < ow; ox++) {
        outRow[ox] =
            ((sum[3 * ox] + half) / n) << 16
                | ((sum[3 * ox + 1] + half) / n) << 8
                | ((sum[3 * ox + 2] + half) / n);
      }
      out.setRGB(0, oy, ow, 1, outRow, 0, ow);
    }
    return out;
  }

  /**
   * {@link #downscale} as a view of {@code source}: each read computes its box means from the
   * source's pixels, so a reduced picture costs no memory of its own. The same pixels as {@link
   * #downscale} of the source.
   */
  public static RgbRegion downscaled(RgbRegion source, int shift) {
    checkShift(shift);
    int f = 1 << shift, w = source.width(), h = source.height();
    int ow = (w + f - 1) >> shift, oh = (h + f - 1) >> shift;
    return new RgbRegion() {
      @Override
      public int width() {
        return ow;
      }

      @Override
      public int height() {
        return oh;
      }

      @Override
      public void read(int x, int y, int rw, int rh, int[] out) {
        int sx0 = x * f, sw = Math.min(w, (x + rw) * f) - sx0;
        int[] row = new int[sw];
        int[] sum = new int[3 * rw];
        int n = f * f, half = n / 2;
        for (int oy = y; oy < y + rh; oy++) {
          java.util.Arrays.fill(sum, 0);
          for (int dy = 0; dy < f; dy++) {
            source.read(sx0, Math.min(h - 1, oy * f + dy), sw, 1, row);
            for (int ox = 0; ox < rw; ox++) {
              for (int dx = 0; dx < f; dx++) {
                int p = row[Math.min(w - 1, (x + ox) * f + dx) - sx0];
                sum[3 * ox] += (p >> 16) & 255;
                sum[3 * ox + 1] += (p >> 8) & 255;
                sum[3 * ox + 2] += p & 255;
              }
            }
          }
          int o = (oy - y) * rw;
          for (int ox = 0; ox < rw; ox++) {
            out[o + ox] =
                ((sum[3 * ox] + half) / n) << 16
                    | ((sum[3 * ox + 1] + half) / n) << 8
                    | ((sum[3 * ox + 2] + half) / n);
          }
        }
      }
    };
  }

  /**
   * Separable Catmull-Rom bicubic from a picture coded at {@code 2^shift} times smaller to {@code
   * width} x {@code height}: output pixel x samples the input at {@code (x + 0.5) / 2^shift - 0.5},
   * edges clamped. TYPE_INT_RGB.
   */
  public static BufferedImage upscale(BufferedImage coded, int shift, int width, int height) {
    int cw = coded.getWidth(), ch = coded.getHeight();
    BufferedImage[] out = new BufferedImage[1];
    Upscaler up =
        new Upscaler(
            shift, cw, ch, width, height, (y, row) -> out[0].setRGB(0, y, width, 1, row, 0, width));
    out[0] = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] in = new int[cw];
    for (int r = 0; r < ch; r++) {
      coded.getRGB(0, r, cw, 1, in, 0, cw);
      up.push(in);
    }
    return out[0];
  }

  /** Receives the rows of a picture, top to bottom. */
  public interface RowSink {
    /** Row {@code y}: {@code 0xRRGGBB} ints, valid only during the call. */
    void accept(int y, int[] row);
  }

  /**
   * {@link #upscale} as a stream: coded rows go in top to bottom, and each output row comes out as
   * soon as the coded rows it needs are in. Memory O(width) however large the picture (Spec §A.1
   * allows 2^26 pixels); the same pixels as {@link #upscale}.
   */
  public static final class Upscaler {
    private final int width, height, codedWidth, codedHeight;
    private final Taps tx, ty;
    private final RowSink sink;
    // Separable: each coded row is resampled horizontally once, into a 4-row ring (the vertical
    // taps of one output row are 4 consecutive coded rows).
    private final float[][] ring;
    private final int[] outRow;
    private int pushed, next;

    public Upscaler(
        int shift, int codedWidth, int codedHeight, int width, int height, RowSink sink) {
      checkShift(shift);
      if (width < 1
          || height < 1
          || ((width + (1 << shift) - 1) >> shift) != codedWidth
          || ((height + (1 << shift) - 1) >> shift) != codedHeight) {
        throw new IllegalArgumentException(
            "a "
                + codedWidth
                + "x"
                + codedHeight
                + " picture is not "
                + width
                + "x"
                + height
                + " coded at 1/"
                + (1 << shift));
      }
      this.width = width;
      this.height = height;
      this.codedWidth = codedWidth;
      this.codedHeight = codedHeight;
      this.sink = sink;
      tx = new Taps(width, codedWidth, shift);
      ty = new Taps(height, codedHeight, shift);
      ring = new float[4][3 * width];
      outRow = new int[width];
    }

    /** The next coded row ({@code codedWidth} {@code 0xRRGGBB} ints, read during the call). */
    public void push(int[] in) {
      if (pushed == codedHeight) throw new IllegalStateException("all coded rows are in");
      if (in.length < codedWidth) throw new IllegalArgumentException("a row of " + in.length);
      int r = pushed++;
      float[] h = ring[r & 3];
      for (int x = 0; x < width; x++) {
        float red = 0, green = 0, blue = 0;
        for (int j = 0; j < 4; j++) {
          int p = in[tx.index[4 * x + j]];
          float wgt = tx.weight[4 * x + j];
          red += wgt * ((p >> 16) & 255);
          green += wgt * ((p >> 8) & 255);
          blue += wgt * (p & 255);
        }
        h[3 * x] = red;
        h[3 * x + 1] = green;
        h[3 * x + 2] = blue;
      }
      // Taps are 4 consecutive rows, ascending: row y is complete when its last tap is in, and
      // its first tap is then at most 3 rows back, still in the ring.
      while (next < height && ty.index[4 * next + 3] <= r) emit(next++);
    }

    private void emit(int y) {
      for (int x = 0; x < width; x++) {
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          float v = 0;
          for (int k = 0; k < 4; k++)
            v += ty.weight[4 * y + k] * ring[ty.index[4 * y + k] & 3][3 * x + c];
          rgb = rgb << 8 | Math.max(0, Math.min(255, Math.round(v)));
        }
        outRow[x] = rgb;
      }
      sink.accept(y, outRow);
    }
  }

  private static void checkShift(int shift) {
    if (shift < 1 || shift > 2)
      throw new IllegalArgumentException("resolution shift " + shift + ": 1 or 2");
  }

  /** The four input indices and Catmull-Rom weights of each output position along one axis. */
  private static final class Taps {
    final int[] index;
    final float[] weight;

    Taps(int out, int in, int shift) {
      index = new int[4 * out];
      weight = new float[4 * out];
      double scale = 1.0 / (1 << shift);
      for (int i = 0; i < out; i++) {
        double src = (i + 0.5) * scale - 0.5;
        int base = (int) Math.floor(src);
        double t = src - base;
        for (int k = 0; k < 4; k++) {
          index[4 * i + k] = Math.max(0, Math.min(in - 1, base - 1 + k));
          weight[4 * i + k] = (float) catmullRom(t - (k - 1));
        }
      }
    }

    private static double catmullRom(double d) {
      double x = Math.abs(d);
      if (x < 1) return 1.5 * x * x * x - 2.5 * x * x + 1;
      if (x < 2) return -0.5 * x * x * x + 2.5 * x * x - 4 * x + 2;
      return 0;
    }
  }
}
