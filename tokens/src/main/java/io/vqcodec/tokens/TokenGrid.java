package io.vqcodec.tokens;

import java.util.Arrays;
import java.util.Objects;

/**
 * The tokens of one picture: the unit that the tokenizer produces, the entropy coder codes and the
 * neural decoder consumes.
 *
 * <p>The picture is covered by cells of {@value #CELL}x{@value #CELL} pixels ({@code
 * ceil(width/16)} by {@code ceil(height/16)}); pixels past the right and bottom edges are padding.
 * Each cell is either <em>coarse</em> (one token for the whole cell) or <em>fine</em> (2x2 tokens,
 * one per {@value #FINE}x{@value #FINE} block). All tokens index one codebook of {@link
 * #codebookSize()} entries. A token may be {@link #LOST} (its slice was damaged or dropped), to be
 * concealed before pixel synthesis.
 *
 * <p>Fine tokens are stored on the full 1/8-resolution grid ({@code 2*cellsWide} by {@code
 * 2*cellsHigh}); entries of coarse cells are unused and kept at 0.
 *
 * <p>Residual stages (Spec §9.6.2): a grid made with a {@link #stageCount()} above 1 lets each fine
 * cell carry 1 to {@code stageCount()} stages ({@link #cellStages}); stage s &gt;= 2 adds, per 8x8
 * block, a token of the model's stage-s codebook of {@link #stageCodebookSize()} entries that codes
 * what the earlier stages left. Stage tokens beyond a cell's count are unused. Not thread-safe.
 */
public final class TokenGrid {
  /** Side of a granularity cell, in pixels. */
  public static final int CELL = 16;

  /** Side of the block a fine token covers, in pixels. */
  public static final int FINE = 8;

  /** Marks a token that could not be decoded. */
  public static final int LOST = -1;

  /** Spec §A.3: the most stages a fine cell can carry, the fine token included. */
  public static final int MAX_STAGES = 3;

  private final int width;
  private final int height;
  private final int cellsWide;
  private final int cellsHigh;
  private final int codebookSize;
  private final boolean[] fine;
  private final int[] coarse;
  private final int[] fineTokens;
  private final int stageCount;
  private final int stageCodebookSize;

  /** Per cell, the stages a fine cell carries (1 .. stageCount); null without stages. */
  private final byte[] cellStages;

  /** stageTokens[s - 2] on the fine grid, for s = 2 .. stageCount. */
  private final int[][] stageTokens;

  /**
   * An all-coarse grid of zero tokens.
   *
   * @throws IllegalArgumentException if a dimension or the codebook size is not positive
   */
  public TokenGrid(int width, int height, int codebookSize) {
    this(width, height, codebookSize, 1, 0);
  }

  /**
   * An all-coarse grid of zero tokens whose fine cells may carry up to {@code stageCount} stages
   * (Spec §9.6.2), the later ones indexing codebooks of {@code stageCodebookSize} entries; every
   * cell starts with one stage.
   *
   * @throws IllegalArgumentException if a dimension or a codebook size is not positive, or the
   *     stage count is outside 1..3
   */
  public TokenGrid(int width, int height, int codebookSize, int stageCount, int stageCodebookSize) {
    this.width = checkArguments(width, height, codebookSize, stageCount, stageCodebookSize);
    this.height = height;
    this.cellsWide = (width + CELL - 1) / CELL;
    this.cellsHigh = (height + CELL - 1) / CELL;
    this.codebookSize = codebookSize;
    this.fine = new boolean[cellsWide * cellsHigh];
    this.coarse = new int[cellsWide * cellsHigh];
    this.fineTokens = new int[4 * cellsWide * cellsHigh];
    this.stageCount = stageCount;
    this.stageCodebookSize = stageCount > 1 ? stageCodebookSize : 0;
    this.cellStages = stageCount > 1 ? new byte[cellsWide * cellsHigh] : null;
    if (cellStages != null) Arrays.fill(cellStages, (byte) 1);
    this.stageTokens = new int[stageCount - 1][4 * cellsWide * cellsHigh];
  }

  // An argument check, returning the width (conformance/README.md, "Mutation testing":
  // checkArguments is not mutated; a decoder builds its grid from a header the container bounded).
  private static int checkArguments(
      int width, int height, int codebookSize, int stageCount, int stageCodebookSize) {
    if (stageCount < 1 || stageCount > MAX_STAGES) {
      throw new IllegalArgumentException(
          "stage count " + stageCount + ": must be 1.." + MAX_STAGES);
    }
    if (stageCount > 1 && stageCodebookSize <= 0) {
      throw new IllegalArgumentException(
          "stage codebook size must be positive: " + stageCodebookSize);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("picture size must be positive: " + width + "x" + height);
    }
    if (codebookSize <= 0) {
      throw new IllegalArgumentException("codebook size must be positive: " + codebookSize);
    }
    return width;
  }

  /** The most stages a fine cell of this grid may carry: 1 without residual stages. */
  public int stageCount() {
    return stageCount;
  }

  /** Entries of each stage codebook (stages 2 and up); 0 when {@link #stageCount()} is 1. */
  public int stageCodebookSize() {
    return stageCodebookSize;
  }

  /**
   * The stages cell ({@code cx}, {@code cy}) carries: 0 if coarse, else 1 .. {@link #stageCount()}.
   */
  public int cellStages(int cx, int cy) {
    int i = cell(cx, cy);
    return !fine[i] ? 0 : cellStages == null ? 1 : cellStages[i];
  }

  /**
   * Sets the stages a fine cell carries (kept while the cell is coarse, used once it is fine).
   *
   * @throws IllegalArgumentException if {@code n} is outside 1 .. {@link #stageCount()}
   */
  public void setCellStages(int cx, int cy, int n) {
    int i = cell(cx, cy);
    byte stages = (byte) checkStages(n);
    if (cellStages != null) cellStages[i] = stages;
  }

  /** The stage-{@code s} token (s = 2 .. {@link #stageCount()}) of fine position (fx, fy). */
  public int stageToken(int s, int fx, int fy) {
    return stageTokens[stageIndex(s)][finePosition(fx, fy)];
  }

  public void setStageToken(int s, int fx, int fy, int token) {
    stageTokens[stageIndex(s)][finePosition(fx, fy)] = checkToken(token, stageCodebookSize);
  }

  /** Stage tokens the fine cells carry beyond their first stage. */
  public int stageTokenCount() {
    if (cellStages == null) return 0;
    int n = 0;
    for (int i = 0; i < fine.length; i++) if (fine[i]) n += 4 * (cellStages[i] - 1);
    return n;
  }

  private int stageIndex(int s) {
    return Objects.checkIndex(s - 2, stageCount - 1);
  }

  /** {@code n}, if it is a number of stages a cell of this grid can carry (1 .. stageCount). */
  private int checkStages(int n) {
    if (n < 1 || n > stageCount) {
      throw new IllegalArgumentException("cell stages " + n + ": must be 1.." + stageCount);
    }
    return n;
  }

  private int finePosition(int fx, int fy) {
    return Objects.checkIndex(fy, 2 * cellsHigh) * 2 * cellsWide
        + Objects.checkIndex(fx, 2 * cellsWide);
  }

  /**
   * A copy whose fine cells carry at most {@code n} stages (1: a grid without residual stages):
   * what an encoder codes when no cell uses more.
   */
  public TokenGrid withStageCount(int n) {
    TokenGrid c = new TokenGrid(width, height, codebookSize, n, n > 1 ? stageCodebookSize : 0);
    for (int cy = 0; cy < cellsHigh; cy++) {
      for (int cx = 0; cx < cellsWide; cx++) c.copyCell(this, cx, cy);
    }
    return c;
  }

  /** The most stages any fine cell carries: 1 when none carries a residual stage. */
  public int maxCellStages() {
    int m = 1;
    for (int cy = 0; cy < cellsHigh; cy++) {
      for (int cx = 0; cx < cellsWide; cx++) m = Math.max(m, cellStages(cx, cy));
    }
    return m;
  }

  /** An empty grid of this one's size, codebooks and stage count. */
  private TokenGrid blank(int h) {
    return new TokenGrid(width, h, codebookSize, stageCount, stageCodebookSize);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int cellsWide() {
    return cellsWide;
  }

  public int cellsHigh() {
    return cellsHigh;
  }

  /** Width of the fine-token grid, {@code 2 * cellsWide()}. */
  public int fineWide() {
    return 2 * cellsWide;
  }

  /** Height of the fine-token grid, {@code 2 * cellsHigh()}. */
  public int fineHigh() {
    return 2 * cellsHigh;
  }

  public int codebookSize() {
    return codebookSize;
  }

  public boolean isFine(int cx, int cy) {
    return fine[cell(cx, cy)];
  }

  public void setFine(int cx, int cy, boolean isFine) {
    fine[cell(cx, cy)] = isFine;
  }

  /** The token of a coarse cell. */
  public int coarseToken(int cx, int cy) {
    return coarse[cell(cx, cy)];
  }

  public void setCoarseToken(int cx, int cy, int token) {
    coarse[cell(cx, cy)] = checkToken(token, codebookSize);
  }

  /** A token of the fine grid; {@code (fx/2, fy/2)} is its cell. */
  public int fineToken(int fx, int fy) {
    return fineTokens[finePosition(fx, fy)];
  }

  public void setFineToken(int fx, int fy, int token) {
    fineTokens[finePosition(fx, fy)] = checkToken(token, codebookSize);
  }

  /** Tokens of the coded cells marked {@link #LOST}: four per lost fine cell, one per coarse. */
  public int lostTokens() {
    int n = 0;
    for (int cy = 0; cy < cellsHigh; cy++) {
      for (int cx = 0; cx < cellsWide; cx++) {
        int i = cy * cellsWide + cx;
        if (!fine[i]) {
          if (coarse[i] == LOST) n++;
          continue;
        }
        for (int q = 0; q < 4; q++) {
          if (fineTokens[(2 * cy + (q >> 1)) * 2 * cellsWide + 2 * cx + (q & 1)] == LOST) n++;
        }
      }
    }
    return n;
  }

  /** Number of fine cells. */
  public int fineCellCount() {
    int n = 0;
    for (boolean f : fine) {
      if (f) n++;
    }
    return n;
  }

  /** Number of tokens that are coded: one per coarse cell, four per fine cell. */
  public int tokenCount() {
    int f = fineCellCount();
    return (fine.length - f) + 4 * f;
  }

  /** An independent copy (granularity map and every token). */
  public TokenGrid copy() {
    return copyRows(0, cellsHigh);
  }

  /**
   * Copies cell ({@code cx}, {@code cy}) of {@code from} (a grid of the same size and codebook):
   * its granularity and its one coarse or four fine tokens, lost ones included (Spec §10.5).
   */
  public void copyCell(TokenGrid from, int cx, int cy) {
    if (from.cellsWide != cellsWide || from.cellsHigh != cellsHigh) {
      throw new IllegalArgumentException("grids of different sizes");
    }
    int i = cy * cellsWide + cx;
    fine[i] = from.fine[i];
    coarse[i] = from.coarse[i];
    if (cellStages != null)
      cellStages[i] = (byte) Math.min(stageCount, Math.max(1, from.cellStages(cx, cy)));
    for (int q = 0; q < 4; q++) {
      int p = (2 * cy + (q >> 1)) * 2 * cellsWide + 2 * cx + (q & 1);
      fineTokens[p] = from.fineTokens[p];
      for (int s = 0; s < Math.min(stageTokens.length, from.stageTokens.length); s++)
        stageTokens[s][p] = from.stageTokens[s][p];
    }
  }

  /** Whether cell ({@code cx}, {@code cy}) has the same granularity and tokens in {@code o}. */
  public boolean sameCell(TokenGrid o, int cx, int cy) {
    int i = cy * cellsWide + cx;
    if (fine[i] != o.fine[i]) return false;
    if (!fine[i]) return coarse[i] == o.coarse[i];
    int n = cellStages(cx, cy);
    if (n != o.cellStages(cx, cy)) return false;
    for (int q = 0; q < 4; q++) {
      int p = (2 * cy + (q >> 1)) * 2 * cellsWide + 2 * cx + (q & 1);
      if (fineTokens[p] != o.fineTokens[p]) return false;
      for (int s = 0; s < n - 1; s++) if (stageTokens[s][p] != o.stageTokens[s][p]) return false;
    }
    return true;
  }

  /**
   * Cell rows {@code [firstRow, endRow)} as a grid of their own (its height clipped to the
   * picture's), e.g. a band of a large picture that a network processes on its own.
   */
  public TokenGrid band(int firstRow, int endRow) {
    if (firstRow < 0 || endRow <= firstRow || endRow > cellsHigh) {
      throw new IndexOutOfBoundsException(
          "rows [" + firstRow + ", " + endRow + ") of " + cellsHigh);
    }
    TokenGrid b = blank(Math.min(height, CELL * endRow) - CELL * firstRow);
    int from = firstRow * cellsWide, n = (endRow - firstRow) * cellsWide;
    System.arraycopy(fine, from, b.fine, 0, n);
    System.arraycopy(coarse, from, b.coarse, 0, n);
    System.arraycopy(fineTokens, 4 * from, b.fineTokens, 0, 4 * n);
    if (cellStages != null) System.arraycopy(cellStages, from, b.cellStages, 0, n);
    for (int s = 0; s < stageTokens.length; s++)
      System.arraycopy(stageTokens[s], 4 * from, b.stageTokens[s], 0, 4 * n);
    return b;
  }

  /**
   * The grid that takes each cell from {@code allFine} where {@code fineCells[cy * cellsWide + cx]}
   * is set and from {@code allCoarse} elsewhere (two grids of one picture and codebook level). Fine
   * cells keep {@code allFine}'s stage tokens and stage counts.
   */
  public static TokenGrid mix(TokenGrid allFine, TokenGrid allCoarse, boolean[] fineCells) {
    TokenGrid g = allFine.blank(allFine.height);
    if (allCoarse.width != g.width
        || allCoarse.height != g.height
        || allCoarse.codebookSize != g.codebookSize
        || fineCells.length != g.fine.length) {
      throw new IllegalArgumentException("grids or cell map of different sizes");
    }
    for (int i = 0; i < fineCells.length; i++) {
      g.fine[i] = fineCells[i];
      g.coarse[i] = fineCells[i] ? 0 : allCoarse.coarse[i];
    }
    for (int fy = 0; fy < g.fineHigh(); fy++) {
      for (int fx = 0; fx < g.fineWide(); fx++) {
        int i = fy * g.fineWide() + fx;
        boolean f = fineCells[(fy >> 1) * g.cellsWide + (fx >> 1)];
        g.fineTokens[i] = f ? allFine.fineTokens[i] : 0;
        for (int s = 0; s < g.stageTokens.length; s++)
          g.stageTokens[s][i] = f ? allFine.stageTokens[s][i] : 0;
      }
    }
    if (g.cellStages != null)
      System.arraycopy(allFine.cellStages, 0, g.cellStages, 0, fineCells.length);
    return g;
  }

  /**
   * A grid of the same size holding only cell rows {@code firstRow .. firstRow + rowCount - 1} of
   * this one (granularity and tokens); the other rows are all-coarse zero tokens.
   */
  public TokenGrid copyRows(int firstRow, int rowCount) {
    if (firstRow < 0 || rowCount < 0 || firstRow + rowCount > cellsHigh) {
      throw new IndexOutOfBoundsException(
          "rows [" + firstRow + ", " + (firstRow + rowCount) + ") of " + cellsHigh);
    }
    TokenGrid c = blank(height);
    int from = firstRow * cellsWide, n = rowCount * cellsWide;
    System.arraycopy(fine, from, c.fine, from, n);
    System.arraycopy(coarse, from, c.coarse, from, n);
    System.arraycopy(fineTokens, 4 * from, c.fineTokens, 4 * from, 4 * n);
    if (cellStages != null) System.arraycopy(cellStages, from, c.cellStages, from, n);
    for (int s = 0; s < stageTokens.length; s++)
      System.arraycopy(stageTokens[s], 4 * from, c.stageTokens[s], 4 * from, 4 * n);
    return c;
  }

  private int cell(int cx, int cy) {
    return Objects.checkIndex(cy, cellsHigh) * cellsWide + Objects.checkIndex(cx, cellsWide);
  }

  /**
   * {@code token}, unless it is neither {@link #LOST} nor an index into a codebook of {@code k}.
   */
  private static int checkToken(int token, int k) {
    if (token != LOST && (token < 0 || token >= k)) {
      throw new IllegalArgumentException("token " + token + " outside codebook of " + k);
    }
    return token;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TokenGrid)) return false;
    TokenGrid g = (TokenGrid) o;
    if (width != g.width
        || height != g.height
        || codebookSize != g.codebookSize
        || stageCount != g.stageCount
        || stageCodebookSize != g.stageCodebookSize
        || !Arrays.equals(fine, g.fine)) {
      return false;
    }
    // Only coded tokens take part: the unused entries under the other granularity, or beyond a
    // cell's stages, do not.
    for (int cy = 0; cy < cellsHigh; cy++) {
      for (int cx = 0; cx < cellsWide; cx++) {
        if (!sameCell(g, cx, cy)) return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(fine);
  }

  @Override
  public String toString() {
    return "TokenGrid["
        + width
        + "x"
        + height
        + ", cells "
        + cellsWide
        + "x"
        + cellsHigh
        + ", K="
        + codebookSize
        + ", fine cells "
        + fineCellCount()
        + (stageCount > 1 ? ", stages " + stageCount + " of K=" + stageCodebookSize : "")
        + "]";
  }
}
