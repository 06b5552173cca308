package io.vqcodec.encoder;

/**
 * The {@code --quality} ladder: each step is a resolution (Spec §9.6.1), a codebook size K, a share
 * of refinement steps (fine cells, then residual stages: Spec §9.6.2) and, from step 9 up, a pixel
 * residual (Spec §6.9), in increasing rate and quality. The lower steps code a quarter- or
 * half-size picture, the middle ones the full picture with more and more cells fine at K = 4096
 * (the cells chosen by the granularity strategy), the upper ones half the cells fine and a pixel
 * residual of finer and finer step (half the cells fine at step 9, three quarters from step 10).
 * The steps were chosen on the validation images (results/ladder/ val-settings.md for steps 1 to 8:
 * every step on the rate-distortion frontier of the settings measured there;
 * results/pixel-residual/val-ladder.md for the residual: half the cells fine and a residual beat
 * more fine cells and residual stages from about 0.12 bpp up, by 0.3 dB at 0.15 bpp and 2.4 dB at
 * 0.45); the bpp and PSNR of each step on Kodak are in the README (measured, not promised).
 */
final class QualityLadder {
  static final int MIN = 1;
  static final int MAX = 16;
  static final int DEFAULT = 7;

  /**
   * {resolution shift, K, refinement in percent of the cells, luma step of the pixel residual in
   * pixel units (0: none)} per step, MIN first. Refinement up to 100 is the share of fine cells
   * (beyond, residual stages: {@link #stages}).
   */
  private static final int[][] STEPS = {
    {2, 4096, 0, 0}, {2, 4096, 50, 0}, {1, 4096, 0, 0}, {1, 4096, 25, 0}, {1, 4096, 50, 0},
    {0, 4096, 0, 0}, {0, 4096, 30, 0}, {0, 4096, 50, 0}, {0, 4096, 50, 112}, {0, 4096, 75, 80},
    {0, 4096, 75, 56}, {0, 4096, 75, 40}, {0, 4096, 75, 28}, {0, 4096, 75, 20}, {0, 4096, 75, 14},
    {0, 4096, 75, 10}
  };

  /**
   * The shares of fine cells that the residual steps build on, and that rate control takes its
   * tokens from when the target affords more than the first: half the cells at the lower residual
   * rates, three quarters from about 1.6 times the three-quarter tokens' own size (on the
   * validation images about 0.2 bpp), where they give the same PSNR and 0.003 to 0.004 more MS-SSIM
   * (results/pixel-residual/val-ladder.md, "The base").
   */
  static final double RESIDUAL_BASE = 0.5, RESIDUAL_BASE_HIGH = 0.75;

  /** Rate control takes {@link #RESIDUAL_BASE_HIGH}'s tokens from this many times their size. */
  static final double HIGH_BASE_RATIO = 1.6;

  /** The range of luma steps (pixel units) rate control searches for a pixel residual. */
  static final double COARSEST_STEP = 400, FINEST_STEP = 2;

  private QualityLadder() {}

  static void check(int q) {
    if (q < MIN || q > MAX) {
      throw new IllegalArgumentException("quality " + q + " must be " + MIN + ".." + MAX);
    }
  }

  /** Spec §9.6.1 resolution shift of step {@code q}: 0 full size, 1 half, 2 quarter. */
  static int resolutionShift(int q) {
    check(q);
    return STEPS[q - MIN][0];
  }

  static int codebookSize(int q) {
    check(q);
    return STEPS[q - MIN][1];
  }

  /**
   * Whether step {@code q} may code residual stages. Steps up to the default do not: at 30% of the
   * refinement steps or less the merged order takes almost no stage step (validation, default step:
   * 0.0885 bpp and 25.61 dB with stages allowed, 0.0876 bpp and 25.59 dB without,
   * results/tok-v2/val-ladder.md), and leaving them out saves the stage search: for a 4032x2688
   * picture {@code Tokenizer.encodeLevels} took 6.7 to 6.9 s without stages and 8.6 to 8.8 s with
   * them (in process, three rounds). The residual steps do not either: a pixel residual buys more
   * than a stage at every rate (results/pixel-residual/val-ladder.md), so their tokens are step 8's
   * fine cells alone.
   */
  static boolean stages(int q) {
    check(q);
    return q > DEFAULT && residualStep(q) == 0;
  }

  /** Luma step of step {@code q}'s pixel residual (Spec §6.9) in pixel units, 0 for none. */
  static double residualStep(int q) {
    check(q);
    return STEPS[q - MIN][3];
  }

  /**
   * The share of fine cells of step {@code q} in a video, whose frames carry neither residual
   * stages (Spec §9.6.2) nor a pixel residual (Spec §9.6.4): up to step 8 the picture's, then 75%
   * at step 9 and every cell from step 10 on (the picture ladder's shares before the residual).
   */
  static double videoFineFraction(int q) {
    check(q);
    return q <= 8 ? Math.min(1, refinement(q)) : q == 9 ? 0.75 : 1.0;
  }

  /** Refinement of step {@code q} in cells: 1.0 every cell fine, 2.0 every cell with two stages. */
  static double refinement(int q) {
    check(q);
    return STEPS[q - MIN][2] / 100.0;
  }
}
