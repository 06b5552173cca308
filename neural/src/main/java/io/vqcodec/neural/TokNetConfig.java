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

  /**
   * Latent groups of a fine position (1 for tok-v1 and tok-v2): with G &gt; 1 the fine head gives G
   * groups of {@code dim} values, stage s of a fine token codes group s (product stages, tok-v3
   * candidates), and the decoder's fine input is the G groups plus G - 1 presence planes (group s
   * coded or not). Coarse tokens are always one group.
   */
  public final int groups;

  public TokNetConfig(
      int dim, int c4, int c8, int c16, int e4, int e8, int e16, int d16, int d8, int d4) {
    this(dim, c4, c8, c16, e4, e8, e16, d16, d8, d4, 1);
  }

  public TokNetConfig(
      int dim,
      int c4,
      int c8,
      int c16,
      int e4,
      int e8,
      int e16,
      int d16,
      int d8,
      int d4,
      int groups) {
    if (groups < 1) throw new IllegalArgumentException("groups must be >= 1: " + groups);
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
    this.groups = groups;
  }

  /** Channels of the fine encoder output: {@code groups * dim}. */
  public int fineLatent() {
    return groups * dim;
  }

  /** Channels of the decoder's fine input: the groups plus a presence plane per extra group. */
  public int fineInput() {
    return groups * dim + groups - 1;
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

  /** Parses {@code "dim,c4,c8,c16,e4,e8,e16,d16,d8,d4[,groups]"}. */
  public static TokNetConfig parse(String s) {
    String[] f = s.trim().split(",");
    if (f.length != 10 && f.length != 11)
      throw new IllegalArgumentException("arch needs 10 or 11 integers: " + s);
    int[] v = new int[11];
    v[10] = 1;
    for (int i = 0; i < f.length; i++) v[i] = Integer.parseInt(f[i].trim());
    return new TokNetConfig(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]);
  }

  public static TokNetConfig from(Properties p) {
    return parse(p.getProperty("arch"));
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int v : new int[] {dim, c4, c8, c16, e4, e8, e16, d16, d8, d4}) {
      b.append(b.length() == 0 ? "" : ",").append(v);
    }
    if (groups > 1) b.append(',').append(groups);
    return b.toString();
  }
}
