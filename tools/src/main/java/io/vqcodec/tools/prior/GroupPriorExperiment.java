package io.vqcodec.tools.prior;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.tokens.ContextPrior;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceWalk;
import io.vqcodec.tokens.TokenGrid;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Design experiment (floating point, cross-entropy only) for a two-stage token model: the group of
 * a token (a k-means cluster of codewords), then the token within its group. Fits on a training
 * corpus, reports bits per token on a validation corpus beside the released context prior.
 */
public final class GroupPriorExperiment {
  private GroupPriorExperiment() {}

  static int k, groups, sliceRows = 8;
  static int[] group; // [k]
  static int[] groupSize;
  static double[][] fg; // [g][s] static group frequencies
  static double[][] ft; // [g][t]
  static double[][][][] trans; // [p][i][a][s]
  static double alpha = 4, sigmaScale = 0.25;

  interface Visitor {
    void token(int pass, int mask, int[] nb, int t, int[][] cntG, int[] totG, int[][] cnt);
  }

  static void walk(List<TokenCorpus.Entry> data, Visitor v, long seed) throws Exception {
    Random r = new Random(seed);
    for (TokenCorpus.Entry e : data) {
      for (Object[] gm : PriorFit.grids(e, k, r)) {
        TokenGrid g = (TokenGrid) gm[0];
        GranularityMode mode = (GranularityMode) gm[1];
        for (int first = 0; first < g.cellsHigh(); first += sliceRows) {
          int rows = Math.min(sliceRows, g.cellsHigh() - first);
          int[][] cntG = new int[2][groups];
          int[] totG = new int[2];
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
              v.token(pass, mask, nb, value, cntG, totG, cnt);
              int gi = pass == 0 ? 0 : 1;
              cntG[gi][group[value]]++;
              totG[gi]++;
              cnt[gi][value]++;
              return value;
            }
          }.run(null, SliceWalk.allComponents(), g, first, rows, mode);
        }
      }
    }
  }

  static final int NC = 9; // components: 0 static, 1..6 neighbour types, 7 adaptive, 8 kernel

  /** Component probabilities of the true symbol, stage 1 (group) and stage 2 (token in group). */
  static void comps(
      int pass,
      int mask,
      int[] nb,
      int t,
      int[][] cntG,
      int[] totG,
      int[][] cnt,
      double[] c1,
      double[] c2) {
    int g = pass == 0 ? 0 : 1;
    int s = group[t];
    Arrays.fill(c1, -1);
    Arrays.fill(c2, -1);
    c1[0] = fg[g][s];
    for (int i = 0; i < 6; i++) {
      if ((mask >> i & 1) != 0) c1[1 + i] = trans[pass][i][group[nb[i]]][s];
    }
    if (totG[g] > 0) c1[7] = (double) cntG[g][s] / totG[g];
    double fs = 0;
    c2[0] = ft[g][t] / gsum[g][s];
    for (int i = 0; i < 6; i++) {
      if ((mask >> i & 1) != 0 && group[nb[i]] == s) c2[1 + i] = nb[i] == t ? 1 : 0;
    }
    if (cntG[g][s] > 0) c2[7] = (double) cnt[g][t] / cntG[g][s];
    double kern = 0;
    int nk = 0;
    for (int i = 0; i < 6; i++) {
      if ((mask >> i & 1) == 0 || group[nb[i]] != s) continue;
      double z = 0, v = 0;
      for (int u : members[s]) {
        double e = Math.exp(-d2(nb[i], u) / (2 * sigma2));
        z += e;
        if (u == t) v = e;
      }
      kern += v / z;
      nk++;
    }
    if (nk > 0) c2[8] = kern / nk;
  }

  static int[][] members;
  static short[] code;
  static int dim;
  static double sigma2;

  static double d2(int a, int b) {
    double d = 0;
    for (int j = 0; j < dim; j++) {
      double x = code[a * dim + j] - code[b * dim + j];
      d += x * x;
    }
    return d;
  }

  static double[][] gsum;

  static int ctx(double[] c) {
    int m = 0;
    for (int j = 1; j < NC; j++) if (c[j] >= 0) m |= 1 << (j - 1);
    return m;
  }

  public static void main(String[] args) throws Exception {
    Path trainF = null, valF = null;
    int limit = Integer.MAX_VALUE;
    k = 4096;
    groups = 64;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--train" -> trainF = Path.of(args[i + 1]);
        case "--val" -> valF = Path.of(args[i + 1]);
        case "--k" -> k = Integer.parseInt(args[i + 1]);
        case "--groups" -> groups = Integer.parseInt(args[i + 1]);
        case "--limit" -> limit = Integer.parseInt(args[i + 1]);
        case "--sigma" -> sigmaScale = Double.parseDouble(args[i + 1]);
        case "--alpha" -> alpha = Double.parseDouble(args[i + 1]);
        default -> throw new IllegalArgumentException(args[i]);
      }
    }
    List<TokenCorpus.Entry> train = TokenCorpus.read(trainF);
    if (train.size() > limit) train = train.subList(0, limit);
    List<TokenCorpus.Entry> val = TokenCorpus.read(valF);
    ContextPrior prior = ModelRegistry.builtIn().defaultTokenizer().prior();
    ContextPrior.Level lv = prior.level(k);
    long t0 = System.nanoTime();
    group = TwoStageFit.kmeans(lv.codewords(), lv.dim(), k, groups);
    groupSize = new int[groups];
    for (int t = 0; t < k; t++) groupSize[group[t]]++;
    code = lv.codewords();
    dim = lv.dim();
    members = new int[groups][];
    for (int s = 0; s < groups; s++) members[s] = new int[groupSize[s]];
    int[] fill = new int[groups];
    for (int t = 0; t < k; t++) members[group[t]][fill[group[t]]++] = t;
    List<Double> dd = new ArrayList<>();
    for (int s = 0; s < groups; s++)
      for (int a = 0; a < members[s].length; a++)
        for (int b = 0; b < a; b++) dd.add(d2(members[s][a], members[s][b]));
    java.util.Collections.sort(dd);
    sigma2 = dd.get(dd.size() / 2) * sigmaScale;
    System.out.printf("sigma2 %.1f%n", sigma2);
    System.out.printf(
        "k-means %d groups: %.1f s, sizes %d..%d%n",
        groups,
        (System.nanoTime() - t0) / 1e9,
        Arrays.stream(groupSize).min().getAsInt(),
        Arrays.stream(groupSize).max().getAsInt());
    // phase 1: counts
    double[][] cg = new double[2][groups];
    double[][] ct = new double[2][k];
    double[][][][] tr = new double[3][6][groups][groups];
    walk(
        train,
        (pass, mask, nb, t, cntG, totG, cnt) -> {
          int g = pass == 0 ? 0 : 1;
          cg[g][group[t]]++;
          ct[g][t]++;
          for (int i = 0; i < 6; i++)
            if ((mask >> i & 1) != 0) tr[pass][i][group[nb[i]]][group[t]]++;
        },
        1);
    fg = new double[2][groups];
    ft = new double[2][k];
    gsum = new double[2][groups];
    for (int g = 0; g < 2; g++) {
      double tot = Arrays.stream(cg[g]).sum() + groups;
      for (int s = 0; s < groups; s++) fg[g][s] = (cg[g][s] + 1) / tot;
      for (int t = 0; t < k; t++) {
        ft[g][t] = ct[g][t] + 0.5;
        gsum[g][group[t]] += ft[g][t];
      }
    }
    trans = new double[3][6][groups][groups];
    for (int p = 0; p < 3; p++)
      for (int i = 0; i < 6; i++)
        for (int a = 0; a < groups; a++) {
          double row = Arrays.stream(tr[p][i][a]).sum();
          for (int s = 0; s < groups; s++)
            trans[p][i][a][s] = (tr[p][i][a][s] + alpha * fg[p == 0 ? 0 : 1][s]) / (row + alpha);
        }
    // phase 2: EM of mixture weights per (pass, presence)
    double[][][] w1 = new double[3][256][NC], w2 = new double[3][256][NC];
    double[][][] acc1 = new double[3][256][NC], acc2 = new double[3][256][NC];
    for (double[][][] w : List.of(w1, w2))
      for (double[][] a : w) for (double[] b : a) Arrays.fill(b, 1);
    List<float[]> samples = new ArrayList<>();
    List<LogLinear.Sample> ll = new ArrayList<>(), ll2 = new ArrayList<>();
    double[] c1 = new double[NC], c2 = new double[NC];
    walk(
        train,
        (pass, mask, nb, t, cntG, totG, cnt) -> {
          comps(pass, mask, nb, t, cntG, totG, cnt, c1, c2);
          float[] sm = new float[2 * NC + 1];
          for (int j = 0; j < NC; j++) {
            sm[j] = (float) c1[j];
            sm[NC + j] = (float) c2[j];
          }
          sm[2 * NC] = pass;
          samples.add(sm);
          ll.add(LogLinear.sample(pass, mask, nb, t, cntG, totG));
          if ((samples.size() & 3) == 0) ll2.add(LogLinear.sample2(pass, mask, nb, t, cnt));
        },
        1);
    System.out.printf("%d training tokens%n", samples.size());
    for (int it = 0; it < 25; it++) {
      for (double[][] a : acc1) for (double[] b : a) Arrays.fill(b, 0);
      for (double[][] a : acc2) for (double[] b : a) Arrays.fill(b, 0);
      double bits = 0;
      for (float[] sm : samples) {
        int p = (int) sm[2 * NC];
        bits += em(sm, 0, p, w1, acc1) + em(sm, NC, p, w2, acc2);
      }
      for (int p = 0; p < 3; p++)
        for (int m = 0; m < 256; m++) {
          for (int st = 0; st < 2; st++) {
            double[] a = st == 0 ? acc1[p][m] : acc2[p][m], w = st == 0 ? w1[p][m] : w2[p][m];
            double tot = 0;
            for (int j = 0; j < NC; j++) tot += a[j] + 1;
            for (int j = 0; j < NC; j++) w[j] = (a[j] + 1) / tot;
          }
        }
      if (it % 5 == 4 || it == 0)
        System.out.printf("EM %d: %.4f bits/token train%n", it, bits / samples.size());
    }
    samples.clear();
    LogLinear s1 = new LogLinear(), s2 = new LogLinear();
    s1.fit(ll);
    ll.clear();
    s2.fit(ll2);
    ll2.clear();
    double[] llBits = {0}, ll2Bits = {0};
    // phase 3: validation
    double[] bitsBy = new double[3];
    double[] stage1 = {0};
    long[] nBy = new long[3];
    walk(
        val,
        (pass, mask, nb, t, cntG, totG, cnt) -> {
          comps(pass, mask, nb, t, cntG, totG, cnt, c1, c2);
          double b1 = -log2(mix(c1, w1[pass][ctx(c1)]));
          double b2 = -log2(mix(c2, w2[pass][ctx(c2)]));
          bitsBy[pass] += b1 + b2;
          stage1[0] += b1;
          llBits[0] += s1.bits(LogLinear.sample(pass, mask, nb, t, cntG, totG));
          ll2Bits[0] += s2.bits(LogLinear.sample2(pass, mask, nb, t, cnt));
          nBy[pass]++;
        },
        2);
    // the released prior on the same grids and slices
    double[] refBy = new double[3];
    Random r = new Random(2);
    for (TokenCorpus.Entry e : val) {
      for (Object[] gm : PriorFit.grids(e, k, r)) {
        TokenGrid g = (TokenGrid) gm[0];
        for (int first = 0; first < g.cellsHigh(); first += sliceRows) {
          int rows = Math.min(sliceRows, g.cellsHigh() - first);
          int[] pass = {0};
          new SliceWalk() {
            @Override
            protected boolean flag(AdaptiveBinaryModel m, boolean isFine) {
              return isFine;
            }

            @Override
            protected int token(Cdf cdf, int value) {
              refBy[pass[0]] += -log2(cdf.freq(value) / (double) (1 << 24));
              return value;
            }

            @Override
            protected int token(int p, int mask, int[] nb, int ref, int value)
                throws io.vqcodec.entropy.EntropyDecodingException {
              pass[0] = p;
              return super.token(p, mask, nb, ref, value);
            }
          }.run(lv, SliceWalk.allComponents(), g, first, rows, (GranularityMode) gm[1]);
        }
      }
    }
    double lk = Math.log(k) / Math.log(2);
    for (int p = 0; p < 3; p++)
      System.out.printf(
          Locale.ROOT,
          "pass %d: %d tokens, group model %.4f bits (%.3f of uniform), released prior %.4f (%.3f)%n",
          p,
          nBy[p],
          bitsBy[p] / nBy[p],
          bitsBy[p] / nBy[p] / lk,
          refBy[p] / nBy[p],
          refBy[p] / nBy[p] / lk);
    double a = Arrays.stream(bitsBy).sum(), b = Arrays.stream(refBy).sum();
    long n = Arrays.stream(nBy).sum();
    System.out.printf(
        Locale.ROOT, "log-linear stage 1 %.4f bits, stage 2 %.4f%n", llBits[0] / n, ll2Bits[0] / n);
    System.out.printf(
        Locale.ROOT, "stage 1 %.4f bits, stage 2 %.4f%n", stage1[0] / n, (a - stage1[0]) / n);
    System.out.printf(
        Locale.ROOT,
        "all: group %.4f (%.3f), released %.4f (%.3f)%n",
        a / n,
        a / n / lk,
        b / n,
        b / n / lk);
  }

  static double em(float[] sm, int off, int p, double[][][] w, double[][][] acc) {
    double[] c = new double[NC];
    int m = 0;
    for (int j = 0; j < NC; j++) {
      c[j] = sm[off + j];
      if (j > 0 && c[j] >= 0) m |= 1 << (j - 1);
    }
    double[] ww = w[p][m];
    double tot = 0, z = 0;
    for (int j = 0; j < NC; j++) {
      if (c[j] < 0) continue;
      tot += ww[j] * c[j];
      z += ww[j];
    }
    for (int j = 0; j < NC; j++) {
      if (c[j] < 0) continue;
      acc[p][m][j] += ww[j] * c[j] / tot;
    }
    return -log2(tot / z);
  }

  static double mix(double[] c, double[] w) {
    double tot = 0, z = 0;
    for (int j = 0; j < NC; j++) {
      if (c[j] < 0) continue;
      tot += w[j] * c[j];
      z += w[j];
    }
    return Math.max(tot / z, 1e-9);
  }

  /** Stage 1 as a log-linear (product of experts) model, weights per (pass, presence). */
  static final class LogLinear {
    record Sample(int pass, int ctx, int s, float[][] f) {}

    static final int NF = 14;
    double[][][] lambda = new double[3][256][NF];

    /** Stage 2: the token within its group; features per member u of group s. */
    static Sample sample2(int pass, int mask, int[] nb, int t, int[][] cnt) {
      int g = pass == 0 ? 0 : 1;
      int s = group[t];
      int[] mem = members[s];
      int n = mem.length, idx = -1;
      float[][] f = new float[NF][];
      f[0] = new float[n];
      f[1] = new float[n];
      for (int q = 0; q < n; q++) {
        f[0][q] = (float) Math.log(ft[g][mem[q]] / gsum[g][s]);
        f[1][q] = (float) Math.log(cnt[g][mem[q]] + 1);
        if (mem[q] == t) idx = q;
      }
      int ctx = 0;
      for (int i = 0; i < 6; i++) {
        if ((mask >> i & 1) == 0 || group[nb[i]] != s) continue;
        ctx |= 1 << i;
        float[] r = new float[n], d = new float[n];
        for (int q = 0; q < n; q++) {
          r[q] = mem[q] == nb[i] ? 1 : 0;
          d[q] = (float) (-d2(nb[i], mem[q]) / sigma2);
        }
        f[2 + i] = r;
        f[8 + i] = d;
      }
      return new Sample(pass, ctx, idx, f);
    }

    static Sample sample(int pass, int mask, int[] nb, int t, int[][] cntG, int[] totG) {
      int g = pass == 0 ? 0 : 1;
      float[][] f = new float[NC][];
      f[0] = logs(fg[g]);
      int ctx = 0;
      for (int i = 0; i < 6; i++) {
        if ((mask >> i & 1) != 0) {
          f[1 + i] = logs(trans[pass][i][group[nb[i]]]);
          ctx |= 1 << i;
        }
      }
      if (totG[g] > 0) {
        float[] a = new float[groups];
        for (int s = 0; s < groups; s++)
          a[s] = (float) Math.log((cntG[g][s] + 2 * fg[g][s]) / (totG[g] + 2));
        f[7] = a;
        ctx |= 1 << 6;
      }
      return new Sample(pass, ctx, group[t], f);
    }

    static final java.util.Map<double[], float[]> cache = new java.util.IdentityHashMap<>();

    static synchronized float[] logs(double[] p) {
      return cache.computeIfAbsent(
          p,
          q -> {
            float[] r = new float[q.length];
            for (int i = 0; i < q.length; i++) r[i] = (float) Math.log(q[i]);
            return r;
          });
    }

    static double[] dist(Sample sm, double[] lam) {
      int n = sm.f[0].length;
      double[] z = new double[n];
      for (int j = 0; j < sm.f.length; j++) {
        float[] f = sm.f[j];
        if (f == null) continue;
        for (int s = 0; s < n; s++) z[s] += lam[j] * f[s];
      }
      double mx = Double.NEGATIVE_INFINITY;
      for (double v : z) mx = Math.max(mx, v);
      double tot = 0;
      for (int s = 0; s < n; s++) tot += z[s] = Math.exp(z[s] - mx);
      for (int s = 0; s < n; s++) z[s] /= tot;
      return z;
    }

    double bits(Sample sm) {
      return -log2(Math.max(1e-9, dist(sm, lambda[sm.pass][sm.ctx])[sm.s]));
    }

    void fit(List<Sample> data) {
      for (double[][] a : lambda) for (double[] b : a) Arrays.fill(b, 0.5);
      double[][][] m = new double[3][256][NF], v = new double[3][256][NF];
      int[][] count = new int[3][256];
      for (Sample sm : data) count[sm.pass][sm.ctx]++;
      for (int it = 1; it <= 50; it++) {
        double[][][] grad = new double[3][256][NF];
        double bits = 0;
        for (Sample sm : data) {
          double[] lam = lambda[sm.pass][sm.ctx];
          double[] p = dist(sm, lam);
          bits -= log2(Math.max(1e-12, p[sm.s]));
          for (int j = 0; j < sm.f.length; j++) {
            float[] f = sm.f[j];
            if (f == null) continue;
            double e = 0;
            for (int s = 0; s < p.length; s++) e += p[s] * f[s];
            grad[sm.pass][sm.ctx][j] += f[sm.s] - e;
          }
        }
        for (int p = 0; p < 3; p++)
          for (int c = 0; c < 256; c++) {
            if (count[p][c] == 0) continue;
            for (int j = 0; j < NF; j++) {
              double gr = grad[p][c][j] / count[p][c];
              m[p][c][j] = 0.9 * m[p][c][j] + 0.1 * gr;
              v[p][c][j] = 0.999 * v[p][c][j] + 0.001 * gr * gr;
              double mh = m[p][c][j] / (1 - Math.pow(0.9, it));
              double vh = v[p][c][j] / (1 - Math.pow(0.999, it));
              lambda[p][c][j] += 0.1 * mh / (Math.sqrt(vh) + 1e-8);
            }
          }
        if (it % 10 == 0) System.out.printf("log-linear %d: %.4f bits%n", it, bits / data.size());
      }
    }
  }

  static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
