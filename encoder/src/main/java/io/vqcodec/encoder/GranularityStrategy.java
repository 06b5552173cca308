package io.vqcodec.encoder;

/** How the encoder decides which 16x16 cells get fine (2x2) tokens. */
public enum GranularityStrategy {
  /**
   * Rate-distortion: cells ranked by how much squared error the fine tokens remove, measured by
   * decoding the all-coarse and all-fine token grids with the model itself. The default.
   */
  RATE_DISTORTION,
  /** Information density: cells ranked by the entropy of their luma histogram (as Control-GIC). */
  ENTROPY,
  /** Content-blind: fine cells spread evenly over the picture (an ordered-dither pattern). */
  UNIFORM
}
