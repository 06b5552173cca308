package io.vqcodec.encoder;

import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.TokenGrid;
import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;

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
  private int[] cellOrder;
  private GranularityStrategy cellOrderStrategy;
  private int[] refinement;
  private GranularityStrategy refinementStrategy;

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
   * The grid after the first {@code steps} refinement steps of {@code order} ({@link
   * #refinementOrder}): a cell's first step makes it fine, each further one adds a stage. {@code
   * order} may be null when no choice is left: no step, or every step.
   */
  TokenGrid refined(int[] order, int steps) {
    int n = cells();
    if (steps < 0 || steps > steps()) throw new IllegalArgumentException("steps " + steps);
    int[] taken = new int[n];
    if (steps == steps()) {
      Arrays.fill(taken, fineGrid.stageCount());
    } else {
      for (int i = 0; i < steps; i++) taken[order[i]]++;
    }
    boolean[] fine = new boolean[n];
    for (int i = 0; i < n; i++) fine[i] = taken[i] > 0;
    TokenGrid g = mix(fine);
    int cw = g.cellsWide();
    for (int i = 0; i < n; i++) {
      if (taken[i] > 1) g.setCellStages(i % cw, i / cw, taken[i]);
    }
    return g;
  }

  /**
   * The grid after the first {@code steps} refinement steps in {@code strategy}'s order ({@link
   * #refinementOrder}, made on first use: no step and every step need none, and ranking may decode
   * the picture twice).
   */
  TokenGrid refined(GranularityStrategy strategy, int steps) {
    if (steps == 0 || steps == steps()) return refined((int[]) null, steps);
    if (refinement == null || refinementStrategy != strategy) {
      refinement =
          refinementOrder(cellOrder(strategy), strategy == GranularityStrategy.RATE_DISTORTION);
      refinementStrategy = strategy;
    }
    return refined(refinement, steps);
  }

  /** {@code strategy}'s ranking of the cells ({@link CellRanking#rank}), made on first use. */
  int[] cellOrder(GranularityStrategy strategy) {
    if (cellOrder == null || cellOrderStrategy != strategy) {
      cellOrder = CellRanking.rank(strategy, this, source);
      cellOrderStrategy = strategy;
    }
    return cellOrder;
  }

  /**
   * Every refinement step of this level in the order the encoder takes them, as cell indices (a
   * cell's first occurrence makes it fine, each later one adds a stage): {@code cellOrder} (the
   * granularity strategy's ranking) for the fine steps. Without residual stages that is all. With
   * them, and {@code byGain}, the steps of all cells are merged by estimated error removed per bit
   * (a cell's steps in their order): the fine step's gain is measured ({@link #sseCoarse} minus
   * {@link #sseFine}); a stage's is the squared length of its code vectors times {@link
   * #STAGE_GAIN}, which saves decoding the picture once per stage. Without {@code byGain} the stage
   * steps follow all fine steps, cells by {@link #stageOrder}.
   */
  int[] refinementOrder(int[] cellOrder, boolean byGain) {
    int n = cells(), stages = fineGrid.stageCount();
    int[] out = new int[n * stages];
    if (stages == 1 || !byGain) {
      System.arraycopy(cellOrder, 0, out, 0, n);
      for (int s = 2; s <= stages; s++) System.arraycopy(stageOrder(s), 0, out, (s - 1) * n, n);
      return out;
    }
    double[] fineGain = new double[n];
    double[] c = sseCoarse(), f = sseFine();
    for (int i = 0; i < n; i++) fineGain[i] = (c[i] - f[i]) / FINE_STEP_BITS;
    double[][] stageGain = new double[stages - 1][];
    for (int s = 2; s <= stages; s++) {
      double[] norm = stageNorms(s);
      stageGain[s - 2] = new double[n];
      for (int i = 0; i < n; i++) {
        stageGain[s - 2][i] = STAGE_GAIN[s - 2] * norm[i] / STAGE_STEP_BITS;
      }
    }
    // Greedy over the cells' chains of steps: the best next step of any cell, ties to the lower
    // cell index, so the order is deterministic.
    int[] next = new int[n]; // steps taken per cell
    PriorityQueue<double[]> queue =
        new PriorityQueue<>(
            Comparator.comparingDouble((double[] e) -> -e[0]).thenComparingDouble(e -> e[1]));
    for (int i = 0; i < n; i++) queue.add(new double[] {fineGain[i], i});
    for (int k = 0; k < out.length; k++) {
      int i = (int) queue.poll()[1];
      out[k] = i;
      int taken = ++next[i];
      if (taken < stages) queue.add(new double[] {stageGain[taken - 1][i], i});
    }
    return out;
  }

  /**
   * Pixel squared error a stage removes per unit of squared length of its four code vectors (stages
   * 2 and 3): the least-squares slope over every cell of the validation images
   * (results/tok-v2/stage-gain.md), so that stage steps and fine steps compare in one unit.
   */
  static final double[] STAGE_GAIN = {31000, 23500};

  /**
   * Bits of a fine step (four fine tokens instead of one coarse token) and of a stage step (four
   * raw 12-bit tokens and a flag), as the stream codes them on average (Spec §6.8.3; two-stage
   * model at K = 4096 on the validation images: about 11.3 bits per token).
   */
  static final double FINE_STEP_BITS = 34, STAGE_STEP_BITS = 49;

  /**
   * Cells from the one whose stage-{@code s} code vectors are longest to the shortest (ties in
   * raster order): a residual stage's code approximates what the earlier stages left, so its length
   * estimates what the stage removes from the latent error, without decoding.
   */
  private int[] stageOrder(int s) {
    if (stageOrders[s - 2] == null) stageOrders[s - 2] = CellRanking.byScore(stageNorms(s));
    return stageOrders[s - 2];
  }

  /** Per cell, the squared length of its four stage-{@code s} code vectors. */
  private double[] stageNorms(int s) {
    float[] table = tokenizer.stageTable(s);
    int d = table.length / fineGrid.stageCodebookSize();
    int cw = fineGrid.cellsWide(), n = cells();
    double[] norm = new double[n];
    for (int i = 0; i < n; i++) {
      int cx = i % cw, cy = i / cw;
      for (int q = 0; q < 4; q++) {
        int t = fineGrid.stageToken(s, 2 * cx + (q & 1), 2 * cy + (q >> 1));
        for (int j = 0; j < d; j++) norm[i] += (double) table[t * d + j] * table[t * d + j];
      }
    }
    return norm;
  }

  /**
   * Squared RGB error of each cell of {@code grid} decoded, against the source: decoded and
   * compared a tile at a time, so that only per-cell sums outlive a tile.
   */
  double[] cellErrors(TokenGrid grid) {
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
