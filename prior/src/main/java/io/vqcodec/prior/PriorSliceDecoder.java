package io.vqcodec.prior;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansDecoder;
import io.vqcodec.tokenizer.TokenGrid;

/** Decodes slice_data() under prob_model_id 2 (Spec §8.3.2.4). */
public final class PriorSliceDecoder {
  private PriorSliceDecoder() {}

  /**
   * Decodes one slice payload into grid (sets flags and tokens of those rows); throws on any §7
   * error. On an exception the rows hold partial results: the caller marks them lost (Spec §6.6).
   *
   * @throws EntropyDecodingException if the payload is truncated, malformed or does not terminate
   *     properly (Spec §7.6)
   * @throws IllegalArgumentException if the rows are outside the grid or the prior has no level for
   *     the grid's codebook size
   */
  public static void decodeSlice(ContextPrior prior, byte[] payload, TokenGrid grid, int firstRow, int rowCount,
      GranularityMode mode) throws EntropyDecodingException {
    decodeSlice(prior, PriorSliceEncoder.ALL, payload, grid, firstRow, rowCount, mode);
  }

  static void decodeSlice(ContextPrior prior, int[] enabled, byte[] payload, TokenGrid grid, int firstRow,
      int rowCount, GranularityMode mode) throws EntropyDecodingException {
    ContextPrior.Level lv = prior.level(grid.codebookSize());
    RansDecoder dec = new RansDecoder(payload, 0, payload.length);
    new SliceWalk() {
      @Override
      boolean flag(AdaptiveBinaryModel m, boolean isFine) throws EntropyDecodingException {
        return dec.decode(m) == 1;
      }

      @Override
      int token(Cdf cdf, int value) throws EntropyDecodingException {
        return dec.decode(cdf);
      }
    }.run(lv, enabled, grid, firstRow, rowCount, mode);
    dec.verifyEnd();
  }
}
