package io.vqcodec.decoder;

/**
 * What the decoder puts where tokens were lost (the strategies are in {@code
 * io.vqcodec.decoder.conceal}).
 */
public enum Concealment {
  /**
   * Predict lost tokens with the masked-token transformer ({@code mask-v1}, every codebook level,
   * fine and coarse cells): each gets the expected code vector under the prediction. Without the
   * transformer on the class path, or for a level it does not know, as {@link #NEIGHBOURS}. The
   * default.
   */
  PREDICT,
  /** Each lost token takes the mean code of its known neighbours (no extra model). */
  NEIGHBOURS,
  /**
   * No concealment: the pixels of cells (8x8 blocks of fine cells) with lost tokens are mid-gray.
   */
  NONE
}
