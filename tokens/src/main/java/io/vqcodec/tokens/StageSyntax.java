package io.vqcodec.tokens;

import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.EntropyDecodingException;

/**
 * The residual-stage syntax of Spec §6.8, written once for every probability model: a fine cell's
 * stage flags (after its granularity flag) and the slice's stage tokens (after all its other
 * tokens). Stage tokens are raw bits under every model (Spec §6.8.3: their measured entropy is
 * within 4% of a uniform code). The walks ({@link Order0SliceWalk}, {@link SliceWalk}) say what to
 * do with each symbol.
 */
final class StageSyntax {
  /** Codes or decodes one binary symbol with {@code m}; returns it. */
  interface Flag {
    boolean code(AdaptiveBinaryModel m, boolean value) throws EntropyDecodingException;
  }

  /** Codes or decodes {@code n} raw bits (Spec §7.5); returns them. */
  interface Bits {
    int code(int n, int value) throws EntropyDecodingException;
  }

  /** stage_model[s - 2][ctx] of Spec §6.8.2, reset with the slice's other models. */
  private final AdaptiveBinaryModel[][] models;

  /** The stage models of one slice, in their initial state; null for a grid without stages. */
  static StageSyntax forSlice(TokenGrid g, Temporal temporal) {
    if (g.stageCount() == 1) return null;
    if (temporal != null) {
      throw new IllegalArgumentException("residual stages in a video frame (Spec §9.6.2)");
    }
    return new StageSyntax(g.stageCount());
  }

  private StageSyntax(int stageCount) {
    models = new AdaptiveBinaryModel[stageCount - 1][4];
    for (AdaptiveBinaryModel[] row : models) {
      for (int i = 0; i < 4; i++) row[i] = new AdaptiveBinaryModel();
    }
  }

  /**
   * Spec §6.8.2: the stage flags of fine cell ({@code cx}, {@code cy}): for s = 2 .. stage_count
   * one flag "the cell has stage s", until the first 0; sets the cell's stage count.
   */
  void flags(Flag f, TokenGrid g, int cx, int cy, int firstRow) throws EntropyDecodingException {
    int want = g.cellStages(cx, cy), n = 1;
    for (int s = 2; s <= g.stageCount(); s++) {
      if (!f.code(models[s - 2][context(g, cx, cy, firstRow, s)], want >= s)) break;
      n = s;
    }
    g.setCellStages(cx, cy, n);
  }

  /**
   * Spec §6.8.2: left + 2 * above, each 1 when that neighbour, in the slice, is a fine cell with at
   * least {@code s} stages. Its stage count is decoded before this cell's flags.
   */
  static int context(TokenGrid g, int cx, int cy, int firstRow, int s) {
    int left = cx > 0 && g.cellStages(cx - 1, cy) >= s ? 1 : 0;
    int above = cy > firstRow && g.cellStages(cx, cy - 1) >= s ? 1 : 0;
    return left + 2 * above;
  }

  /**
   * Spec §6.8.3 stage_data(): per fine cell in raster order, per stage s = 2 .. its count, the four
   * blocks' stage-s tokens, each {@code log2(stage codebook size)} raw bits.
   */
  static void tokens(Bits b, TokenGrid g, int firstRow, int rowCount)
      throws EntropyDecodingException {
    int bits = Integer.numberOfTrailingZeros(g.stageCodebookSize());
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        int n = g.cellStages(cx, cy);
        for (int s = 2; s <= n; s++) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            g.setStageToken(s, fx, fy, b.code(bits, g.stageToken(s, fx, fy)));
          }
        }
      }
    }
  }
}
