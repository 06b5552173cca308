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

  /** {@code l} with a random temporal expert (Spec §8.3.3.2 version 2). */
  static TwoStagePrior.Level withRandomTemporal(TwoStagePrior.Level l, Random r) {
    int[][] ttrans = new int[2][l.groups * l.groups];
    for (int[] row : ttrans) for (int i = 0; i < row.length; i++) row[i] = r.nextInt(4096);
    short[][] t1 = new short[3][], t2 = new short[3][];
    for (int p = 0; p < 3; p++) {
      int masks = 1 << ContextPrior.TYPES[p];
      t1[p] = new short[masks * TwoStagePrior.stage1TemporalFeatures(p)];
      t2[p] = new short[masks * TwoStagePrior.stage2TemporalFeatures(p)];
      for (int i = 0; i < t1[p].length; i++) t1[p][i] = weight(r);
      for (int i = 0; i < t2[p].length; i++) t2[p][i] = weight(r);
    }
    return l.withTemporal(ttrans, t1, t2);
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

  /**
   * Spec §8.3.3.4 cdf_of_scores, or with {@code x >= 0} cdf_of_scores_excluding (the temporal
   * expert's).
   */
  static int[] ofScores(TwoStagePrior.Level l, BigInteger[] s, int x) {
    BigInteger top = null;
    for (int q = 0; q < s.length; q++)
      if (q != x && (top == null || s[q].compareTo(top) > 0)) top = s[q];
    BigInteger[] w = new BigInteger[s.length];
    for (int q = 0; q < s.length; q++) {
      if (q == x) {
        w[q] = big(l.exp[l.exp.length - 1]);
        continue;
      }
      int i = top.subtract(s[q]).shiftRight(8).min(big(l.exp.length - 1)).intValueExact();
      w[q] = big(l.exp[i]);
    }
    return quantize(w);
  }

  /**
   * Spec §8.3.3.4 stage1_cdf, transcribed; with a reference token {@code ref >= 0} stage1_cdf_t.
   */
  static int[] stage1(TwoStagePrior.Level l, int p, int mask, int[] nb, int[] cnt1, int ref) {
    boolean t = ref >= 0;
    int n = ContextPrior.TYPES[p], g = p == 0 ? 0 : 1;
    int f = t ? TwoStagePrior.stage1TemporalFeatures(p) : TwoStagePrior.stage1Features(p);
    short[] lam = t ? l.lambdaT1[p] : l.lambda1[p];
    BigInteger[] s = new BigInteger[l.groups];
    for (int q = 0; q < l.groups; q++) {
      BigInteger v =
          big(-lam[mask * f] * (long) l.cost1[g][q])
              .add(big(lam[mask * f + n + 1] * (long) l.adapt1[Math.min(255, cnt1[q])]));
      for (int i = 0; i < n; i++) {
        if ((mask >> i & 1) != 0)
          v =
              v.subtract(
                  big(lam[mask * f + 1 + i])
                      .multiply(big(l.trans[p][i][l.group[nb[i]] * l.groups + q])));
      }
      if (t) {
        v =
            v.subtract(
                big(lam[mask * f + n + 2]).multiply(big(l.ttrans[g][l.group[ref] * l.groups + q])));
      }
      s[q] = v;
    }
    return ofScores(l, s, -1);
  }

  /** Spec §8.3.3.3 dist(a, b), from the codewords. */
  static long dist(TwoStagePrior.Level l, int a, int b) {
    long d2 = 0;
    for (int j = 0; j < l.dim; j++) {
      long x = l.code[a * l.dim + j] - l.code[b * l.dim + j];
      d2 += x * x;
    }
    return Math.min(65535, d2 >> l.dshift);
  }

  /**
   * Spec §8.3.3.4 stage2_cdf, transcribed (distances from the codewords, not the cache); with a
   * reference token {@code ref >= 0} in group {@code grp} stage2_cdf_t.
   */
  static int[] stage2(
      TwoStagePrior.Level l, int p, int mask, int[] nb, int grp, int[] cnt2, int ref) {
    boolean t = ref >= 0 && l.group[ref] == grp;
    int n = ContextPrior.TYPES[p], g = p == 0 ? 0 : 1;
    int f = t ? TwoStagePrior.stage2TemporalFeatures(p) : TwoStagePrior.stage2Features(p);
    short[] lam = t ? l.lambdaT2[p] : l.lambda2[p];
    int[] m = l.members[grp];
    int in = 0;
    for (int i = 0; i < n; i++) if ((mask >> i & 1) != 0 && l.group[nb[i]] == grp) in |= 1 << i;
    BigInteger[] s = new BigInteger[m.length];
    for (int q = 0; q < m.length; q++) {
      s[q] =
          big(-lam[in * f] * (long) l.cost2[g][m[q]])
              .add(big(lam[in * f + 1] * (long) l.adapt2[Math.min(255, cnt2[m[q]])]));
    }
    for (int i = 0; i < n; i++) {
      if ((in >> i & 1) == 0) continue;
      int r = 0;
      while (m[r] != nb[i]) r++;
      s[r] = s[r].add(big(lam[in * f + 2 + i] * 256L));
      for (int q = 0; q < m.length; q++) {
        s[q] = s[q].subtract(big(lam[in * f + 2 + n + i]).multiply(big(dist(l, nb[i], m[q]))));
      }
    }
    if (!t) return ofScores(l, s, -1);
    int x = 0;
    while (m[x] != ref) x++;
    for (int q = 0; q < m.length; q++) {
      s[q] = s[q].subtract(big(lam[in * f + 2 + 2 * n]).multiply(big(dist(l, ref, m[q]))));
    }
    return ofScores(l, s, x);
  }

  @Test
  void optimisedCdfsEqualTheReference() {
    optimisedCdfsEqualTheReference(false);
  }

  @Test
  void optimisedCdfsWithTheTemporalExpertEqualTheReference() {
    optimisedCdfsEqualTheReference(true);
  }

  private static void optimisedCdfsEqualTheReference(boolean temporal) {
    Random r = new Random(temporal ? 4 : 3);
    for (int[] kg : new int[][] {{16, 4}, {64, 8}, {256, 16}, {1024, 32}, {4096, 64}, {16, 1}}) {
      TwoStagePrior.Level l = randomLevel(kg[0], kg[1], 1 + r.nextInt(16), r);
      if (temporal) l = withRandomTemporal(l, r);
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
        // a reference token, often in the group, with the temporal expert (-1: none)
        int ref =
            !temporal || r.nextInt(4) == 0
                ? -1
                : r.nextBoolean()
                    ? l.members[grp][r.nextInt(l.members[grp].length)]
                    : r.nextInt(l.k);
        if (l.groups > 1) {
          assertThat(pmf.groupCdf(p, mask, nb, ref).frequencies())
              .as("stage 1, K=%d trial %d", l.k, trial)
              .containsExactly(stage1(l, p, mask, nb, cnt1[g], ref));
        }
        if (l.members[grp].length > 1) {
          assertThat(pmf.rankCdf(p, mask, nb, grp, ref).frequencies())
              .as("stage 2, K=%d trial %d", l.k, trial)
              .containsExactly(stage2(l, p, mask, nb, grp, cnt2[g], ref));
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
  void temporalParameterFilesRoundTripAndHostileOnesAreIoErrors() throws Exception {
    Random r = new Random(17);
    TwoStagePrior.Level plain = randomLevel(16, 4, 2, r);
    TwoStagePrior.Level temporal = withRandomTemporal(randomLevel(64, 8, 2, r), r);
    byte[] v1 = TwoStagePrior.serialize(new TwoStagePrior.Level[] {plain});
    byte[] v2 = TwoStagePrior.serialize(new TwoStagePrior.Level[] {plain, temporal});
    // version 1 without any temporal level (the released model-6 file stays byte for byte), 2 with
    assertThat(v1[7]).isEqualTo((byte) 1);
    assertThat(v2[7]).isEqualTo((byte) 2);
    TwoStagePrior loaded = TwoStagePrior.load(new ByteArrayInputStream(v2));
    assertThat(loaded.level(16).hasTemporal()).isFalse();
    assertThat(loaded.level(64).hasTemporal()).isTrue();
    assertThat(
            TwoStagePrior.serialize(new TwoStagePrior.Level[] {loaded.level(16), loaded.level(64)}))
        .isEqualTo(v2);
    for (int n = v1.length; n < v2.length; n += 11) {
      byte[] cut = Arrays.copyOf(v2, n);
      assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(cut)))
          .as("truncated to %d", n)
          .isInstanceOf(IOException.class);
    }
    // the first level's temporal flag (its last byte, after exp) set to 2
    byte[] badFlag = v2.clone();
    badFlag[v1.length] = 2;
    assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(badFlag)))
        .hasMessageContaining("temporal flag 2");
    byte[] v3 = v2.clone();
    v3[7] = 3;
    assertThatThrownBy(() -> TwoStagePrior.load(new ByteArrayInputStream(v3)))
        .hasMessageContaining("version 3");
  }

  /**
   * {@code l} with the exponential table of the fitting tool and a temporal expert that says "the
   * reference's group" (every other group 8 bits dearer), and nothing else in stage 1 or 2.
   */
  static TwoStagePrior.Level trustingTheReference(TwoStagePrior.Level l) {
    long[] exp = new long[31 * 256];
    for (int i = 0; i < exp.length; i++) exp[i] = Math.round(Math.pow(2, 31 - i / 256.0));
    int[][] ttrans = new int[2][l.groups * l.groups];
    for (int[] row : ttrans)
      for (int a = 0; a < l.groups; a++)
        for (int q = 0; q < l.groups; q++) row[a * l.groups + q] = a == q ? 0 : 2048;
    short[][] t1 = new short[3][], t2 = new short[3][];
    for (int p = 0; p < 3; p++) {
      int f1 = TwoStagePrior.stage1TemporalFeatures(p),
          f2 = TwoStagePrior.stage2TemporalFeatures(p);
      t1[p] = new short[(1 << ContextPrior.TYPES[p]) * f1];
      t2[p] = new short[(1 << ContextPrior.TYPES[p]) * f2];
      for (int c = 0; c < 1 << ContextPrior.TYPES[p]; c++) t1[p][c * f1 + f1 - 1] = 256;
    }
    return new TwoStagePrior.Level(
        l.k, l.groups, l.dim, l.dshift, l.code, l.group, l.cost1, l.trans, l.cost2, l.adapt1,
        l.adapt2, l.lambda1, l.lambda2, exp, ttrans, t1, t2);
  }

  /**
   * Spec §10.4 with §8.3.3.4: every slicing of a predicted frame round trips, and where the coded
   * tokens stay in their reference's group an expert that expects it pays.
   */
  @Test
  void predictedFramesRoundTripWithTheTemporalExpert() throws Exception {
    Random r = new Random(19);
    TwoStagePrior.Level plain = randomLevel(4096, 64, 8, r);
    TwoStagePrior v1 = TwoStagePrior.of(new TwoStagePrior.Level[] {plain});
    TwoStagePrior v2 = TwoStagePrior.of(new TwoStagePrior.Level[] {trustingTheReference(plain)});
    TokenGrid ref = TestGrids.make(200, 120, 4096, 0.4, 7);
    boolean[] skip = new boolean[ref.cellsWide() * ref.cellsHigh()];
    TokenGrid g = PredictedSliceTest.nextFrame(ref, skip, 8);
    // coded tokens that differ from their reference move to another codeword of its group
    for (int fy = 0; fy < g.fineHigh(); fy++) {
      for (int fx = 0; fx < g.fineWide(); fx++) {
        int cx = fx >> 1, cy = fy >> 1;
        if (!g.isFine(cx, cy) || !ref.isFine(cx, cy) || skip[cy * g.cellsWide() + cx]) continue;
        int t = ref.fineToken(fx, fy);
        int[] m = plain.members[plain.group[t]];
        if (g.fineToken(fx, fy) != t && m.length > 1)
          g.setFineToken(fx, fy, m[(plain.rank[t] + 1) % m.length]);
      }
    }
    long bytes1 = 0, bytes2 = 0;
    for (int rows : new int[] {1, 4, 1000}) {
      TokenGrid out = new TokenGrid(g.width(), g.height(), 4096);
      boolean[] decodedSkip = new boolean[skip.length];
      for (int first = 0; first < g.cellsHigh(); first += rows) {
        int n = Math.min(rows, g.cellsHigh() - first);
        byte[] p2 = SliceCoder.encodePredicted(v2, g, ref, skip, first, n, GranularityMode.MIXED);
        byte[] p1 = SliceCoder.encodePredicted(v1, g, ref, skip, first, n, GranularityMode.MIXED);
        bytes1 += p1.length;
        bytes2 += p2.length;
        SliceCoder.decodePredicted(v2, p2, out, ref, decodedSkip, first, n, GranularityMode.MIXED);
      }
      assertThat(out).as("rows %d", rows).isEqualTo(g);
      assertThat(decodedSkip).isEqualTo(skip);
    }
    assertThat(bytes2).isLessThan(bytes1);
  }

  /**
   * Spec §8.3.3.5 temporal_on: where the expert misleads (the coded tokens leave their reference's
   * group, which it says they keep), the encoder turns it off and a slice costs at most that flag
   * more than without the expert; the decoder follows.
   */
  @Test
  void aMisleadingExpertIsTurnedOffPerSlice() throws Exception {
    Random r = new Random(29);
    TwoStagePrior.Level plain = randomLevel(4096, 64, 8, r);
    TwoStagePrior v1 = TwoStagePrior.of(new TwoStagePrior.Level[] {plain});
    TwoStagePrior v2 = TwoStagePrior.of(new TwoStagePrior.Level[] {trustingTheReference(plain)});
    TokenGrid ref = TestGrids.make(160, 96, 4096, 0.4, 11);
    boolean[] skip = new boolean[ref.cellsWide() * ref.cellsHigh()];
    TokenGrid g = PredictedSliceTest.nextFrame(ref, skip, 12); // changed tokens: anywhere
    for (int first = 0; first < g.cellsHigh(); first += 2) {
      int n = Math.min(2, g.cellsHigh() - first);
      byte[] p1 = SliceCoder.encodePredicted(v1, g, ref, skip, first, n, GranularityMode.MIXED);
      byte[] p2 = SliceCoder.encodePredicted(v2, g, ref, skip, first, n, GranularityMode.MIXED);
      assertThat(p2.length).as("slice at row %d", first).isLessThanOrEqualTo(p1.length + 1);
      TokenGrid out = new TokenGrid(g.width(), g.height(), 4096);
      SliceCoder.decodePredicted(
          v2, p2, out, ref, new boolean[skip.length], first, n, GranularityMode.MIXED);
      for (int cy = first; cy < first + n; cy++) {
        for (int cx = 0; cx < g.cellsWide(); cx++) assertThat(out.sameCell(g, cx, cy)).isTrue();
      }
    }
  }

  /**
   * A level without the expert in a version-2 file codes predicted frames exactly as version 1, and
   * a key frame codes identically with or without the expert (Spec §8.3.3.5: no reference token).
   */
  @Test
  void withoutAReferenceTokenTheTemporalFileCodesAsVersionOne() {
    Random r = new Random(23);
    TwoStagePrior.Level plain = randomLevel(256, 16, 4, r);
    TwoStagePrior.Level other = withRandomTemporal(randomLevel(16, 4, 2, r), r);
    TwoStagePrior v1 = of(plain);
    TwoStagePrior mixed = of(plain, other);
    TwoStagePrior v2 = of(withRandomTemporal(plain, r));
    TokenGrid ref = TestGrids.make(96, 64, 256, 0.4, 3);
    boolean[] skip = new boolean[ref.cellsWide() * ref.cellsHigh()];
    TokenGrid g = PredictedSliceTest.nextFrame(ref, skip, 4);
    int rows = g.cellsHigh();
    assertThat(SliceCoder.encodePredicted(mixed, g, ref, skip, 0, rows, GranularityMode.MIXED))
        .isEqualTo(SliceCoder.encodePredicted(v1, g, ref, skip, 0, rows, GranularityMode.MIXED));
    assertThat(SliceCoder.encode(v2, g, 0, rows, GranularityMode.MIXED))
        .isEqualTo(SliceCoder.encode(v1, g, 0, rows, GranularityMode.MIXED));
  }

  private static TwoStagePrior of(TwoStagePrior.Level... levels) {
    try {
      return TwoStagePrior.of(levels);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
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
