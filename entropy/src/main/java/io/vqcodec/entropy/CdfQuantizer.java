package io.vqcodec.entropy;

import java.util.Arrays;

/**
 * Integer weights to frequencies at precision 24 (Spec §7.8). Pure integer arithmetic, so any
 * implementation of §7.8.2 reproduces it bit for bit.
 */
final class CdfQuantizer {
  /** Weights are reduced below 2^39 so that w * (M - n) fits in a signed 64-bit product. */
  static final int WEIGHT_BITS = 39;

  static final long MAX_WEIGHT_SUM = 1L << 62;

  private CdfQuantizer() {}

  /** Spec §7.8.2. */
  static int[] frequencies(long[] weights) {
    int n = weights.length;
    Cdf.checkAlphabetSize(n);
    long sum = 0;
    for (int i = 0; i < n; i++) {
      long w = weights[i];
      if (w < 0) {
        throw new IllegalArgumentException("weight of symbol " + i + " is negative: " + w);
      }
      sum += w;
      if (sum > MAX_WEIGHT_SUM) {
        throw new IllegalArgumentException("sum of weights exceeds 2^62");
      }
    }
    if (sum == 0) {
      throw new IllegalArgumentException("all " + n + " weights are zero");
    }
    long[] w = weights;
    int shift = Math.max(0, 64 - Long.numberOfLeadingZeros(sum) - WEIGHT_BITS);
    if (shift > 0) {
      w = new long[n];
      sum = 0;
      for (int i = 0; i < n; i++) {
        w[i] = weights[i] >>> shift;
        sum += w[i];
      }
    }
    long spread = Rans.TOTAL - n; // M - n: mass shared in proportion to the weights
    int[] freq = new int[n];
    long[] keys = new long[n];
    long assigned = 0;
    for (int i = 0; i < n; i++) {
      long product = w[i] * spread; // < 2^39 * 2^24
      long base = product / sum;
      long rem = product - base * sum; // < 2^39
      freq[i] = (int) (1 + base);
      assigned += freq[i];
      keys[i] = (rem << 16) | (0xFFFF - i); // larger remainder first, then smaller index
    }
    int remainder = (int) (Rans.TOTAL - assigned); // 0 <= remainder < n
    if (remainder > 0) {
      Arrays.sort(keys);
      for (int k = n - 1; k >= n - remainder; k--) {
        freq[0xFFFF - (int) (keys[k] & 0xFFFF)]++;
      }
    }
    return freq;
  }

  /** Spec §7.8.3: floor(p_i / S * 2^32) with S the index-order sum in binary64. */
  static long[] weightsFromProbabilities(double[] p) {
    Cdf.checkAlphabetSize(p.length);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double v = p[i];
      if (!(v >= 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            "probability of symbol " + i + " is " + v + ", must be finite and >= 0");
      }
      sum += v;
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw new IllegalArgumentException(
          "sum of probabilities is " + sum + ", must be finite and > 0");
    }
    long[] w = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      w[i] = (long) Math.floor(p[i] / sum * 0x1p32);
    }
    return w;
  }
}
