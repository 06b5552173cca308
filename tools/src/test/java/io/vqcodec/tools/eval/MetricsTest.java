package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vqcodec.neural.Pixels;
import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricsTest {
  /** The synthetic pair also computed by an independent numpy implementation (values below). */
  static BufferedImage[] pattern(int w, int h, int noise) {
    BufferedImage a = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int pa = 0, pb = 0;
        for (int c = 0; c < 3; c++) {
          int v = (x * 7 + y * 13 + c * 50 + (x * y) % 17) % 256;
          int n = (x * 31 + y * 17 + c * 5) % 11 - 5;
          int u = Math.max(0, Math.min(255, v + noise * n));
          pa = (pa << 8) | v;
          pb = (pb << 8) | u;
        }
        a.setRGB(x, y, pa);
        b.setRGB(x, y, pb);
      }
    }
    return new BufferedImage[] {a, b};
  }

  static BufferedImage random(int w, int h, long seed) {
    Random r = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    // Smooth-ish content: a random walk per row so that SSIM's structure terms are meaningful.
    for (int y = 0; y < h; y++) {
      int v0 = 128, v1 = 100, v2 = 160;
      for (int x = 0; x < w; x++) {
        v0 = clamp(v0 + r.nextInt(9) - 4 + (y % 32 < 16 ? 1 : -1));
        v1 = clamp(v1 + r.nextInt(9) - 4);
        v2 = clamp(v2 + r.nextInt(5) - 2);
        img.setRGB(x, y, (v0 << 16) | (v1 << 8) | v2);
      }
    }
    return img;
  }

  static BufferedImage addNoise(BufferedImage src, int amplitude, long seed) {
    Random r = new Random(seed);
    BufferedImage out =
        new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        int p = src.getRGB(x, y), q = 0;
        for (int s = 16; s >= 0; s -= 8) {
          int v = (p >> s) & 0xff;
          q = (q << 8) | clamp(v + (amplitude == 0 ? 0 : r.nextInt(2 * amplitude + 1) - amplitude));
        }
        out.setRGB(x, y, q);
      }
    }
    return out;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  @Test
  void identicalImages() {
    BufferedImage a = random(256, 192, 1);
    assertThat(Pixels.psnr(a, a)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(Metrics.msssim(a, a)).isEqualTo(1.0);
    assertThat(Metrics.msssim(a, addNoise(a, 0, 5))).isEqualTo(1.0);
  }

  @Test
  void psnrOfAConstantErrorIsExact() {
    BufferedImage a = random(64, 48, 2);
    BufferedImage b = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++) {
      for (int x = 0; x < 64; x++) {
        int p = a.getRGB(x, y), q = 0;
        for (int s = 16; s >= 0; s -= 8) {
          int v = (p >> s) & 0xff;
          q = (q << 8) | (v == 255 ? 254 : v + 1); // every sample off by exactly 1
        }
        b.setRGB(x, y, q);
      }
    }
    // MSE = 1: 10 log10(255^2) = 48.1308036...
    assertThat(Pixels.psnr(a, b)).isCloseTo(48.13080360867910, within(1e-12));
    // Off by 1 in one channel only: MSE = 1/3.
    BufferedImage c = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 48; y++)
      for (int x = 0; x < 64; x++) c.setRGB(x, y, a.getRGB(x, y) ^ 0x000001);
    assertThat(Pixels.psnr(a, c)).isCloseTo(48.13080360867910 + 10 * Math.log10(3), within(1e-12));
  }

  @Test
  void matchesAnIndependentNumpyImplementation() {
    // Values from a float64 numpy implementation with a 2-D 11x11 window (pytorch_msssim
    // semantics),
    // run on the same integer pattern; PSNR from its mean squared error.
    int[] noise = {1, 3, 8, 25};
    double[] msssim = {
      0.9996921332185735, 0.9973301267821881, 0.9844809594219068, 0.9143029943095602
    };
    double[] psnr = {38.18471979961962, 28.73647680084318, 20.46397376331321, 11.528427295925807};
    for (int i = 0; i < noise.length; i++) {
      BufferedImage[] p = pattern(256, 192, noise[i]);
      assertThat(Metrics.msssim(p[0], p[1]))
          .as("noise %d", noise[i])
          .isCloseTo(msssim[i], within(1e-9));
      assertThat(Pixels.psnr(p[0], p[1])).as("noise %d", noise[i]).isCloseTo(psnr[i], within(1e-9));
    }
  }

  @Test
  void matchesADirectTwoDimensionalReference() {
    BufferedImage a = random(200, 180, 3);
    for (int amp : new int[] {2, 10, 40}) {
      BufferedImage b = addNoise(a, amp, 7 + amp);
      assertThat(Metrics.msssim(a, b))
          .as("amplitude %d", amp)
          .isCloseTo(referenceMsssim(a, b), within(1e-9));
    }
  }

  @Test
  void decreasesMonotonicallyWithNoise() {
    BufferedImage a = random(256, 256, 4);
    double prevMs = 1.0, prevPsnr = Double.POSITIVE_INFINITY;
    for (int amp : new int[] {1, 2, 4, 8, 16, 32, 64}) {
      BufferedImage b = addNoise(a, amp, 11);
      double ms = Metrics.msssim(a, b), ps = Pixels.psnr(a, b);
      assertThat(ms).as("amplitude %d", amp).isLessThan(prevMs).isGreaterThan(0);
      assertThat(ps).as("amplitude %d", amp).isLessThan(prevPsnr);
      prevMs = ms;
      prevPsnr = ps;
    }
  }

  @Test
  void rejectsMismatchedAndTooSmallImages() {
    assertThatThrownBy(() -> Pixels.psnr(random(64, 64, 1), random(64, 65, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Metrics.msssim(random(175, 200, 1), random(175, 200, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("176");
  }

  /**
   * Plain MS-SSIM: every window summed directly in 2-D with an outer-product Gaussian, pooling by
   * explicit 2x2 blocks, per channel then averaged. Slow and obvious on purpose.
   */
  static double referenceMsssim(BufferedImage a, BufferedImage b) {
    double[] w1 = new double[11];
    double tot = 0;
    for (int i = 0; i < 11; i++) {
      w1[i] = Math.exp(-(i - 5) * (i - 5) / 4.5);
      tot += w1[i];
    }
    double[][] win = new double[11][11];
    for (int i = 0; i < 11; i++)
      for (int j = 0; j < 11; j++) win[i][j] = w1[i] * w1[j] / (tot * tot);
    double c1 = Math.pow(0.01 * 255, 2), c2 = Math.pow(0.03 * 255, 2);
    double[] weights = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
    double sum = 0;
    for (int ch = 0; ch < 3; ch++) {
      int shift = 16 - 8 * ch;
      double[][] x = new double[a.getHeight()][a.getWidth()],
          y = new double[a.getHeight()][a.getWidth()];
      for (int r = 0; r < a.getHeight(); r++) {
        for (int c = 0; c < a.getWidth(); c++) {
          x[r][c] = (a.getRGB(c, r) >> shift) & 0xff;
          y[r][c] = (b.getRGB(c, r) >> shift) & 0xff;
        }
      }
      double prod = 1;
      for (int s = 0; s < 5; s++) {
        int h = x.length, w = x[0].length;
        double ssim = 0, cs = 0;
        int count = 0;
        for (int r = 0; r + 11 <= h; r++) {
          for (int c = 0; c + 11 <= w; c++) {
            double mx = 0, my = 0, exx = 0, eyy = 0, exy = 0;
            for (int i = 0; i < 11; i++) {
              for (int j = 0; j < 11; j++) {
                double g = win[i][j], p = x[r + i][c + j], q = y[r + i][c + j];
                mx += g * p;
                my += g * q;
                exx += g * p * p;
                eyy += g * q * q;
                exy += g * p * q;
              }
            }
            double vx = exx - mx * mx, vy = eyy - my * my, cov = exy - mx * my;
            double csv = (2 * cov + c2) / (vx + vy + c2);
            cs += csv;
            ssim += (2 * mx * my + c1) / (mx * mx + my * my + c1) * csv;
            count++;
          }
        }
        double term = s == 4 ? ssim / count : cs / count;
        prod *= Math.pow(Math.max(term, 0), weights[s]);
        if (s < 4) {
          x = halve(x);
          y = halve(y);
        }
      }
      sum += prod;
    }
    return sum / 3;
  }

  private static double[][] halve(double[][] x) {
    double[][] o = new double[x.length / 2][x[0].length / 2];
    for (int r = 0; r < o.length; r++) {
      for (int c = 0; c < o[0].length; c++) {
        o[r][c] =
            (x[2 * r][2 * c] + x[2 * r][2 * c + 1] + x[2 * r + 1][2 * c] + x[2 * r + 1][2 * c + 1])
                / 4;
      }
    }
    return o;
  }
}
