package io.vqcodec.tokens;

import java.util.Arrays;

/**
 * Encoder side, outside the format: per token position of a grid, the codewords nearest to the
 * encoder's latent vector there, nearest first, each with its extra distortion (how much larger its
 * squared distance to the latent vector is than the nearest one's). {@link
 * SliceCoder#encodeSlices(TokenModel, TokenGrid, int, io.vqcodec.container.GranularityMode,
 * TokenAlternatives, double)} codes the candidate that costs the fewest bits plus weighted
 * distortion (rate-distortion optimized quantization, as video encoders choose coefficient levels).
 * A decoder never sees this: the stream holds whichever tokens the encoder chose.
 *
 * <p>Positions are those of {@link TokenGrid}: fine ({@code fx}, {@code fy}) on the fine grid,
 * coarse per cell. A position whose first candidate is not the grid's token there is left as the
 * grid has it. Not thread-safe while filled; read-only afterwards.
 */
public final class TokenAlternatives {
  /** The most candidates a position can have. */
  public static final int MAX_CANDIDATES = 16;

  private final int cellsWide, cellsHigh, candidates;
  private final int[] fineTokens, coarseTokens; // [position * candidates + i]
  private final float[] fineExtra, coarseExtra;

  /**
   * Room for {@code candidates} codewords at every position of a grid of {@code cellsWide x
   * cellsHigh} cells; every position starts with none (its first token -1).
   */
  public TokenAlternatives(int cellsWide, int cellsHigh, int candidates) {
    if (cellsWide < 1 || cellsHigh < 1)
      throw new IllegalArgumentException("grid of " + cellsWide + "x" + cellsHigh + " cells");
    if (candidates < 1 || candidates > MAX_CANDIDATES)
      throw new IllegalArgumentException(candidates + " candidates, outside 1.." + MAX_CANDIDATES);
    this.cellsWide = cellsWide;
    this.cellsHigh = cellsHigh;
    this.candidates = candidates;
    int fine = 4 * cellsWide * cellsHigh, coarse = cellsWide * cellsHigh;
    this.fineTokens = new int[fine * candidates];
    this.coarseTokens = new int[coarse * candidates];
    this.fineExtra = new float[fine * candidates];
    this.coarseExtra = new float[coarse * candidates];
    Arrays.fill(fineTokens, -1);
    Arrays.fill(coarseTokens, -1);
  }

  /** Candidates per position. */
  public int candidates() {
    return candidates;
  }

  /** Whether this fits {@code grid}'s cells. */
  public boolean fits(TokenGrid grid) {
    return grid.cellsWide() == cellsWide && grid.cellsHigh() == cellsHigh;
  }

  /**
   * Candidate {@code i} of fine position ({@code fx}, {@code fy}): {@code token} with {@code extra}
   * squared distance more than candidate 0's (0 for candidate 0 itself).
   */
  public void setFine(int fx, int fy, int i, int token, float extra) {
    int p = (fy * 2 * cellsWide + fx) * candidates + check(i);
    fineTokens[p] = token;
    fineExtra[p] = extra;
  }

  /**
   * Candidate {@code i} of the coarse token of cell ({@code cx}, {@code cy}), as {@link #setFine}.
   */
  public void setCoarse(int cx, int cy, int i, int token, float extra) {
    int p = (cy * cellsWide + cx) * candidates + check(i);
    coarseTokens[p] = token;
    coarseExtra[p] = extra;
  }

  private int check(int i) {
    if (i < 0 || i >= candidates)
      throw new IndexOutOfBoundsException("candidate " + i + " of " + candidates);
    return i;
  }

  /** Offset of the candidates of a position: fine ({@code fx}, {@code fy}) or coarse cell. */
  int offset(boolean fine, int x, int y) {
    return (fine ? y * 2 * cellsWide + x : y * cellsWide + x) * candidates;
  }

  int token(boolean fine, int offset) {
    return (fine ? fineTokens : coarseTokens)[offset];
  }

  float extra(boolean fine, int offset) {
    return (fine ? fineExtra : coarseExtra)[offset];
  }

  @Override
  public String toString() {
    return "TokenAlternatives[" + cellsWide + "x" + cellsHigh + " cells, " + candidates + " each]";
  }
}
