package io.vqcodec.tools.bench;

import io.vqcodec.entropy.Cdf;
import java.util.SplittableRandom;

/**
 * Distributions and symbol streams shared by {@link EntropyBenchmark} and {@link
 * EntropySizeReport}.
 */
final class EntropySources {
  private EntropySources() {}

  /** Zipf-like weights over k symbols, in a shuffled order so the mass is not all at the start. */
  static Cdf zipf(int k, double exponent, long seed) {
    double[] p = new double[k];
    int[] perm = permutation(k, seed);
    for (int i = 0; i < k; i++) {
      p[perm[i]] = 1 / StrictMath.pow(i + 1, exponent);
    }
    return Cdf.quantizeProbabilities(p);
  }

  /**
   * A discretised Gaussian over k symbols, what a learned prior emits per symbol (mean, scale),
   * with a small floor so every symbol stays codable.
   */
  static Cdf gaussian(int k, double mean, double sigma) {
    double[] p = new double[k];
    for (int i = 0; i < k; i++) {
      double z = (i - mean) / sigma;
      p[i] = StrictMath.exp(-0.5 * z * z) + 1e-9;
    }
    return Cdf.quantizeProbabilities(p);
  }

  /** n distinct Gaussian CDFs with random means and scales between 2 and 200 symbols. */
  static Cdf[] gaussianPool(int n, int k, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Cdf[] pool = new Cdf[n];
    for (int i = 0; i < n; i++) {
      pool[i] = gaussian(k, rnd.nextDouble() * k, 2 * StrictMath.pow(100, rnd.nextDouble()));
    }
    return pool;
  }

  /** Draws a symbol with probability freq / 2^24. */
  static int sample(SplittableRandom rnd, Cdf cdf) {
    return cdf.symbolOf(rnd.nextInt(1 << Cdf.PRECISION_BITS));
  }

  static double bits(Cdf cdf, int symbol) {
    return Cdf.PRECISION_BITS - Math.log(cdf.freq(symbol)) / Math.log(2);
  }

  private static int[] permutation(int k, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] perm = new int[k];
    for (int i = 0; i < k; i++) {
      perm[i] = i;
    }
    for (int i = k - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm;
  }
}
