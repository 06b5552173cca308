package io.vqcodec.decoder;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansDecoder;
import io.vqcodec.tokenizer.TokenGrid;

/**
 * Decodes {@code slice_data()} (Spec §6.3) with probability model 0, adaptive order-0 (Spec §8.2).
 * Mirrors {@code io.vqcodec.encoder.TokenWriter} symbol for symbol.
 */
final class TokenReader {
  private TokenReader() {}

  /**
   * Decodes the payload of the slice covering cell rows {@code firstRow .. firstRow + rowCount - 1}
   * into {@code grid}. On an error the rows hold partial results: the caller marks them lost
   * (Spec §6.6).
   */
  static void decodeSlice(byte[] payload, TokenGrid grid, int firstRow, int rowCount,
      GranularityMode mode) throws EntropyDecodingException {
    int k = grid.codebookSize();
    RansDecoder dec = new RansDecoder(payload, 0, payload.length); // init_decoder, Spec §7.3
    // reset_models(), Spec §8.2
    AdaptiveBinaryModel[] granularity = new AdaptiveBinaryModel[4];
    for (int i = 0; i < 4; i++) granularity[i] = new AdaptiveBinaryModel();
    AdaptiveModel coarse = new AdaptiveModel(k);
    AdaptiveModel fine = new AdaptiveModel(k);
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        boolean isFine;
        if (mode == GranularityMode.MIXED) {
          isFine = dec.decode(granularity[granularityContext(grid, cx, cy, firstRow)]) == 1;
        } else {
          isFine = mode == GranularityMode.ALL_FINE;
        }
        grid.setFine(cx, cy, isFine);
        if (!isFine) {
          grid.setCoarseToken(cx, cy, dec.decode(coarse));
        } else {
          for (int q = 0; q < 4; q++) {
            grid.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), dec.decode(fine));
          }
        }
      }
    }
    dec.verifyEnd(); // check_end(), Spec §6.6
  }

  /** Spec §6.4: left + 2 * above; neighbours outside the picture or the slice count as coarse. */
  static int granularityContext(TokenGrid grid, int cx, int cy, int firstRow) {
    int left = cx > 0 && grid.isFine(cx - 1, cy) ? 1 : 0;
    int above = cy > firstRow && grid.isFine(cx, cy - 1) ? 1 : 0;
    return left + 2 * above;
  }
}
