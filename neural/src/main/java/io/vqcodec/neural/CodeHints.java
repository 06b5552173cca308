package io.vqcodec.neural;

import io.vqcodec.tokens.TokenGrid;
import java.util.Arrays;

/**
 * Code vectors for {@link TokenGrid#LOST} tokens, supplied by concealment in place of a token:
 * {@link Tokenizer#decode(TokenGrid, CodeHints)} feeds them to the decoder network where the grid
 * has no token, and needs one for every lost token. A code vector need not be a codeword: the
 * expected codeword under a predicted distribution ({@link TokenPredictor#expectedCodes}) lies
 * between the likely tokens, which costs less squared error than committing to one of them when the
 * prediction is uncertain.
 *
 * <p>Positions: fine position ({@code fx}, {@code fy}) of the fine grid ({@code 2 * cellsWide}
 * wide), or the coarse token of cell ({@code cx}, {@code cy}).
 */
public final class CodeHints {
  private final int cellsWide, cellsHigh, dim;
  private final float[] fine, coarse; // position-major: [position * dim + j]
  private final boolean[] fineSet, coarseSet;

  /** Empty hints for a grid of {@code cellsWide x cellsHigh} cells and codes of {@code dim}. */
  public CodeHints(int cellsWide, int cellsHigh, int dim) {
    this.cellsWide = cellsWide;
    this.cellsHigh = cellsHigh;
    this.dim = dim;
    int fineCount = 4 * cellsWide * cellsHigh, cellCount = cellsWide * cellsHigh;
    this.fine = new float[fineCount * dim];
    this.coarse = new float[cellCount * dim];
    this.fineSet = new boolean[fineCount];
    this.coarseSet = new boolean[cellCount];
  }

  public int dim() {
    return dim;
  }

  /** Sets the code of fine position ({@code fx}, {@code fy}) of the fine grid. */
  public void setFine(int fx, int fy, float[] code) {
    int p = fy * 2 * cellsWide + fx;
    System.arraycopy(code, 0, fine, p * dim, dim);
    fineSet[p] = true;
  }

  /** Sets the code of the coarse token of cell ({@code cx}, {@code cy}). */
  public void setCoarse(int cx, int cy, float[] code) {
    int p = cy * cellsWide + cx;
    System.arraycopy(code, 0, coarse, p * dim, dim);
    coarseSet[p] = true;
  }

  /** Number of positions with a hint. */
  public int count() {
    int n = 0;
    for (boolean b : fineSet) n += b ? 1 : 0;
    for (boolean b : coarseSet) n += b ? 1 : 0;
    return n;
  }

  /** The hints of cell rows {@code c0 .. c1 - 1}, for a band of the grid decoded on its own. */
  public CodeHints rows(int c0, int c1) {
    CodeHints h = new CodeHints(cellsWide, c1 - c0, dim);
    int fw = 2 * cellsWide;
    int f0 = 2 * c0 * fw, f1 = 2 * c1 * fw;
    System.arraycopy(fine, f0 * dim, h.fine, 0, (f1 - f0) * dim);
    System.arraycopy(fineSet, f0, h.fineSet, 0, f1 - f0);
    System.arraycopy(coarse, c0 * cellsWide * dim, h.coarse, 0, (c1 - c0) * cellsWide * dim);
    System.arraycopy(coarseSet, c0 * cellsWide, h.coarseSet, 0, (c1 - c0) * cellsWide);
    return h;
  }

  /** Whether fine position ({@code fx}, {@code fy}) has a hint. */
  public boolean hasFine(int fx, int fy) {
    return fineSet[fy * 2 * cellsWide + fx];
  }

  /** Whether the coarse token of cell ({@code cx}, {@code cy}) has a hint. */
  public boolean hasCoarse(int cx, int cy) {
    return coarseSet[cy * cellsWide + cx];
  }

  /** A copy of the code of fine position ({@code fx}, {@code fy}) (zeros without a hint). */
  public float[] fineCode(int fx, int fy) {
    int p = fy * 2 * cellsWide + fx;
    return Arrays.copyOfRange(fine, p * dim, (p + 1) * dim);
  }

  /**
   * A copy of the code of the coarse token of cell ({@code cx}, {@code cy}) (zeros without a hint).
   */
  public float[] coarseCode(int cx, int cy) {
    int p = cy * cellsWide + cx;
    return Arrays.copyOfRange(coarse, p * dim, (p + 1) * dim);
  }

  boolean hasFine(int p) {
    return fineSet[p];
  }

  boolean hasCoarse(int p) {
    return coarseSet[p];
  }

  float fine(int p, int j) {
    return fine[p * dim + j];
  }

  float coarse(int p, int j) {
    return coarse[p * dim + j];
  }

  boolean fits(TokenGrid g, int d) {
    return g.cellsWide() == cellsWide && g.cellsHigh() == cellsHigh && d == dim;
  }

  @Override
  public String toString() {
    return "CodeHints[" + cellsWide + "x" + cellsHigh + " cells, " + count() + " hints]";
  }
}
