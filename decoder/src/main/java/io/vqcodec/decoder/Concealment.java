package io.vqcodec.decoder;

/** What the decoder puts where tokens were lost. */
public enum Concealment {
  /**
   * Predict lost tokens with the masked-token transformer ({@code mask-v1}, every codebook level,
   * fine and coarse cells) when it is on the class path, else as {@link #NEIGHBOURS}. The default.
   */
  PREDICT,
  /** Each lost token takes the mean codeword of its known neighbours (no extra model). */
  NEIGHBOURS,
  /** No concealment: the pixels of cells with lost tokens are mid-gray. */
  NONE
}
