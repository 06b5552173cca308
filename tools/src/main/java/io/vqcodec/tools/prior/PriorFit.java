package io.vqcodec.tools.prior;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ContextPrior;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceWalk;
import io.vqcodec.tokens.TokenGrid;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Fits the context prior on a training token corpus ({@link TokenCorpus}) and writes the parameter
 * file of Spec §8.3.2.2. Floating point is used for fitting only; the file holds integers.
 *
 * <p>Per level: codewords quantized to int16 (a power-of-two scale, the largest with |q| <= 2047);
 * static frequencies = training counts + 1 per granularity; per component type a kernel table
 * {@code 65535 * (rho [i == 0] + (1 - rho) exp(-x_i / (2 sigma^2)))} with {@code (sigma, rho)}
 * picked from a grid by the likelihood of a two-component mixture (static + that type); spread
 * thresholds at the terciles of positive spreads; mixture weights per (mask, bucket) class by EM
 * with a Dirichlet prior (strength 30) centred on the pass-wide weights. Training grids per image:
 * all fine, all coarse and one mixed grid (per-cell Bernoulli(r), r ~ U[0, 1), {@code new
 * Random(K)}).
 *
 * <p>Usage: {@code PriorFit --train runs/tokens/train.tok --out FILE [--levels 4096,...]}.
 */
public final class PriorFit {
  static final int TLEN = 2048;
  static final double ALPHA = 30;
  static final double[] SIGMA2_FACTORS = {
    1.0 / 128, 1.0 / 64, 1.0 / 32, 1.0 / 16, 1.0 / 8, 1.0 / 4, 1.0 / 2, 1, 2
  };
  static final double[] RHOS = {0, 0.25, 0.5, 0.75, 0.9};

  private PriorFit() {}

  /** Context samples of one pass. */
  static final class Samples {
    int n;
    int[] mask = new int[1024];
    int[] nb = new int[6 * 1024];
    int[] t = new int[1024];
    int[] cnt = new int[1024];
    int[] tot = new int[1024];

    void add(int m, int[] nbs, int target, int c, int total) {
      if (n == t.length) {
        cnt = Arrays.copyOf(cnt, 2 * n);
        tot = Arrays.copyOf(tot, 2 * n);
        mask = Arrays.copyOf(mask, 2 * n);
        t = Arrays.copyOf(t, 2 * n);
        nb = Arrays.copyOf(nb, 12 * n);
      }
      mask[n] = m;
      t[n] = target;
      cnt[n] = c;
      tot[n] = total;
      System.arraycopy(nbs, 0, nb, 6 * n, 6);
      n++;
    }
  }

  /** Training grids of one entry at level k: all fine, all coarse, one mixed. */
  static List<Object[]> grids(TokenCorpus.Entry e, int k, Random r) {
    TokenGrid f = e.fine(k), c = e.coarse(k);
    double ratio = r.nextDouble();
    boolean[] fine = new boolean[f.cellsWide() * f.cellsHigh()];
    for (int i = 0; i < fine.length; i++) fine[i] = r.nextDouble() < ratio; // raster order of cells
    TokenGrid m = TokenGrid.mix(f, c, fine);
    List<Object[]> out = new ArrayList<>();
    out.add(new Object[] {f, GranularityMode.ALL_FINE});
    out.add(new Object[] {c, GranularityMode.ALL_COARSE});
    out.add(new Object[] {m, GranularityMode.MIXED});
    return out;
  }

  static Samples[] collect(List<TokenCorpus.Entry> train, int k, int[] enabled) {
    Samples[] s = {new Samples(), new Samples(), new Samples()};
    Random r = new Random(k);
    for (TokenCorpus.Entry e : train) {
      for (Object[] gm : grids(e, k, r)) {
        TokenGrid g = (TokenGrid) gm[0];
        int[][] counts = new int[2][k];
        int[] totals = new int[2];
        try {
          new SliceWalk() {
            @Override
            public boolean flag(io.vqcodec.entropy.AdaptiveBinaryModel m, boolean isFine) {
              return isFine;
            }

            @Override
            public int token(io.vqcodec.entropy.Cdf cdf, int value) {
              return value;
            }

            @Override
            public int token(int pass, int mask, int[] nb, int ref, int value) {
              int gi = pass == 0 ? 0 : 1;
              s[pass].add(mask, nb, value, counts[gi][value], totals[gi]);
              counts[gi][value]++;
              totals[gi]++;
              return value;
            }
          }.run(null, enabled, g.copy(), 0, g.cellsHigh(), (GranularityMode) gm[1]);
        } catch (io.vqcodec.entropy.EntropyDecodingException ex) {
          throw new IllegalStateException(ex);
        }
      }
    }
    return s;
  }

  /** Fits one level. */
  static ContextPrior.Level fitLevel(
      int k, float[] book, List<TokenCorpus.Entry> train, int[] enabled, PrintStream log) {
    return fitLevel(k, book, train, enabled, 0, log);
  }

  /** Ablation flags of {@link #fitLevel}: no predicted-mean component, no adaptive component. */
  static final int NO_MEAN = 1, NO_ADAPTIVE = 2;

  static ContextPrior.Level fitLevel(
      int k,
      float[] book,
      List<TokenCorpus.Entry> train,
      int[] enabled,
      int flags,
      PrintStream log) {
    int dim = book.length / k;
    float maxAbs = 0;
    for (float v : book) maxAbs = Math.max(maxAbs, Math.abs(v));
    int sc = 0;
    while (maxAbs * Math.pow(2, sc + 1) <= 2047) sc++;
    while (maxAbs * Math.pow(2, sc) > 2047) sc--;
    double scale = Math.pow(2, sc);
    short[] code = new short[k * dim];
    for (int i = 0; i < code.length; i++) code[i] = (short) Math.round(book[i] * scale);
    // distance scale: median of nonzero squared distances between codewords
    long[] d2s = new long[Math.min(200_000, k * (k - 1) / 2)];
    Random r = new Random(1);
    for (int i = 0; i < d2s.length; i++) {
      int a = r.nextInt(k), b = r.nextInt(k);
      d2s[i] = d2(code, dim, a, b);
    }
    Arrays.sort(d2s);
    long median = Math.max(1, d2s[d2s.length / 2]);
    int dshift = Math.max(0, 64 - Long.numberOfLeadingZeros(median) - 9);
    char[][] dm = new char[k][k];
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        long v = d2(code, dim, a, b);
        dm[a][b] = (char) (v == 0 ? 0 : Math.min(TLEN - 1, 1 + (v >> dshift)));
      }
    }
    Samples[] smp = collect(train, k, enabled);
    long[][] freq = new long[2][k];
    for (long[] f : freq) Arrays.fill(f, 1);
    for (TokenCorpus.Entry e : train) {
      TokenGrid c = e.coarse(k), f = e.fine(k);
      for (int cy = 0; cy < c.cellsHigh(); cy++) {
        for (int cx = 0; cx < c.cellsWide(); cx++) freq[0][c.coarseToken(cx, cy)]++;
      }
      for (int fy = 0; fy < f.fineHigh(); fy++) {
        for (int fx = 0; fx < f.fineWide(); fx++) freq[1][f.fineToken(fx, fy)]++;
      }
    }
    double[][] pbg = new double[2][k];
    for (int g = 0; g < 2; g++) {
      double s = Arrays.stream(freq[g]).sum();
      for (int t = 0; t < k; t++) pbg[g][t] = freq[g][t] / s;
    }
    // candidate kernel tables and their normalisers
    int nc = SIGMA2_FACTORS.length * RHOS.length;
    int[][] cand = new int[nc][TLEN];
    for (int si = 0; si < SIGMA2_FACTORS.length; si++) {
      double s2 = SIGMA2_FACTORS[si] * median;
      for (int ri = 0; ri < RHOS.length; ri++) {
        int[] tb = cand[si * RHOS.length + ri];
        for (int i = 0; i < TLEN; i++) {
          double x = i == 0 ? 0 : (i - 0.5) * Math.pow(2, dshift);
          double v = RHOS[ri] * (i == 0 ? 1 : 0) + (1 - RHOS[ri]) * Math.exp(-x / (2 * s2));
          tb[i] = (int) Math.round(65535 * v);
        }
        tb[0] = 65535;
      }
    }
    double[][] z = new double[nc][k];
    for (int c = 0; c < nc; c++) {
      int[] tb = cand[c];
      for (int u = 0; u < k; u++) {
        long acc = 0;
        char[] row = dm[u];
        for (int t = 0; t < k; t++) acc += tb[row[t]];
        z[c][u] = acc;
      }
    }
    int[][] table = new int[ContextPrior.TABLES][];
    int[][] thr = new int[3][];
    int[][] weights = new int[3][];
    short[][] beta = new short[3][];
    for (int p = 0; p < 3; p++) {
      Samples s = subsample(smp[p], (long) 3e9 / ((long) k * dim));
      int g = p == 0 ? 0 : 1;
      int nt = ContextPrior.TYPES[p];
      int[] chosen = new int[nt];
      for (int i = 0; i < nt; i++) {
        chosen[i] = pickKernel(s, i, cand, z, dm, pbg[g]);
        table[ContextPrior.TYPE_BASE[p] + i] = cand[chosen[i]];
      }
      beta[p] = fitBeta(s, nt, code, dim);
      int meanChoice = pickMeanKernel(s, nt, beta[p], code, dim, k, dshift, cand, pbg[g]);
      table[ContextPrior.MEAN_TABLE + p] = cand[meanChoice];
      // spread thresholds
      int[] spread = new int[s.n];
      int[] pos = new int[s.n];
      int np = 0;
      for (int n = 0; n < s.n; n++) {
        spread[n] = spread(s, n, nt, dm);
        if (spread[n] > 0) pos[np++] = spread[n];
      }
      int[] sorted = Arrays.copyOf(pos, np);
      Arrays.sort(sorted);
      int t1 = np == 0 ? 1 : Math.max(1, sorted[np / 3]);
      int t2 = np == 0 ? 2 : Math.max(t1 + 1, sorted[2 * np / 3]);
      thr[p] = new int[] {t1, t2};
      int nb = 4;
      int nj = nt + 3;
      // component likelihoods
      float[] lik = new float[s.n * nj];
      int[] cls = new int[s.n];
      for (int n = 0; n < s.n; n++) {
        int t = s.t[n], m = s.mask[n];
        lik[n * nj] = (float) pbg[g][t];
        for (int i = 0; i < nt; i++) {
          if ((m >> i & 1) == 0) continue;
          int u = s.nb[6 * n + i];
          lik[n * nj + 1 + i] = (float) (cand[chosen[i]][dm[u][t]] / z[chosen[i]][u]);
        }
        if (s.tot[n] > 0 && (flags & NO_ADAPTIVE) == 0)
          lik[n * nj + nt + 2] = (float) ((double) s.cnt[n] / s.tot[n]);
        if (m != 0 && (flags & NO_MEAN) == 0)
          lik[n * nj + nt + 1] =
              (float) meanLik(s, n, nt, beta[p], code, dim, k, dshift, cand[meanChoice]);
        int b = spread[n] == 0 ? 0 : 1 + (spread[n] >= t1 ? 1 : 0) + (spread[n] >= t2 ? 1 : 0);
        cls[n] = m * nb + b;
      }
      int ncls = (1 << nt) * nb;
      // pass-wide weights, then per class with a Dirichlet prior centred on them
      double[] glob = new double[nj];
      Arrays.fill(glob, 1.0 / nj);
      double[] acc = new double[nj];
      for (int it = 0; it < 15; it++) {
        Arrays.fill(acc, 0);
        for (int n = 0; n < s.n; n++) {
          int m = s.mask[n];
          double tot = glob[0] * lik[n * nj];
          for (int i = 0; i <= nt + 1; i++) tot += glob[1 + i] * lik[n * nj + 1 + i];
          acc[0] += glob[0] * lik[n * nj] / tot;
          for (int i = 0; i <= nt + 1; i++) acc[1 + i] += glob[1 + i] * lik[n * nj + 1 + i] / tot;
        }
        double sum = Arrays.stream(acc).sum();
        for (int j = 0; j < nj; j++) glob[j] = Math.max(1e-6, acc[j] / sum);
      }
      double[][] pi = new double[ncls][nj];
      for (int c = 0; c < ncls; c++) pi[c] = prior(glob, c / nb, nt);
      double[][] cacc = new double[ncls][nj];
      double ll = 0;
      for (int it = 0; it < 15; it++) {
        for (double[] a : cacc) Arrays.fill(a, 0);
        ll = 0;
        for (int n = 0; n < s.n; n++) {
          double[] w = pi[cls[n]];
          double tot = 0;
          for (int j = 0; j < nj; j++) tot += w[j] * lik[n * nj + j];
          ll += Math.log(tot);
          double[] a = cacc[cls[n]];
          for (int j = 0; j < nj; j++) a[j] += w[j] * lik[n * nj + j] / tot;
        }
        for (int c = 0; c < ncls; c++) {
          double[] pr = prior(glob, c / nb, nt);
          double sum = 0;
          for (int j = 0; j < nj; j++) sum += cacc[c][j] + ALPHA * pr[j];
          for (int j = 0; j < nj; j++) pi[c][j] = (cacc[c][j] + ALPHA * pr[j]) / sum;
        }
      }
      weights[p] = new int[ncls * nj];
      for (int c = 0; c < ncls; c++) {
        int mask = c / nb;
        for (int j = 0; j < nj; j++) {
          boolean avail = j == 0 || avail(mask, j - 1, nt);
          int v = avail ? (int) Math.round(pi[c][j] * 65535) : 0;
          if (j == 0) v = Math.max(1, v);
          weights[p][c * nj + j] = Math.min(65535, v);
        }
      }
      if (log != null) {
        log.printf(
            Locale.ROOT,
            "K=%d pass %d: %d samples, train cross-entropy %.4f bits (float model), kernels %s%n",
            k,
            p,
            s.n,
            s.n == 0 ? 0 : -ll / s.n / Math.log(2),
            Arrays.toString(chosen));
      }
    }
    return new ContextPrior.Level(k, dim, dshift, TLEN, code, freq, table, thr, beta, weights);
  }

  /** Component i (a neighbour type below nt, or the mean at nt) exists under this mask. */
  private static boolean avail(int mask, int i, int nt) {
    return i < nt ? (mask >> i & 1) != 0 : i == nt ? mask != 0 : true;
  }

  /** Every stride-th sample, at most about {@code cap}. */
  static Samples subsample(Samples s, long cap) {
    if (s.n <= cap) return s;
    int stride = (int) ((s.n + cap - 1) / cap);
    Samples o = new Samples();
    int[] nb = new int[6];
    for (int n = 0; n < s.n; n += stride) {
      System.arraycopy(s.nb, 6 * n, nb, 0, 6);
      o.add(s.mask[n], nb, s.t[n], s.cnt[n], s.tot[n]);
    }
    return o;
  }

  /** Least-squares mean coefficients per mask (ridge 1e-3 of the trace), Q12. */
  static short[] fitBeta(Samples s, int nt, short[] code, int dim) {
    int masks = 1 << nt;
    double[][][] gm = new double[masks][nt][nt];
    double[][] bv = new double[masks][nt];
    int[] cnt = new int[masks];
    for (int n = 0; n < s.n; n++) {
      int m = s.mask[n], t = s.t[n];
      cnt[m]++;
      for (int i = 0; i < nt; i++) {
        if ((m >> i & 1) == 0) continue;
        int ui = s.nb[6 * n + i];
        bv[m][i] += dot(code, dim, ui, t);
        for (int j = 0; j <= i; j++) {
          if ((m >> j & 1) == 0) continue;
          gm[m][i][j] += dot(code, dim, ui, s.nb[6 * n + j]);
        }
      }
    }
    short[] beta = new short[masks * nt];
    for (int m = 1; m < masks; m++) {
      int[] idx = new int[Integer.bitCount(m)];
      int q = 0;
      for (int i = 0; i < nt; i++) if ((m >> i & 1) != 0) idx[q++] = i;
      double[] sol;
      if (cnt[m] < 50) {
        sol = new double[q];
        Arrays.fill(sol, 1.0 / q);
      } else {
        double[][] a = new double[q][q + 1];
        double tr = 0;
        for (int i = 0; i < q; i++) tr += gm[m][idx[i]][idx[i]];
        for (int i = 0; i < q; i++) {
          for (int j = 0; j < q; j++) {
            int x = Math.max(idx[i], idx[j]), y = Math.min(idx[i], idx[j]);
            a[i][j] = gm[m][x][y] + (i == j ? 1e-3 * tr / q : 0);
          }
          a[i][q] = bv[m][idx[i]];
        }
        sol = solve(a);
      }
      for (int i = 0; i < q; i++) {
        long v = Math.round(sol[i] * (1 << ContextPrior.BETA_BITS));
        beta[m * nt + idx[i]] = (short) Math.max(-32768, Math.min(32767, v));
      }
    }
    return beta;
  }

  private static double dot(short[] code, int dim, int a, int b) {
    double s = 0;
    for (int j = 0; j < dim; j++) s += (double) code[a * dim + j] * code[b * dim + j];
    return s;
  }

  private static double[] solve(double[][] a) {
    int n = a.length;
    for (int c = 0; c < n; c++) {
      int piv = c;
      for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
      double[] tmp = a[c];
      a[c] = a[piv];
      a[piv] = tmp;
      for (int r = 0; r < n; r++) {
        if (r == c || a[c][c] == 0) continue;
        double f = a[r][c] / a[c][c];
        for (int j = c; j <= n; j++) a[r][j] -= f * a[c][j];
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) x[i] = a[i][i] == 0 ? 0 : a[i][n] / a[i][i];
    return x;
  }

  /** The predicted mean of sample n, exactly as the coder computes it (Spec §8.3.2.5). */
  private static long[] mean(Samples s, int n, int nt, short[] beta, short[] code, int dim) {
    int m = s.mask[n];
    long[] mu = new long[dim];
    for (int j = 0; j < dim; j++) {
      long acc = 0;
      for (int i = 0; i < nt; i++) {
        if ((m >> i & 1) != 0) acc += (long) beta[m * nt + i] * code[s.nb[6 * n + i] * dim + j];
      }
      mu[j] =
          Math.max(
              -2048,
              Math.min(
                  2047, (acc + (1L << (ContextPrior.BETA_BITS - 1))) >> ContextPrior.BETA_BITS));
    }
    return mu;
  }

  private static int didx(long v, int dshift) {
    return v == 0 ? 0 : (int) Math.min(TLEN - 1, 1 + (v >> dshift));
  }

  /** Histogram of didx(mean, c_t) over the codebook; the target's index in slot TLEN. */
  private static int[] meanHist(
      Samples s, int n, int nt, short[] beta, short[] code, int dim, int k, int dshift) {
    long[] mu = mean(s, n, nt, beta, code, dim);
    int[] h = new int[TLEN + 1];
    for (int t = 0; t < k; t++) {
      long v = 0;
      for (int j = 0; j < dim; j++) {
        long e = mu[j] - code[t * dim + j];
        v += e * e;
      }
      int d = didx(v, dshift);
      h[d]++;
      if (t == s.t[n]) h[TLEN] = d;
    }
    return h;
  }

  private static double meanLik(
      Samples s, int n, int nt, short[] beta, short[] code, int dim, int k, int dshift, int[] tb) {
    int[] h = meanHist(s, n, nt, beta, code, dim, k, dshift);
    double z = 0;
    for (int i = 0; i < TLEN; i++) z += (double) h[i] * tb[i];
    return z == 0 ? 0 : tb[h[TLEN]] / z;
  }

  private static int pickMeanKernel(
      Samples s,
      int nt,
      short[] beta,
      short[] code,
      int dim,
      int k,
      int dshift,
      int[][] cand,
      double[] pbg) {
    List<int[]> hs = new ArrayList<>();
    List<Integer> ts = new ArrayList<>();
    int withCtx = 0;
    for (int n = 0; n < s.n; n++) if (s.mask[n] != 0) withCtx++;
    int stride = Math.max(1, withCtx / 4000);
    int q = 0;
    for (int n = 0; n < s.n; n++) {
      if (s.mask[n] == 0) continue;
      if (q++ % stride == 0) {
        hs.add(meanHist(s, n, nt, beta, code, dim, k, dshift));
        ts.add(s.t[n]);
      }
    }
    if (hs.size() < 50) return 0;
    int best = 0;
    double bestLl = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < cand.length; c++) {
      int[] tb = cand[c];
      double[] pk = new double[hs.size()];
      for (int i = 0; i < pk.length; i++) {
        int[] h = hs.get(i);
        double z = 0;
        for (int d = 0; d < TLEN; d++) z += (double) h[d] * tb[d];
        pk[i] = z == 0 ? 0 : tb[h[TLEN]] / z;
      }
      double w = 0.5, ll = 0;
      for (int it = 0; it < 8; it++) {
        double acc = 0;
        ll = 0;
        for (int i = 0; i < pk.length; i++) {
          double pb = pbg[ts.get(i)];
          double tot = w * pk[i] + (1 - w) * pb;
          acc += w * pk[i] / tot;
          ll += Math.log(tot);
        }
        w = Math.min(0.999, Math.max(0.001, acc / pk.length));
      }
      if (ll > bestLl) {
        bestLl = ll;
        best = c;
      }
    }
    return best;
  }

  /** Pass-wide weights restricted to the types a mask makes available, renormalised. */
  private static double[] prior(double[] glob, int mask, int nt) {
    double[] p = new double[glob.length];
    double s = 0;
    for (int j = 0; j < glob.length; j++) {
      if (j == 0 || avail(mask, j - 1, nt)) {
        p[j] = glob[j];
        s += p[j];
      }
    }
    for (int j = 0; j < p.length; j++) p[j] /= s;
    return p;
  }

  private static int spread(Samples s, int n, int nt, char[][] dm) {
    int m = s.mask[n], sp = 0;
    for (int i = 0; i < nt; i++) {
      if ((m >> i & 1) == 0) continue;
      for (int j = 0; j < i; j++) {
        if ((m >> j & 1) != 0) sp = Math.max(sp, dm[s.nb[6 * n + j]][s.nb[6 * n + i]]);
      }
    }
    return sp;
  }

  /** The candidate kernel that maximises a two-component (static + type i) mixture likelihood. */
  private static int pickKernel(
      Samples s, int i, int[][] cand, double[][] z, char[][] dm, double[] pbg) {
    int[] idx = new int[Math.min(s.n, 1 << 20)];
    int n = 0;
    for (int q = 0; q < s.n && n < idx.length; q++) {
      if ((s.mask[q] >> i & 1) != 0) idx[n++] = q;
    }
    if (n < 100) return 0;
    int stride = Math.max(1, n / 100_000);
    int best = 0;
    double bestLl = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < cand.length; c++) {
      double w = 0.5, ll = 0;
      for (int it = 0; it < 8; it++) {
        double acc = 0;
        ll = 0;
        int cnt = 0;
        for (int q = 0; q < n; q += stride) {
          int sIdx = idx[q];
          int u = s.nb[6 * sIdx + i], t = s.t[sIdx];
          double pk = cand[c][dm[u][t]] / z[c][u], pb = pbg[t];
          double tot = w * pk + (1 - w) * pb;
          acc += w * pk / tot;
          ll += Math.log(tot);
          cnt++;
        }
        w = Math.min(0.999, Math.max(0.001, acc / cnt));
      }
      if (ll > bestLl) {
        bestLl = ll;
        best = c;
      }
    }
    return best;
  }

  private static long d2(short[] code, int dim, int a, int b) {
    long s = 0;
    for (int j = 0; j < dim; j++) {
      int e = code[a * dim + j] - code[b * dim + j];
      s += (long) e * e;
    }
    return s;
  }

  /**
   * Fits every level with the given enabled component types; codebooks from the default tokenizer.
   */
  static ContextPrior fit(
      List<TokenCorpus.Entry> train,
      int[] ks,
      float[][] books,
      int[] enabled,
      int flags,
      PrintStream log)
      throws IOException {
    ContextPrior.Level[] lv = new ContextPrior.Level[ks.length];
    for (int i = 0; i < ks.length; i++)
      lv[i] = fitLevel(ks[i], books[i], train, enabled, flags, log);
    return ContextPrior.load(new java.io.ByteArrayInputStream(ContextPrior.serialize(lv)));
  }

  /** The default tokenizer's codebooks at levels {@code ks}. */
  static float[][] codebooks(int[] ks) throws IOException {
    try (Tokenizer tok = Tokenizer.loadDefault()) {
      return codebooks(tok, ks);
    }
  }

  static float[][] codebooks(Tokenizer tok, int[] ks) {
    float[][] b = new float[ks.length][];
    for (int i = 0; i < ks.length; i++) b[i] = tok.codebookTable(ks[i]);
    return b;
  }

  /**
   * Fits the prior of {@code tok}'s levels {@code ks} on a token corpus made with the same
   * tokenizer ({@link TokenCorpus}) and returns its parameter file (Spec §8.3.2.2), validated by
   * loading it.
   */
  public static byte[] fitFile(
      Tokenizer tok, int[] ks, List<TokenCorpus.Entry> train, PrintStream log) throws IOException {
    float[][] books = codebooks(tok, ks);
    ContextPrior.Level[] lv = new ContextPrior.Level[ks.length];
    for (int i = 0; i < ks.length; i++)
      lv[i] = fitLevel(ks[i], books[i], train, SliceWalk.allComponents(), log);
    byte[] bytes = ContextPrior.serialize(lv);
    ContextPrior.load(new java.io.ByteArrayInputStream(bytes)); // validates
    return bytes;
  }

  public static void main(String[] args) throws Exception {
    String train = "runs/tokens/train.tok",
        out = null,
        levels = "4096,1024,256,64,16",
        model = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--train" -> train = args[i + 1];
        case "--out" -> out = args[i + 1];
        case "--levels" -> levels = args[i + 1];
        case "--model" -> model = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (out == null) throw new IllegalArgumentException("--out FILE required");
    int[] ks = Arrays.stream(levels.split(",")).mapToInt(Integer::parseInt).toArray();
    List<TokenCorpus.Entry> tr = TokenCorpus.read(Paths.get(train));
    long t0 = System.nanoTime();
    byte[] bytes;
    try (Tokenizer tok =
        model == null
            ? Tokenizer.loadDefault()
            : Tokenizer.open(ModelRegistry.loadFolder(Paths.get(model)))) {
      bytes = fitFile(tok, ks, tr, System.out);
    }
    Path p = Paths.get(out);
    if (p.getParent() != null) Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    System.out.printf(
        Locale.ROOT,
        "%d images, %s: %d bytes, sha256 %s, %.0f s%n",
        tr.size(),
        p,
        bytes.length,
        HexFormat.of().formatHex(ModelPackage.sha256(bytes)),
        (System.nanoTime() - t0) / 1e9);
  }
}
