package io.vqcodec.media;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test pictures and comparisons. */
final class Frames {
  private Frames() {}

  /** The real clips: shared/data/video beside the repository. */
  static Path videoDir() {
    Path dir = Paths.get(System.getProperty("vqcodec.root", "."), "..", "shared", "data", "video");
    if (!Files.isDirectory(dir)) throw new AssertionError("test clips not found at " + dir);
    return dir;
  }

  /**
   * Frame {@code t} of a synthetic clip: smooth gradients that move with t plus seeded noise, so
   * that every channel takes many values and chroma is not flat.
   */
  static BufferedImage synthetic(int w, int h, int t, long seed) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    SplittableRandom rnd = new SplittableRandom(seed * 1000 + t);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = clamp(40 + 180 * x / Math.max(1, w - 1) + rnd.nextInt(-8, 9));
        int g = clamp(30 + 190 * y / Math.max(1, h - 1) + rnd.nextInt(-8, 9));
        int b = clamp(128 + (int) (100 * Math.sin((x + y + 3 * t) / 5.0)) + rnd.nextInt(-8, 9));
        img.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return img;
  }

  static List<BufferedImage> clip(int w, int h, int n, long seed) {
    List<BufferedImage> frames = new ArrayList<>();
    for (int t = 0; t < n; t++) frames.add(synthetic(w, h, t, seed));
    return frames;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** Largest difference of any channel of any pixel. */
  static int maxDiff(BufferedImage a, BufferedImage b) {
    int m = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          m = Math.max(m, Math.abs(((p >> s) & 255) - ((q >> s) & 255)));
        }
      }
    }
    return m;
  }

  /** PSNR over R, G and B in dB, infinite when identical. */
  static double psnr(BufferedImage a, BufferedImage b) {
    double se = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y), q = b.getRGB(x, y);
        for (int s = 0; s <= 16; s += 8) {
          int d = ((p >> s) & 255) - ((q >> s) & 255);
          se += d * d;
        }
      }
    }
    double mse = se / (3.0 * a.getWidth() * a.getHeight());
    return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255 * 255 / mse);
  }

  /** Mean of each channel, R G B. */
  static double[] mean(BufferedImage a) {
    double[] m = new double[3];
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        int p = a.getRGB(x, y);
        m[0] += (p >> 16) & 255;
        m[1] += (p >> 8) & 255;
        m[2] += p & 255;
      }
    }
    for (int i = 0; i < 3; i++) m[i] /= (double) a.getWidth() * a.getHeight();
    return m;
  }
}
