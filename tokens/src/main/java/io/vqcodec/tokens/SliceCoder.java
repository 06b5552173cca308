package io.vqcodec.tokens;

import io.vqcodec.container.GranularityMode;
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
 * slice_data() payloads (Spec §6.3) under either probability model (Spec §8.1): adaptive order-0
 * ({@code prior == null}, Spec §8.2) or the context prior (Spec §8.3.2.4). The encoder and the
 * decoder run the same walk of the syntax ({@link Order0SliceWalk}, {@link SliceWalk}); only what
 * happens to each symbol differs.
 */
public final class SliceCoder {
  private SliceCoder() {}

  /**
   * The payloads of every slice of {@code grid} when each slice has {@code sliceRows} cell rows
   * (the last one the rest), in order; coded in parallel on the slice workers (Spec §5.1: the
   * payloads are the same as one {@link #encode} per slice).
   *
   * @throws IllegalArgumentException as {@link #encode}, or if {@code sliceRows < 1}
   */
  public static List<byte[]> encodeSlices(
      ContextPrior prior, TokenGrid grid, int sliceRows, GranularityMode mode) {
    if (sliceRows < 1) throw new IllegalArgumentException("slice rows " + sliceRows + " < 1");
    List<Future<byte[]>> work = new ArrayList<>();
    for (int first = 0; first < grid.cellsHigh(); first += sliceRows) {
      int f = first, rows = Math.min(sliceRows, grid.cellsHigh() - first);
      work.add(SliceWorkers.submit(() -> encode(prior, grid, f, rows, mode)));
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
   * @param prior the context prior (prob_model_id 2), or null for adaptive order-0 (prob_model_id
   *     0)
   * @throws IllegalArgumentException if the rows are outside the grid, a coded token is {@link
   *     TokenGrid#LOST}, a cell's granularity disagrees with a forced {@code mode}, or the prior
   *     has no level for the grid's codebook size
   */
  public static byte[] encode(
      ContextPrior prior, TokenGrid grid, int firstRow, int rowCount, GranularityMode mode) {
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
        }.run(rows, firstRow, rowCount, mode);
      } else {
        new SliceWalk() {
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
        }.run(prior.level(grid.codebookSize()), SliceWalk.ALL, rows, firstRow, rowCount, mode);
      }
    } catch (EntropyDecodingException e) {
      throw new IllegalStateException(e); // the encoder never decodes
    }
    return enc.finish();
  }

  /**
   * Decodes one slice payload into {@code grid} (the flags and tokens of its rows). On an exception
   * the rows hold partial results: the caller marks them lost (Spec §6.6).
   *
   * @param prior the context prior (prob_model_id 2), or null for adaptive order-0 (prob_model_id
   *     0)
   * @throws EntropyDecodingException if the payload is truncated, malformed or does not terminate
   *     properly (Spec §7.6)
   * @throws IllegalArgumentException if the rows are outside the grid or the prior has no level for
   *     the grid's codebook size
   */
  public static void decode(
      ContextPrior prior,
      byte[] payload,
      TokenGrid grid,
      int firstRow,
      int rowCount,
      GranularityMode mode)
      throws EntropyDecodingException {
    if (firstRow < 0 || rowCount < 1 || firstRow + rowCount > grid.cellsHigh()) {
      throw new IllegalArgumentException(
          "rows [" + firstRow + ", " + (firstRow + rowCount) + ") outside 0.." + grid.cellsHigh());
    }
    ContextPrior.Level lv = prior == null ? null : prior.level(grid.codebookSize());
    RansDecoder dec = new RansDecoder(payload, 0, payload.length); // init_decoder, Spec §7.3
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
      }.run(grid, firstRow, rowCount, mode);
    } else {
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
      }.run(lv, SliceWalk.ALL, grid, firstRow, rowCount, mode);
    }
    dec.verifyEnd(); // check_end(), Spec §6.6, §7.6
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
            if (g.fineToken(2 * cx + (k & 1), 2 * cy + (k >> 1)) == TokenGrid.LOST) {
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
