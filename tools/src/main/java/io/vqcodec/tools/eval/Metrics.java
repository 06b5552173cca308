package io.vqcodec.tools.eval;

import io.vqcodec.neural.Pixels;
import java.awt.image.BufferedImage;

/**
 * Full-reference quality metrics on 8-bit RGB, the way CompressAI reports "psnr-rgb" and
 * "ms-ssim-rgb" (PSNR itself is {@link io.vqcodec.neural.Pixels#psnr}, the project's one PSNR).
 *
 * <ul>
 *   <li>PSNR: one MSE over all pixels of all three channels, {@code 10 log10(255^2 / MSE)}; {@code
 *       +Infinity} for identical images. (Averaging over images is the caller's business: the
 *       report averages per-image PSNR in dB.)
 *   <li>MS-SSIM (Wang, Simoncelli, Bovik 2003): 5 scales, weights 0.0448, 0.2856, 0.3001, 0.2363,
 *       0.1333; 11-tap Gaussian window, sigma 1.5, "valid" filtering (no padding); K1 0.01, K2
 *       0.03, dynamic range 255; 2x2 average pooling between scales (an odd last row or column is
 *       dropped). Computed on each of R, G, B separately and averaged over the channels, as
 *       pytorch_msssim (used by CompressAI) does: per channel, cs of scales 1..4 and SSIM of scale
 *       5 are each the mean over positions clamped at 0, then combined as a weighted geometric
 *       product. Needs sides of at least 176 px (the coarsest scale must hold the window).
 * </ul>
 *
 * Both take about 30-60 ms at 768x512 on one core.
 */
public final class Metrics {
  private Metrics() {}

  static final double[] MS_SSIM_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
  private static final int WIN = 11;
  private static final double SIGMA = 1.5;
  private static final double C1 = (0.01 * 255) * (0.01 * 255);
  private static final double C2 = (0.03 * 255) * (0.03 * 255);
  private static final double[] GAUSS = gaussian();

  /** MS-SSIM of {@code b} against {@code a}, the mean of the R, G and B channels' values. */
  public static double msssim(BufferedImage a, BufferedImage b) {
    Pixels.checkSameSize(a, b);
    int w = a.getWidth(), h = a.getHeight();
    double[][] pa = planes(a), pb = planes(b);
    double sum = 0;
    for (int c = 0; c < 3; c++) sum += msssim(pa[c], pb[c], w, h);
    return sum / 3;
  }

  /** MS-SSIM of one channel given as row-major samples in 0..255. */
  static double msssim(double[] x, double[] y, int w, int h) {
    int minSide = WIN << 4;
    if (w < minSide || h < minSide) {
      throw new IllegalArgumentException(
          "MS-SSIM needs at least " + minSide + "x" + minSide + ", got " + w + "x" + h);
    }
    double out = 1;
    for (int s = 0; s < 5; s++) {
      double[] t = ssimAndCs(x, y, w, h);
      double v = Math.max(0, s == 4 ? t[0] : t[1]);
      out *= Math.pow(v, MS_SSIM_WEIGHTS[s]);
      if (s < 4) {
        x = pool(x, w, h);
        y = pool(y, w, h);
        w /= 2;
        h /= 2;
      }
    }
    return out;
  }

  /**
   * {mean SSIM, mean contrast-structure} over the valid window positions. Separable filtering: a
   * horizontal pass into five row-major maps of width w-10 (x, y, x^2, y^2, xy), then a vertical
   * pass one output row at a time, with the per-position terms summed straight away.
   */
  static double[] ssimAndCs(double[] x, double[] y, int w, int h) {
    int ow = w - WIN + 1, oh = h - WIN + 1;
    double[] hx = new double[ow * h], hy = new double[ow * h], hxx = new double[ow * h];
    double[] hyy = new double[ow * h], hxy = new double[ow * h];
    double[] xx = new double[w], yy = new double[w], xy = new double[w];
    for (int r = 0; r < h; r++) {
      int in = r * w, o = r * ow;
      for (int c = 0; c < w; c++) {
        double a = x[in + c], b = y[in + c];
        xx[c] = a * a;
        yy[c] = b * b;
        xy[c] = a * b;
      }
      for (int k = 0; k < WIN; k++) {
        double g = GAUSS[k];
        for (int c = 0; c < ow; c++) {
          hx[o + c] += g * x[in + c + k];
          hy[o + c] += g * y[in + c + k];
          hxx[o + c] += g * xx[c + k];
          hyy[o + c] += g * yy[c + k];
          hxy[o + c] += g * xy[c + k];
        }
      }
    }
    double[] mx = new double[ow], my = new double[ow], sxx = new double[ow], syy = new double[ow];
    double[] sxy = new double[ow];
    double ssimSum = 0, csSum = 0;
    for (int r = 0; r < oh; r++) {
      java.util.Arrays.fill(mx, 0);
      java.util.Arrays.fill(my, 0);
      java.util.Arrays.fill(sxx, 0);
      java.util.Arrays.fill(syy, 0);
      java.util.Arrays.fill(sxy, 0);
      for (int k = 0; k < WIN; k++) {
        double g = GAUSS[k];
        int in = (r + k) * ow;
        for (int c = 0; c < ow; c++) {
          mx[c] += g * hx[in + c];
          my[c] += g * hy[in + c];
          sxx[c] += g * hxx[in + c];
          syy[c] += g * hyy[in + c];
          sxy[c] += g * hxy[in + c];
        }
      }
      for (int c = 0; c < ow; c++) {
        double ux = mx[c], uy = my[c];
        double vx = sxx[c] - ux * ux, vy = syy[c] - uy * uy, cov = sxy[c] - ux * uy;
        double cs = (2 * cov + C2) / (vx + vy + C2);
        csSum += cs;
        ssimSum += cs * (2 * ux * uy + C1) / (ux * ux + uy * uy + C1);
      }
    }
    double n = (double) ow * oh;
    return new double[] {ssimSum / n, csSum / n};
  }

  /** 2x2 average pooling; an odd last row or column is dropped. */
  static double[] pool(double[] x, int w, int h) {
    int pw = w / 2, ph = h / 2;
    double[] out = new double[pw * ph];
    for (int r = 0; r < ph; r++) {
      int a = 2 * r * w, b = a + w, o = r * pw;
      for (int c = 0; c < pw; c++) {
        out[o + c] = 0.25 * (x[a + 2 * c] + x[a + 2 * c + 1] + x[b + 2 * c] + x[b + 2 * c + 1]);
      }
    }
    return out;
  }

  /** R, G, B planes as doubles in 0..255. */
  static double[][] planes(BufferedImage img) {
    int w = img.getWidth(), h = img.getHeight();
    double[][] p = new double[3][w * h];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int v = row[x], i = y * w + x;
        p[0][i] = (v >> 16) & 0xff;
        p[1][i] = (v >> 8) & 0xff;
        p[2][i] = v & 0xff;
      }
    }
    return p;
  }

  /** The normalized 11-tap Gaussian, sigma 1.5. */
  static double[] gaussian() {
    double[] g = new double[WIN];
    double s = 0;
    for (int i = 0; i < WIN; i++) {
      double d = i - WIN / 2;
      g[i] = Math.exp(-d * d / (2 * SIGMA * SIGMA));
      s += g[i];
    }
    for (int i = 0; i < WIN; i++) g[i] /= s;
    return g;
  }
}
