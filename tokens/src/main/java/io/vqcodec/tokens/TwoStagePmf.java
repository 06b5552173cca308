package io.vqcodec.tokens;

import io.vqcodec.entropy.Cdf;

/**
 * The two CDFs of a token under prob_model_id 3 (Spec §8.3.3.4): its group, then its rank in the
 * group, each from integer scores turned into weights by the level's exponential table and
 * quantized by Spec §8.3.2.6. One per slice (scratch arrays and slice counts; not thread-safe).
 */
final class TwoStagePmf {
  private final TwoStagePrior.Level lv;
  private final long[] score;
  private final long[] w;
  private final int[][] freqBySize; // frequencies arrays by alphabet size
  private final int[][] groupCount; // [g][group], Spec §8.3.3.4 slice counts
  private final int[][] tokenCount; // [g][token]

  TwoStagePmf(TwoStagePrior.Level lv) {
    this.lv = lv;
    int largest = lv.groups;
    for (int[] m : lv.members) largest = Math.max(largest, m.length);
    this.score = new long[largest];
    this.w = new long[largest];
    this.freqBySize = new int[largest + 1][];
    this.groupCount = new int[2][lv.groups];
    this.tokenCount = new int[2][lv.k];
  }

  /** Stage 1, the group of a token of {@code pass} with neighbours {@code nb} for bits of mask. */
  Cdf groupCdf(int pass, int mask, int[] nb) {
    int g = pass == 0 ? 0 : 1, nt = ContextPrior.TYPES[pass], n = lv.groups;
    short[] lam = lv.lambda1[pass];
    int off = mask * TwoStagePrior.stage1Features(pass);
    long[] sc = score;
    long l0 = lam[off];
    int[] c1 = lv.cost1[g];
    for (int s = 0; s < n; s++) sc[s] = -l0 * c1[s];
    for (int i = 0; i < nt; i++) {
      if ((mask >> i & 1) == 0) continue;
      long li = lam[off + 1 + i];
      if (li == 0) continue;
      int[] row = lv.trans[pass][i];
      int base = lv.group[nb[i]] * n;
      for (int s = 0; s < n; s++) sc[s] -= li * row[base + s];
    }
    long la = lam[off + nt + 1];
    if (la != 0) {
      int[] cnt = groupCount[g], ad = lv.adapt1;
      for (int s = 0; s < n; s++) sc[s] += la * ad[Math.min(TwoStagePrior.ADAPT_LEN - 1, cnt[s])];
    }
    return cdf(n);
  }

  /**
   * Stage 2, the rank within group {@code s} (only for groups of two or more codewords): static and
   * adaptive features, then per available neighbour in the group a repeat and a distance feature.
   */
  Cdf rankCdf(int pass, int mask, int[] nb, int s) {
    int g = pass == 0 ? 0 : 1, nt = ContextPrior.TYPES[pass];
    int[] m = lv.members[s];
    int n = m.length;
    int in = 0;
    for (int i = 0; i < nt; i++) {
      if ((mask >> i & 1) != 0 && lv.group[nb[i]] == s) in |= 1 << i;
    }
    short[] lam = lv.lambda2[pass];
    int off = in * TwoStagePrior.stage2Features(pass);
    long l0 = lam[off], la = lam[off + 1];
    int[] c2 = lv.cost2[g], cnt = tokenCount[g], ad = lv.adapt2;
    long[] sc = score;
    for (int q = 0; q < n; q++) {
      int t = m[q];
      sc[q] = -l0 * c2[t] + la * ad[Math.min(TwoStagePrior.ADAPT_LEN - 1, cnt[t])];
    }
    if (in != 0) {
      char[] d = lv.distances(s);
      for (int i = 0; i < nt; i++) {
        if ((in >> i & 1) == 0) continue;
        int r = lv.rank[nb[i]];
        sc[r] += lam[off + 2 + i] * 256L;
        long ld = lam[off + 2 + nt + i];
        if (ld == 0) continue;
        int base = r * n;
        for (int q = 0; q < n; q++) sc[q] -= ld * d[base + q];
      }
    }
    return cdf(n);
  }

  /** Spec §8.3.3.4: weights from the scores, then the quantization of Spec §8.3.2.6. */
  private Cdf cdf(int n) {
    long[] sc = score;
    long max = Long.MIN_VALUE;
    for (int q = 0; q < n; q++) max = Math.max(max, sc[q]);
    long[] exp = lv.exp;
    int last = exp.length - 1;
    for (int q = 0; q < n; q++) w[q] = exp[(int) Math.min(last, (max - sc[q]) >> 8)];
    int[] freq = freqBySize[n];
    if (freq == null) freq = freqBySize[n] = new int[n];
    PmfBuilder.quantize(w, freq);
    return Cdf.singleUse(freq);
  }

  /** Spec §8.3.3.4: after a token of {@code pass} is coded, its slice counts go up by one. */
  void update(int pass, int token) {
    int g = pass == 0 ? 0 : 1;
    groupCount[g][lv.group[token]]++;
    tokenCount[g][token]++;
  }
}
