package io.vqcodec.encoder;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.RansEncoder;
import io.vqcodec.tokenizer.TokenGrid;

/**
 * Codes {@code slice_data()} (Spec §6.3) with probability model 0, adaptive order-0 (Spec §8.2).
 * Mirrors {@code io.vqcodec.decoder.TokenReader} symbol for symbol.
 */
final class TokenWriter {
  private TokenWriter() {}

  /** The payload of the slice covering cell rows {@code firstRow .. firstRow + rowCount - 1}. */
  static byte[] encodeSlice(TokenGrid grid, int firstRow, int rowCount, GranularityMode mode) {
    int k = grid.codebookSize();
    // Spec §8.2: six models, all in their initial state at the start of every slice.
    AdaptiveBinaryModel[] granularity = new AdaptiveBinaryModel[4];
    for (int i = 0; i < 4; i++) granularity[i] = new AdaptiveBinaryModel();
    AdaptiveModel coarse = new AdaptiveModel(k);
    AdaptiveModel fine = new AdaptiveModel(k);
    RansEncoder enc = new RansEncoder(grid.cellsWide() * rowCount * 5);
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        boolean isFine = grid.isFine(cx, cy);
        if (mode == GranularityMode.MIXED) {
          enc.encode(granularity[granularityContext(grid, cx, cy, firstRow)], isFine ? 1 : 0);
        } else if (isFine != (mode == GranularityMode.ALL_FINE)) {
          throw new IllegalArgumentException("cell (" + cx + "," + cy + ") is "
              + (isFine ? "fine" : "coarse") + " but the granularity mode is " + mode);
        }
        if (!isFine) {
          enc.encode(coarse, grid.coarseToken(cx, cy));
        } else {
          for (int q = 0; q < 4; q++) {
            enc.encode(fine, grid.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1)));
          }
        }
      }
    }
    return enc.finish();
  }

  /** Spec §6.4: left + 2 * above, neighbours outside the picture or the slice count as coarse. */
  static int granularityContext(TokenGrid grid, int cx, int cy, int firstRow) {
    int left = cx > 0 && grid.isFine(cx - 1, cy) ? 1 : 0;
    int above = cy > firstRow && grid.isFine(cx, cy - 1) ? 1 : 0;
    return left + 2 * above;
  }
}
