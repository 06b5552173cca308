package io.vqcodec.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Nearest-code search and lookup for one codebook table of {@code size} x {@code dim} floats.
 *
 * <p>Search: argmin over {@code ||c||^2 - 2 z.c} (one matmul), lookup: a plain gather in Java (no
 * one-hot). Token order is raster order over (n, y, x).
 */
public final class Codebook {
  private final int size;
  private final int dim;
  private final float[] table;
  private final float[] bias; // added to each code's squared distance; null: none

  public Codebook(float[] table, int dim) {
    this(table, dim, null);
  }

  /**
   * A codebook whose search adds {@code bias[k]} to the squared distance of code k: with a code's
   * rate, {@code beta * -log2 p(k)}, the search is entropy-constrained (the nearest code in
   * distortion plus beta times bits); null searches by distance alone.
   */
  public Codebook(float[] table, int dim, float[] bias) {
    if (table.length % dim != 0)
      throw new IllegalArgumentException("table length not a multiple of dim");
    this.size = table.length / dim;
    this.dim = dim;
    this.table = table;
    if (bias != null && bias.length != size)
      throw new IllegalArgumentException(bias.length + " biases for " + size + " codes");
    this.bias = bias;
  }

  public int size() {
    return size;
  }

  public int dim() {
    return dim;
  }

  public float[] table() {
    return table;
  }

  /**
   * Indices of the nearest codes of z (N, dim, h, w), raster order (n, y, x); temporaries on {@code
   * m}. One matmul of {@code [z, 1]} with {@code [-2c, ||c||^2]} gives the distance up to {@code
   * ||z||^2}; rows go in chunks so the distance block stays cache-sized.
   */
  public int[] nearest(NDManager m, NDArray z) {
    NDArray rows = z.transpose(0, 2, 3, 1).reshape(-1, dim);
    int n = (int) rows.getShape().get(0);
    float[] aug = new float[(dim + 1) * size];
    for (int k = 0; k < size; k++) {
      double s = 0;
      for (int j = 0; j < dim; j++) {
        float c = table[k * dim + j];
        s += (double) c * c;
        aug[j * size + k] = -2f * c;
      }
      aug[dim * size + k] = (float) s + (bias == null ? 0f : bias[k]);
    }
    NDArray cb = m.create(aug, new Shape(dim + 1, size));
    NDArray zx = NDArrays.concat(new NDList(rows, m.ones(new Shape(n, 1))), 1);
    int[] out = new int[n];
    int chunk = Math.max(256, (1 << 20) / size);
    for (int r0 = 0; r0 < n; r0 += chunk) {
      int r1 = Math.min(n, r0 + chunk);
      try (NDManager t = m.newSubManager()) {
        NDArray part = zx.get(r0 + ":" + r1);
        part.attach(t);
        NDArray d = part.matMul(cb);
        long[] idx = d.argMin(1).toLongArray();
        for (int i = 0; i < idx.length; i++) out[r0 + i] = (int) idx[i];
      }
    }
    return out;
  }

  /** Code vectors of {@code idx} as (n, dim, h, w). */
  public NDArray lookup(NDManager m, int[] idx, int n, int h, int w) {
    if (idx.length != n * h * w) throw new IllegalArgumentException("index count mismatch");
    float[] v = new float[idx.length * dim];
    int hw = h * w;
    for (int b = 0; b < n; b++) {
      for (int p = 0; p < hw; p++) {
        int k = idx[b * hw + p];
        for (int j = 0; j < dim; j++) v[(b * dim + j) * hw + p] = table[k * dim + j];
      }
    }
    return m.create(v, new Shape(n, dim, h, w));
  }
}
