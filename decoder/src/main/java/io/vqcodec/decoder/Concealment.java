package io.vqcodec.decoder;

/** What the decoder puts where tokens were lost. */
public enum Concealment {
  /**
   * Predict lost tokens with the masked-token transformer when the model package has one, else
   * {@link #NEIGHBOURS}. The default.
   */
  PREDICT,
  /** Each lost token takes the mean codeword of its known neighbours (no extra model). */
  NEIGHBOURS,
  /** No concealment: the pixels of cells with lost tokens are mid-gray. */
  NONE
}
