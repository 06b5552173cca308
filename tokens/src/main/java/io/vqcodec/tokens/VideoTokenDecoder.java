package io.vqcodec.tokens;

import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.FrameType;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.Slice;
import io.vqcodec.container.VideoReader;
import io.vqcodec.entropy.EntropyDecodingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A .vqc video to tokens, frame by frame, without any neural network (Spec §10): key frames as
 * pictures (Spec §6.3, §8.3.2.4), predicted and motion frames against the previous frame's tokens
 * (Spec §10.4, §10.5, §10.9). Damaged slices lose their tokens (Spec §5.5), damaged frame headers
 * lose their frames (Spec §10.7); decoding goes on. Holds the reference grid and one frame. Not
 * thread-safe.
 */
public final class VideoTokenDecoder {
  private final VideoReader reader;
  private final ModelPackage model;
  private final TokenModel prior;
  private final GranularityMode mode;
  private TokenGrid reference;

  /**
   * A decoded frame.
   *
   * @param number frame_number
   * @param type its type; null if reserved (the frame is lost and {@code grid} is null)
   * @param grid its tokens, lost ones {@link TokenGrid#LOST}
   * @param skip per cell, whether it was skipped (copied from the reference); all false in a key
   *     frame
   * @param motion the cell modes and vectors of a motion frame (Spec §10.9); null in other frames
   * @param slices what became of each slice
   * @param headerBytes bytes of its frame header (Spec §10.3); 0 for a frame lost before it
   * @param payloadBytes bytes of its slice payloads
   * @param lostTokens tokens lost in this frame
   * @param lostBefore frames lost just before this one (Spec §10.7)
   */
  public record Frame(
      long number,
      FrameType type,
      TokenGrid grid,
      boolean[] skip,
      MotionField motion,
      List<SliceReport> slices,
      int headerBytes,
      int payloadBytes,
      int lostTokens,
      long lostBefore) {
    /** Cells skipped. */
    public int skippedCells() {
      int n = 0;
      if (skip != null) for (boolean b : skip) n += b ? 1 : 0;
      return n;
    }

    /** Cells copied by motion (Spec §10.9). */
    public int motionCells() {
      return motion == null ? 0 : motion.motionCount();
    }
  }

  private VideoTokenDecoder(VideoReader reader, ModelPackage model) throws IOException {
    this.reader = reader;
    this.model = model;
    ContainerHeader h = reader.header();
    this.prior = TokenDecoder.tokenModel(h, model);
    this.mode = h.grid().granularityMode();
  }

  /**
   * Reads the video's header (Spec §10.2) and checks its model (Spec §4.3) and size before any
   * frame is read.
   *
   * @throws io.vqcodec.container.FormatException if the header is damaged, invalid or not a video's
   * @throws UnknownModelException if the stream needs a model {@code models} lacks
   * @throws PictureTooLargeException if a frame has more than {@code maxPixels} pixels
   */
  public static VideoTokenDecoder open(InputStream in, ModelCatalogue models, long maxPixels)
      throws IOException {
    VideoReader r = VideoReader.open(in);
    ContainerHeader h = r.header();
    PictureTooLargeException.check(h.picture().width(), h.picture().height(), maxPixels);
    return new VideoTokenDecoder(r, TokenDecoder.checkModel(h, models));
  }

  /**
   * {@link #open} at the key frame at or before frame {@code frame} of a video file (Spec §10.6):
   * the first frame returned is that key frame (or frame 0 without a usable index).
   */
  public static VideoTokenDecoder openAt(
      SeekableByteChannel file, ModelCatalogue models, long maxPixels, long frame)
      throws IOException {
    VideoReader r = VideoReader.openAt(file, frame);
    ContainerHeader h = r.header();
    PictureTooLargeException.check(h.picture().width(), h.picture().height(), maxPixels);
    return new VideoTokenDecoder(r, TokenDecoder.checkModel(h, models));
  }

  public ContainerHeader header() {
    return reader.header();
  }

  /** The model package the stream names. */
  public ModelPackage model() {
    return model;
  }

  /** The next frame, or null after the last. */
  public Frame next() throws IOException {
    VideoReader.Frame f = reader.next();
    if (f == null) return null;
    ContainerHeader h = reader.header();
    if (f.type() == null || (f.type().predicted() && reference == null)) {
      // Spec §10.3: a reserved frame type loses the frame; a predicted frame with no frame before
      // it has no reference.
      return new Frame(
          f.number(), null, null, null, null, List.of(), f.headerBytes(), 0, 0, f.lostBefore());
    }
    TokenGrid grid = new TokenGrid(h.codedWidth(), h.codedHeight(), h.grid().codebookSize());
    MotionField motion =
        f.type() == FrameType.MOTION ? new MotionField(grid.cellsWide(), grid.cellsHigh()) : null;
    boolean[] skip =
        motion != null ? motion.skip : new boolean[grid.cellsWide() * grid.cellsHigh()];
    List<SliceReport> reports = new ArrayList<>();
    for (Slice s : f.slices()) {
      SliceReport.Outcome outcome = TokenDecoder.arrival(s);
      String detail = TokenDecoder.why(outcome);
      if (outcome == SliceReport.Outcome.DECODED) {
        try {
          if (f.type() == FrameType.KEY) {
            SliceCoder.decode(prior, s.payload(), grid, s.firstRow(), s.rowCount(), mode);
          } else if (motion != null) {
            SliceCoder.decodeMotion(
                prior, s.payload(), grid, reference, motion, s.firstRow(), s.rowCount(), mode);
          } else {
            SliceCoder.decodePredicted(
                prior, s.payload(), grid, reference, skip, s.firstRow(), s.rowCount(), mode);
          }
        } catch (EntropyDecodingException e) {
          outcome = SliceReport.Outcome.UNDECODABLE;
          detail = e.getMessage();
        }
      }
      if (outcome.lost()) {
        TokenDecoder.markLost(grid, s.firstRow(), s.rowCount(), mode);
        clearRows(motion, skip, grid.cellsWide(), s.firstRow(), s.rowCount());
      }
      reports.add(TokenDecoder.report(reports.size(), s, outcome, detail));
    }
    // Lost tokens: of lost slices, and copies of lost reference tokens (Spec §10.5).
    int lost = grid.lostTokens(), bytes = payloadBytes(reports);
    reference = grid; // Spec §10.5: the frame as decoded, lost tokens included
    return new Frame(
        f.number(),
        f.type(),
        grid,
        skip,
        motion,
        reports,
        f.headerBytes(),
        bytes,
        lost,
        f.lostBefore());
  }

  /**
   * Spec §10.9.5: the modes and vectors of a lost slice's cells are unknown; the frame's skip map
   * and motion field say so. Report code (conformance/README.md, "Mutation testing": clearRows is
   * not mutated): no later cell of the frame consults another slice's modes (Spec §10.4, §10.9.2).
   */
  private static void clearRows(
      MotionField motion, boolean[] skip, int cellsWide, int firstRow, int rowCount) {
    if (motion != null) motion.clearRows(firstRow, rowCount);
    Arrays.fill(skip, firstRow * cellsWide, (firstRow + rowCount) * cellsWide, false);
  }

  /** Payload bytes of the slices that arrived whole. Report code, like {@link #clearRows}. */
  private static int payloadBytes(List<SliceReport> reports) {
    int n = 0;
    for (SliceReport r : reports) n += Math.max(0, r.payloadBytes());
    return n;
  }

  /**
   * Whether the end code followed the frame index (Spec §2.6, a warning only), once {@link #next}
   * has returned null.
   */
  public boolean endCodeValid() {
    return reader.endCodeValid();
  }

  /** The frame index (Spec §10.6) once {@link #next} has returned null; null if absent. */
  public io.vqcodec.container.FrameIndex index() {
    return reader.index();
  }
}
