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

  /**
   * Stage 1, the group of a token of {@code pass} with neighbours {@code nb} for bits of mask, and
   * reference token {@code ref} (Spec §10.4; -1 if none or the level has no temporal expert).
   */
  Cdf groupCdf(int pass, int mask, int[] nb, int ref) {
    int g = pass == 0 ? 0 : 1, nt = ContextPrior.TYPES[pass], n = lv.groups;
    boolean temporal = ref >= 0;
    short[] lam = temporal ? lv.lambdaT1[pass] : lv.lambda1[pass];
    int off =
        mask
            * (temporal
                ? TwoStagePrior.stage1TemporalFeatures(pass)
                : TwoStagePrior.stage1Features(pass));
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
    if (temporal) {
      long lt = lam[off + nt + 2];
      if (lt != 0) {
        int[] row = lv.ttrans[g];
        int base = lv.group[ref] * n;
        for (int s = 0; s < n; s++) sc[s] -= lt * row[base + s];
      }
    }
    return cdf(n, -1);
  }

  /**
   * Stage 2, the rank within group {@code s} (only for groups of two or more codewords): static and
   * adaptive features, then per available neighbour in the group a repeat and a distance feature;
   * with a reference token {@code ref} in the group (Spec §10.4; -1 if none or the level has no
   * temporal expert) a distance to it, and its own rank excluded.
   */
  Cdf rankCdf(int pass, int mask, int[] nb, int s, int ref) {
    int g = pass == 0 ? 0 : 1, nt = ContextPrior.TYPES[pass];
    int[] m = lv.members[s];
    int n = m.length;
    int in = 0;
    for (int i = 0; i < nt; i++) {
      if ((mask >> i & 1) != 0 && lv.group[nb[i]] == s) in |= 1 << i;
    }
    boolean temporal = ref >= 0 && lv.group[ref] == s;
    short[] lam = temporal ? lv.lambdaT2[pass] : lv.lambda2[pass];
    int off =
        in
            * (temporal
                ? TwoStagePrior.stage2TemporalFeatures(pass)
                : TwoStagePrior.stage2Features(pass));
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
    if (!temporal) return cdf(n, -1);
    int r = lv.rank[ref];
    long lt = lam[off + 2 + 2 * nt];
    if (lt != 0) {
      char[] d = lv.distances(s);
      int base = r * n;
      for (int q = 0; q < n; q++) sc[q] -= lt * d[base + q];
    }
    return cdf(n, r);
  }

  /**
   * Spec §8.3.3.4 cdf_of_scores: weights from the scores, then the quantization of Spec §8.3.2.6;
   * symbol {@code excluded} (or -1) is no candidate: the top is taken over the others and its
   * weight is the table's last.
   */
  private Cdf cdf(int n, int excluded) {
    long[] sc = score;
    long max = Long.MIN_VALUE;
    for (int q = 0; q < n; q++) if (q != excluded) max = Math.max(max, sc[q]);
    long[] exp = lv.exp;
    int last = exp.length - 1;
    for (int q = 0; q < n; q++) {
      w[q] = q == excluded ? exp[last] : exp[(int) Math.min(last, (max - sc[q]) >> 8)];
    }
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
