package io.vqcodec.tokens;

import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.container.FormatException;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.Limits;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.Slice;
import io.vqcodec.entropy.EntropyDecodingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * .vqc stream to tokens, without any neural network: parsing (Spec §2 to §5), entropy decoding
 * (Spec §6 to §8) and loss handling (Spec §5.5). Reads the stream once, front to back, decoding up
 * to one slice per worker thread at a time (Spec §5.1; {@code SliceWorkers}) and holding at most
 * that many slice payloads plus one besides the token grid; every size is bounded by the container
 * reader before anything is allocated (Spec Annex A). Stateless and thread-safe.
 */
public final class TokenDecoder {
  private TokenDecoder() {}

  /**
   * Decodes the tokens of {@code in} with the released models on the class path ({@link
   * ModelRegistry#builtIn()}).
   *
   * @see #decode(InputStream, ModelCatalogue, LossSimulation, SliceListener)
   */
  public static DecodedTokens decode(InputStream in, LossSimulation loss, SliceListener listener)
      throws IOException {
    return decode(in, ModelRegistry.builtIn(), loss, listener);
  }

  /**
   * Decodes the tokens of {@code in}.
   *
   * @param models the models this decoder has: the stream must name one of them (Spec §4.3)
   * @param loss tokens or slices to discard on purpose; {@link LossSimulation#NONE} normally
   * @param listener told about each slice as it is decoded; may be null
   * @throws io.vqcodec.container.FormatException if the header is malformed or damaged (nothing can
   *     be decoded); damaged or missing slices do not throw, they are reported and their tokens are
   *     lost
   * @throws UnknownModelException if the stream needs a model or context prior that {@code models}
   *     does not have
   * @throws IOException if reading {@code in} fails
   */
  public static DecodedTokens decode(
      InputStream in, ModelCatalogue models, LossSimulation loss, SliceListener listener)
      throws IOException {
    return decode(in, models, loss, Limits.MAX_PIXELS, listener);
  }

  /**
   * As {@link #decode(InputStream, ModelCatalogue, LossSimulation, SliceListener)}, refusing a
   * picture of more than {@code maxPixels} pixels from its header, before anything is allocated for
   * it or any slice is read: a service's own limit below the format's (Spec §A.1).
   *
   * @throws PictureTooLargeException if the picture has more than {@code maxPixels} pixels
   */
  public static DecodedTokens decode(
      InputStream in,
      ModelCatalogue models,
      LossSimulation loss,
      long maxPixels,
      SliceListener listener)
      throws IOException {
    ContainerReader reader = ContainerReader.open(in);
    ContainerHeader header = reader.header();
    if (header.picture().isVideo()) {
      // Spec §10.2: a video's header has no slices; its frames follow it (Spec §10.3).
      throw new FormatException(
          FormatException.Reason.INVALID_HEADER,
          "profile 1 {at}: a video (Spec §10); this is a picture decoder",
          14);
    }
    PictureTooLargeException.check(header.picture().width(), header.picture().height(), maxPixels);
    ModelPackage model = checkModel(header, models); // Spec §4.3: before decoding any slice
    TokenModel prior = tokenModel(header, model);
    // Sizes come from a header the reader has bounded (Spec §A.1): at most 2^20 cells. The grid
    // covers the coded picture (Spec §6.1, §9.6.1); its fine cells may carry residual stages
    // (Spec §9.6.2).
    TokenGrid grid =
        new TokenGrid(
            header.codedWidth(),
            header.codedHeight(),
            header.grid().codebookSize(),
            header.stageCount(),
            header.stageCodebookSize());
    GranularityMode mode = header.grid().granularityMode();
    boolean[] dropped = dropSlices(loss, reader.sliceCount());
    List<SliceReport> reports = new ArrayList<>(reader.sliceCount());
    // Spec §5.1: slices are independent, so up to one per worker thread decodes at once; they are
    // reported in stream order, and at most THREADS + 1 payloads are held at a time.
    ArrayDeque<PendingSlice> pending = new ArrayDeque<>();
    // Spec §6.9.1: with a pixel residual each payload is a token part and a residual part; the
    // residual parts are kept for synthesis, null where the slice is lost (§6.9.5).
    boolean residual = header.hasPixelResidual();
    List<byte[]> residualParts = new ArrayList<>();
    int index = 0;
    for (Slice s; (s = reader.nextSlice()) != null; index++) {
      SliceReport.Outcome arrived =
          dropped[index] ? SliceReport.Outcome.SIMULATED_LOSS : arrival(s);
      byte[][] parts =
          residual && arrived == SliceReport.Outcome.DECODED
              ? PixelResidual.split(s.payload())
              : null;
      if (residual) residualParts.add(parts == null ? null : parts[1]);
      PendingSlice p;
      if (arrived != SliceReport.Outcome.DECODED) {
        String why = dropped[index] ? "discarded by the loss simulation" : why(arrived);
        p = new PendingSlice(s, index, arrived, why, null);
      } else if (residual && parts == null) {
        p =
            new PendingSlice(
                s,
                index,
                SliceReport.Outcome.UNDECODABLE,
                PixelResidual.describeMalformed(s.payload()),
                null);
      } else {
        Slice slice = s;
        byte[] tokenPart = parts == null ? s.payload() : parts[0];
        p =
            new PendingSlice(
                s,
                index,
                arrived,
                "",
                SliceWorkers.submit(
                    () -> {
                      SliceCoder.decode(
                          prior, tokenPart, grid, slice.firstRow(), slice.rowCount(), mode);
                      return null;
                    }));
      }
      pending.add(p);
      while (pending.size() > SliceWorkers.THREADS) {
        finish(pending.poll(), grid, mode, reports, residualParts, listener);
      }
    }
    while (!pending.isEmpty()) finish(pending.poll(), grid, mode, reports, residualParts, listener);
    dropTokens(grid, loss);
    return new DecodedTokens(
        header,
        model,
        grid,
        reports,
        reader.headerSize(),
        reader.endCodeValid(),
        grid.lostTokens(),
        residualParts);
  }

  /**
   * Spec §5.4, §5.3: what a slice's arrival makes of it before any entropy decoding: {@code
   * DECODED} when its payload is to be decoded, else why its tokens are lost or absent.
   */
  static SliceReport.Outcome arrival(Slice s) {
    return switch (s.status()) {
      case OK -> s.payloadSize() == 0 ? SliceReport.Outcome.DROPPED : SliceReport.Outcome.DECODED;
      case CRC_MISMATCH -> SliceReport.Outcome.DAMAGED;
      case TRUNCATED -> SliceReport.Outcome.TRUNCATED;
      default -> SliceReport.Outcome.MISSING;
    };
  }

  /** The report's detail for an outcome of {@link #arrival}. */
  static String why(SliceReport.Outcome arrived) {
    return switch (arrived) {
      case DROPPED -> "dropped by the encoder (empty payload)";
      case DAMAGED -> "payload fails its CRC-32C";
      case TRUNCATED -> "stream ends inside the payload";
      case MISSING -> "stream ends before the payload";
      default -> "";
    };
  }

  /**
   * The report of slice {@code index} of the stream: its rows, payload size (-1 unless the payload
   * arrived whole), outcome and detail. Report code (conformance/README.md, "Mutation testing":
   * report is not mutated; Annex C takes the outcome from the decoder, not from this record).
   */
  static SliceReport report(int index, Slice s, SliceReport.Outcome outcome, String detail) {
    return new SliceReport(
        index,
        s.firstRow(),
        s.rowCount(),
        s.status() == Slice.Status.OK ? s.payloadSize() : -1,
        outcome,
        detail);
  }

  /** A slice read from the stream, its outcome so far and, if it is being decoded, that work. */
  private record PendingSlice(
      Slice slice, int index, SliceReport.Outcome outcome, String detail, Future<Void> work) {}

  /**
   * Waits for a slice's decoding, marks its tokens lost (and drops its residual part) if it failed,
   * reports it.
   */
  private static void finish(
      PendingSlice p,
      TokenGrid grid,
      GranularityMode mode,
      List<SliceReport> reports,
      List<byte[]> residualParts,
      SliceListener listener)
      throws IOException {
    SliceReport.Outcome outcome = p.outcome();
    String detail = p.detail();
    if (p.work() != null) {
      try {
        p.work().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof EntropyDecodingException)) {
          if (e.getCause() instanceof RuntimeException r) throw r;
          if (e.getCause() instanceof Error r) throw r;
          throw new IOException(e.getCause());
        }
        outcome = SliceReport.Outcome.UNDECODABLE;
        detail = e.getCause().getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while decoding slice " + p.index());
      }
    }
    Slice s = p.slice();
    if (outcome.lost()) {
      markLost(grid, s.firstRow(), s.rowCount(), mode);
      // Spec §6.9.5: a lost slice's residual adds nothing, its token part's failure included.
      if (!residualParts.isEmpty()) residualParts.set(p.index(), null);
    }
    SliceReport report = report(p.index(), s, outcome, detail);
    reports.add(report);
    if (listener != null) listener.sliceDecoded(report);
  }

  /**
   * Spec §4.3: the package holding the weights the stream names, else refuse and say which model
   * the stream needs and, for the same id, that the weights differ. Spec §8.3.2.1: tokens coded
   * with the context prior need the prior of exactly the stream's id (ids that share weights, Spec
   * §4.4, do not share priors); likewise the two-stage model (Spec §8.3.3.1).
   */
  static ModelPackage checkModel(ContainerHeader header, ModelCatalogue models) throws IOException {
    ModelId want = header.model();
    ModelPackage model = models.find(want).orElse(null);
    if (model == null) {
      throw new UnknownModelException(describeMissingModel(want, models), want.id());
    }
    // Spec §6.2, §8.3.2.1, §C.4: a codebook level the model (or its prior) does not provide is
    // refused like a model the decoder does not have.
    int k = header.grid().codebookSize();
    String sizes = model.property("codebook.sizes");
    if (sizes != null && !Arrays.asList(sizes.replace(" ", "").split(",")).contains("" + k)) {
      throw new UnknownModelException(
          "stream needs codebook level K = " + k + "; model " + want.id() + " has K = " + sizes,
          want.id());
    }
    // Spec §9.6.2, §C.4: stages or a stage codebook the model does not provide, likewise.
    if (header.stageCount() > 1) {
      int have = model.stageCount(), stageK = model.stageCodebookSize();
      if (have < header.stageCount() || header.stageCodebookSize() != stageK) {
        throw new UnknownModelException(describeMissingStages(header, model), want.id());
      }
    }
    tokenModel(header, model); // Spec §8.3.2.1, §8.3.3.1: the parameters the stream needs
    return model;
  }

  // Messages (conformance/README.md, "Mutation testing": describe* methods are not mutated; Annex C
  // compares the refusal's category only).

  /** Which model the stream needs and, if this decoder has the same id, that its weights differ. */
  private static String describeMissingModel(ModelId want, ModelCatalogue models) {
    HexFormat hex = HexFormat.of();
    String need =
        "stream needs model " + want.id() + " (weights sha256 " + hex.formatHex(want.weightsHash());
    for (ModelPackage p : models.packages()) {
      for (long id : p.decodableIds()) {
        if (id == want.id()) {
          return need
              + "...); this decoder has model "
              + id
              + " with weights sha256 "
              + hex.formatHex(p.weightsSha256(), 0, ModelId.HASH_BYTES)
              + "...: different weights";
        }
      }
    }
    return need + "...); this decoder has " + ModelPackage.describe(models.packages());
  }

  private static String describeMissingStages(ContainerHeader header, ModelPackage model) {
    int have = model.stageCount();
    return "stream needs "
        + header.stageCount()
        + " residual stages with codebooks of K = "
        + header.stageCodebookSize()
        + "; model "
        + header.model().id()
        + (have <= 1
            ? " has no residual stages"
            : " has " + have + " stages of K = " + model.stageCodebookSize());
  }

  /**
   * The parameters of the stream's probability model (Spec §8.1) from the package §4.3 selected,
   * null for adaptive order-0.
   *
   * @throws UnknownModelException if the package has none for the stream's model id and K
   */
  static TokenModel tokenModel(ContainerHeader header, ModelPackage model) throws IOException {
    return model.tokenModel(
        header.grid().probabilityModel(), header.model().id(), header.grid().codebookSize());
  }

  /**
   * Spec §5.5: every token of the slice's cells is lost. Their granularity is unknown; the decoder
   * takes the stream's forced granularity, else fine (four lost tokens per cell), which lets
   * concealment work at the finer scale.
   */
  static void markLost(TokenGrid grid, int firstRow, int rowCount, GranularityMode mode) {
    boolean fine = mode != GranularityMode.ALL_COARSE;
    for (int cy = firstRow; cy < firstRow + rowCount; cy++) {
      for (int cx = 0; cx < grid.cellsWide(); cx++) {
        grid.setFine(cx, cy, fine);
        grid.setCellStages(cx, cy, 1); // lost with the slice; concealment works on the first stage
        grid.setCoarseToken(cx, cy, fine ? 0 : TokenGrid.LOST);
        for (int q = 0; q < 4; q++) {
          grid.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), fine ? TokenGrid.LOST : 0);
        }
      }
    }
  }

  /** Marks a share of the coded tokens lost, one by one or in bursts. */
  private static void dropTokens(TokenGrid grid, LossSimulation loss) {
    if (!loss.active() || loss.unit() == LossSimulation.Unit.SLICE) return;
    // The coded tokens in raster order of cells (a fine cell's four in Spec §6.3 order).
    int cw = grid.cellsWide(), n = grid.tokenCount();
    int[] cellOf = new int[n];
    int[] quarter = new int[n];
    int t = 0;
    for (int cy = 0; cy < grid.cellsHigh(); cy++) {
      for (int cx = 0; cx < cw; cx++) {
        if (grid.isFine(cx, cy)) {
          for (int q = 0; q < 4; q++) {
            cellOf[t] = cy * cw + cx;
            quarter[t++] = q;
          }
        } else {
          cellOf[t] = cy * cw + cx;
          quarter[t++] = -1;
        }
      }
    }
    SplittableRandom random = new SplittableRandom(loss.seed());
    boolean[] drop;
    if (loss.unit() == LossSimulation.Unit.TOKEN) {
      drop = choose(n, loss.fraction(), random);
    } else {
      drop = new boolean[n];
      int target = (int) Math.round(loss.fraction() * n), dropped = 0;
      while (dropped < target) {
        int start = random.nextInt(n);
        for (int i = start;
            i < Math.min(n, start + LossSimulation.BURST) && dropped < target;
            i++) {
          if (!drop[i]) {
            drop[i] = true;
            dropped++;
          }
        }
      }
    }
    for (int i = 0; i < n; i++) {
      if (!drop[i]) continue;
      int cx = cellOf[i] % cw, cy = cellOf[i] / cw, q = quarter[i];
      if (q < 0) {
        grid.setCoarseToken(cx, cy, TokenGrid.LOST);
      } else {
        grid.setFineToken(2 * cx + (q & 1), 2 * cy + (q >> 1), TokenGrid.LOST);
      }
    }
  }

  /** The slices a loss simulation of whole slices discards: none for any other simulation. */
  private static boolean[] dropSlices(LossSimulation loss, int sliceCount) {
    return loss.unit() == LossSimulation.Unit.SLICE
        ? choose(sliceCount, loss.fraction(), new SplittableRandom(loss.seed()))
        : new boolean[sliceCount];
  }

  /** Exactly round(fraction * n) of n items, chosen by a seeded partial shuffle. */
  private static boolean[] choose(int n, double fraction, SplittableRandom random) {
    int count = (int) Math.round(fraction * n);
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) idx[i] = i;
    boolean[] chosen = new boolean[n];
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(n - i);
      int tmp = idx[i];
      idx[i] = idx[j];
      idx[j] = tmp;
      chosen[idx[i]] = true;
    }
    return chosen;
  }
}
