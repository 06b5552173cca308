package io.vqcodec.prior;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansEncoder;
import io.vqcodec.tokenizer.TokenGrid;

/** Encodes slice_data() under prob_model_id 2 (Spec §8.3.2.4). */
public final class PriorSliceEncoder {
  static final int[] ALL = {0x3F, 0x3F, 0x3F};

  private PriorSliceEncoder() {}

  /**
   * Entropy-coded slice_data() payload for cell rows [firstRow, firstRow+rowCount) of grid under
   * prob_model_id 2. The grid is not modified (cells outside the rows are never read, except that in
   * forced modes only the granularity the mode implies is read).
   *
   * @throws IllegalArgumentException if the rows are outside the grid, the prior has no level for the
   *     grid's codebook size, a coded token is {@link TokenGrid#LOST}, or (forced modes) a cell's flag
   *     disagrees with the mode
   */
  public static byte[] encodeSlice(ContextPrior prior, TokenGrid grid, int firstRow, int rowCount,
      GranularityMode mode) {
    return encodeSlice(prior, ALL, grid, firstRow, rowCount, mode);
  }

  static byte[] encodeSlice(ContextPrior prior, int[] enabled, TokenGrid grid, int firstRow, int rowCount,
      GranularityMode mode) {
    ContextPrior.Level lv = prior.level(grid.codebookSize());
    check(grid, firstRow, rowCount, mode);
    RansEncoder enc = new RansEncoder(4 * grid.cellsWide() * Math.max(1, rowCount) + 16);
    try {
      new SliceWalk() {
        @Override
        boolean flag(AdaptiveBinaryModel m, boolean isFine) {
          enc.encode(m, isFine ? 1 : 0);
          return isFine;
        }

        @Override
        int token(Cdf cdf, int value) {
          enc.encode(cdf, value);
          return value;
        }
      }.run(lv, enabled, copyRows(grid, firstRow, rowCount), firstRow, rowCount, mode);
    } catch (EntropyDecodingException e) {
      throw new IllegalStateException(e); // the encoder never decodes
    }
    return enc.finish();
  }

  static void check(TokenGrid g, int firstRow, int rowCount, GranularityMode mode) {
    if (firstRow < 0 || rowCount < 1 || firstRow + rowCount > g.cellsHigh()) {
      throw new IllegalArgumentException("rows [" + firstRow + ", " + (firstRow + rowCount) + ") outside 0.."
          + g.cellsHigh());
    }
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        boolean f = g.isFine(cx, cy);
        if ((mode == GranularityMode.ALL_FINE && !f) || (mode == GranularityMode.ALL_COARSE && f)) {
          throw new IllegalArgumentException("cell (" + cx + "," + cy + ") disagrees with " + mode);
        }
        if (f) {
          for (int k = 0; k < 4; k++) {
            if (g.fineToken(2 * cx + (k & 1), 2 * cy + (k >> 1)) == TokenGrid.LOST) {
              throw new IllegalArgumentException("lost token in cell (" + cx + "," + cy + ")");
            }
          }
        } else if (g.coarseToken(cx, cy) == TokenGrid.LOST) {
          throw new IllegalArgumentException("lost token in cell (" + cx + "," + cy + ")");
        }
      }
    }
  }

  /** The walk writes the values it codes back into its grid; give it a private copy of the rows. */
  static TokenGrid copyRows(TokenGrid g, int firstRow, int rowCount) {
    TokenGrid c = new TokenGrid(g.width(), g.height(), g.codebookSize());
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        c.setFine(cx, cy, g.isFine(cx, cy));
        c.setCoarseToken(cx, cy, g.coarseToken(cx, cy));
        for (int k = 0; k < 4; k++) {
          int fx = 2 * cx + (k & 1), fy = 2 * cy + (k >> 1);
          c.setFineToken(fx, fy, g.fineToken(fx, fy));
        }
      }
    }
    return c;
  }
}
