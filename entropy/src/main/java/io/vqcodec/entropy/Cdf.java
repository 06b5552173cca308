package io.vqcodec.entropy;

import java.util.Arrays;

/**
 * An immutable categorical distribution as an integer CDF at the coder's precision: symbol {@code
 * s} owns the slots {@code [start(s), start(s) + freq(s))} of {@code [0, 2^24)}, every frequency is
 * at least 1 and the frequencies sum to exactly {@code 2^24} (Spec §7.8).
 *
 * <p>Build one with {@link #quantize(long[])} from integer weights (the normative path: bit-exact
 * on every platform), {@link #ofFrequencies(int[])} from frequencies that already sum to {@code
 * 2^24}, {@link #uniform(int)}, or {@link #quantizeProbabilities(double[])} (encoder-side tools
 * only).
 *
 * <pre>{@code
 * Cdf cdf = Cdf.quantize(new long[] {5, 0, 3, 1});   // frequencies {9320674, 1, 5592405, 1864136}
 * RansEncoder enc = new RansEncoder();
 * enc.encode(cdf, 2);
 * byte[] bytes = enc.finish();
 * RansDecoder dec = new RansDecoder(bytes, 0, bytes.length);
 * int s = dec.decode(cdf);                            // 2
 * dec.verifyEnd();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; a decoder-side lookup table is built once at
 * construction (about {@code 4 * (n + 2^b)} bytes with {@code b = min(12, ceil(log2 n) + 1)}).
 */
public final class Cdf {
  /** The probability precision P in bits: frequencies sum to {@code 2^PRECISION_BITS}. */
  public static final int PRECISION_BITS = Rans.PRECISION;

  /** Largest supported alphabet. */
  public static final int MAX_ALPHABET_SIZE = 1 << 16;

  /** starts[s] = sum of freq(0..s-1); starts[n] = 2^24. Length n + 1. */
  final int[] starts;

  /** Symbol owning the first slot of each bucket of 2^bucketShift slots; lut[2^lutBits] = n - 1. */
  private final int[] lut;

  private final int bucketShift;

  private Cdf(int[] starts) {
    this(starts, true);
  }

  private Cdf(int[] starts, boolean indexed) {
    this.starts = starts;
    int n = starts.length - 1;
    if (!indexed) {
      // One bucket: lookup searches every start.
      this.bucketShift = Rans.PRECISION;
      this.lut = new int[] {0, n - 1};
      return;
    }
    this.bucketShift = Rans.PRECISION - lookupBits(n);
    this.lut = lookupTable(starts, bucketShift);
  }

  /** Buckets of the lookup table, in bits: {@code min(12, ceil(log2 n) + 1)}. */
  private static int lookupBits(int n) {
    return Math.min(12, ceilLog2(n) + 1);
  }

  /**
   * For each bucket of {@code 2^bucketShift} slots the symbol owning its first slot, then {@code n
   * - 1}. A speed structure for CDFs used many times (encoders, tools); decoders build single-use
   * CDFs, which have none (conformance/README.md, "Mutation testing").
   */
  private static int[] lookupTable(int[] starts, int bucketShift) {
    int n = starts.length - 1;
    int buckets = 1 << (Rans.PRECISION - bucketShift);
    int[] t = new int[buckets + 1];
    int s = 0;
    for (int b = 0; b < buckets; b++) {
      int firstSlot = b << bucketShift;
      while (starts[s + 1] <= firstSlot) {
        s++;
      }
      t[b] = s;
    }
    t[buckets] = n - 1;
    return t;
  }

  /**
   * A CDF from frequencies that are each at least 1 and sum to exactly {@code 2^24}.
   *
   * @throws IllegalArgumentException if the alphabet size is outside 1..65536, a frequency is below
   *     1, or the sum is not {@code 2^24}
   */
  public static Cdf ofFrequencies(int[] frequencies) {
    return new Cdf(starts(frequencies));
  }

  /**
   * {@link #ofFrequencies} for a distribution that codes a single symbol, as a context model's
   * output does: no lookup table is built (decoding searches all the starts), which saves a pass
   * over the alphabet per symbol. Same coding as {@link #ofFrequencies}.
   */
  public static Cdf singleUse(int[] frequencies) {
    return new Cdf(starts(frequencies), false);
  }

  private static int[] starts(int[] frequencies) {
    int n = checkAlphabetSize(frequencies.length);
    int[] starts = new int[n + 1];
    long sum = 0;
    for (int s = 0; s < n; s++) {
      int f = frequencies[s];
      if (f < 1) {
        throw new IllegalArgumentException(
            "frequency of symbol " + s + " is " + f + ", must be >= 1");
      }
      sum += f;
      if (sum > Rans.TOTAL) {
        break;
      }
      starts[s + 1] = (int) sum;
    }
    if (sum != Rans.TOTAL) {
      throw new IllegalArgumentException(describeSum(sum));
    }
    return starts;
  }

  private static String describeSum(long sum) {
    return "frequencies must sum to 2^"
        + Rans.PRECISION
        + " = "
        + Rans.TOTAL
        + (sum > Rans.TOTAL ? ", sum exceeds it" : ", sum is " + sum);
  }

  /**
   * Quantizes non-negative integer weights to a CDF, exactly as Spec §7.8 specifies (the normative
   * path). Zero weights get frequency 1.
   *
   * @throws IllegalArgumentException if the alphabet size is outside 1..65536, a weight is
   *     negative, all weights are zero, or the sum of weights exceeds {@code 2^62}
   */
  public static Cdf quantize(long[] weights) {
    return ofFrequencies(CdfQuantizer.frequencies(weights));
  }

  /** {@link #quantize(long[])} for {@code int} weights. */
  public static Cdf quantize(int[] weights) {
    long[] w = new long[weights.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = weights[i];
    }
    return quantize(w);
  }

  /**
   * Quantizes probabilities (any non-negative finite scale; they need not sum to 1) by first
   * converting them to integer weights {@code floor(p_i / S * 2^32)}, {@code S} the sum in index
   * order (Spec §7.8.3). Deterministic in Java, but floating point: normative coding paths use
   * {@link #quantize(long[])} on integer weights.
   *
   * @throws IllegalArgumentException if a probability is negative, NaN or infinite, or all are zero
   */
  public static Cdf quantizeProbabilities(double[] probabilities) {
    return quantize(CdfQuantizer.weightsFromProbabilities(probabilities));
  }

  /** The uniform distribution over {@code n} symbols (= {@code quantize} of n equal weights). */
  public static Cdf uniform(int n) {
    checkAlphabetSize(n);
    long[] w = new long[n];
    Arrays.fill(w, 1);
    return quantize(w);
  }

  /** Number of symbols n; symbols are {@code 0..n-1}. */
  public int alphabetSize() {
    return starts.length - 1;
  }

  /** Cumulative frequency of the symbols below {@code s}. */
  public int start(int symbol) {
    checkSymbol(symbol);
    return starts[symbol];
  }

  /** Frequency of {@code s} out of {@code 2^24}; at least 1. */
  public int freq(int symbol) {
    checkSymbol(symbol);
    return starts[symbol + 1] - starts[symbol];
  }

  /** The frequencies, a fresh copy. */
  public int[] frequencies() {
    int n = alphabetSize();
    int[] f = new int[n];
    for (int s = 0; s < n; s++) {
      f[s] = starts[s + 1] - starts[s];
    }
    return f;
  }

  /**
   * The symbol {@code s} with {@code start(s) <= slot < start(s) + freq(s)}; the decoder's lookup
   * (Spec §7.4). Allocation-free: a bucket table narrows the range, then a binary search.
   */
  public int symbolOf(int slot) {
    if (slot < 0 || slot >= Rans.TOTAL) {
      throw new IllegalArgumentException("slot " + slot + " outside [0, 2^" + Rans.PRECISION + ")");
    }
    return lookup(slot);
  }

  /** {@link #symbolOf} for a slot known to be in range. */
  int lookup(int slot) {
    int b = slot >>> bucketShift;
    int lo = lut[b];
    int hi = lut[b + 1];
    int[] st = starts;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (st[mid] <= slot) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  void checkSymbol(int symbol) {
    if (symbol < 0 || symbol >= starts.length - 1) {
      throw new IllegalArgumentException(
          "symbol " + symbol + " outside alphabet [0, " + (starts.length - 1) + ")");
    }
  }

  /** {@code n} if it is a supported alphabet size, 1..65536. */
  static int checkAlphabetSize(int n) {
    if (n < 1 || n > MAX_ALPHABET_SIZE) {
      throw new IllegalArgumentException("alphabet size " + n + " outside 1.." + MAX_ALPHABET_SIZE);
    }
    return n;
  }

  static int ceilLog2(int n) {
    return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cdf && Arrays.equals(starts, ((Cdf) o).starts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(starts);
  }

  @Override
  public String toString() {
    int n = alphabetSize();
    StringBuilder sb = new StringBuilder("Cdf[n=").append(n).append(", freq=");
    int shown = Math.min(n, 8);
    for (int s = 0; s < shown; s++) {
      sb.append(s == 0 ? "" : ",").append(starts[s + 1] - starts[s]);
    }
    return sb.append(n > shown ? ",...]" : "]").toString();
  }
}
