package io.vqcodec.encoder;

import java.util.Arrays;

/**
 * The search behind a rate target ({@code --bpp}, {@code --size}): over resolutions (full size,
 * half, quarter: Spec §9.6.1), codebook levels and the number of fine cells, the stream with the
 * least error that fits in the target, measured on actual coded sizes. Knows nothing of the
 * network: it asks a {@link Candidates} for streams and errors, so it can be tested with a made-up
 * rate/distortion model.
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

    /** The complete .vqc stream of the candidate. */
    byte[] stream(int shift, int k, int fineCells);

    /**
     * Squared error of the candidate at its coded resolution, as cheaply as the encoder can
     * estimate it: compares codebook levels at one resolution.
     */
    double codedResolutionError(int shift, int k, int fineCells);

    /**
     * Squared error of the candidate against the input at full size, after decoding and scaling
     * back up as the decoder does: compares resolutions.
     */
    double fullSizeError(int shift, int k, int fineCells);
  }

  /**
   * The stream rate control settled on.
   *
   * @param targetMet false when the target was below every candidate: {@code stream} is then the
   *     smallest one (every cell coarse)
   */
  record Choice(
      int resolutionShift,
      int codebookSize,
      int fineCells,
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
   * The candidate with the least full-size error among the best of each resolution in {@code
   * shifts} (in order; earlier wins ties) that fits in {@code targetBytes}; if none fits, the
   * smallest. With a single resolution there is nothing to compare, so nothing is decoded at full
   * size. Stops early once a resolution fits every cell fine at the largest codebook: a smaller
   * picture cannot do better.
   */
  static Choice search(Candidates candidates, int[] shifts, int[] codebookSizes, long targetBytes) {
    int[] levels = codebookSizes.clone();
    Arrays.sort(levels);
    int largestK = levels[levels.length - 1];
    Choice best = null;
    double bestError = Double.POSITIVE_INFINITY;
    Choice smallest = null;
    for (int shift : shifts) {
      AtResolution found = atResolution(candidates, shift, levels, targetBytes);
      if (smallest == null || found.smallest.stream.length < smallest.stream.length) {
        smallest = found.smallest;
      }
      Choice c = found.best;
      if (c == null) continue;
      double error =
          shifts.length == 1 ? 0 : candidates.fullSizeError(shift, c.codebookSize, c.fineCells);
      if (error < bestError) {
        bestError = error;
        best = c;
      }
      if (c.codebookSize == largestK && c.fineCells == c.cells) break;
    }
    return best != null ? best : smallest;
  }

  /**
   * One resolution: for every codebook level (largest first), the most fine cells whose stream fits
   * in {@code target} bytes; of those, the level with the least coded-resolution error (the larger
   * codebook wins ties).
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
      int n = candidates.cells(shift, k);
      byte[] none = candidates.stream(shift, k, 0);
      if (smallest == null || none.length < smallest.stream.length) {
        smallest = new Choice(shift, k, 0, n, none, false);
      }
      if (none.length > target) continue;
      // Largest count with size <= target.
      int lo = 0, hi = n;
      byte[] loBytes = none;
      byte[] all = candidates.stream(shift, k, n);
      if (all.length <= target) {
        lo = n;
        loBytes = all;
      } else {
        // Size is close to linear in the count: interpolate (regula falsi), falling back to
        // bisection after a few steps, so the exact search costs a handful of entropy codings
        // (each a full pass of the context prior) instead of log2(cells).
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
      double error = candidates.codedResolutionError(shift, k, lo);
      if (error < bestError) {
        bestError = error;
        best = new Choice(shift, k, lo, n, loBytes, true);
      }
      // Levels come largest first: once every cell fits fine, a smaller codebook cannot do better.
      if (lo == n) break;
    }
    return new AtResolution(best, smallest);
  }
}
