package io.vqcodec.conformance;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.RansEncoder;
import io.vqcodec.prior.ContextPrior;
import io.vqcodec.prior.PriorSliceEncoder;
import io.vqcodec.tokenizer.TokenGrid;
import java.io.IOException;

/**
 * slice_data() payloads for the generator: prob_model_id 0 written here from Spec §6.3, §6.4 and
 * §8.2 (the conformance module does not reach into the encoder), prob_model_id 2 by the prior
 * module's encoder (Spec §8.3.2.4).
 */
final class SliceWriter {
  private static ContextPrior prior;

  private SliceWriter() {}

  static byte[] encode(ProbabilityModel pm, TokenGrid grid, int firstRow, int rowCount,
      GranularityMode mode) throws IOException {
    return pm == ProbabilityModel.GAUSSIAN_MIXTURE
        ? PriorSliceEncoder.encodeSlice(prior(), grid, firstRow, rowCount, mode)
        : order0(grid, firstRow, rowCount, mode);
  }

  static synchronized ContextPrior prior() throws IOException {
    if (prior == null) prior = ContextPrior.loadDefault();
    return prior;
  }

  /** Spec §6.3 with the six adaptive models of §8.2, reset for the slice. */
  private static byte[] order0(TokenGrid grid, int firstRow, int rowCount, GranularityMode mode) {
    AdaptiveBinaryModel[] granularity = new AdaptiveBinaryModel[4];
    for (int i = 0; i < 4; i++) granularity[i] = new AdaptiveBinaryModel();
    AdaptiveModel coarse = new AdaptiveModel(grid.codebookSize());
    AdaptiveModel fine = new AdaptiveModel(grid.codebookSize());
    RansEncoder enc = new RansEncoder(5 * grid.cellsWide() * rowCount);
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        boolean isFine = grid.isFine(cx, cy);
        if (mode == GranularityMode.MIXED) {
          int left = cx > 0 && grid.isFine(cx - 1, cy) ? 1 : 0; // Spec §6.4
          int above = cy > firstRow && grid.isFine(cx, cy - 1) ? 1 : 0;
          enc.encode(granularity[left + 2 * above], isFine ? 1 : 0);
        } else if (isFine != (mode == GranularityMode.ALL_FINE)) {
          throw new IllegalArgumentException("cell (" + cx + "," + cy + ") disagrees with " + mode);
        }
        if (isFine) {
          for (int k = 0; k < 4; k++) enc.encode(fine, grid.fineToken(2 * cx + (k & 1), 2 * cy + (k >> 1)));
        } else {
          enc.encode(coarse, grid.coarseToken(cx, cy));
        }
      }
    }
    return enc.finish();
  }
}
