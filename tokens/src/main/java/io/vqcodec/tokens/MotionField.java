package io.vqcodec.tokens;

import java.util.Objects;

/**
 * The cell modes of a motion frame (Spec §10.9): per cell skip, motion (a copy of the previous
 * frame's tokens from a displaced position, with its vector) or coded. The encoder fills one in to
 * say what to code; the decoder fills one in as it decodes. Vectors are in fine positions (8 coded
 * pixels), each component in {@code -MAX_MV .. MAX_MV}. Not thread-safe.
 */
public final class MotionField {
  /** Spec §10.9.3 MAX_MV: the largest vector component, in fine positions. */
  public static final int MAX_MV = 16;

  private final int cellsWide;
  private final int cellsHigh;
  final boolean[] skip;
  final boolean[] motion;
  final int[] mvx;
  final int[] mvy;

  /** Every cell coded. */
  public MotionField(int cellsWide, int cellsHigh) {
    this.cellsWide = checkArguments(cellsWide, cellsHigh);
    this.cellsHigh = cellsHigh;
    int n = cellsWide * cellsHigh;
    skip = new boolean[n];
    motion = new boolean[n];
    mvx = new int[n];
    mvy = new int[n];
  }

  public int cellsWide() {
    return cellsWide;
  }

  public int cellsHigh() {
    return cellsHigh;
  }

  // An argument check, returning the width (conformance/README.md, "Mutation testing":
  // checkArguments is not mutated; a decoder builds its field from a header the container bounded).
  private static int checkArguments(int cellsWide, int cellsHigh) {
    if (cellsWide < 1 || cellsHigh < 1) {
      throw new IllegalArgumentException("grid of " + cellsWide + "x" + cellsHigh + " cells");
    }
    return cellsWide;
  }

  /** The index of a cell for the setters and getters of the encoder's side. */
  private int checkedCell(int cx, int cy) {
    return Objects.checkIndex(cy, cellsHigh) * cellsWide + Objects.checkIndex(cx, cellsWide);
  }

  /** The cell is copied from the co-located reference cell (Spec §10.5). */
  public void setSkip(int cx, int cy) {
    int i = checkedCell(cx, cy);
    skip[i] = true;
    motion[i] = false;
    mvx[i] = mvy[i] = 0;
  }

  /**
   * The cell is copied from the reference at a displacement of ({@code vx}, {@code vy}) fine
   * positions (Spec §10.9.4).
   *
   * @throws IllegalArgumentException if a component is outside {@code -MAX_MV .. MAX_MV}
   */
  public void setMotion(int cx, int cy, int vx, int vy) {
    if (Math.abs(vx) > MAX_MV || Math.abs(vy) > MAX_MV) {
      throw new IllegalArgumentException("vector (" + vx + "," + vy + ") beyond " + MAX_MV);
    }
    int i = checkedCell(cx, cy);
    skip[i] = false;
    motion[i] = true;
    mvx[i] = vx;
    mvy[i] = vy;
  }

  /** The cell is coded (the default). */
  public void setCoded(int cx, int cy) {
    int i = checkedCell(cx, cy);
    skip[i] = motion[i] = false;
    mvx[i] = mvy[i] = 0;
  }

  public boolean isSkip(int cx, int cy) {
    return skip[checkedCell(cx, cy)];
  }

  public boolean isMotion(int cx, int cy) {
    return motion[checkedCell(cx, cy)];
  }

  /** The vector's horizontal component of a motion cell, in fine positions; 0 otherwise. */
  public int mvX(int cx, int cy) {
    return mvx[checkedCell(cx, cy)];
  }

  public int mvY(int cx, int cy) {
    return mvy[checkedCell(cx, cy)];
  }

  /** Cells skipped. */
  public int skipCount() {
    int n = 0;
    for (boolean b : skip) n += b ? 1 : 0;
    return n;
  }

  /** Cells copied by motion. */
  public int motionCount() {
    int n = 0;
    for (boolean b : motion) n += b ? 1 : 0;
    return n;
  }

  /** Clears the cells of rows {@code [firstRow, firstRow + rowCount)} to coded (a lost slice). */
  void clearRows(int firstRow, int rowCount) {
    for (int i = firstRow * cellsWide; i < (firstRow + rowCount) * cellsWide; i++) {
      skip[i] = motion[i] = false;
      mvx[i] = mvy[i] = 0;
    }
  }

  /**
   * Spec §10.9.4: whether the source of cell ({@code cx}, {@code cy}) moved by ({@code vx}, {@code
   * vy}) fine positions lies inside a grid of {@code cellsWide} x {@code cellsHigh} cells.
   */
  public static boolean sourceInside(int cellsWide, int cellsHigh, int cx, int cy, int vx, int vy) {
    long sx = 2L * cx + vx, sy = 2L * cy + vy;
    return sx >= 0 && sy >= 0 && sx + 1 < 2L * cellsWide && sy + 1 < 2L * cellsHigh;
  }

  /**
   * Spec §10.9.4 {@code ref_token(fx, fy)}: the token of {@code ref} covering fine position ({@code
   * fx}, {@code fy}): the fine token there in a fine cell, the cell's coarse token in a coarse one.
   */
  public static int refToken(TokenGrid ref, int fx, int fy) {
    int cx = fx >> 1, cy = fy >> 1;
    return ref.isFine(cx, cy) ? ref.fineToken(fx, fy) : ref.coarseToken(cx, cy);
  }

  /**
   * Spec §10.9.4 {@code motion_copy}: sets cell ({@code cx}, {@code cy}) of {@code g} from {@code
   * ref} displaced by ({@code vx}, {@code vy}) fine positions, whose source must lie inside the
   * grid ({@link #sourceInside}). Both components even: the source cell whole (granularity and
   * tokens); otherwise a fine cell of the four tokens covering the displaced fine positions. Copies
   * of lost tokens are lost.
   */
  public static void copy(TokenGrid ref, TokenGrid g, int cx, int cy, int vx, int vy) {
    if (!sourceInside(g.cellsWide(), g.cellsHigh(), cx, cy, vx, vy)) {
      throw new IllegalArgumentException(
          "source of cell (" + cx + "," + cy + ") moved by (" + vx + "," + vy + ") is outside");
    }
    int sx = 2 * cx + vx, sy = 2 * cy + vy;
    if ((vx & 1) == 0 && (vy & 1) == 0) {
      int scx = sx >> 1, scy = sy >> 1;
      boolean fine = ref.isFine(scx, scy);
      g.setFine(cx, cy, fine);
      g.setCoarseToken(cx, cy, ref.coarseToken(scx, scy));
      for (int q = 0; q < 4; q++) {
        g.setFineToken(
            2 * cx + (q & 1), 2 * cy + (q >> 1), ref.fineToken(sx + (q & 1), sy + (q >> 1)));
      }
    } else {
      g.setFine(cx, cy, true);
      for (int q = 0; q < 4; q++) {
        g.setFineToken(
            2 * cx + (q & 1), 2 * cy + (q >> 1), refToken(ref, sx + (q & 1), sy + (q >> 1)));
      }
    }
  }

  /**
   * Spec §10.9.2 {@code mv_predictor}: from the motion cells among the left, above and above-right
   * neighbours within the slice, the component-wise median of all three, else the first of them in
   * that order, else (0, 0), from the cells set so far. Returns {x, y}.
   */
  public int[] predictor(int cx, int cy, int firstRow) {
    int[] px = new int[3], py = new int[3];
    int n = 0;
    int[][] at = {{cx - 1, cy}, {cx, cy - 1}, {cx + 1, cy - 1}};
    for (int[] p : at) {
      if (p[0] < 0 || p[0] >= cellsWide || p[1] < firstRow) continue;
      int i = p[1] * cellsWide + p[0];
      if (!motion[i]) continue;
      px[n] = mvx[i];
      py[n] = mvy[i];
      n++;
    }
    if (n == 3) return new int[] {median(px[0], px[1], px[2]), median(py[0], py[1], py[2])};
    if (n > 0) return new int[] {px[0], py[0]};
    return new int[] {0, 0};
  }

  private static int median(int a, int b, int c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  /** Spec §10.9.2 motion_context: left + 2 * above motion flags within the slice, 0 .. 3. */
  int motionContext(int cx, int cy, int firstRow) {
    int left = cx > 0 && motion[cy * cellsWide + cx - 1] ? 1 : 0;
    int above = cy > firstRow && motion[(cy - 1) * cellsWide + cx] ? 1 : 0;
    return left + 2 * above;
  }
}
