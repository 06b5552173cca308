package io.vqcodec.tokens;

import io.vqcodec.entropy.AdaptiveBinaryModel;

/**
 * What a slice of a predicted frame adds to the key-frame syntax (Spec §10.4): the reference grid
 * (Spec §10.5), the skip flags of every cell and their models, and the models of the flags that say
 * a token equals its reference. One per slice; the walks ({@link Order0SliceWalk}, {@link
 * SliceWalk}) consult it.
 */
final class Temporal {
  final TokenGrid reference;

  /** is_skip per cell of the whole grid, raster order: the encoder's choice, or decoded. */
  final boolean[] skip;

  /** skip_model[0..3] and same_model[0 coarse, 1 fine], initial at the start of the slice. */
  final AdaptiveBinaryModel[] skipModel = new AdaptiveBinaryModel[4];

  final AdaptiveBinaryModel[] sameModel = new AdaptiveBinaryModel[2];

  Temporal(TokenGrid reference, boolean[] skip) {
    this.reference = reference;
    this.skip = skip;
    for (int i = 0; i < 4; i++) skipModel[i] = new AdaptiveBinaryModel();
    for (int i = 0; i < 2; i++) sameModel[i] = new AdaptiveBinaryModel();
  }

  boolean skipped(TokenGrid g, int cx, int cy) {
    return skip[cy * g.cellsWide() + cx];
  }

  /** Spec §10.4 skip_context: left + 2 * above, within the slice. */
  int skipContext(TokenGrid g, int cx, int cy, int firstRow) {
    int cw = g.cellsWide();
    int left = cx > 0 && skip[cy * cw + cx - 1] ? 1 : 0;
    int above = cy > firstRow && skip[(cy - 1) * cw + cx] ? 1 : 0;
    return left + 2 * above;
  }

  /** Whether the tokens of a cell of granularity {@code fine} get a same flag (Spec §10.4). */
  boolean hasSameFlag(int cx, int cy, boolean fine) {
    return reference.isFine(cx, cy) == fine;
  }

  /** A binary-flag coder: the walk's own flag method. */
  interface Flags {
    boolean flag(AdaptiveBinaryModel m, boolean value)
        throws io.vqcodec.entropy.EntropyDecodingException;
  }

  /**
   * Spec §10.4, first part: the skip flag of every cell of the slice, in raster order; a skipped
   * cell takes the reference's granularity and tokens (Spec §10.5).
   */
  void skipFlags(Flags f, TokenGrid g, int firstRow, int rowCount)
      throws io.vqcodec.entropy.EntropyDecodingException {
    int cw = g.cellsWide();
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        int i = cy * cw + cx;
        skip[i] = f.flag(skipModel[skipContext(g, cx, cy, firstRow)], skip[i]);
        if (skip[i]) g.copyCell(reference, cx, cy);
      }
    }
  }
}
