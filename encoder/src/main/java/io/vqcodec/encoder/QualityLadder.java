package io.vqcodec.encoder;

/**
 * The {@code --quality} ladder: each step is a codebook size K and a fraction of fine cells, in
 * increasing rate and quality. Lower steps shrink the codebook at coarse granularity; upper steps
 * turn more and more cells fine at K = 4096, the cells chosen by the granularity strategy.
 * The bpp and PSNR of each step on Kodak are in the README (measured, not promised).
 */
final class QualityLadder {
  static final int MIN = 1;
  static final int MAX = 10;
  static final int DEFAULT = 6;

  /** {K, fine fraction in percent} per step, MIN first. */
  private static final int[][] STEPS = {
    {64, 0}, {256, 0}, {1024, 0}, {4096, 0}, {4096, 15}, {4096, 30}, {4096, 50}, {4096, 70},
    {4096, 85}, {4096, 100}
  };

  private QualityLadder() {}

  static void check(int q) {
    if (q < MIN || q > MAX) {
      throw new IllegalArgumentException("quality " + q + " must be " + MIN + ".." + MAX);
    }
  }

  static int codebookSize(int q) {
    check(q);
    return STEPS[q - MIN][0];
  }

  static double fineFraction(int q) {
    check(q);
    return STEPS[q - MIN][1] / 100.0;
  }
}
