package io.vqcodec.encoder;

import java.util.Arrays;

/**
 * The search behind a rate target ({@code --bpp}, {@code --size}): the resolution (full size, half,
 * quarter: Spec §9.6.1), codebook level and number of fine cells of the stream that fits the
 * target, measured on actual coded sizes. Knows nothing of the network: it asks a {@link
 * Candidates} for streams and errors, so it can be tested with a made-up rate/distortion model.
 *
 * <p>The resolution and level follow a rate model instead of being compared by decoding: at any
 * rate the largest picture whose all-coarse stream at the largest codebook fits wins, with as many
 * fine cells as fit. On the validation images (results/ladder/val-settings.md) that setting is on
 * the rate-distortion frontier at every rate it can reach: a smaller picture with more fine cells,
 * or a smaller codebook at the same size, is dominated. Smaller codebooks only compete (by their
 * coded-resolution error) where even the smallest picture's all-coarse stream at the largest
 * codebook is too big. So the network decodes at one level of one resolution (the cell ranking),
 * where the exhaustive search it replaced decoded every level of every resolution and each
 * resolution's best at full size (results/rate/rate-model.md compares the two on Kodak).
 */
final class RateControl {
  /**
   * What rate control asks of the encoder. A candidate is a resolution shift (Spec §9.6.1), a
   * codebook size K and a number of fine cells, the first ones in the granularity strategy's order:
   * streams grow with the count (one cell's tokens at a time) and, with the strategy's order, the
   * error shrinks.
   */
  interface Candidates {
    /** Cells of the token grid at resolution {@code shift} and codebook size {@code k}. */
    int cells(int shift, int k);

    /**
     * Refinement steps at ({@code shift}, {@code k}): the cells made fine one at a time, then, with
     * residual stages (Spec §9.6.2), the fine cells given one more stage one at a time; {@link
     * #stream} takes a count of these.
     */
    default int steps(int shift, int k) {
      return cells(shift, k);
    }

    /** The complete .vqc stream of the candidate with the first {@code steps} refinement steps. */
    byte[] stream(int shift, int k, int steps);

    /**
     * Squared error of the candidate at its coded resolution, as cheaply as the encoder can
     * estimate it: compares codebook levels at one resolution.
     */
    double codedResolutionError(int shift, int k, int fineCells);
  }

  /**
   * The stream rate control settled on.
   *
   * @param steps refinement steps ({@link Candidates#steps}): fine cells, and beyond {@code cells}
   *     stages
   * @param targetMet false when the target was below every candidate: {@code stream} is then the
   *     smallest one (every cell coarse)
   */
  record Choice(
      int resolutionShift,
      int codebookSize,
      int steps,
      int cells,
      byte[] stream,
      boolean targetMet) {}

  /**
   * What the search found at one resolution: the best stream within the target (or null), and the
   * smallest.
   */
  private record AtResolution(Choice best, Choice smallest) {}

  private RateControl() {}

  /**
   * The first resolution of {@code shifts} (largest picture first) whose all-coarse stream at the
   * largest codebook fits in {@code targetBytes}, with the most fine cells that fit; if none does,
   * the last resolution's smaller codebooks ({@link #atResolution}); if nothing fits, the smallest
   * stream tried (earlier wins ties).
   */
  static Choice search(Candidates candidates, int[] shifts, int[] codebookSizes, long targetBytes) {
    int[] levels = codebookSizes.clone();
    Arrays.sort(levels);
    int largestK = levels[levels.length - 1];
    Choice smallest = null;
    for (int shift : shifts) {
      byte[] none = candidates.stream(shift, largestK, 0);
      if (smallest == null || none.length < smallest.stream.length) {
        smallest = new Choice(shift, largestK, 0, candidates.cells(shift, largestK), none, false);
      }
      if (none.length <= targetBytes) {
        return mostFineCells(candidates, shift, largestK, none, targetBytes);
      }
    }
    int last = shifts[shifts.length - 1];
    AtResolution found =
        atResolution(candidates, last, Arrays.copyOf(levels, levels.length - 1), targetBytes);
    if (found.best != null) return found.best;
    if (found.smallest != null && found.smallest.stream.length < smallest.stream.length) {
      return found.smallest;
    }
    return smallest;
  }

  /**
   * One resolution: for every codebook level of {@code levels} (largest first), the most fine cells
   * whose stream fits in {@code target} bytes; of those, the level with the least coded-resolution
   * error (the larger codebook wins ties).
   *
   * @param levels codebook sizes, ascending
   */
  private static AtResolution atResolution(
      Candidates candidates, int shift, int[] levels, long target) {
    Choice best = null;
    double bestError = Double.POSITIVE_INFINITY;
    Choice smallest = null;
    for (int i = levels.length - 1; i >= 0; i--) {
      int k = levels[i];
      byte[] none = candidates.stream(shift, k, 0);
      if (smallest == null || none.length < smallest.stream.length) {
        smallest = new Choice(shift, k, 0, candidates.cells(shift, k), none, false);
      }
      if (none.length > target) continue;
      Choice c = mostFineCells(candidates, shift, k, none, target);
      double error = candidates.codedResolutionError(shift, k, c.steps);
      if (error < bestError) {
        bestError = error;
        best = c;
      }
      // Levels come largest first: once every cell fits fine, a smaller codebook cannot do better.
      if (c.steps >= c.cells) break;
    }
    return new AtResolution(best, smallest);
  }

  /**
   * The most refinement steps (fine cells, then stages) at ({@code shift}, {@code k}) whose stream
   * fits in {@code target} bytes, given the all-coarse stream {@code none} that fits.
   */
  private static Choice mostFineCells(
      Candidates candidates, int shift, int k, byte[] none, long target) {
    int n = candidates.steps(shift, k);
    int lo = 0, hi = n;
    byte[] loBytes = none;
    byte[] all = n == 0 ? none : candidates.stream(shift, k, n);
    if (all.length <= target) {
      lo = n;
      loBytes = all;
    } else {
      // Size is close to linear in the count: interpolate (regula falsi), falling back to
      // bisection after a few steps, so the exact search costs a handful of entropy codings
      // instead of log2(cells).
      long loSize = none.length, hiSize = all.length;
      for (int step = 0; hi - lo > 1; step++) {
        int guess =
            step < 4
                ? (int) (lo + (target - loSize) * (hi - lo) / Math.max(1, hiSize - loSize))
                : (lo + hi) >>> 1;
        guess = Math.max(lo + 1, Math.min(hi - 1, guess));
        byte[] b = candidates.stream(shift, k, guess);
        if (b.length <= target) {
          lo = guess;
          loSize = b.length;
          loBytes = b;
        } else {
          hi = guess;
          hiSize = b.length;
        }
      }
    }
    return new Choice(shift, k, lo, candidates.cells(shift, k), loBytes, true);
  }
}
