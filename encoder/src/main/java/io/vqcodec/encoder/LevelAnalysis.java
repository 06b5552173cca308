package io.vqcodec.encoder;

import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;

/**
 * One codebook level of one picture: the all-fine and all-coarse token grids (the tokenizer's
 * encoder does not depend on the granularity mask, so any mix takes its cells from these two), and
 * on demand the squared error of every cell when it is decoded fine or coarse, measured with the
 * model's own decoder a tile at a time (memory: a few numbers per cell, never a decoded picture).
 */
final class LevelAnalysis {
  final int codebookSize;
  final TokenGrid fineGrid;
  final TokenGrid coarseGrid;
  private final SourcePicture source;
  private final Tokenizer tokenizer;
  private double[] sseFine;
  private double[] sseCoarse;

  LevelAnalysis(Tokenizer tokenizer, SourcePicture source, int codebookSize) {
    this(tokenizer, source, codebookSize, tokenizer.encodeBoth(source, codebookSize));
  }

  /**
   * @param both {@code [all-fine, all-coarse]} grids of the picture at this level
   */
  LevelAnalysis(Tokenizer tokenizer, SourcePicture source, int codebookSize, TokenGrid[] both) {
    this.tokenizer = tokenizer;
    this.source = source;
    this.codebookSize = codebookSize;
    this.fineGrid = both[0];
    this.coarseGrid = both[1];
  }

  int cells() {
    return fineGrid.cellsWide() * fineGrid.cellsHigh();
  }

  /** Squared RGB error of each cell (raster order) when every cell is fine. */
  double[] sseFine() {
    if (sseFine == null) sseFine = cellErrors(fineGrid);
    return sseFine;
  }

  /** Squared RGB error of each cell when every cell is coarse. */
  double[] sseCoarse() {
    if (sseCoarse == null) sseCoarse = cellErrors(coarseGrid);
    return sseCoarse;
  }

  /**
   * Estimated squared error of the picture with the given fine cells (cells decoded in isolation).
   */
  double estimatedSse(boolean[] fine) {
    double[] f = sseFine(), c = sseCoarse();
    double sum = 0;
    for (int i = 0; i < fine.length; i++) sum += fine[i] ? f[i] : c[i];
    return sum;
  }

  /** The grid whose cells are fine where {@code fine[cy * cellsWide + cx]} is set. */
  TokenGrid mix(boolean[] fine) {
    return TokenGrid.mix(fineGrid, coarseGrid, fine);
  }

  /**
   * Squared RGB error of each cell of {@code grid} decoded, against the source: decoded and
   * compared a tile at a time, so that only per-cell sums outlive a tile.
   */
  private double[] cellErrors(TokenGrid grid) {
    int cw = grid.cellsWide();
    double[] sse = new double[cw * grid.cellsHigh()];
    tokenizer.decode(
        grid,
        null,
        (x, y, w, h, decoded) -> {
          int[] a = new int[w * h];
          source.read(x, y, w, h, a);
          for (int j = 0; j < h; j++) {
            int row = ((y + j) / TokenGrid.CELL) * cw;
            for (int i = 0; i < w; i++) {
              int p = a[j * w + i], q = decoded[j * w + i];
              int dr = ((p >> 16) & 255) - ((q >> 16) & 255);
              int dg = ((p >> 8) & 255) - ((q >> 8) & 255);
              int db = (p & 255) - (q & 255);
              sse[row + (x + i) / TokenGrid.CELL] += dr * dr + dg * dg + db * db;
            }
          }
        });
    return sse;
  }
}
