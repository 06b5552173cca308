package io.vqcodec.encoder;

/**
 * The {@code --quality} ladder: each step is a resolution (Spec §9.6.1), a codebook size K and a
 * share of refinement steps (fine cells, then residual stages: Spec §9.6.2), in increasing rate and
 * quality. The lower steps code a quarter- or half-size picture, the upper ones the full picture
 * with more and more cells fine at K = 4096 (the cells chosen by the granularity strategy). The
 * steps were chosen on the validation images (results/ladder/val-settings.md: every step on the
 * rate-distortion frontier of the settings measured there; smaller codebooks at full size are
 * dominated by a half-size picture at K = 4096); the bpp and PSNR of each step on Kodak are in the
 * README (measured, not promised).
 */
final class QualityLadder {
  static final int MIN = 1;
  static final int MAX = 14;
  static final int DEFAULT = 7;

  /**
   * {resolution shift, K, refinement in percent of the cells} per step, MIN first: up to 100 the
   * share of fine cells, from 100 to 200 every cell fine and that share (less 100) with a second
   * stage, from 200 to 300 all with two stages and that share (less 200) with a third. A model
   * without residual stages stops at every cell fine (steps 10 to 14 are then the same).
   */
  private static final int[][] STEPS = {
    {2, 4096, 0}, {2, 4096, 50}, {1, 4096, 0}, {1, 4096, 25}, {1, 4096, 50},
    {0, 4096, 0}, {0, 4096, 30}, {0, 4096, 50}, {0, 4096, 75}, {0, 4096, 100},
    {0, 4096, 150}, {0, 4096, 200}, {0, 4096, 250}, {0, 4096, 300}
  };

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
   * them (in process, three rounds).
   */
  static boolean stages(int q) {
    check(q);
    return q > DEFAULT;
  }

  /**
   * The share of refinement steps (of the cells: fine cells) that residual steps build on, and that
   * rate control takes its tokens from when the target affords more.
   */
  static final double RESIDUAL_BASE = 0.5;

  /** The range of luma steps (pixel units) rate control searches for a pixel residual. */
  static final double COARSEST_STEP = 400, FINEST_STEP = 2;

  /** Luma step of step {@code q}'s pixel residual (Spec §6.9) in pixel units, 0 for none. */
  static double residualStep(int q) {
    check(q);
    return 0;
  }

  /** Refinement of step {@code q} in cells: 1.0 every cell fine, 2.0 every cell with two stages. */
  static double refinement(int q) {
    check(q);
    return STEPS[q - MIN][2] / 100.0;
  }
}
