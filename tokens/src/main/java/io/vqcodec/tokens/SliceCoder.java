package io.vqcodec.tokens;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.Slice;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.Cdf;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansDecoder;
import io.vqcodec.entropy.RansEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * slice_data() payloads (Spec §6.3) under every probability model (Spec §8.1): adaptive order-0
 * ({@code model == null}, Spec §8.2), the context prior ({@link ContextPrior}, Spec §8.3.2.4) or
 * the two-stage model ({@link TwoStagePrior}, Spec §8.3.3.5). The encoder and the decoder run the
 * same walk of the syntax ({@link Order0SliceWalk}, {@link SliceWalk}); only what happens to each
 * symbol differs.
 */
public final class SliceCoder {
  private SliceCoder() {}

  /**
   * The cell rows of each slice, top to bottom, when a grid {@code cellsHigh} rows high is cut into
   * slices of about {@code sliceRows} rows (Spec §5.7): round(cellsHigh / sliceRows) slices, at
   * least one, as equal as they can be, the longer ones first. A height that is a multiple of
   * {@code sliceRows} gets slices of exactly that many rows. Cutting the rest off as a short last
   * slice instead cost a directory entry (7 or 8 bytes, Spec §5.2), an entropy-coder flush and a
   * cold start of every adaptive model for a few cells: a 176x144 video frame (9 cell rows) paid 13
   * of its 76 bytes for a one-row slice.
   *
   * @throws IllegalArgumentException if {@code cellsHigh < 1} or {@code sliceRows < 1}
   */
  public static int[] sliceRowCounts(int cellsHigh, int sliceRows) {
    if (sliceRows < 1) throw new IllegalArgumentException("slice rows " + sliceRows + " < 1");
    if (cellsHigh < 1) throw new IllegalArgumentException("cell rows " + cellsHigh + " < 1");
    int count = Math.max(1, (int) ((cellsHigh + (long) sliceRows / 2) / sliceRows));
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) rows[i] = cellsHigh / count + (i < cellsHigh % count ? 1 : 0);
    return rows;
  }

  /**
   * The slices of {@code payloads} coded by {@link #encodeSlices} with {@code sliceRows}, with
   * their rows (Spec §5.2).
   */
  public static List<Slice> slices(List<byte[]> payloads, int cellsHigh, int sliceRows) {
    int[] rows = sliceRowCounts(cellsHigh, sliceRows);
    if (rows.length != payloads.size()) {
      throw new IllegalArgumentException(
          payloads.size() + " payloads for " + rows.length + " slices of about " + sliceRows);
    }
    List<Slice> slices = new ArrayList<>(rows.length);
    for (int i = 0, first = 0; i < rows.length; first += rows[i++]) {
      slices.add(new Slice(first, rows[i], payloads.get(i)));
    }
    return slices;
  }

  /**
   * The payloads of every slice of {@code grid}, cut into slices of about {@code sliceRows} cell
   * rows ({@link #sliceRowCounts}), in order; coded in parallel on the slice workers (Spec §5.1:
   * the payloads are the same as one {@link #encode} per slice).
   *
   * @throws IllegalArgumentException as {@link #encode}, or if {@code sliceRows < 1}
   */
  public static List<byte[]> encodeSlices(
      TokenModel prior, TokenGrid grid, int sliceRows, GranularityMode mode) {
    return encodeSlices(prior, grid, null, null, null, sliceRows, mode);
  }

  /**
   * {@link #encodeSlices(TokenModel, TokenGrid, int, GranularityMode)} for a predicted frame (Spec
   * §10.4), each slice by {@link #encodePredicted}; a null {@code reference} codes a key frame.
   */
  public static List<byte[]> encodeSlices(
      TokenModel prior,
      TokenGrid grid,
      TokenGrid reference,
      boolean[] skip,
      int sliceRows,
      GranularityMode mode) {
    return encodeSlices(prior, grid, reference, skip, null, sliceRows, mode);
  }

  /**
   * {@link #encodeSlices(TokenModel, TokenGrid, int, GranularityMode)} for a motion frame (Spec
   * §10.9), each slice by {@link #encodeMotion}.
   */
  public static List<byte[]> encodeSlices(
      TokenModel prior,
      TokenGrid grid,
      TokenGrid reference,
      MotionField motion,
      int sliceRows,
      GranularityMode mode) {
    return encodeSlices(prior, grid, reference, null, motion, sliceRows, mode);
  }

  private static List<byte[]> encodeSlices(
      TokenModel prior,
      TokenGrid grid,
      TokenGrid reference,
      boolean[] skip,
      MotionField motion,
      int sliceRows,
      GranularityMode mode) {
    int[] sliceRowCounts = sliceRowCounts(grid.cellsHigh(), sliceRows);
    List<Future<byte[]>> work = new ArrayList<>();
    for (int i = 0, first = 0; i < sliceRowCounts.length; first += sliceRowCounts[i++]) {
      int f = first, rows = sliceRowCounts[i];
      work.add(
          SliceWorkers.submit(
              () ->
                  reference == null
                      ? encode(prior, grid, f, rows, mode)
                      : motion != null
                          ? encodeMotion(prior, grid, reference, motion, f, rows, mode)
                          : encodePredicted(prior, grid, reference, skip, f, rows, mode)));
    }
    List<byte[]> out = new ArrayList<>(work.size());
    try {
      for (Future<byte[]> w : work) out.add(w.get());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while coding slices", e);
    }
    return out;
  }

  /**
   * The payload of the slice covering cell rows {@code firstRow .. firstRow + rowCount - 1}; {@code
   * grid} is not modified.
   *
   * @param prior the parameters of prob_model_id 2 or 3, or null for adaptive order-0
   *     (prob_model_id 0)
   * @throws IllegalArgumentException if the rows are outside the grid, a coded token is {@link
   *     TokenGrid#LOST}, a cell's granularity disagrees with a forced {@code mode}, or the prior
   *     has no level for the grid's codebook size
   */
  public static byte[] encode(
      TokenModel prior, TokenGrid grid, int firstRow, int rowCount, GranularityMode mode) {
    return encode(prior, grid, firstRow, rowCount, mode, null);
  }

  /**
   * The payload of a slice of a predicted frame (Spec §10.4): cells whose {@code skip} entry is set
   * are copied from {@code reference} (and {@code grid} must already hold the reference's cell
   * there), the others coded as in a key frame with a same flag before each token whose reference
   * cell has the same granularity.
   *
   * @param skip per cell of the whole grid, raster order
   * @throws IllegalArgumentException as {@link #encode(TokenModel, TokenGrid, int, int,
   *     GranularityMode)}, or if the reference or the skip map does not fit the grid, or a skipped
   *     cell differs from its reference
   */
  public static byte[] encodePredicted(
      TokenModel prior,
      TokenGrid grid,
      TokenGrid reference,
      boolean[] skip,
      int firstRow,
      int rowCount,
      GranularityMode mode) {
    checkReference(grid, reference, skip);
    for (int cy = firstRow; cy < Math.min(grid.cellsHigh(), firstRow + rowCount); cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        if (skip[cy * grid.cellsWide() + cx] && !grid.sameCell(reference, cx, cy)) {
          throw new IllegalArgumentException(
              "cell (" + cx + "," + cy + ") is skipped but differs from its reference");
        }
      }
    }
    return encode(prior, grid, firstRow, rowCount, mode, new Temporal(reference, skip.clone()));
  }

  /**
   * The payload of a slice of a motion frame (Spec §10.9): skipped cells and motion cells of {@code
   * motion} are copied from {@code reference} (and {@code grid} must already hold the copies there,
   * Spec §10.9.4), the others coded as in a predicted frame.
   *
   * @throws IllegalArgumentException as {@link #encodePredicted}, or if a vector points outside the
   *     reference or has an odd component in an all-coarse stream, or a copied cell differs from
   *     its copy
   */
  public static byte[] encodeMotion(
      TokenModel prior,
      TokenGrid grid,
      TokenGrid reference,
      MotionField motion,
      int firstRow,
      int rowCount,
      GranularityMode mode) {
    checkReference(grid, reference, motion.skip);
    if (motion.cellsWide() != grid.cellsWide()) {
      throw new IllegalArgumentException("motion field does not fit " + grid);
    }
    MotionField m = new MotionField(grid.cellsWide(), grid.cellsHigh());
    TokenGrid copy = new TokenGrid(grid.width(), grid.height(), grid.codebookSize());
    for (int cy = firstRow; cy < Math.min(grid.cellsHigh(), firstRow + rowCount); cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        if (motion.isSkip(cx, cy)) {
          m.setSkip(cx, cy);
          copy.copyCell(reference, cx, cy);
        } else if (motion.isMotion(cx, cy)) {
          int vx = motion.mvX(cx, cy), vy = motion.mvY(cx, cy);
          if (mode == GranularityMode.ALL_COARSE && ((vx | vy) & 1) != 0) {
            throw new IllegalArgumentException(
                "cell (" + cx + "," + cy + "): odd vector in an all-coarse stream");
          }
          m.setMotion(cx, cy, vx, vy);
          MotionField.copy(reference, copy, cx, cy, vx, vy);
        } else {
          continue;
        }
        if (!grid.sameCell(copy, cx, cy)) {
          throw new IllegalArgumentException(
              "cell (" + cx + "," + cy + ") is copied but differs from its copy");
        }
      }
    }
    return encode(prior, grid, firstRow, rowCount, mode, new Temporal(reference, m, mode));
  }

  private static byte[] encode(
      TokenModel prior,
      TokenGrid grid,
      int firstRow,
      int rowCount,
      GranularityMode mode,
      Temporal temporal) {
    check(grid, firstRow, rowCount, mode);
    RansEncoder enc = new RansEncoder(5 * grid.cellsWide() * rowCount + 16);
    // The walks write the values they code back into the grid: give them a private copy of the
    // rows.
    TokenGrid rows = grid.copyRows(firstRow, rowCount);
    try {
      if (prior == null) {
        new Order0SliceWalk() {
          @Override
          protected boolean flag(AdaptiveBinaryModel m, boolean isFine) {
            enc.encode(m, isFine ? 1 : 0);
            return isFine;
          }

          @Override
          protected int token(AdaptiveModel m, boolean fine, int value) {
            enc.encode(m, value);
            return value;
          }

          @Override
          protected int bits(int n, int value) {
            enc.encodeBits(value, n);
            return value;
          }
        }.run(rows, firstRow, rowCount, mode, temporal);
      } else if (prior instanceof ContextPrior cp) {
        encoderWalk(enc)
            .run(
                cp.level(grid.codebookSize()),
                SliceWalk.ALL,
                rows,
                firstRow,
                rowCount,
                mode,
                temporal);
      } else {
        // Spec §8.3.3.5: code the slice with the model (in a predicted or motion slice of a level
        // with the temporal expert, with and without the reference tokens) and escaped (raw
        // tokens); keep the smallest.
        TwoStagePrior.Level lv = ((TwoStagePrior) prior).level(grid.codebookSize());
        boolean both = temporal != null && lv.hasTemporal();
        byte[] best = null;
        for (int way = both ? 0 : 1; way < 3; way++) {
          if (best != null) rows = grid.copyRows(firstRow, rowCount);
          Temporal t = best == null || temporal == null ? temporal : temporal.restarted();
          encoderWalk(enc).run(lv, way == 2, way == 0, rows, firstRow, rowCount, mode, t);
          byte[] b = enc.finish();
          if (best == null || b.length < best.length) best = b;
        }
        return best;
      }
    } catch (EntropyDecodingException e) {
      throw new IllegalStateException(e); // the encoder never decodes
    }
    return enc.finish();
  }

  private static SliceWalk encoderWalk(RansEncoder enc) {
    return new SliceWalk() {
      @Override
      protected boolean flag(AdaptiveBinaryModel m, boolean isFine) {
        enc.encode(m, isFine ? 1 : 0);
        return isFine;
      }

      @Override
      protected int token(Cdf cdf, int value) {
        enc.encode(cdf, value);
        return value;
      }

      @Override
      protected int bits(int n, int value) {
        enc.encodeBits(value, n);
        return value;
      }
    };
  }

  /**
   * Decodes one slice payload into {@code grid} (the flags and tokens of its rows). On an exception
   * the rows hold partial results: the caller marks them lost (Spec §6.6).
   *
   * @param prior the parameters of prob_model_id 2 or 3, or null for adaptive order-0
   *     (prob_model_id 0)
   * @throws EntropyDecodingException if the payload is truncated, malformed or does not terminate
   *     properly (Spec §7.6)
   * @throws IllegalArgumentException if the rows are outside the grid or the prior has no level for
   *     the grid's codebook size
   */
  public static void decode(
      TokenModel prior,
      byte[] payload,
      TokenGrid grid,
      int firstRow,
      int rowCount,
      GranularityMode mode)
      throws EntropyDecodingException {
    decode(prior, payload, grid, firstRow, rowCount, mode, null);
  }

  /**
   * Decodes one slice payload of a predicted frame (Spec §10.4) into {@code grid}, against {@code
   * reference} (Spec §10.5), and its skip flags into {@code skip} (per cell of the whole grid,
   * raster order). On an exception the rows hold partial results: the caller marks them lost.
   *
   * @throws EntropyDecodingException as {@link #decode(TokenModel, byte[], TokenGrid, int, int,
   *     GranularityMode)}
   * @throws IllegalArgumentException as that method, or if the reference or the skip map does not
   *     fit the grid
   */
  public static void decodePredicted(
      TokenModel prior,
      byte[] payload,
      TokenGrid grid,
      TokenGrid reference,
      boolean[] skip,
      int firstRow,
      int rowCount,
      GranularityMode mode)
      throws EntropyDecodingException {
    checkReference(grid, reference, skip);
    decode(prior, payload, grid, firstRow, rowCount, mode, new Temporal(reference, skip));
  }

  /**
   * Decodes one slice payload of a motion frame (Spec §10.9) into {@code grid}, against {@code
   * reference}, and its cell modes and vectors into {@code motion}. On an exception the rows hold
   * partial results: the caller marks them lost.
   *
   * @throws EntropyDecodingException as {@link #decodePredicted}, or if a vector is invalid (Spec
   *     §10.9.3)
   * @throws IllegalArgumentException as {@link #decodePredicted}, or if {@code motion} does not fit
   *     the grid
   */
  public static void decodeMotion(
      TokenModel prior,
      byte[] payload,
      TokenGrid grid,
      TokenGrid reference,
      MotionField motion,
      int firstRow,
      int rowCount,
      GranularityMode mode)
      throws EntropyDecodingException {
    checkReference(grid, reference, motion.skip);
    if (motion.cellsWide() != grid.cellsWide()) {
      throw new IllegalArgumentException("motion field does not fit " + grid);
    }
    decode(prior, payload, grid, firstRow, rowCount, mode, new Temporal(reference, motion, mode));
  }

  private static void decode(
      TokenModel prior,
      byte[] payload,
      TokenGrid grid,
      int firstRow,
      int rowCount,
      GranularityMode mode,
      Temporal temporal)
      throws EntropyDecodingException {
    int first = checkArguments(grid, firstRow, rowCount);
    RansDecoder dec = new RansDecoder(payload, 0, payload.length); // init_decoder, Spec §7.3
    if (temporal != null) temporal.position = dec::bytesConsumed;
    if (prior == null) {
      new Order0SliceWalk() {
        @Override
        protected boolean flag(AdaptiveBinaryModel m, boolean isFine)
            throws EntropyDecodingException {
          return dec.decode(m) == 1;
        }

        @Override
        protected int token(AdaptiveModel m, boolean fine, int value)
            throws EntropyDecodingException {
          return dec.decode(m);
        }

        @Override
        protected int bits(int n, int value) throws EntropyDecodingException {
          return dec.decodeBits(n);
        }
      }.run(grid, first, rowCount, mode, temporal);
    } else {
      SliceWalk walk =
          new SliceWalk() {
            @Override
            protected boolean flag(AdaptiveBinaryModel m, boolean isFine)
                throws EntropyDecodingException {
              return dec.decode(m) == 1;
            }

            @Override
            protected int token(Cdf cdf, int value) throws EntropyDecodingException {
              return dec.decode(cdf);
            }

            @Override
            protected int bits(int n, int value) throws EntropyDecodingException {
              return dec.decodeBits(n);
            }
          };
      if (prior instanceof ContextPrior cp) {
        walk.run(
            cp.level(grid.codebookSize()), SliceWalk.ALL, grid, first, rowCount, mode, temporal);
      } else {
        TwoStagePrior.Level lv = ((TwoStagePrior) prior).level(grid.codebookSize());
        walk.run(lv, false, false, grid, first, rowCount, mode, temporal);
      }
    }
    dec.verifyEnd(); // check_end(), Spec §6.6, §7.6
  }

  // An argument check, returning the first row (conformance/README.md, "Mutation testing":
  // checkArguments is not mutated; the container bounds a slice's rows first, Spec §5.2).
  private static int checkArguments(TokenGrid grid, int firstRow, int rowCount) {
    if (firstRow < 0 || rowCount < 1 || firstRow + rowCount > grid.cellsHigh()) {
      throw new IllegalArgumentException(
          "rows [" + firstRow + ", " + (firstRow + rowCount) + ") outside 0.." + grid.cellsHigh());
    }
    return firstRow;
  }

  private static void checkReference(TokenGrid grid, TokenGrid reference, boolean[] skip) {
    if (reference.cellsWide() != grid.cellsWide()
        || reference.cellsHigh() != grid.cellsHigh()
        || reference.codebookSize() != grid.codebookSize()) {
      throw new IllegalArgumentException("reference grid " + reference + " does not fit " + grid);
    }
    if (skip.length != grid.cellsWide() * grid.cellsHigh()) {
      throw new IllegalArgumentException(
          "skip map of "
              + skip.length
              + " cells for a grid of "
              + grid.cellsWide() * grid.cellsHigh());
    }
  }

  /**
   * What the encoder refuses to code: rows outside the grid, lost tokens, flags against the mode.
   */
  private static void check(TokenGrid g, int firstRow, int rowCount, GranularityMode mode) {
    if (firstRow < 0 || rowCount < 1 || firstRow + rowCount > g.cellsHigh()) {
      throw new IllegalArgumentException(
          "rows [" + firstRow + ", " + (firstRow + rowCount) + ") outside 0.." + g.cellsHigh());
    }
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        boolean f = g.isFine(cx, cy);
        if ((mode == GranularityMode.ALL_FINE && !f) || (mode == GranularityMode.ALL_COARSE && f)) {
          throw new IllegalArgumentException(
              "cell ("
                  + cx
                  + ","
                  + cy
                  + ") is "
                  + (f ? "fine" : "coarse")
                  + " but the granularity mode is "
                  + mode);
        }
        if (f) {
          for (int k = 0; k < 4; k++) {
            int fx = 2 * cx + (k & 1), fy = 2 * cy + (k >> 1);
            boolean lost = g.fineToken(fx, fy) == TokenGrid.LOST;
            for (int st = 2; st <= g.cellStages(cx, cy); st++)
              lost |= g.stageToken(st, fx, fy) == TokenGrid.LOST;
            if (lost) {
              throw new IllegalArgumentException("lost token in cell (" + cx + "," + cy + ")");
            }
          }
        } else if (g.coarseToken(cx, cy) == TokenGrid.LOST) {
          throw new IllegalArgumentException("lost token in cell (" + cx + "," + cy + ")");
        }
      }
    }
  }
}
