package io.vqcodec.encoder;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.tokens.MotionField;
import io.vqcodec.tokens.TokenGrid;

/**
 * Full search for a cell's motion vector (Spec §10.9) in the token domain: every displacement of up
 * to {@code range} fine positions each way whose source lies inside the reference, scored by the
 * squared codeword distance between the cell's tokens and the copy's plus {@code lambda} times the
 * vector's estimated bits. A coarse token counts for each of its four fine positions on both sides,
 * as in {@link VideoEncoder#distance}.
 */
final class MotionSearch {
  private final float[] table;
  private final int d;
  private final int range;
  private final boolean evenOnly;
  private final int fineWide;
  private final int fineHigh;
  private final int[] refTokens; // Spec §10.9.4 ref_token per fine position, LOST kept

  MotionSearch(float[] table, TokenGrid reference, GranularityMode mode, int range) {
    this.table = table;
    this.d = table.length / reference.codebookSize();
    this.range = range;
    this.evenOnly = mode == GranularityMode.ALL_COARSE; // Spec §10.9.3
    this.fineWide = reference.fineWide();
    this.fineHigh = reference.fineHigh();
    this.refTokens = new int[fineWide * fineHigh];
    for (int fy = 0; fy < fineHigh; fy++) {
      for (int fx = 0; fx < fineWide; fx++) {
        refTokens[fy * fineWide + fx] = MotionField.refToken(reference, fx, fy);
      }
    }
  }

  /**
   * The vector {x, y} of cell ({@code cx}, {@code cy}) of {@code grid} with the least cost below
   * {@code bound}, or null if none is; {@code predictor} is the vector's predictor (Spec §10.9.2).
   * The zero vector is left to the skip.
   */
  int[] best(TokenGrid grid, int cx, int cy, int[] predictor, double lambda, double bound) {
    int[] cur = new int[4];
    for (int q = 0; q < 4; q++)
      cur[q] = MotionField.refToken(grid, 2 * cx + (q & 1), 2 * cy + (q >> 1));
    int cw = grid.cellsWide(), ch = grid.cellsHigh();
    double bestCost = bound;
    int[] best = null;
    for (int vy = -range; vy <= range; vy++) {
      for (int vx = -range; vx <= range; vx++) {
        if ((vx == 0 && vy == 0) || (evenOnly && ((vx | vy) & 1) != 0)) continue;
        if (!MotionField.sourceInside(cw, ch, cx, cy, vx, vy)) continue;
        double rate = lambda * bits(vx - predictor[0], vy - predictor[1]);
        if (rate >= bestCost) continue;
        double cost = rate + distance(cur, 2 * cx + vx, 2 * cy + vy, bestCost - rate);
        if (cost < bestCost) {
          bestCost = cost;
          best = new int[] {vx, vy};
        }
      }
    }
    return best;
  }

  /**
   * Estimated bits of a motion cell with these vector differences: its skip and motion flags, then
   * per component a nonzero flag and, if nonzero, a sign and a unary magnitude (Spec §10.9.3).
   */
  static double bits(int dx, int dy) {
    return 1.5 + componentBits(dx) + componentBits(dy);
  }

  private static double componentBits(int v) {
    return v == 0 ? 0.5 : 2 + Math.abs(v);
  }

  /** Distance from the four tokens {@code cur} to the reference's at fine origin (sx, sy). */
  private double distance(int[] cur, int sx, int sy, double bound) {
    double s = 0;
    for (int q = 0; q < 4; q++) {
      int t = refTokens[(sy + (q >> 1)) * fineWide + sx + (q & 1)];
      if (t == TokenGrid.LOST) return Double.POSITIVE_INFINITY;
      int a = cur[q];
      if (a == t) continue;
      for (int j = 0; j < d; j++) {
        double e = table[a * d + j] - table[t * d + j];
        s += e * e;
      }
      if (s >= bound) return s;
    }
    return s;
  }
}
