package io.vqcodec.decoder;

/** What the decoder puts where tokens were lost. */
public enum Concealment {
  /**
   * Predict lost tokens with the masked-token transformer (mask-v1: fine tokens of K = 4096 grids)
   * when it is on the class path; every other lost token as {@link #NEIGHBOURS}. The default.
   */
  PREDICT,
  /** Each lost token takes the mean codeword of its known neighbours (no extra model). */
  NEIGHBOURS,
  /** No concealment: the pixels of cells with lost tokens are mid-gray. */
  NONE
}
