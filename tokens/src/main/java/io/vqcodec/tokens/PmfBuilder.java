package io.vqcodec.tokens;

import io.vqcodec.entropy.Cdf;

/**
 * Builds the integer CDF of one token from its context (Spec §8.3.2.5 and §8.3.2.6). One builder
 * per slice (scratch arrays are reused; not thread-safe). Only integer arithmetic.
 */
final class PmfBuilder {
  static final int P = Cdf.PRECISION_BITS;
  static final long M = 1L << P;

  private final ContextPrior.Level lv;
  private final long[] w;
  private final int[] freq;
  private final int[] e;
  private final int[][] counts;
  private final long[] total = new long[2];
  private final int[] d2;
  private final ContextPrior.Row[] rows = new ContextPrior.Row[6];

  PmfBuilder(ContextPrior.Level lv) {
    this.lv = lv;
    this.w = new long[lv.k];
    this.freq = new int[lv.k];
    this.e = new int[lv.k];
    this.counts = new int[2][lv.k];
    this.d2 = new int[lv.k];
  }

  /**
   * The CDF of a token of pass {@code pass} whose available neighbours of type i are {@code nb[i]}
   * for the bits i of {@code mask} (Spec §8.3.2.5).
   */
  Cdf cdf(int pass, int mask, int[] nb) {
    weights(pass, mask, nb);
    quantize(w, freq);
    return Cdf.singleUse(freq);
  }

  /** The unquantized integer weights w[t] of Spec §8.3.2.5 (for reports). */
  long[] weights(int pass, int mask, int[] nb) {
    int nt = ContextPrior.TYPES[pass];
    int k = lv.k;
    // spread: the largest distance index between two available neighbours
    int spread = 0;
    for (int i = 0; i < nt; i++) {
      if ((mask >> i & 1) == 0) continue;
      rows[i] = lv.row(nb[i]);
      for (int j = 0; j < i; j++) {
        if ((mask >> j & 1) != 0) spread = Math.max(spread, rows[j].didx()[nb[i]]);
      }
    }
    int bucket = 0;
    if (spread > 0) {
      bucket = 1;
      for (int th : lv.thresholds[pass]) {
        if (spread >= th) bucket++;
      }
    }
    int g = pass == 0 ? 0 : 1;
    long[] f = lv.freq[g];
    long a0 = ((long) lv.weight(pass, mask, bucket, 0) << 32) / lv.freqSum[g];
    for (int t = 0; t < k; t++) w[t] = a0 * f[t];
    for (int i = 0; i < nt; i++) {
      if ((mask >> i & 1) == 0) continue;
      int pi = lv.weight(pass, mask, bucket, 1 + i);
      if (pi == 0) continue;
      int tg = ContextPrior.TYPE_BASE[pass] + i;
      ContextPrior.Row r = rows[i];
      long a = ((long) pi << 32) / r.z()[tg];
      if (a == 0) continue;
      int[] tb = lv.table[tg], first = r.first();
      char[] byIndex = r.byIndex();
      for (int d = 0; d < tb.length; d++) {
        long v = a * tb[d];
        if (v == 0) continue;
        for (int q = first[d]; q < first[d + 1]; q++) w[byIndex[q]] += v;
      }
    }
    int pm = mask == 0 ? 0 : lv.weight(pass, mask, bucket, nt + 1);
    if (pm > 0) addMean(pass, mask, nb, pm);
    int pa = lv.weight(pass, mask, bucket, nt + 2);
    if (pa > 0 && total[g] > 0) {
      long a = ((long) pa << 32) / total[g];
      int[] c = counts[g];
      for (int t = 0; t < k; t++) w[t] += a * c[t];
    }
    return w;
  }

  /** Spec §8.3.2.5: after a token of pass {@code pass} is coded, its slice count goes up by one. */
  void update(int pass, int token) {
    int g = pass == 0 ? 0 : 1;
    counts[g][token]++;
    total[g]++;
  }

  /**
   * The predicted-mean component (Spec §8.3.2.5 step 4). Means are clamped to [-2048, 2047] and
   * codewords lie in [-2047, 2047], so every squared distance fits an int for dim <= 64; the loop
   * runs dimension by dimension over all codewords so that the JIT can vectorise it.
   */
  private void addMean(int pass, int mask, int[] nb, int pm) {
    int nt = ContextPrior.TYPES[pass], dim = lv.dim, k = lv.k;
    short[] code = lv.code;
    int[] d2 = this.d2;
    java.util.Arrays.fill(d2, 0);
    for (int j = 0; j < dim; j++) {
      long acc = 0;
      for (int i = 0; i < nt; i++) {
        if ((mask >> i & 1) != 0)
          acc += (long) lv.beta[pass][mask * nt + i] * code[nb[i] * dim + j];
      }
      int m =
          (int)
              Math.max(
                  -2048,
                  Math.min(
                      2047,
                      (acc + (1L << (ContextPrior.BETA_BITS - 1))) >> ContextPrior.BETA_BITS));
      int[] c = lv.codeT[j];
      for (int t = 0; t < k; t++) {
        int df = m - c[t];
        d2[t] += df * df;
      }
    }
    int[] tb = lv.table[ContextPrior.MEAN_TABLE + pass];
    int last = lv.tlen - 1, shift = lv.dshift;
    long z = 0;
    for (int t = 0; t < k; t++) {
      int s = d2[t];
      int v = s == 0 ? tb[0] : tb[(int) Math.min(last, 1 + ((long) s >> shift))];
      e[t] = v;
      z += v;
    }
    if (z == 0) return;
    long a = ((long) pm << 32) / z;
    if (a == 0) return;
    for (int t = 0; t < k; t++) w[t] += a * e[t];
  }

  /**
   * Spec §8.3.2.6: frequencies >= 1 summing to 2^24 from weights with 0 < sum < 2^62, by one
   * reciprocal multiplication per symbol; the rounding remainder goes to the first largest weight.
   */
  static void quantize(long[] w, int[] freq) {
    int n = freq.length;
    long s = 0;
    for (int t = 0; t < n; t++) s += w[t];
    int sh = Math.max(0, 64 - Long.numberOfLeadingZeros(s) - 31);
    long ws = 0;
    long best = -1;
    int arg = 0;
    for (int t = 0; t < n; t++) {
      long v = w[t] >> sh;
      ws += v;
      if (v > best) {
        best = v;
        arg = t;
      }
    }
    long r = ((M - n) << 31) / ws;
    long sum = 0;
    for (int t = 0; t < n; t++) {
      int fq = 1 + (int) (((w[t] >> sh) * r) >>> 31);
      freq[t] = fq;
      sum += fq;
    }
    freq[arg] += (int) (M - sum);
  }
}
