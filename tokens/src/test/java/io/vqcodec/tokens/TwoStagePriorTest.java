package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.EntropyDecodingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * prob_model_id 3 (Spec §8.3.3): the optimised CDFs against a plain BigInteger transcription of
 * §8.3.3.4 and §8.3.2.6 (the reference twin), round trips at every mode and slicing, the escape,
 * and hostile parameter files. Parameters are random over their whole ranges, so the tests do not
 * depend on the released file; the released one is covered by {@code GoldenStreamTest} streams.
 */
class TwoStagePriorTest {
  /** Random parameters within the ranges of Spec §8.3.3.2 (weights of either sign). */
  static TwoStagePrior.Level randomLevel(int k, int groups, int dim, Random r) {
    short[] code = new short[k * dim];
    for (int i = 0; i < code.length; i++) code[i] = (short) (r.nextInt(4095) - 2047);
    char[] group = new char[k];
    for (int t = 0; t < k; t++) group[t] = (char) (t < groups ? t : r.nextInt(groups));
    int[][] cost1 = new int[2][groups], cost2 = new int[2][k];
    for (int[] row : cost1) for (int i = 0; i < row.length; i++) row[i] = r.nextInt(65536);
    for (int[] row : cost2) for (int i = 0; i < row.length; i++) row[i] = r.nextInt(65536);
    int[][][] trans = new int[3][][];
    for (int p = 0; p < 3; p++) {
      trans[p] = new int[ContextPrior.TYPES[p]][groups * groups];
      for (int[] row : trans[p]) for (int i = 0; i < row.length; i++) row[i] = r.nextInt(4096);
    }
    int[] adapt1 = new int[TwoStagePrior.ADAPT_LEN], adapt2 = new int[TwoStagePrior.ADAPT_LEN];
    for (int i = 0; i < adapt1.length; i++) {
      adapt1[i] = r.nextInt(65536);
      adapt2[i] = r.nextInt(65536);
    }
    short[][] l1 = new short[3][], l2 = new short[3][];
    for (int p = 0; p < 3; p++) {
      int masks = 1 << ContextPrior.TYPES[p];
      l1[p] = new short[masks * TwoStagePrior.stage1Features(p)];
      l2[p] = new short[masks * TwoStagePrior.stage2Features(p)];
      for (int i = 0; i < l1[p].length; i++) l1[p][i] = weight(r);
      for (int i = 0; i < l2[p].length; i++) l2[p][i] = weight(r);
    }
    long[] exp = new long[1 + r.nextInt(3000)];
    exp[0] = 1 + r.nextInt(Integer.MAX_VALUE);
    for (int i = 1; i < exp.length; i++) exp[i] = exp[i - 1] - r.nextInt((int) exp[i - 1] / 8 + 1);
    return new TwoStagePrior.Level(
        k,
        groups,
        dim,
        r.nextInt(12),
        code,
        group,
        cost1,
        trans,
        cost2,
        adapt1,
        adapt2,
        l1,
        l2,
        exp);
  }

  private static short weight(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> 0;
      case 1 -> (short) (r.nextInt(65535) - 32767); // anywhere in range
      default -> (short) r.nextInt(600); // like a fitted weight
    };
  }

  static BigInteger big(long v) {
    return BigInteger.valueOf(v);
  }

  /** Spec §8.3.2.6 in BigInteger arithmetic. */
  static int[] quantize(BigInteger[] w) {
    int n = w.length;
    BigInteger s = BigInteger.ZERO;
    for (BigInteger v : w) s = s.add(v);
    int sh = Math.max(0, s.bitLength() - 31);
    BigInteger ws = BigInteger.ZERO;
    for (BigInteger v : w) ws = ws.add(v.shiftRight(sh));
    BigInteger m = big(1L << 24);
    BigInteger r = m.subtract(big(n)).shiftLeft(31).divide(ws);
    int[] f = new int[n];
    long sum = 0;
    int arg = 0;
    for (int t = 0; t < n; t++) {
      f[t] = 1 + w[t].shiftRight(sh).multiply(r).shiftRight(31).intValueExact();
      sum += f[t];
      if (w[t].shiftRight(sh).compareTo(w[arg].shiftRight(sh)) > 0) arg = t;
    }
    f[arg] += (int) ((1L << 24) - sum);
    return f;
  }

  /** Spec §8.3.3.4 cdf_of_scores. */
  static int[] ofScores(TwoStagePrior.Level l, BigInteger[] s) {
    BigInteger top = Arrays.stream(s).max(BigInteger::compareTo).orElseThrow();
    BigInteger[] w = new BigInteger[s.length];
    for (int q = 0; q < s.length; q++) {
      int i = top.subtract(s[q]).shiftRight(8).min(big(l.exp.length - 1)).intValueExact();
      w[q] = big(l.exp[i]);
    }
    return quantize(w);
  }

  /** Spec §8.3.3.4 stage1_cdf, transcribed. */
  static int[] stage1(TwoStagePrior.Level l, int p, int mask, int[] nb, int[] cnt1) {
    int n = ContextPrior.TYPES[p], g = p == 0 ? 0 : 1, f = TwoStagePrior.stage1Features(p);
    BigInteger[] s = new BigInteger[l.groups];
    for (int q = 0; q < l.groups; q++) {
      BigInteger v =
          big(-l.lambda1[p][mask * f] * (long) l.cost1[g][q])
              .add(big(l.lambda1[p][mask * f + n + 1] * (long) l.adapt1[Math.min(255, cnt1[q])]));
      for (int i = 0; i < n; i++) {
        if ((mask >> i & 1) != 0)
          v =
              v.subtract(
                  big(l.lambda1[p][mask * f + 1 + i])
                      .multiply(big(l.trans[p][i][l.group[nb[i]] * l.groups + q])));
      }
      s[q] = v;
    }
    return ofScores(l, s);
  }

  /** Spec §8.3.3.4 stage2_cdf, transcribed (distances from the codewords, not the cache). */
  static int[] stage2(TwoStagePrior.Level l, int p, int mask, int[] nb, int grp, int[] cnt2) {
    int n = ContextPrior.TYPES[p], g = p == 0 ? 0 : 1, f = TwoStagePrior.stage2Features(p);
    int[] m = l.members[grp];
    int in = 0;
    for (int i = 0; i < n; i++) if ((mask >> i & 1) != 0 && l.group[nb[i]] == grp) in |= 1 << i;
    BigInteger[] s = new BigInteger[m.length];
    for (int q = 0; q < m.length; q++) {
      s[q] =
          big(-l.lambda2[p][in * f] * (long) l.cost2[g][m[q]])
              .add(big(l.lambda2[p][in * f + 1] * (long) l.adapt2[Math.min(255, cnt2[m[q]])]));
    }
    for (int i = 0; i < n; i++) {
      if ((in >> i & 1) == 0) continue;
      int r = 0;
      while (m[r] != nb[i]) r++;
      s[r] = s[r].add(big(l.lambda2[p][in * f + 2 + i] * 256L));
      for (int q = 0; q < m.length; q++) {
        long d2 = 0;
        for (int j = 0; j < l.dim; j++) {
          long x = l.code[nb[i] * l.dim + j] - l.code[m[q] * l.dim + j];
          d2 += x * x;
        }
        long dist = Math.min(65535, d2 >> l.dshift);
        s[q] = s[q].subtract(big(l.lambda2[p][in * f + 2 + n + i]).multiply(big(dist)));
      }
    }
    return ofScores(l, s);
  }

  @Test
  void optimisedCdfsEqualTheReference() {
    Random r = new Random(3);
    for (int[] kg : new int[][] {{16, 4}, {64, 8}, {256, 16}, {1024, 32}, {4096, 64}, {16, 1}}) {
      TwoStagePrior.Level l = randomLevel(kg[0], kg[1], 1 + r.nextInt(16), r);
      TwoStagePmf pmf = new TwoStagePmf(l);
      int[][] cnt1 = new int[2][l.groups], cnt2 = new int[2][l.k];
      for (int trial = 0; trial < 300; trial++) {
        int p = r.nextInt(3), g = p == 0 ? 0 : 1;
        int mask = r.nextInt(1 << ContextPrior.TYPES[p]);
        int[] nb = new int[6];
        int grp = r.nextInt(l.groups);
        for (int i = 0; i < 6; i++) {
          // neighbours often in the token's group, so the stage-2 terms are exercised
          nb[i] =
              r.nextBoolean() ? l.members[grp][r.nextInt(l.members[grp].length)] : r.nextInt(l.k);
        }
        if (l.groups > 1) {
          assertThat(pmf.groupCdf(p, mask, nb).frequencies())
              .as("stage 1, K=%d trial %d", l.k, trial)
              .containsExactly(stage1(l, p, mask, nb, cnt1[g]));
        }
        if (l.members[grp].length > 1) {
          assertThat(pmf.rankCdf(p, mask, nb, grp).frequencies())
              .as("stage 2, K=%d trial %d", l.k, trial)
              .containsExactly(stage2(l, p, mask, nb, grp, cnt2[g]));
        }
        int t = r.nextInt(l.k);
        pmf.update(p, t);
        cnt1[g][l.group[t]]++;
        cnt2[g][t]++;
      }
    }
  }

  static GranularityMode modeOf(TokenGrid g) {
    int f = g.fineCellCount();
    return f == 0
        ? GranularityMode.ALL_COARSE
        : f == g.cellsWide() * g.cellsHigh() ? GranularityMode.ALL_FINE : GranularityMode.MIXED;
  }

  static TokenGrid roundTrip(TwoStagePrior prior, TokenGrid g, int rows, GranularityMode mode)
      throws EntropyDecodingException {
    TokenGrid out = new TokenGrid(g.width(), g.height(), g.codebookSize());
    for (int first = 0; first < g.cellsHigh(); first += rows) {
      int n = Math.min(rows, g.cellsHigh() - first);
      byte[] payload = SliceCoder.encode(prior, g, first, n, mode);
      SliceCoder.decode(prior, payload, out, first, n, mode);
    }
    return out;
  }

  @Test
  void gridsRoundTripAtEveryLevelModeAndSlicing() throws Exception {
    Random r = new Random(5);
    int seed = 0;
    for (int[] kg : new int[][] {{16, 4}, {256, 16}, {4096, 64}, {64, 1}}) {
      TwoStagePrior prior =
          TwoStagePrior.of(new TwoStagePrior.Level[] {randomLevel(kg[0], kg[1], 8, r)});
      for (double ratio : new double[] {0, 1, 0.5}) {
        for (int[] wh : new int[][] {{1, 1}, {40, 20}, {97, 61}}) {
          TokenGrid g = TestGrids.make(wh[0], wh[1], kg[0], ratio, seed++);
          GranularityMode mode = modeOf(g);
          for (int rows : new int[] {1, 3, 1000}) {
            assertThat(roundTrip(prior, g, rows, mode))
                .as("K=%d %s %dx%d rows %d", kg[0], mode, wh[0], wh[1], rows)
                .isEqualTo(g);
          }
        }
      }
    }
  }

  @Test
  void theEscapeBoundsASliceByAUniformCodeOfItsTokens() throws Exception {
    Random r = new Random(9);
    TwoStagePrior.Level l = randomLevel(4096, 64, 8, r);
    TwoStagePrior prior = TwoStagePrior.of(new TwoStagePrior.Level[] {l});
    // random tokens, unlike anything the (random) parameters predict
    TokenGrid g = new TokenGrid(320, 160, 4096);
    for (int fy = 0; fy < g.fineHigh(); fy++) {
      for (int fx = 0; fx < g.fineWide(); fx++) g.setFineToken(fx, fy, r.nextInt(4096));
    }
    for (int cy = 0; cy < g.cellsHigh(); cy++)
      for (int cx = 0; cx < g.cellsWide(); cx++) g.setFine(cx, cy, true);
    byte[] payload = SliceCoder.encode(prior, g, 0, g.cellsHigh(), GranularityMode.ALL_FINE);
    int tokens = g.fineWide() * g.fineHigh();
    // 1 escape bit + 12 bits per token, plus the coder's final state (Spec §7.2)
    assertThat(payload.length * 8L).isLessThanOrEqualTo(1 + 12L * tokens + 64);
    assertThat(roundTrip(prior, g, 1000, GranularityMode.ALL_FINE)).isEqualTo(g);
  }

  @Test
  void hostileParameterFilesAreIoErrors() throws Exception {
    Random r = new Random(11);
    TwoStagePrior.Level l = randomLevel(16, 4, 2, r);
    byte[] good = TwoStagePrior.serialize(new TwoStagePrior.Level[] {l});
    assertThat(TwoStagePrior.load(new ByteArrayInputStream(good)).codebookSizes())
        .containsExactly(16);
    for (int n = 0; n < good.length; n += 7) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(cut)))
          .as("truncated to %d", n)
          .isInstanceOf(IOException.class);
    }
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(trailing)))
        .hasMessageContaining("trailing");
    // group[0] (after magic, version, count, K, G, dim, dshift and 16 * 2 codewords) = G
    int groupAt = 4 + 4 + 1 + 4 + 2 + 1 + 1 + 16 * 2 * 2;
    byte[] badGroup = good.clone();
    badGroup[groupAt] = 0;
    badGroup[groupAt + 1] = 4;
    assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(badGroup)))
        .hasMessageContaining(">= 4");
    byte[] emptyGroup = good.clone();
    for (int t = 0; t < 16; t++) {
      emptyGroup[groupAt + 2 * t] = 0;
      emptyGroup[groupAt + 2 * t + 1] = 0;
    }
    assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(emptyGroup)))
        .hasMessageContaining("has no codeword");
    byte[] zeroGroups = good.clone();
    zeroGroups[13] = 0;
    zeroGroups[14] = 0;
    assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(zeroGroups)))
        .hasMessageContaining("group count 0");
    // the first exp value (the last 4 * exp_len bytes of the file) set to 0
    byte[] zeroExp = good.clone();
    int expAt = good.length - 4 * l.exp.length;
    Arrays.fill(zeroExp, expAt, expAt + 4, (byte) 0);
    assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(zeroExp)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void decodingNeverReadsPastItsPayloadOrHangs() throws Exception {
    Random r = new Random(13);
    TwoStagePrior prior = TwoStagePrior.of(new TwoStagePrior.Level[] {randomLevel(256, 16, 4, r)});
    TokenGrid g = TestGrids.make(64, 48, 256, 0.5, 1);
    byte[] payload = SliceCoder.encode(prior, g, 0, g.cellsHigh(), modeOf(g));
    for (int trial = 0; trial < 200; trial++) {
      byte[] bad = payload.clone();
      if (trial % 2 == 0) bad = Arrays.copyOf(bad, r.nextInt(bad.length));
      else bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
      TokenGrid out = new TokenGrid(g.width(), g.height(), 256);
      try {
        SliceCoder.decode(prior, bad, out, 0, g.cellsHigh(), modeOf(g));
      } catch (EntropyDecodingException expected) {
        // a damaged slice is an entropy error, nothing else
      }
    }
  }
}
