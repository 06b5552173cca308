package io.vqcodec.decoder.conceal;

import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;

/**
 * Concealment without a model: a lost token takes the mean code of known tokens nearby.
 *
 * <ul>
 *   <li>A lost fine token: the mean code of the known fine tokens of its cell; when all four are
 *       lost, of the known fine tokens of the 8 neighbouring fine cells.
 *   <li>A lost coarse token: the mean code of the known coarse tokens of the 8 neighbouring coarse
 *       cells.
 *   <li>Nothing known there: the level's usage-weighted mean code ({@link Tokenizer#meanCode}).
 * </ul>
 *
 * <p>A token is known when the grid has it or when it already has a code in the hints being
 * completed ({@link #complete}); codes filled here are not used as neighbours, so the result does
 * not depend on the order of the cells. Granularities do not mix: a coarse cell's code and a fine
 * cell's codes describe different areas.
 */
final class NeighbourMean implements Concealer {
  static final NeighbourMean INSTANCE = new NeighbourMean();

  private NeighbourMean() {}

  @Override
  public CodeHints codes(TokenGrid grid, Tokenizer tokenizer) {
    int k = grid.codebookSize();
    CodeHints hints =
        new CodeHints(grid.cellsWide(), grid.cellsHigh(), tokenizer.meanCode(k).length);
    complete(grid, tokenizer, hints);
    return hints;
  }

  /**
   * Gives every lost token of {@code grid} that has no code in {@code hints} the neighbour mean,
   * counting the codes already in {@code hints} as known.
   */
  static void complete(TokenGrid grid, Tokenizer tokenizer, CodeHints hints) {
    int k = grid.codebookSize();
    float[] table = tokenizer.codebookTable(k), mean = tokenizer.meanCode(k);
    int d = mean.length;
    int cw = grid.cellsWide(), ch = grid.cellsHigh(), fw = 2 * cw;
    // Codes of the known tokens, position-major; positions of the other granularity stay unknown.
    float[] fine = new float[fw * 2 * ch * d], coarse = new float[cw * ch * d];
    boolean[] knownF = new boolean[fw * 2 * ch], knownC = new boolean[cw * ch];
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        if (grid.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1), p = fy * fw + fx;
            int t = grid.fineToken(fx, fy);
            if (t != TokenGrid.LOST) {
              System.arraycopy(table, t * d, fine, p * d, d);
              knownF[p] = true;
            } else if (hints.hasFine(fx, fy)) {
              System.arraycopy(hints.fineCode(fx, fy), 0, fine, p * d, d);
              knownF[p] = true;
            }
          }
        } else {
          int t = grid.coarseToken(cx, cy), p = cy * cw + cx;
          if (t != TokenGrid.LOST) {
            System.arraycopy(table, t * d, coarse, p * d, d);
            knownC[p] = true;
          } else if (hints.hasCoarse(cx, cy)) {
            System.arraycopy(hints.coarseCode(cx, cy), 0, coarse, p * d, d);
            knownC[p] = true;
          }
        }
      }
    }
    // Float sums in this order (cell, then neighbours row by row): the decoder's pixels depend on
    // it.
    for (int cy = 0; cy < ch; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        if (grid.isFine(cx, cy)) {
          float[] acc = new float[d];
          int n = 0;
          for (int q = 0; q < 4; q++) {
            int p = (2 * cy + (q >> 1)) * fw + 2 * cx + (q & 1);
            if (knownF[p]) {
              n++;
              for (int j = 0; j < d; j++) acc[j] += fine[p * d + j];
            }
          }
          if (n == 0) {
            for (int ny = cy - 1; ny <= cy + 1; ny++) {
              for (int nx = cx - 1; nx <= cx + 1; nx++) {
                if (nx < 0 || ny < 0 || nx >= cw || ny >= ch || !grid.isFine(nx, ny)) continue;
                for (int q = 0; q < 4; q++) {
                  int p = (2 * ny + (q >> 1)) * fw + 2 * nx + (q & 1);
                  if (knownF[p]) {
                    n++;
                    for (int j = 0; j < d; j++) acc[j] += fine[p * d + j];
                  }
                }
              }
            }
          }
          float[] code = n > 0 ? divide(acc, n) : mean;
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            if (!knownF[fy * fw + fx]) hints.setFine(fx, fy, code);
          }
        } else if (!knownC[cy * cw + cx]) {
          float[] acc = new float[d];
          int n = 0;
          for (int ny = cy - 1; ny <= cy + 1; ny++) {
            for (int nx = cx - 1; nx <= cx + 1; nx++) {
              if (nx < 0
                  || ny < 0
                  || nx >= cw
                  || ny >= ch
                  || grid.isFine(nx, ny)
                  || !knownC[ny * cw + nx]) continue;
              n++;
              for (int j = 0; j < d; j++) acc[j] += coarse[(ny * cw + nx) * d + j];
            }
          }
          hints.setCoarse(cx, cy, n > 0 ? divide(acc, n) : mean);
        }
      }
    }
  }

  private static float[] divide(float[] acc, int n) {
    for (int j = 0; j < acc.length; j++) acc[j] /= n;
    return acc;
  }
}
