package io.vqcodec.tokens;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.EntropyDecodingException;
import java.util.function.IntSupplier;

/**
 * What a slice of a predicted frame adds to the key-frame syntax (Spec §10.4): the reference grid
 * (Spec §10.5), the skip flags of every cell and their models, and the models of the flags that say
 * a token equals its reference; in a motion frame (Spec §10.9) also the motion flags and vectors
 * and their models. One per slice; the walks ({@link Order0SliceWalk}, {@link SliceWalk}) consult
 * it.
 */
final class Temporal {
  final TokenGrid reference;

  /** The cell modes of a motion frame (Spec §10.9); null in a predicted frame (Spec §10.4). */
  final MotionField motion;

  private final GranularityMode mode;

  /** The entropy decoder's position, for messages; 0 when encoding. */
  IntSupplier position = () -> 0;

  /** is_skip per cell of the whole grid, raster order: the encoder's choice, or decoded. */
  final boolean[] skip;

  /** skip_model[0..3] and same_model[0 coarse, 1 fine], initial at the start of the slice. */
  final AdaptiveBinaryModel[] skipModel = new AdaptiveBinaryModel[4];

  final AdaptiveBinaryModel[] sameModel = new AdaptiveBinaryModel[2];

  /**
   * Spec §10.9.2: motion_model[0..3], mvd_nonzero_model[c], mvd_sign_model[c] and
   * mvd_more_model[c][0..3] for components c = 0 (x) and 1 (y).
   */
  private final AdaptiveBinaryModel[] motionModel = new AdaptiveBinaryModel[4];

  private final AdaptiveBinaryModel[] mvdNonzero = new AdaptiveBinaryModel[2];
  private final AdaptiveBinaryModel[] mvdSign = new AdaptiveBinaryModel[2];
  private final AdaptiveBinaryModel[][] mvdMore = new AdaptiveBinaryModel[2][4];

  Temporal(TokenGrid reference, boolean[] skip) {
    this(reference, skip, null, null);
  }

  /** A slice of a motion frame: the skip flags are {@code motion}'s. */
  Temporal(TokenGrid reference, MotionField motion, GranularityMode mode) {
    this(reference, motion.skip, motion, mode);
  }

  private Temporal(TokenGrid reference, boolean[] skip, MotionField motion, GranularityMode mode) {
    this.reference = reference;
    this.skip = skip;
    this.motion = motion;
    this.mode = mode;
    for (int i = 0; i < 4; i++) skipModel[i] = new AdaptiveBinaryModel();
    for (int i = 0; i < 2; i++) sameModel[i] = new AdaptiveBinaryModel();
    for (int i = 0; i < 4; i++) motionModel[i] = new AdaptiveBinaryModel();
    for (int c = 0; c < 2; c++) {
      mvdNonzero[c] = new AdaptiveBinaryModel();
      mvdSign[c] = new AdaptiveBinaryModel();
      for (int i = 0; i < 4; i++) mvdMore[c][i] = new AdaptiveBinaryModel();
    }
  }

  /**
   * The same frame data with every model in its initial state, for an encoder that codes a slice a
   * second time (the escape of Spec §8.3.3.5): the skip and motion decisions are the encoder's and
   * coding leaves them unchanged.
   */
  Temporal restarted() {
    return new Temporal(reference, skip, motion, mode);
  }

  /**
   * Whether the cell was copied before the key-frame syntax (skipped, or in a motion frame moved):
   * the key-frame syntax codes nothing for it (Spec §10.4, §10.9.1).
   */
  boolean skipped(TokenGrid g, int cx, int cy) {
    int i = cy * g.cellsWide() + cx;
    return skip[i] || (motion != null && motion.motion[i]);
  }

  /** Spec §10.4 skip_context: left + 2 * above, within the slice. */
  int skipContext(TokenGrid g, int cx, int cy, int firstRow) {
    int cw = g.cellsWide();
    int left = cx > 0 && skip[cy * cw + cx - 1] ? 1 : 0;
    int above = cy > firstRow && skip[(cy - 1) * cw + cx] ? 1 : 0;
    return left + 2 * above;
  }

  /** Whether the tokens of a cell of granularity {@code fine} get a same flag (Spec §10.4). */
  boolean hasSameFlag(int cx, int cy, boolean fine) {
    return reference.isFine(cx, cy) == fine;
  }

  /** A binary-flag coder: the walk's own flag method. */
  interface Flags {
    boolean flag(AdaptiveBinaryModel m, boolean value)
        throws io.vqcodec.entropy.EntropyDecodingException;
  }

  /**
   * Spec §10.4, first part: the skip flag of every cell of the slice, in raster order; a skipped
   * cell takes the reference's granularity and tokens (Spec §10.5).
   */
  void skipFlags(Flags f, TokenGrid g, int firstRow, int rowCount)
      throws io.vqcodec.entropy.EntropyDecodingException {
    if (motion != null) {
      cellModes(f, g, firstRow, rowCount);
      return;
    }
    int cw = g.cellsWide();
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        int i = cy * cw + cx;
        skip[i] = f.flag(skipModel[skipContext(g, cx, cy, firstRow)], skip[i]);
        if (skip[i]) g.copyCell(reference, cx, cy);
      }
    }
  }

  /**
   * Spec §10.9.1, first part of a motion frame's slice: per cell in raster order its skip flag,
   * then for a cell not skipped its motion flag, then for a motion cell its vector (Spec §10.9.2,
   * §10.9.3); skipped and motion cells are copied at once (Spec §10.5, §10.9.4).
   *
   * @throws EntropyDecodingException if a vector is out of range, has an odd component with
   *     granularity_mode 1, or points outside the reference (Spec §10.9.3): the slice is lost
   */
  private void cellModes(Flags f, TokenGrid g, int firstRow, int rowCount)
      throws EntropyDecodingException {
    int cw = g.cellsWide(), ch = g.cellsHigh();
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        int i = cy * cw + cx;
        skip[i] = f.flag(skipModel[skipContext(g, cx, cy, firstRow)], skip[i]);
        if (skip[i]) {
          motion.motion[i] = false;
          g.copyCell(reference, cx, cy);
          continue;
        }
        boolean moved =
            f.flag(motionModel[motion.motionContext(cx, cy, firstRow)], motion.motion[i]);
        motion.motion[i] = false; // set once its vector is known to be valid
        if (!moved) continue;
        int[] p = motion.predictor(cx, cy, firstRow);
        int vx = p[0] + mvd(f, 0, motion.mvx[i] - p[0]);
        int vy = p[1] + mvd(f, 1, motion.mvy[i] - p[1]);
        String bad = null;
        if (Math.abs(vx) > MotionField.MAX_MV || Math.abs(vy) > MotionField.MAX_MV) {
          bad = "beyond MAX_MV " + MotionField.MAX_MV;
        } else if (mode == GranularityMode.ALL_COARSE && ((vx | vy) & 1) != 0) {
          bad = "odd in an all-coarse stream";
        } else if (!MotionField.sourceInside(cw, ch, cx, cy, vx, vy)) {
          bad = "pointing outside the reference";
        }
        if (bad != null) {
          throw new EntropyDecodingException(
              "motion vector ("
                  + vx
                  + ","
                  + vy
                  + ") of cell ("
                  + cx
                  + ","
                  + cy
                  + ") "
                  + bad
                  + " (Spec §10.9.3)",
              position.getAsInt());
        }
        motion.motion[i] = true;
        motion.mvx[i] = vx;
        motion.mvy[i] = vy;
        MotionField.copy(reference, g, cx, cy, vx, vy);
      }
    }
  }

  /**
   * Spec §10.9.3 decode_mvd(c): a nonzero flag, a sign, then the magnitude in truncated unary up to
   * 2 * MAX_MV. {@code value} is what the encoder codes (ignored when decoding).
   */
  private int mvd(Flags f, int c, int value) throws EntropyDecodingException {
    if (!f.flag(mvdNonzero[c], value != 0)) return 0;
    boolean negative = f.flag(mvdSign[c], value < 0);
    int target = Math.abs(value), mag = 1;
    while (mag < 2 * MotionField.MAX_MV && f.flag(mvdMore[c][Math.min(mag - 1, 3)], mag < target)) {
      mag++;
    }
    return negative ? -mag : mag;
  }
}
