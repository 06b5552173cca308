package io.vqcodec.tools.prior;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.tokens.ContextPrior;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceWalk;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TwoStagePrior;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fits the parameters of the two-stage model, prob_model_id 3 (Spec §8.3.3), on a token corpus:
 * groups by k-means of the codewords, cost tables from counts, and the log-linear mixing weights by
 * maximum likelihood (Adam on the exact integer features of Spec §8.3.3.4). Floating point on the
 * fitting side only; the file holds integers.
 *
 * <p>Usage: {@code TwoStageFit --train FILE.tok --out FILE [--model PACKAGE_DIR] [--limit N]
 * [--levels 4096,...] [--stage2-every 3] [--slice-rows 8]}. The codewords are the context prior's
 * of the package in {@code PACKAGE_DIR} (default: the released default tokenizer's), the same
 * codebook scaled to integers (Spec §8.3.2.8); the corpus must be made with that package's weights
 * ({@code TokenCorpus --model PACKAGE_DIR}). Training grids per image: all fine, all coarse and one
 * mixed grid ({@link PriorFit#grids}), each cut into slices of {@code slice-rows} cell rows so that
 * the adaptive features see what a coder sees.
 */
public final class TwoStageFit {
  private TwoStageFit() {}

  static final double ALPHA = 4; // pseudo-count pulling a transition row to the static costs
  static final int EXP_LEN = 31 * 256;

  public static void main(String[] args) throws Exception {
    Path train = null, out = null, model = null;
    int limit = Integer.MAX_VALUE, every2 = 3, sliceRows = 8;
    int[] levels = {4096, 1024, 256, 64, 16};
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--train" -> train = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--model" -> model = Path.of(args[i + 1]);
        case "--limit" -> limit = Integer.parseInt(args[i + 1]);
        case "--stage2-every" -> every2 = Integer.parseInt(args[i + 1]);
        case "--slice-rows" -> sliceRows = Integer.parseInt(args[i + 1]);
        case "--levels" ->
            levels = Arrays.stream(args[i + 1].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (train == null || out == null) throw new IllegalArgumentException("--train and --out");
    List<TokenCorpus.Entry> data = TokenCorpus.read(train);
    if (data.size() > limit) data = data.subList(0, limit);
    ContextPrior released =
        (model == null
                ? ModelRegistry.builtIn().defaultTokenizer()
                : ModelRegistry.loadFolder(model))
            .prior();
    TwoStagePrior.Level[] fitted = new TwoStagePrior.Level[levels.length];
    for (int l = 0; l < levels.length; l++) {
      long t0 = System.nanoTime();
      ContextPrior.Level cl = released.level(levels[l]);
      fitted[l] = new LevelFit(cl, data, sliceRows, every2).fit();
      System.out.printf(
          Locale.ROOT, "level %d fitted in %.0f s%n", levels[l], (System.nanoTime() - t0) / 1e9);
    }
    byte[] file = TwoStagePrior.serialize(fitted);
    TwoStagePrior.of(fitted); // validated as a decoder would
    Files.write(out, file);
    System.out.printf("%s: %d bytes%n", out, file.length);
  }

  /** The fit of one codebook level. */
  static final class LevelFit {
    final int k, groups, dim, sliceRows, every2;
    final short[] code;
    final List<TokenCorpus.Entry> data;
    int[] group;
    int[][] members;
    int[] rank;
    int dshift;
    int[][] cost1, cost2;
    int[][][] trans;
    int[] adapt = new int[TwoStagePrior.ADAPT_LEN];
    float[][] dist; // per group, n * n, the integer distance feature

    LevelFit(ContextPrior.Level cl, List<TokenCorpus.Entry> data, int sliceRows, int every2) {
      this.k = cl.codebookSize();
      this.dim = cl.dim();
      this.code = cl.codewords();
      this.groups = Math.max(1, (int) Math.round(Math.sqrt(k)));
      this.data = data;
      this.sliceRows = sliceRows;
      this.every2 = every2;
    }

    /**
     * The fit state of released parameters {@code lv} (groups, costs, transitions, distances), for
     * fitting what they lack (the temporal expert, {@link TemporalFit}).
     */
    static LevelFit of(TwoStagePrior.Level lv, ContextPrior.Level cl) {
      LevelFit f = new LevelFit(cl, List.of(), 8, 1);
      if (f.k != lv.codebookSize() || f.groups != lv.groupCount())
        throw new IllegalArgumentException("two-stage level does not match the context prior's");
      f.group = new int[f.k];
      f.rank = new int[f.k];
      for (int t = 0; t < f.k; t++) {
        f.group[t] = lv.group(t);
        f.rank[t] = lv.rank(t);
      }
      f.members = new int[f.groups][];
      for (int s = 0; s < f.groups; s++) f.members[s] = lv.members(s);
      f.dshift = lv.dshift();
      f.cost1 = new int[2][f.groups];
      f.cost2 = new int[2][f.k];
      for (int g = 0; g < 2; g++) {
        for (int s = 0; s < f.groups; s++) f.cost1[g][s] = lv.cost1(g, s);
        for (int t = 0; t < f.k; t++) f.cost2[g][t] = lv.cost2(g, t);
      }
      f.trans = new int[3][][];
      for (int p = 0; p < 3; p++) {
        int nt = ContextPrior.TYPES[p];
        f.trans[p] = new int[nt][f.groups * f.groups];
        for (int i = 0; i < nt; i++)
          for (int a = 0; a < f.groups; a++)
            for (int s = 0; s < f.groups; s++)
              f.trans[p][i][a * f.groups + s] = lv.trans(p, i, a, s);
      }
      for (int c = 0; c < f.adapt.length; c++) {
        f.adapt[c] = lv.adapt(1, c);
        if (lv.adapt(2, c) != f.adapt[c])
          throw new IllegalArgumentException("adapt1 and adapt2 differ: not TwoStageFit's");
      }
      f.dist = new float[f.groups][];
      for (int s = 0; s < f.groups; s++) {
        int[] m = f.members[s];
        int n = m.length;
        f.dist[s] = new float[n * n];
        for (int a = 0; a < n; a++)
          for (int b = 0; b < n; b++) f.dist[s][a * n + b] = lv.dist(m[a], m[b]);
      }
      return f;
    }

    interface Visitor {
      void token(int pass, int mask, int[] nb, int t, int[][] cntG, int[][] cnt);
    }

    void walk(Visitor v) throws Exception {
      Random r = new Random(k);
      for (TokenCorpus.Entry e : data) {
        for (Object[] gm : PriorFit.grids(e, k, r)) {
          TokenGrid g = (TokenGrid) gm[0];
          for (int first = 0; first < g.cellsHigh(); first += sliceRows) {
            int rows = Math.min(sliceRows, g.cellsHigh() - first);
            int[][] cntG = new int[2][groups];
            int[][] cnt = new int[2][k];
            new SliceWalk() {
              @Override
              protected boolean flag(AdaptiveBinaryModel m, boolean isFine) {
                return isFine;
              }

              @Override
              protected int token(Cdf cdf, int value) {
                return value;
              }

              @Override
              protected int token(int pass, int mask, int[] nb, int ref, int value) {
                v.token(pass, mask, nb, value, cntG, cnt);
                int gi = pass == 0 ? 0 : 1;
                cntG[gi][group[value]]++;
                cnt[gi][value]++;
                return value;
              }
            }.run(null, SliceWalk.allComponents(), g, first, rows, (GranularityMode) gm[1]);
          }
        }
      }
    }

    long d2(int a, int b) {
      long d = 0;
      for (int j = 0; j < dim; j++) {
        long x = code[a * dim + j] - code[b * dim + j];
        d += x * x;
      }
      return d;
    }

    static int cost(double p) {
      return (int) Math.max(0, Math.min(65535, Math.round(-256 * Math.log(p) / Math.log(2))));
    }

    TwoStagePrior.Level fit() throws Exception {
      group = kmeans(code, dim, k, groups);
      members = new int[groups][];
      int[] size = new int[groups];
      for (int t = 0; t < k; t++) size[group[t]]++;
      for (int s = 0; s < groups; s++) members[s] = new int[size[s]];
      rank = new int[k];
      int[] fill = new int[groups];
      for (int t = 0; t < k; t++) {
        rank[t] = fill[group[t]];
        members[group[t]][fill[group[t]]++] = t;
      }
      // dshift: the median squared distance within a group maps near 256
      List<Long> dd = new ArrayList<>();
      for (int[] m : members)
        for (int a = 0; a < m.length; a++) for (int b = 0; b < a; b++) dd.add(d2(m[a], m[b]));
      java.util.Collections.sort(dd);
      long med = dd.isEmpty() ? 1 : Math.max(1, dd.get(dd.size() / 2));
      dshift = Math.max(0, Math.min(40, 63 - Long.numberOfLeadingZeros(med) - 8));
      dist = new float[groups][];
      for (int s = 0; s < groups; s++) {
        int[] m = members[s];
        int n = m.length;
        dist[s] = new float[n * n];
        for (int a = 0; a < n; a++)
          for (int b = 0; b < n; b++)
            dist[s][a * n + b] = Math.min(65535, d2(m[a], m[b]) >> dshift);
      }
      for (int c = 0; c < adapt.length; c++)
        adapt[c] = (int) Math.round(256 * Math.log(c + 1) / Math.log(2));
      // 1. counts
      double[][] cg = new double[2][groups], ct = new double[2][k];
      double[][][][] tr = new double[3][6][groups][groups];
      walk(
          (pass, mask, nb, t, cntG, cnt) -> {
            int g = pass == 0 ? 0 : 1;
            cg[g][group[t]]++;
            ct[g][t]++;
            for (int i = 0; i < 6; i++)
              if ((mask >> i & 1) != 0) tr[pass][i][group[nb[i]]][group[t]]++;
          });
      cost1 = new int[2][groups];
      cost2 = new int[2][k];
      double[][] pg = new double[2][groups];
      for (int g = 0; g < 2; g++) {
        double tot = Arrays.stream(cg[g]).sum() + groups;
        for (int s = 0; s < groups; s++) {
          pg[g][s] = (cg[g][s] + 1) / tot;
          cost1[g][s] = cost(pg[g][s]);
        }
        double[] gs = new double[groups];
        for (int t = 0; t < k; t++) gs[group[t]] += ct[g][t] + 0.5;
        for (int t = 0; t < k; t++) cost2[g][t] = cost((ct[g][t] + 0.5) / gs[group[t]]);
      }
      trans = new int[3][][];
      for (int p = 0; p < 3; p++) {
        int nt = ContextPrior.TYPES[p];
        trans[p] = new int[nt][groups * groups];
        for (int i = 0; i < nt; i++)
          for (int a = 0; a < groups; a++) {
            double row = Arrays.stream(tr[p][i][a]).sum();
            for (int s = 0; s < groups; s++) {
              double q = (tr[p][i][a][s] + ALPHA * pg[p == 0 ? 0 : 1][s]) / (row + ALPHA);
              trans[p][i][a * groups + s] = cost(q);
            }
          }
      }
      // 2. samples with the integer features, then the weights
      List<short[]> s1 = new ArrayList<>(), s2 = new ArrayList<>();
      long[] seen = {0};
      walk(
          (pass, mask, nb, t, cntG, cnt) -> {
            int g = pass == 0 ? 0 : 1;
            short[] a = new short[4 + 6 + groups];
            a[0] = (short) pass;
            a[1] = (short) mask;
            a[2] = (short) group[t];
            for (int i = 0; i < 6; i++)
              a[4 + i] = (short) ((mask >> i & 1) != 0 ? group[nb[i]] : 0);
            for (int s = 0; s < groups; s++) a[10 + s] = (short) Math.min(255, cntG[g][s]);
            s1.add(a);
            int s = group[t];
            int n = members[s].length;
            if (n > 1 && seen[0]++ % every2 == 0) {
              short[] b = new short[4 + 6 + n];
              int in = 0;
              for (int i = 0; i < 6; i++) {
                if ((mask >> i & 1) != 0 && group[nb[i]] == s) {
                  in |= 1 << i;
                  b[4 + i] = (short) rank[nb[i]];
                }
              }
              b[0] = (short) pass;
              b[1] = (short) in;
              b[2] = (short) s;
              b[3] = (short) rank[t];
              for (int q = 0; q < n; q++) b[10 + q] = (short) Math.min(255, cnt[g][members[s][q]]);
              s2.add(b);
            }
          });
      short[][] lambda1 = new short[3][], lambda2 = new short[3][];
      Stage1 st1 = new Stage1();
      Stage2 st2 = new Stage2();
      for (int p = 0; p < 3; p++) {
        lambda1[p] = LogLinear.fit(st1, s1, p, TwoStagePrior.stage1Features(p), groups);
        int largest = Arrays.stream(members).mapToInt(m -> m.length).max().getAsInt();
        lambda2[p] = LogLinear.fit(st2, s2, p, TwoStagePrior.stage2Features(p), largest);
      }
      System.out.printf(
          Locale.ROOT,
          "K=%d: %d groups, dshift %d, %d stage-1 and %d stage-2 samples: %.4f bits per group,"
              + " %.4f bits per rank (training)%n",
          k,
          groups,
          dshift,
          s1.size(),
          s2.size(),
          st1.bits / s1.size(),
          st2.bits / Math.max(1, s2.size()));
      long[] exp = new long[EXP_LEN];
      for (int i = 0; i < EXP_LEN; i++) exp[i] = Math.round(Math.pow(2, 31 - i / 256.0));
      char[] grp = new char[k];
      for (int t = 0; t < k; t++) grp[t] = (char) group[t];
      return new TwoStagePrior.Level(
          k, groups, dim, dshift, code, grp, cost1, trans, cost2, adapt, adapt, lambda1, lambda2,
          exp);
    }

    /** Stage-1 features of a sample, in bits (the integer feature / 256), Spec §8.3.3.4. */
    final class Stage1 implements LogLinear.Features {
      double bits;

      @Override
      public int fill(short[] a, double[][] f) {
        int pass = a[0], mask = a[1], g = pass == 0 ? 0 : 1, nt = ContextPrior.TYPES[pass];
        for (int s = 0; s < groups; s++) f[0][s] = -cost1[g][s] / 256.0;
        for (int i = 0; i < nt; i++) {
          if ((mask >> i & 1) == 0) {
            f[1 + i] = null;
            continue;
          }
          if (f[1 + i] == null) f[1 + i] = new double[f[0].length];
          int base = a[4 + i] * groups;
          for (int s = 0; s < groups; s++) f[1 + i][s] = -trans[pass][i][base + s] / 256.0;
        }
        for (int s = 0; s < groups; s++) f[nt + 1][s] = adapt[a[10 + s]] / 256.0;
        return groups;
      }

      @Override
      public int target(short[] a) {
        return a[2];
      }

      @Override
      public void bits(double b) {
        bits += b;
      }
    }

    /** Stage-2 features of a sample. */
    final class Stage2 implements LogLinear.Features {
      double bits;

      @Override
      public int fill(short[] a, double[][] f) {
        int pass = a[0], in = a[1], s = a[2], g = pass == 0 ? 0 : 1, nt = ContextPrior.TYPES[pass];
        int[] m = members[s];
        int n = m.length;
        for (int q = 0; q < n; q++) {
          f[0][q] = -cost2[g][m[q]] / 256.0;
          f[1][q] = adapt[a[10 + q]] / 256.0;
        }
        for (int i = 0; i < nt; i++) {
          if ((in >> i & 1) == 0) {
            f[2 + i] = null;
            f[2 + nt + i] = null;
            continue;
          }
          if (f[2 + i] == null) f[2 + i] = new double[f[0].length];
          if (f[2 + nt + i] == null) f[2 + nt + i] = new double[f[0].length];
          int r = a[4 + i];
          for (int q = 0; q < n; q++) {
            f[2 + i][q] = q == r ? 1 : 0;
            f[2 + nt + i][q] = -dist[s][r * n + q] / 256.0;
          }
        }
        return n;
      }

      @Override
      public int target(short[] a) {
        return a[3];
      }

      @Override
      public void bits(double b) {
        bits += b;
      }
    }
  }

  /**
   * Deterministic k-means of {@code n} codewords of {@code dim} integers into {@code kk} groups: 30
   * Lloyd iterations from evenly spaced codewords; an empty group is re-seeded with the codeword
   * farthest from its centre (Spec §8.3.3.7).
   */
  static int[] kmeans(short[] code, int dim, int n, int kk) {
    double[][] c = new double[kk][dim];
    for (int s = 0; s < kk; s++)
      for (int j = 0; j < dim; j++) c[s][j] = code[(int) ((long) s * n / kk) * dim + j];
    int[] a = new int[n];
    for (int it = 0; it < 30; it++) {
      for (int t = 0; t < n; t++) {
        double best = Double.MAX_VALUE;
        for (int s = 0; s < kk; s++) {
          double d = 0;
          for (int j = 0; j < dim; j++) {
            double x = code[t * dim + j] - c[s][j];
            d += x * x;
          }
          if (d < best) {
            best = d;
            a[t] = s;
          }
        }
      }
      double[][] sum = new double[kk][dim];
      int[] cn = new int[kk];
      for (int t = 0; t < n; t++) {
        cn[a[t]]++;
        for (int j = 0; j < dim; j++) sum[a[t]][j] += code[t * dim + j];
      }
      for (int s = 0; s < kk; s++) {
        if (cn[s] == 0) {
          // re-seed an empty cluster with the codeword farthest from its centre
          int far = 0;
          double fd = -1;
          for (int t = 0; t < n; t++) {
            double d = 0;
            for (int j = 0; j < dim; j++) {
              double x = code[t * dim + j] - c[a[t]][j];
              d += x * x;
            }
            if (d > fd) {
              fd = d;
              far = t;
            }
          }
          for (int j = 0; j < dim; j++) c[s][j] = code[far * dim + j];
          a[far] = s;
          continue;
        }
        for (int j = 0; j < dim; j++) c[s][j] = sum[s][j] / cn[s];
      }
    }
    return a;
  }

  /** Maximum-likelihood weights of a log-linear model per (pass, context), by Adam. */
  static final class LogLinear {
    interface Features {
      /** Fills f[j][0..n) (null rows: absent features) and returns the alphabet size n. */
      int fill(short[] sample, double[][] f);

      int target(short[] sample);

      /** A symbol that is no candidate (probability 0, Spec §8.3.3.4 exclusion), or -1. */
      default int excluded(short[] sample) {
        return -1;
      }

      void bits(double b);
    }

    /**
     * The weights of pass {@code pass}, {@code [ctx * nf + j]} in the file's units (Spec §8.3.3.4:
     * a weight of 256 / ln 2 multiplies a feature of one bit by one nat), for every context 0 ..
     * 2^types - 1: a pass-wide fit first, then per context (contexts with few samples keep the
     * pass-wide weights).
     */
    static short[] fit(Features feat, List<short[]> all, int pass, int nf, int width) {
      int nctx = 1 << ContextPrior.TYPES[pass];
      List<short[]> data = new ArrayList<>();
      for (short[] a : all) if (a[0] == pass) data.add(a);
      double[] shared = new double[nf];
      Arrays.fill(shared, 1);
      adam(feat, data, shared, nf, width, 40, 0.05);
      double[][] theta = new double[nctx][];
      List<List<short[]>> byCtx = new ArrayList<>();
      for (int c = 0; c < nctx; c++) byCtx.add(new ArrayList<>());
      for (short[] a : data) byCtx.get(a[1]).add(a);
      for (int c = 0; c < nctx; c++) {
        theta[c] = shared.clone();
        if (byCtx.get(c).size() >= 300) adam(feat, byCtx.get(c), theta[c], nf, width, 30, 0.02);
      }
      double total = 0;
      double[][] f = new double[nf][width];
      double[] p = new double[width];
      for (short[] a : data) total += -Math.log(prob(feat, a, theta[a[1]], f, p)) / Math.log(2);
      feat.bits(total);
      short[] out = new short[nctx * nf];
      for (int c = 0; c < nctx; c++)
        for (int j = 0; j < nf; j++)
          out[c * nf + j] =
              (short)
                  Math.max(-32767, Math.min(32767, Math.round(theta[c][j] * 256 / Math.log(2))));
      return out;
    }

    static double prob(Features feat, short[] a, double[] th, double[][] f, double[] p) {
      return softmax(feat.fill(a, f), th, f, p, feat.excluded(a))[feat.target(a)];
    }

    /** p[0..n) = softmax of th . f over the symbols other than {@code excluded}; returns p. */
    static double[] softmax(int n, double[] th, double[][] f, double[] p, int excluded) {
      double mx = Double.NEGATIVE_INFINITY;
      for (int q = 0; q < n; q++) {
        double z = 0;
        for (int j = 0; j < f.length; j++) if (f[j] != null) z += th[j] * f[j][q];
        p[q] = z;
        if (q != excluded) mx = Math.max(mx, z);
      }
      double tot = 0;
      for (int q = 0; q < n; q++) tot += p[q] = q == excluded ? 0 : Math.exp(p[q] - mx);
      for (int q = 0; q < n; q++) p[q] = q == excluded ? 0 : Math.max(1e-12, p[q] / tot);
      return p;
    }

    static void adam(
        Features feat, List<short[]> data, double[] th, int nf, int width, int iters, double lr) {
      if (data.isEmpty()) return;
      double[] m = new double[nf], v = new double[nf];
      double[][] f = new double[nf][width];
      double[] p = new double[width];
      for (int it = 1; it <= iters; it++) {
        double[] grad = new double[nf];
        for (short[] a : data) {
          int n = feat.fill(a, f), y = feat.target(a);
          softmax(n, th, f, p, feat.excluded(a));
          for (int j = 0; j < nf; j++) {
            if (f[j] == null) continue;
            double e = 0;
            for (int q = 0; q < n; q++) e += p[q] * f[j][q];
            grad[j] += f[j][y] - e;
          }
        }
        for (int j = 0; j < nf; j++) {
          double gr = grad[j] / data.size();
          m[j] = 0.9 * m[j] + 0.1 * gr;
          v[j] = 0.999 * v[j] + 0.001 * gr * gr;
          double mh = m[j] / (1 - Math.pow(0.9, it)), vh = v[j] / (1 - Math.pow(0.999, it));
          th[j] += lr * mh / (Math.sqrt(vh) + 1e-8);
        }
      }
    }
  }
}
