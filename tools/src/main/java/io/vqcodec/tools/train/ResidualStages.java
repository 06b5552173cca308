package io.vqcodec.tools.train;

import io.vqcodec.neural.Codebook;
import io.vqcodec.neural.TensorFile.Tensor;
import java.util.Map;
import java.util.Random;

/**
 * Extra VQ stages on the fine tokens. Residual stages (tok-v2): stage 1 is the shared tok-v1
 * codebook; stage s = 2, 3, ... quantizes what is left, {@code z - (c_1 + ... + c_(s-1))}, with its
 * own codebook of {@code size} x {@code dim}, and the decoder is fed the sum of the coded stages.
 * Product stages (tok-v3 candidates, {@link io.vqcodec.neural.TokNetConfig#groups} &gt; 1): a fine
 * row holds one group of {@code dim} values per stage, stage s quantizes group s, and the decoder
 * is fed the groups side by side. Each stage codebook is trained like stage 1: EMA updates (decay
 * 0.99, Laplace-smoothed counts), k-means init from residuals, dead codes re-seeded from current
 * residuals.
 *
 * <p>Rows are raster-ordered vectors of {@code dim} floats (as {@link Codebook#nearest} orders
 * them). The nearest search is passed in so training uses the PyTorch matmul and tests a plain
 * loop.
 *
 * <p>Checkpoint tensors: {@code vq.s<s>.codebook}, {@code .ema_count}, {@code .ema_sum}, {@code
 * .last_used} for s = 2 .. stages.
 */
final class ResidualStages {
  /** Nearest code of every row of {@code rows} in {@code book}. */
  interface Nearest {
    int[] apply(Codebook book, float[] rows);
  }

  /**
   * What {@link #quantize} chose: per extra stage (index 0 = stage 2) its indices, code rows and
   * the residual it coded.
   */
  record Coded(int[][] idx, float[][] codes, float[][] residual) {}

  final int stages;
  final int size;
  final int dim;

  /** Product stages: stage s codes group s of a fine row of {@code stages * dim} values. */
  final boolean product;

  final float[][] cb;
  final float[][] emaCount;
  final float[][] emaSum;
  final int[][] lastUsed;
  boolean ready;
  private final float decay = 0.99f;

  /** {@code stages} counts stage 1: 2 = one extra codebook. */
  ResidualStages(int stages, int size, int dim) {
    this(stages, size, dim, false);
  }

  ResidualStages(int stages, int size, int dim, boolean product) {
    if (stages < 2) throw new IllegalArgumentException("residual stages need stages >= 2");
    this.stages = stages;
    this.size = size;
    this.dim = dim;
    this.product = product;
    int e = stages - 1;
    cb = new float[e][size * dim];
    emaCount = new float[e][size];
    emaSum = new float[e][size * dim];
    lastUsed = new int[e][size];
  }

  int extra() {
    return stages - 1;
  }

  Codebook book(int e) {
    return new Codebook(cb[e], dim);
  }

  /**
   * Codes every extra stage of rows {@code z} given the stage-1 code rows {@code q1} (residual
   * stages), or of product rows {@code z} ({@code q1} unused).
   */
  Coded quantize(float[] z, float[] q1, Nearest nn) {
    int e = extra();
    int[][] idx = new int[e][];
    float[][] codes = new float[e][];
    float[][] res = new float[e][];
    if (product) {
      for (int s = 0; s < e; s++) {
        res[s] = group(z, s + 2);
        idx[s] = nn.apply(book(s), res[s]);
        codes[s] = gather(cb[s], idx[s], dim);
      }
      return new Coded(idx, codes, res);
    }
    float[] r = new float[z.length];
    for (int i = 0; i < z.length; i++) r[i] = z[i] - q1[i];
    for (int s = 0; s < e; s++) {
      res[s] = r.clone();
      idx[s] = nn.apply(book(s), r);
      codes[s] = gather(cb[s], idx[s], dim);
      float[] next = new float[r.length];
      for (int i = 0; i < r.length; i++) next[i] = r[i] - codes[s][i];
      r = next;
    }
    return new Coded(idx, codes, res);
  }

  /** Group {@code g} (1-based) of product rows of {@code stages * dim} values. */
  float[] group(float[] z, int g) {
    int w = stages * dim, n = z.length / w;
    float[] out = new float[n * dim];
    for (int i = 0; i < n; i++) System.arraycopy(z, i * w + (g - 1) * dim, out, i * dim, dim);
    return out;
  }

  static float[] gather(float[] table, int[] idx, int dim) {
    float[] out = new float[idx.length * dim];
    for (int i = 0; i < idx.length; i++) System.arraycopy(table, idx[i] * dim, out, i * dim, dim);
    return out;
  }

  /**
   * k-means (8 Lloyd iterations) of each stage's residuals in turn, from sample rows z and their
   * stage-1 codes q1.
   */
  void init(float[] z, float[] q1, Nearest nn, Random rnd, int step) {
    int n = q1.length / dim;
    float[] r = new float[q1.length];
    if (!product) for (int i = 0; i < r.length; i++) r[i] = z[i] - q1[i];
    for (int s = 0; s < extra(); s++) {
      if (product) r = group(z, s + 2);
      float[] c = cb[s];
      for (int k = 0; k < size; k++) {
        System.arraycopy(r, rnd.nextInt(n) * dim, c, k * dim, dim);
        for (int j = 0; j < dim; j++) c[k * dim + j] += (float) (rnd.nextGaussian() * 1e-4);
      }
      for (int it = 0; it < 8; it++) {
        int[] idx = nn.apply(new Codebook(c, dim), r);
        double[] sum = new double[size * dim];
        int[] cnt = new int[size];
        for (int i = 0; i < n; i++) {
          cnt[idx[i]]++;
          for (int j = 0; j < dim; j++) sum[idx[i] * dim + j] += r[i * dim + j];
        }
        for (int k = 0; k < size; k++) {
          if (cnt[k] > 0) {
            for (int j = 0; j < dim; j++) c[k * dim + j] = (float) (sum[k * dim + j] / cnt[k]);
          } else {
            System.arraycopy(r, rnd.nextInt(n) * dim, c, k * dim, dim);
          }
        }
      }
      for (int k = 0; k < size; k++) {
        emaCount[s][k] = 1f;
        System.arraycopy(c, k * dim, emaSum[s], k * dim, dim);
        lastUsed[s][k] = step;
      }
      if (product) continue; // the next stage codes its own group, not what this one left
      int[] idx = nn.apply(new Codebook(c, dim), r);
      float[] q = gather(c, idx, dim);
      for (int i = 0; i < r.length; i++) r[i] -= q[i];
    }
    ready = true;
  }

  /** EMA update of every extra stage from what {@link #quantize} coded; marks used codes. */
  void emaUpdate(Coded coded, int step) {
    for (int s = 0; s < extra(); s++) {
      float[] cnt = new float[size];
      float[] sum = new float[size * dim];
      int[] idx = coded.idx()[s];
      float[] rows = coded.residual()[s];
      for (int i = 0; i < idx.length; i++) {
        int k = idx[i];
        cnt[k]++;
        lastUsed[s][k] = step;
        for (int j = 0; j < dim; j++) sum[k * dim + j] += rows[i * dim + j];
      }
      double total = 0;
      for (int k = 0; k < size; k++) {
        emaCount[s][k] = decay * emaCount[s][k] + (1 - decay) * cnt[k];
        total += emaCount[s][k];
        for (int j = 0; j < dim; j++) {
          emaSum[s][k * dim + j] = decay * emaSum[s][k * dim + j] + (1 - decay) * sum[k * dim + j];
        }
      }
      double eps = 1e-5;
      for (int k = 0; k < size; k++) {
        double c = (emaCount[s][k] + eps) / (total + size * eps) * total;
        for (int j = 0; j < dim; j++) cb[s][k * dim + j] = (float) (emaSum[s][k * dim + j] / c);
      }
    }
  }

  /**
   * Re-seeds codes unused for {@code deadAfter} steps from random residuals of their stage; returns
   * how many.
   */
  int reseed(Coded coded, int step, int deadAfter, Random rnd) {
    int r = 0;
    for (int s = 0; s < extra(); s++) {
      float[] rows = coded.residual()[s];
      int n = rows.length / dim;
      double mean = 0;
      for (float c : emaCount[s]) mean += c;
      mean /= size;
      for (int k = 0; k < size; k++) {
        if (step - lastUsed[s][k] < deadAfter) continue;
        int off = rnd.nextInt(n) * dim;
        for (int j = 0; j < dim; j++) {
          cb[s][k * dim + j] = rows[off + j] + (float) (rnd.nextGaussian() * 1e-4);
          emaSum[s][k * dim + j] = (float) (cb[s][k * dim + j] * mean);
        }
        emaCount[s][k] = (float) mean;
        lastUsed[s][k] = step;
        r++;
      }
    }
    return r;
  }

  void put(Map<String, Tensor> t) {
    for (int s = 0; s < extra(); s++) {
      String p = "vq.s" + (s + 2) + ".";
      t.put(p + "codebook", new Tensor(new long[] {size, dim}, cb[s].clone()));
      t.put(p + "ema_count", new Tensor(new long[] {size}, emaCount[s].clone()));
      t.put(p + "ema_sum", new Tensor(new long[] {size, dim}, emaSum[s].clone()));
      float[] lu = new float[size];
      for (int k = 0; k < size; k++) lu[k] = lastUsed[s][k];
      t.put(p + "last_used", new Tensor(new long[] {size}, lu));
    }
  }

  /**
   * Loads the stages a checkpoint holds; a checkpoint without them (tok-v1) or with fewer leaves
   * {@link #ready} false so the trainer initialises them by k-means. A stage codebook of another
   * shape is an error.
   */
  void load(Map<String, Tensor> t) {
    boolean all = true;
    for (int s = 0; s < extra(); s++) {
      Tensor c = t.get("vq.s" + (s + 2) + ".codebook");
      if (c == null) {
        all = false;
        continue;
      }
      if (c.dims()[0] != size || c.dims()[1] != dim) {
        throw new IllegalArgumentException(
            "stage "
                + (s + 2)
                + " codebook is "
                + c.dims()[0]
                + "x"
                + c.dims()[1]
                + ", expected "
                + size
                + "x"
                + dim);
      }
      String p = "vq.s" + (s + 2) + ".";
      System.arraycopy(c.data(), 0, cb[s], 0, size * dim);
      System.arraycopy(t.get(p + "ema_count").data(), 0, emaCount[s], 0, size);
      System.arraycopy(t.get(p + "ema_sum").data(), 0, emaSum[s], 0, size * dim);
      float[] lu = t.get(p + "last_used").data();
      for (int k = 0; k < size; k++) lastUsed[s][k] = (int) lu[k];
    }
    ready = all;
  }

  /** Plain nearest search (ties to the lower index), for tests and small inputs. */
  static int[] bruteNearest(Codebook book, float[] rows) {
    int d = book.dim(), n = rows.length / d, k = book.size();
    float[] t = book.table();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      double best = Double.MAX_VALUE;
      for (int c = 0; c < k; c++) {
        double s = 0;
        for (int j = 0; j < d; j++) {
          double x = rows[i * d + j] - t[c * d + j];
          s += x * x;
        }
        if (s < best) {
          best = s;
          out[i] = c;
        }
      }
    }
    return out;
  }
}
