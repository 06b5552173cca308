package io.vqcodec.models;

import ai.djl.ndarray.NDArray;
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

  public Codebook(float[] table, int dim) {
    if (table.length % dim != 0) throw new IllegalArgumentException("table length not a multiple of dim");
    this.size = table.length / dim;
    this.dim = dim;
    this.table = table;
  }

  public int size() { return size; }
  public int dim() { return dim; }
  public float[] table() { return table; }

  /** Indices of the nearest codes of z (N, dim, h, w), raster order (n, y, x); arrays on {@code m}. */
  public int[] nearest(NDManager m, NDArray z) {
    NDArray rows = z.transpose(0, 2, 3, 1).reshape(-1, dim);
    float[] norms = new float[size];
    for (int k = 0; k < size; k++) {
      double s = 0;
      for (int j = 0; j < dim; j++) s += (double) table[k * dim + j] * table[k * dim + j];
      norms[k] = (float) s;
    }
    NDArray cbT = m.create(table, new Shape(size, dim)).transpose();
    NDArray nrm = m.create(norms, new Shape(1, size));
    long[] idx = rows.matMul(cbT).mul(-2f).add(nrm).argMin(1).toLongArray();
    int[] out = new int[idx.length];
    for (int i = 0; i < idx.length; i++) out[i] = (int) idx[i];
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
