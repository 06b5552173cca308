package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimised CDF path (cached distance rows and normalisers, reciprocal quantization) against a
 * plain transcription of Spec §8.3.2.3, §8.3.2.5 and §8.3.2.6 in BigInteger arithmetic.
 */
class ReferenceTwinTest {
  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  static int didx(ContextPrior.Level l, long[] a, long[] b) {
    BigInteger d2 = BigInteger.ZERO;
    for (int j = 0; j < l.dim; j++) d2 = d2.add(big(a[j] - b[j]).pow(2));
    if (d2.signum() == 0) return 0;
    return d2.shiftRight(l.dshift).add(BigInteger.ONE).min(big(l.tlen - 1)).intValue();
  }

  static long[] code(ContextPrior.Level l, int t) {
    long[] c = new long[l.dim];
    for (int j = 0; j < l.dim; j++) c[j] = l.code[t * l.dim + j];
    return c;
  }

  static int[] reference(ContextPrior.Level l, int p, int mask, int[] nb, int[] count, long total) {
    int n = ContextPrior.TYPES[p], g = p == 0 ? 0 : 1, base = ContextPrior.TYPE_BASE[p], k = l.k;
    int spread = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        if ((mask >> i & 1) != 0 && (mask >> j & 1) != 0)
          spread = Math.max(spread, didx(l, code(l, nb[j]), code(l, nb[i])));
      }
    }
    int bucket = 0;
    if (spread > 0) {
      bucket = 1;
      for (int h : l.thresholds[p]) if (spread >= h) bucket++;
    }
    BigInteger[] w = new BigInteger[k];
    BigInteger sf = BigInteger.ZERO;
    for (long f : l.freq[g]) sf = sf.add(big(f));
    BigInteger a = big(l.weight(p, mask, bucket, 0)).shiftLeft(32).divide(sf);
    for (int t = 0; t < k; t++) w[t] = a.multiply(big(l.freq[g][t]));
    for (int i = 0; i < n; i++) {
      int wi = l.weight(p, mask, bucket, 1 + i);
      if ((mask >> i & 1) == 0 || wi == 0) continue;
      int[] tb = l.table[base + i];
      BigInteger z = BigInteger.ZERO;
      for (int t = 0; t < k; t++) z = z.add(big(tb[didx(l, code(l, nb[i]), code(l, t))]));
      a = big(wi).shiftLeft(32).divide(z);
      for (int t = 0; t < k; t++)
        w[t] = w[t].add(a.multiply(big(tb[didx(l, code(l, nb[i]), code(l, t))])));
    }
    int wm = l.weight(p, mask, bucket, n + 1);
    if (mask != 0 && wm > 0) {
      long[] mu = new long[l.dim];
      for (int j = 0; j < l.dim; j++) {
        BigInteger s = big(2048);
        for (int i = 0; i < n; i++) {
          if ((mask >> i & 1) != 0)
            s = s.add(big(l.beta[p][mask * n + i]).multiply(big(l.code[nb[i] * l.dim + j])));
        }
        mu[j] = Math.max(-2048, Math.min(2047, s.shiftRight(12).longValueExact()));
      }
      int[] tb = l.table[16 + p];
      BigInteger z = BigInteger.ZERO;
      for (int t = 0; t < k; t++) z = z.add(big(tb[didx(l, mu, code(l, t))]));
      if (z.signum() > 0) {
        a = big(wm).shiftLeft(32).divide(z);
        for (int t = 0; t < k; t++) w[t] = w[t].add(a.multiply(big(tb[didx(l, mu, code(l, t))])));
      }
    }
    int wa = l.weight(p, mask, bucket, n + 2);
    if (wa > 0 && total > 0) {
      a = big(wa).shiftLeft(32).divide(big(total));
      for (int t = 0; t < k; t++) w[t] = w[t].add(a.multiply(big(count[t])));
    }
    // §8.3.2.6
    BigInteger s = BigInteger.ZERO;
    for (BigInteger v : w) s = s.add(v);
    int sh = Math.max(0, s.bitLength() - 31);
    BigInteger ws = BigInteger.ZERO;
    for (BigInteger v : w) ws = ws.add(v.shiftRight(sh));
    BigInteger m = BigInteger.ONE.shiftLeft(24);
    BigInteger r = m.subtract(big(k)).shiftLeft(31).divide(ws);
    int[] freq = new int[k];
    long sum = 0;
    int arg = 0;
    for (int t = 0; t < k; t++) {
      freq[t] = 1 + w[t].shiftRight(sh).multiply(r).shiftRight(31).intValueExact();
      sum += freq[t];
      if (w[t].shiftRight(sh).compareTo(w[arg].shiftRight(sh)) > 0) arg = t;
    }
    freq[arg] += (int) ((1 << 24) - sum);
    return freq;
  }

  @Test
  void optimisedCdfsEqualTheReference() throws Exception {
    ContextPrior prior = ModelRegistry.builtIn().byName("tok-v1").orElseThrow().prior();
    Random r = new Random(11);
    for (int k : prior.codebookSizes()) {
      ContextPrior.Level l = prior.level(k);
      int cases = k >= 1024 ? 6 : 40;
      for (int c = 0; c < cases; c++) {
        int p = r.nextInt(3);
        int mask = r.nextInt(1 << ContextPrior.TYPES[p]);
        int[] nb = new int[6];
        int base = r.nextInt(k);
        for (int i = 0; i < 6; i++) nb[i] = r.nextInt(3) == 0 ? base : r.nextInt(k);
        // the builder's slice counts: feed some tokens of the right granularity
        PmfBuilder pb = new PmfBuilder(l);
        int[] count = new int[k];
        int seen = r.nextInt(3) == 0 ? 0 : r.nextInt(50);
        for (int q = 0; q < seen; q++) {
          int t = r.nextInt(k);
          pb.update(p, t);
          count[t]++;
        }
        int[] fast = pb.cdf(p, mask, nb).frequencies();
        assertThat(fast)
            .as("K=%d pass %d mask %d", k, p, mask)
            .isEqualTo(reference(l, p, mask, nb, count, seen));
        assertThat(Arrays.stream(fast).min().getAsInt()).isGreaterThanOrEqualTo(1);
      }
    }
  }
}
