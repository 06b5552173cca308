package io.vqcodec.tokens;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.EntropyDecodingException;

/**
 * slice_data() under prob_model_id 0, adaptive order-0 (Spec §6.3, §8.2), written once: the
 * encoder, the decoder and the offline tools (cost reports) are subclasses that only say what to do
 * with each symbol. Public for those tools; a decoder uses {@link SliceCoder}.
 */
public abstract class Order0SliceWalk {
  /** Codes (encoder) or decodes (decoder) one granularity flag with {@code m}; returns it. */
  protected abstract boolean flag(AdaptiveBinaryModel m, boolean isFine)
      throws EntropyDecodingException;

  /**
   * Codes or decodes one token of a fine or coarse cell with {@code m}; {@code value} is the grid's
   * current token. Returns the token.
   */
  protected abstract int token(AdaptiveModel m, boolean fine, int value)
      throws EntropyDecodingException;

  /**
   * Codes or decodes {@code n} raw bits (Spec §7.5): the stage tokens of Spec §6.8.3. Walks that
   * never meet them need not override this.
   */
  protected int bits(int n, int value) throws EntropyDecodingException {
    throw new IllegalStateException("this walk does not code raw bits");
  }

  /** Spec §6.3 over cell rows {@code firstRow .. firstRow + rowCount - 1} of {@code g}. */
  public final void run(TokenGrid g, int firstRow, int rowCount, GranularityMode mode)
      throws EntropyDecodingException {
    run(g, firstRow, rowCount, mode, null);
  }

  /**
   * Spec §6.3, or with {@code temporal} the predicted-frame syntax of Spec §10.4 around it: skip
   * flags first, then only the cells not skipped, each token of a cell whose reference has its
   * granularity preceded by a same flag.
   */
  final void run(TokenGrid g, int firstRow, int rowCount, GranularityMode mode, Temporal temporal)
      throws EntropyDecodingException {
    if (temporal != null) temporal.skipFlags(this::flag, g, firstRow, rowCount);
    // reset_models(), Spec §8.2: six models, all in their initial state at the start of every
    // slice.
    AdaptiveBinaryModel[] granularity = new AdaptiveBinaryModel[4];
    for (int i = 0; i < 4; i++) granularity[i] = new AdaptiveBinaryModel();
    AdaptiveModel coarse = new AdaptiveModel(g.codebookSize());
    AdaptiveModel fine = new AdaptiveModel(g.codebookSize());
    StageSyntax stages = StageSyntax.forSlice(g, temporal); // Spec §6.8.2
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        if (temporal != null && temporal.skipped(g, cx, cy)) continue;
        boolean isFine;
        if (mode == GranularityMode.MIXED) {
          isFine = flag(granularity[granularityContext(g, cx, cy, firstRow)], g.isFine(cx, cy));
        } else {
          isFine = mode == GranularityMode.ALL_FINE;
        }
        g.setFine(cx, cy, isFine);
        if (isFine && stages != null) stages.flags(this::flag, g, cx, cy, firstRow);
        boolean same = temporal != null && temporal.hasSameFlag(cx, cy, isFine);
        if (!isFine) {
          int ref = same ? temporal.reference.coarseToken(cx, cy) : 0;
          int value = g.coarseToken(cx, cy);
          if (same && flag(temporal.sameModel[0], value == ref)) {
            g.setCoarseToken(cx, cy, ref); // Spec §10.4: the reference token
          } else {
            g.setCoarseToken(cx, cy, token(coarse, false, value));
          }
        } else {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            int ref = same ? temporal.reference.fineToken(fx, fy) : 0;
            int value = g.fineToken(fx, fy);
            if (same && flag(temporal.sameModel[1], value == ref)) {
              g.setFineToken(fx, fy, ref);
            } else {
              g.setFineToken(fx, fy, token(fine, true, value));
            }
          }
        }
      }
    }
    if (stages != null) StageSyntax.tokens(this::bits, g, firstRow, rowCount); // Spec §6.8.3
  }

  /**
   * Spec §6.4, the granularity flag's context for both probability models: left + 2 * above;
   * neighbours outside the picture or the slice count as coarse.
   */
  static int granularityContext(TokenGrid g, int cx, int cy, int firstRow) {
    int left = cx > 0 && g.isFine(cx - 1, cy) ? 1 : 0;
    int above = cy > firstRow && g.isFine(cx, cy - 1) ? 1 : 0;
    return left + 2 * above;
  }
}
