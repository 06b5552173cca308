package io.vqcodec.entropy;

/**
 * Adaptive model for one binary decision, e.g. a granularity flag (Spec §7.10). Holds the
 * probability of a 0 as a 16-bit integer {@code p} in {@code [1, 65535]}, starting at 32768; after
 * a 0, {@code p += (65536 - p) >> rate}, after a 1, {@code p -= p >> rate}. It codes with {@code
 * freq(0) = p << 8} at the coder's 24-bit precision.
 *
 * <p>Smaller rates adapt faster and forget faster; the default 5 halves the influence of an
 * observation after about 22 decisions. Not thread-safe.
 */
public final class AdaptiveBinaryModel {
  /** Default adaptation rate (shift). */
  public static final int DEFAULT_RATE = 5;

  static final int PROB_BITS = 16;
  static final int PROB_ONE = 1 << PROB_BITS;
  private static final int INITIAL = PROB_ONE >>> 1;

  private final int rate;
  private int p0;

  /** A model with rate {@value #DEFAULT_RATE}. */
  public AdaptiveBinaryModel() {
    this(DEFAULT_RATE);
  }

  /**
   * @param rate adaptation shift, 1..15
   */
  public AdaptiveBinaryModel(int rate) {
    this.rate = checkArguments(rate);
    this.p0 = INITIAL;
  }

  // An argument check, returning the rate (conformance/README.md, "Mutation testing":
  // checkArguments is not mutated; decoders build models of fixed, valid parameters only).
  private static int checkArguments(int rate) {
    if (rate < 1 || rate > 15) {
      throw new IllegalArgumentException("rate " + rate + " outside 1..15");
    }
    return rate;
  }

  public void reset() {
    p0 = INITIAL;
  }

  public int rate() {
    return rate;
  }

  /** Probability of a 0 in units of 2^-16, in [1, 65535]. */
  public int probabilityOfZero() {
    return p0;
  }

  /** freq(0) at precision 24. */
  int freq0() {
    return p0 << (Rans.PRECISION - PROB_BITS);
  }

  /** Spec §7.10. */
  void update(int bit) {
    if (bit == 0) {
      p0 += (PROB_ONE - p0) >> rate;
    } else {
      p0 -= p0 >> rate;
    }
  }

  @Override
  public String toString() {
    return "AdaptiveBinaryModel[rate=" + rate + ", p0=" + p0 + "/65536]";
  }
}
