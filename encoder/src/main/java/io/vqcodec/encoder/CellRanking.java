package io.vqcodec.encoder;

import io.vqcodec.tokens.TokenGrid;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Orders the cells of a picture from the one that most deserves fine tokens to the one that least
 * does; the first n of the order are the fine cells of an n-fine-cell encoding. Ties keep raster
 * order, so the ranking is deterministic.
 */
final class CellRanking {
  private CellRanking() {}

  static int[] rank(GranularityStrategy strategy, LevelAnalysis level, SourcePicture source) {
    int n = level.cells();
    double[] score =
        switch (strategy) {
          case RATE_DISTORTION -> {
            double[] f = level.sseFine(), c = level.sseCoarse(), s = new double[n];
            for (int i = 0; i < n; i++) s[i] = c[i] - f[i];
            yield s;
          }
          case ENTROPY ->
              lumaEntropy(source, level.fineGrid.cellsWide(), level.fineGrid.cellsHigh());
          case UNIFORM -> dither(level.fineGrid.cellsWide(), level.fineGrid.cellsHigh());
        };
    return byScore(score);
  }

  /** Cell indices from the highest {@code score} to the lowest, ties in raster order. */
  static int[] byScore(double[] score) {
    int n = score.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(
        order, Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = order[i];
    return out;
  }

  /** Fine-cell mask made of the first {@code count} cells of {@code order}. */
  static boolean[] firstCells(int[] order, int count) {
    boolean[] fine = new boolean[order.length];
    for (int i = 0; i < count; i++) fine[order[i]] = true;
    return fine;
  }

  /** Shannon entropy (bits) of each cell's 32-bin luma histogram, one row of cells at a time. */
  private static double[] lumaEntropy(SourcePicture source, int cw, int ch) {
    int[][] hist = new int[cw][32];
    double[] e = new double[cw * ch];
    int w = source.width;
    int[] row = new int[w];
    for (int cy = 0; cy < ch; cy++) {
      for (int[] h : hist) Arrays.fill(h, 0);
      for (int y = cy * TokenGrid.CELL;
          y < Math.min(source.height, (cy + 1) * TokenGrid.CELL);
          y++) {
        source.read(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          int p = row[x];
          int luma = (77 * ((p >> 16) & 255) + 150 * ((p >> 8) & 255) + 29 * (p & 255)) >> 8;
          hist[x / TokenGrid.CELL][luma >> 3]++;
        }
      }
      for (int cx = 0; cx < cw; cx++) {
        int total = 0;
        for (int c : hist[cx]) total += c;
        double h = 0;
        for (int c : hist[cx]) {
          if (c > 0) {
            double p = (double) c / total;
            h -= p * Math.log(p);
          }
        }
        e[cy * cw + cx] = h / Math.log(2);
      }
    }
    return e;
  }

  /** An 8x8 Bayer matrix tiled over the cells: any prefix of the order is spread evenly. */
  private static double[] dither(int cw, int ch) {
    double[] s = new double[cw * ch];
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        int x = cx & 7, y = cy & 7, v = 0;
        for (int bit = 0; bit < 3; bit++) { // low position bits are the high value bits
          int xb = (x >> bit) & 1, yb = (y >> bit) & 1;
          v = (v << 2) | ((xb ^ yb) << 1) | yb;
        }
        s[cy * cw + cx] = -v;
      }
    }
    return s;
  }
}
