package io.vqcodec.neural;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/** Conversions between images and planar float pixels in [0, 1]. */
public final class Pixels {
  private Pixels() {}

  /**
   * Planar RGB floats (3, ph, pw) of {@code img}, edge-replicated to {@code pw} x {@code ph}. Gray
   * images come out with three equal channels (getRGB does that).
   */
  public static float[] toPlanar(BufferedImage img, int pw, int ph) {
    int w = img.getWidth(), h = img.getHeight();
    return toPlanar(img.getRGB(0, 0, w, h, null, 0, w), w, h, pw, ph);
  }

  /**
   * Planar RGB floats (3, ph, pw) of {@code w} x {@code h} pixels {@code argb} (row-major {@code
   * 0xRRGGBB}), edge-replicated to {@code pw} x {@code ph}.
   */
  public static float[] toPlanar(int[] argb, int w, int h, int pw, int ph) {
    float[] out = new float[3 * pw * ph];
    int plane = pw * ph;
    for (int y = 0; y < ph; y++) {
      int sy = Math.min(y, h - 1);
      for (int x = 0; x < pw; x++) {
        int v = argb[sy * w + Math.min(x, w - 1)];
        int o = y * pw + x;
        out[o] = ((v >> 16) & 255) / 255f;
        out[plane + o] = ((v >> 8) & 255) / 255f;
        out[2 * plane + o] = (v & 255) / 255f;
      }
    }
    return out;
  }

  /**
   * The top-left {@code w} x {@code h} of planar floats (3, ph, pw), rounded and clipped to 8 bits.
   */
  public static BufferedImage toImage(float[] planar, int pw, int ph, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    // Straight into the raster's int array: setRGB converts pixel by pixel through the colour
    // model, about 6 ms of a 768x512 decode on this machine.
    int[] rgb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    int plane = pw * ph;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = y * pw + x;
        rgb[y * w + x] =
            (to8(planar[o]) << 16) | (to8(planar[plane + o]) << 8) | to8(planar[2 * plane + o]);
      }
    }
    return img;
  }

  /**
   * The gray picture a gray stream's synthesis gives, in every channel of a TYPE_INT_RGB copy: the
   * tokenizer sees the gray plane in all three channels, so the mean of the three channels,
   * rounded, is taken back. The decoder outputs it; the encoder codes a pixel residual (Spec §6.9)
   * against it.
   */
  public static BufferedImage grayOf(BufferedImage rgb) {
    int w = rgb.getWidth(), h = rgb.getHeight();
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      rgb.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int v = (((p >> 16) & 255) + ((p >> 8) & 255) + (p & 255) + 1) / 3;
        row[x] = v << 16 | v << 8 | v;
      }
      out.setRGB(0, y, w, 1, row, 0, w);
    }
    return out;
  }

  public static int to8(float v) {
    int q = Math.round(v * 255f);
    return q < 0 ? 0 : Math.min(q, 255);
  }

  /** Sum of squared 8-bit differences over R, G and B of two images of equal size. */
  public static double squaredError(BufferedImage a, BufferedImage b) {
    int w = a.getWidth(), h = a.getHeight();
    int[] pa = new int[w], pb = new int[w];
    double se = 0;
    for (int y = 0; y < h; y++) {
      a.getRGB(0, y, w, 1, pa, 0, w);
      b.getRGB(0, y, w, 1, pb, 0, w);
      for (int x = 0; x < w; x++) {
        for (int s = 0; s <= 16; s += 8) {
          int d = ((pa[x] >> s) & 255) - ((pb[x] >> s) & 255);
          se += d * d;
        }
      }
    }
    return se;
  }

  /**
   * PSNR in dB of {@code b} against {@code a} over R, G and B (8 bits each), {@code +Infinity} when
   * identical: the one PSNR of the project (encoder decisions, tests, evaluation).
   *
   * @throws IllegalArgumentException if the sizes differ
   */
  public static double psnr(BufferedImage a, BufferedImage b) {
    checkSameSize(a, b);
    double mse = squaredError(a, b) / (3.0 * a.getWidth() * a.getHeight());
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
  }

  /** Full-reference metrics compare pictures of one size. */
  public static void checkSameSize(BufferedImage a, BufferedImage b) {
    if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
      throw new IllegalArgumentException(
          "sizes differ: "
              + a.getWidth()
              + "x"
              + a.getHeight()
              + " vs "
              + b.getWidth()
              + "x"
              + b.getHeight());
    }
  }
}
