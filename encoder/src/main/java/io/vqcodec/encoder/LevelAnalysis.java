package io.vqcodec.encoder;

import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.util.Arrays;
import java.util.Comparator;

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
  private final int[][] stageOrders = new int[TokenGrid.MAX_STAGES][];

  LevelAnalysis(Tokenizer tokenizer, SourcePicture source, int codebookSize) {
    this(
        tokenizer,
        source,
        codebookSize,
        tokenizer.encodeLevels(source, new int[] {codebookSize}, true).get(codebookSize));
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

  /** Squared RGB error of each cell (raster order) when every cell is fine, with one stage. */
  double[] sseFine() {
    // The first stage only: the error a cell made fine has before any residual stage.
    if (sseFine == null) sseFine = cellErrors(fineGrid.withStageCount(1));
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

  /**
   * The grid whose cells are fine where {@code fine[cy * cellsWide + cx]} is set, one stage each.
   */
  TokenGrid mix(boolean[] fine) {
    TokenGrid g = TokenGrid.mix(fineGrid, coarseGrid, fine);
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) g.setCellStages(cx, cy, 1);
    }
    return g;
  }

  /**
   * Refinement steps this level offers: one per cell made fine, then, with residual stages (Spec
   * §9.6.2), one per fine cell given its next stage.
   */
  int steps() {
    return cells() * fineGrid.stageCount();
  }

  /**
   * The grid after the first {@code steps} refinement steps: the first {@code min(steps, cells)}
   * cells of {@code cellOrder} fine (every cell fine from {@code cells} steps on; the order may
   * then be null), then stage 2 for cells in {@link #stageOrder} until every cell has it, then
   * stage 3.
   */
  TokenGrid refined(int[] cellOrder, int steps) {
    int n = cells();
    if (steps < 0 || steps > steps()) throw new IllegalArgumentException("steps " + steps);
    boolean[] fine;
    if (steps >= n) {
      fine = new boolean[n];
      Arrays.fill(fine, true);
    } else {
      fine = steps == 0 ? new boolean[n] : CellRanking.firstCells(cellOrder, steps);
    }
    TokenGrid g = mix(fine);
    int cw = g.cellsWide();
    for (int s = 2; s <= g.stageCount(); s++) {
      int count = Math.min(n, Math.max(0, steps - (s - 1) * n));
      int[] order = stageOrder(s);
      for (int i = 0; i < count; i++) g.setCellStages(order[i] % cw, order[i] / cw, s);
    }
    return g;
  }

  /**
   * Cells from the one whose stage-{@code s} code vectors are longest to the shortest (ties in
   * raster order): a residual stage's code approximates what the earlier stages left, so its length
   * estimates what the stage removes from the latent error, without decoding.
   */
  private int[] stageOrder(int s) {
    if (stageOrders[s - 2] != null) return stageOrders[s - 2];
    float[] table = tokenizer.stageTable(s);
    int d = table.length / fineGrid.stageCodebookSize();
    int cw = fineGrid.cellsWide(), n = cells();
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      int cx = i % cw, cy = i / cw;
      for (int q = 0; q < 4; q++) {
        int t = fineGrid.stageToken(s, 2 * cx + (q & 1), 2 * cy + (q >> 1));
        for (int j = 0; j < d; j++) score[i] += (double) table[t * d + j] * table[t * d + j];
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) order[i] = i;
    Arrays.sort(
        order, Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i));
    int[] out = new int[n];
    for (int i = 0; i < n; i++) out[i] = order[i];
    return stageOrders[s - 2] = out;
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
