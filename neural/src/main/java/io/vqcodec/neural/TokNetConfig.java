package io.vqcodec.neural;

import java.util.Properties;

/**
 * Channel widths and block counts of {@link TokNet}; stored in model.properties as {@code arch.*}.
 */
public final class TokNetConfig {
  /** Codebook vector dimension. */
  public final int dim;

  /** Channels at 1/4, 1/8 and 1/16 resolution. */
  public final int c4, c8, c16;

  /** Residual blocks in the encoder at 1/4, 1/8, 1/16. */
  public final int e4, e8, e16;

  /** Residual blocks in the decoder at 1/16 (coarse branch), 1/8, 1/4. */
  public final int d16, d8, d4;

  public TokNetConfig(
      int dim, int c4, int c8, int c16, int e4, int e8, int e16, int d16, int d8, int d4) {
    this.dim = dim;
    this.c4 = c4;
    this.c8 = c8;
    this.c16 = c16;
    this.e4 = e4;
    this.e8 = e8;
    this.e16 = e16;
    this.d16 = d16;
    this.d8 = d8;
    this.d4 = d4;
  }

  /**
   * Cell rows (16 pixels) beyond which the encoder's outputs do not see: the receptive-field radius
   * of the coarse head (3x3 stem and residual convolutions at 1/4, 1/8, 1/16, the 2x2
   * downsamplings), rounded up. A band of the picture encoded with this many rows of context on
   * each side gives the tokens of the whole picture (up to float rounding).
   */
  public int encoderReach() {
    int px = 4 * (1 + 2 * e4) + 4 + 8 * 2 * e8 + 8 + 16 * 2 * e16;
    return (px + 15) / 16;
  }

  /**
   * Cell rows of tokens that the decoder's pixels see on each side: the receptive-field radius of
   * the coarse branch (3x3 input and residual convolutions at 1/16, residual convolutions at 1/8
   * and 1/4, the 3x3 output convolution), rounded up.
   */
  public int decoderReach() {
    int px = 16 * (1 + 2 * d16) + 8 * 2 * d8 + 4 * 2 * d4 + 4;
    return (px + 15) / 16;
  }

  /** Parses {@code "dim,c4,c8,c16,e4,e8,e16,d16,d8,d4"}. */
  public static TokNetConfig parse(String s) {
    String[] f = s.trim().split(",");
    if (f.length != 10) throw new IllegalArgumentException("arch needs 10 integers: " + s);
    int[] v = new int[10];
    for (int i = 0; i < 10; i++) v[i] = Integer.parseInt(f[i].trim());
    return new TokNetConfig(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
  }

  public static TokNetConfig from(Properties p) {
    return parse(p.getProperty("arch"));
  }

  @Override
  public String toString() {
    return dim + "," + c4 + "," + c8 + "," + c16 + "," + e4 + "," + e8 + "," + e16 + "," + d16 + ","
        + d8 + "," + d4;
  }
}
