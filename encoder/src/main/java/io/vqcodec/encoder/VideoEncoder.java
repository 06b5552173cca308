package io.vqcodec.encoder;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.Extension;
import io.vqcodec.container.FrameType;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.container.VideoWriter;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.MotionField;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TokenModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames to a .vqc video (Spec §10): each frame is tokenized as a picture at the options' quality
 * step; a key frame is coded as a picture, a predicted frame chooses per cell, by rate-distortion
 * cost in the token domain, between a skip (the previous frame's co-located tokens, Spec §10.4), a
 * motion copy (the previous frame's tokens from a displaced position, Spec §10.9) and coding the
 * cell with same flags; the copies are then checked in pixels ({@link #copyTolerance}, Spec §10.8).
 * A key frame every {@code keyint} frames, and wherever a predicted frame would cost at least 90%
 * of a key frame (a scene cut).
 *
 * <pre>{@code
 * try (VideoEncoder encoder = VideoEncoder.open();
 *     VideoEncoder.Session s =
 *         encoder.start(out, 640, 272, 25, 1, 0, EncoderOptions.defaults(), 50, 0)) {
 *   for (BufferedImage frame : frames) s.add(frame);
 * }
 * }</pre>
 *
 * <p>Memory does not grow with the clip: a session holds the previous frame's tokens. One session
 * at a time per encoder; not thread-safe.
 */
public final class VideoEncoder implements AutoCloseable {
  /** Default key-frame interval in frames. */
  public static final int DEFAULT_KEYINT = 60;

  /**
   * Without the pixel check of copies, or with {@link #keyFrameSlope} NaN, a predicted frame at
   * least this fraction of its key-frame size is coded as a key frame.
   */
  static final double SCENE_CUT = 0.9;

  /**
   * The default of {@link #keyFrameSlope}: intra coding's PSNR gain per doubling of bits, the
   * median over the validation clips' intra codings between quality steps 5 and 9 (2.2 dB;
   * results/video/key-frames/). On those clips the rate-distortion choice it drives costs the same
   * as the size rule (a hand-held camera: 0.832 of intra at equal PSNR against 0.836; pans, zooms,
   * still scenes: no frame changes type).
   */
  public static final double DEFAULT_KEY_FRAME_SLOPE = 2.2;

  /** Default motion search range in fine positions (8 coded pixels): up to 64 pixels a frame. */
  public static final int DEFAULT_MOTION_RANGE = 8;

  /**
   * Default skip tolerance: a cell may be skipped when its tokens lie, in total squared codeword
   * distance, within this many times the codebook's resolution ({@link #codebookResolution}) of the
   * fresh tokens. With the pixel check of copies ({@link #DEFAULT_COPY_TOLERANCE}) it only proposes
   * copies. Both were chosen together on synthetic clips made from the validation photos
   * (results/video/copy-tuning): the lowest cost of predicted frames at equal PSNR among the pairs
   * whose codings all stay inside the intra range and whose mean drift over a clip stays under 0.5
   * dB. Predicted frames cost 0.327 of intra frames at (64, 1) against 0.385 at (8, no check), the
   * previous default (results/video/skip-tuning for the token tolerance alone).
   */
  public static final double DEFAULT_SKIP_TOLERANCE = 64;

  /**
   * Default copy tolerance ({@link #copyTolerance}): a copied cell is coded after all when its
   * decoded pixels' squared error exceeds what coding it would leave by more than this many times
   * the mean squared error of a coded cell of the frame. Chosen with {@link
   * #DEFAULT_SKIP_TOLERANCE}.
   */
  public static final double DEFAULT_COPY_TOLERANCE = 1;

  private int motionRange = DEFAULT_MOTION_RANGE;
  private double skipTolerance = DEFAULT_SKIP_TOLERANCE;
  private double copyTolerance = DEFAULT_COPY_TOLERANCE;
  private double keyFrameSlope = DEFAULT_KEY_FRAME_SLOPE;

  private final Tokenizer tokenizer;
  private final boolean ownsTokenizer;

  private VideoEncoder(Tokenizer tokenizer, boolean owns) throws IOException {
    this.tokenizer = tokenizer;
    this.ownsTokenizer = owns;
  }

  /**
   * An encoder with the released default model of videos ({@code
   * ModelRegistry.defaultVideoTokenizer()}).
   */
  public static VideoEncoder open() throws IOException {
    return new VideoEncoder(Tokenizer.loadDefaultVideo(), true);
  }

  /** An encoder on a tokenizer the caller owns. */
  public static VideoEncoder using(Tokenizer tokenizer) throws IOException {
    return new VideoEncoder(tokenizer, false);
  }

  /**
   * Sets the motion search range for sessions started afterwards, in fine positions (8 coded
   * pixels) each way, at most {@link MotionField#MAX_MV}; 0 codes no motion (Spec §10.9), and the
   * stream then has version_minor 2 as before motion existed.
   *
   * @return this encoder
   */
  public VideoEncoder motionRange(int range) {
    if (range < 0 || range > MotionField.MAX_MV) {
      throw new IllegalArgumentException(
          "motion range " + range + " outside 0.." + MotionField.MAX_MV);
    }
    this.motionRange = range;
    return this;
  }

  /**
   * Sets the skip tolerance for sessions started afterwards: how far, in units of the codebook's
   * resolution (the median squared distance between neighbouring codewords), a skipped or
   * motion-copied cell's tokens may lie from the fresh tokens in total over its four blocks. It
   * fixes the exchange rate between token distance and bits of every predicted-frame decision;
   * smaller values code more cells and drift less.
   *
   * @return this encoder
   */
  public VideoEncoder skipTolerance(double tolerance) {
    if (!(tolerance > 0 && tolerance <= 1024)) {
      throw new IllegalArgumentException("skip tolerance " + tolerance + " outside (0, 1024]");
    }
    this.skipTolerance = tolerance;
    return this;
  }

  /**
   * Sets the copy tolerance for sessions started afterwards, the pixel-domain check of every
   * predicted frame's copies: the frame as decided in the token domain is decoded, and each skipped
   * or motion-copied cell whose squared RGB error against the source exceeds the error coding it
   * would leave by more than {@code tolerance} times the frame's mean coded-cell error is coded
   * after all. Token distance alone does not see what a copy costs in pixels: it lets a detailed
   * cell lose as much as a flat one, and it is the same at every quality step, so predicted frames
   * stopped gaining quality above the default step. Because the bound follows the frame's own
   * coding error, it tightens as the quality step rises. {@link Double#POSITIVE_INFINITY} turns the
   * check off (one decode of the frame fewer).
   *
   * @return this encoder
   */
  public VideoEncoder copyTolerance(double tolerance) {
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("copy tolerance " + tolerance + " is negative");
    }
    this.copyTolerance = tolerance;
    return this;
  }

  /**
   * Sets how sessions started afterwards choose between a predicted frame and a key frame (Spec
   * §10.8). A slope of {@code dbPerDoubling} (default {@link #DEFAULT_KEY_FRAME_SLOPE}): by
   * rate-distortion cost, the squared error of each coding (known from the pixel check of copies,
   * {@link #copyTolerance}, which decodes both) plus lambda times its bits, lambda being the slope
   * of intra coding at the key frame's point if doubling its bits gained {@code dbPerDoubling} dB:
   * a predicted frame that saves a sixth of the bits but loses 0.7 dB is then a key frame. NaN, or
   * no pixel check: by size alone, a key frame where the predicted frame would take at least {@link
   * #SCENE_CUT} of the key frame's bytes (the rule before 2026-12-07).
   *
   * @return this encoder
   */
  public VideoEncoder keyFrameSlope(double dbPerDoubling) {
    if (!(dbPerDoubling > 0) && !Double.isNaN(dbPerDoubling)) {
      throw new IllegalArgumentException("key-frame slope " + dbPerDoubling + " must be positive");
    }
    this.keyFrameSlope = dbPerDoubling;
    return this;
  }

  /**
   * What one coded frame cost.
   *
   * @param bytes the frame's bytes in the stream, its header (Spec §10.3) included
   * @param motionCells cells copied by motion (Spec §10.9)
   */
  public record FrameReport(
      long number, FrameType type, int bytes, int skippedCells, int motionCells, int cells) {}

  /**
   * Starts a video of {@code width} x {@code height} at {@code rateNum / rateDen} frames per second
   * on {@code out} (written as frames arrive; not closed).
   *
   * @param frameCount the number of frames that will be added, or 0 if not known
   * @param options a quality step or explicit level (rate targets are for pictures); slice rows,
   *     granularity strategy and probability model apply as for pictures
   * @param keyint a key frame at least every this many frames (1: every frame)
   * @param kbps 0, or a bitrate to aim at over the clip: the options' quality step then fixes the
   *     resolution and codebook, and each frame's share of fine cells (then, below none or above
   *     all, the skip threshold) follows the bytes spent so far against the budget
   * @throws IllegalArgumentException if an option does not apply to video or a size is out of range
   */
  public Session start(
      OutputStream out,
      int width,
      int height,
      int rateNum,
      int rateDen,
      int frameCount,
      EncoderOptions options,
      int keyint,
      double kbps)
      throws IOException {
    if (!(kbps >= 0)) throw new IllegalArgumentException("target " + kbps + " kbit/s");
    return new Session(out, width, height, rateNum, rateDen, frameCount, options, keyint, kbps);
  }

  /**
   * Whether a frame is better coded as a key frame of {@code keyBytes} and squared error {@code
   * keySse} than as a predicted frame of {@code predictedBytes} and {@code predictedSse} (Spec
   * §10.8), see {@link #keyFrameSlope}; errors NaN (not measured) or a NaN slope: by size.
   */
  static boolean keyFrameWins(
      double slope, double predictedSse, int predictedBytes, double keySse, int keyBytes) {
    if (Double.isNaN(slope) || Double.isNaN(keySse) || Double.isNaN(predictedSse) || keySse <= 0) {
      return predictedBytes >= SCENE_CUT * keyBytes;
    }
    // PSNR = c - 10 log10(D): doubling the bits R gains s dB, so dD/dR = -D s ln 10 / (10 R ln 2)
    double lambda = keySse * slope * Math.log(10) / (10 * Math.log(2)) / (8.0 * keyBytes);
    return predictedSse + lambda * 8.0 * predictedBytes >= keySse + lambda * 8.0 * keyBytes;
  }

  /** One video being written. */
  public final class Session implements AutoCloseable {
    private final VideoWriter writer;
    private final EncoderOptions options;
    private final int keyint;
    private final int shift;
    private final int k;
    private final double fineFraction;
    private final double budget; // bytes per frame under --kbps, else 0
    private double fraction; // this frame's share of fine cells
    private double skipScale = 1; // multiplies the skip threshold under a tight budget
    private double debt; // bytes spent beyond the budget so far
    private final GranularityMode mode;
    private final TokenModel framePrior;
    private final float[] table;
    private final double skipThreshold;
    private final int width;
    private final int height;
    private final int range; // motion search range, 0: none
    private final double tolerance; // skip tolerance, see VideoEncoder.skipTolerance
    private final double copyCheck; // copy tolerance, see VideoEncoder.copyTolerance
    private final double keySlope; // see VideoEncoder.keyFrameSlope
    private final int sliceRows; // about this many cell rows a slice (EncoderOptions.sliceRows)
    // Squared RGB errors of the last pixel check (recodeCostlyCopies): the frame as a key frame
    // and as predicted, its recoded copies coded; NaN when the check did not run.
    private double keySse = Double.NaN, predictedSse = Double.NaN;
    private double codedCellBits = 16; // bits of a coded cell, measured on the last frames
    private TokenGrid reference;
    private long frames;
    private long sinceKey;
    private FrameReport last;

    private Session(
        OutputStream out,
        int width,
        int height,
        int rateNum,
        int rateDen,
        int frameCount,
        EncoderOptions options,
        int keyint,
        double kbps)
        throws IOException {
      if (keyint < 1) throw new IllegalArgumentException("keyint " + keyint + " < 1");
      this.budget = kbps > 0 ? kbps * 1000 / 8 * rateDen / rateNum : 0;
      boolean auto = options.resolutionShift == EncoderOptions.AUTO_SHIFT;
      switch (options.mode) {
        case QUALITY -> {
          shift = auto ? QualityLadder.resolutionShift(options.quality) : options.resolutionShift;
          k = QualityLadder.codebookSize(options.quality);
          fineFraction = QualityLadder.videoFineFraction(options.quality);
        }
        case EXPLICIT -> {
          shift = auto ? 0 : options.resolutionShift;
          k = options.codebookSize;
          fineFraction = options.fineFraction;
        }
        default ->
            throw new IllegalArgumentException(
                "a size or bits-per-pixel target is for pictures: code a video at a quality step");
      }
      StreamModel.check(tokenizer.model(), options.probabilityModel);
      this.options = options;
      this.keyint = keyint;
      this.width = width;
      this.height = height;
      this.framePrior =
          StreamModel.parameters(tokenizer.model(), options.probabilityModel, k, true);
      // Under a bitrate target every frame may have its own share of fine cells.
      this.mode =
          budget > 0
              ? GranularityMode.MIXED
              : fineFraction <= 0
                  ? GranularityMode.ALL_COARSE
                  : fineFraction >= 1 ? GranularityMode.ALL_FINE : GranularityMode.MIXED;
      this.fraction = fineFraction;
      this.table = tokenizer.codebookTable(k);
      this.skipThreshold = codebookResolution(table, table.length / k);
      // Compact frame headers (Spec §9.6.3): 5 bytes less a one-slice frame, a quarter of a
      // predicted frame's header and 3-10% of a low-rate stream.
      List<Extension> ext = new ArrayList<>();
      if (shift > 0) ext.add(ContainerHeader.codedResolution(shift));
      ext.add(ContainerHeader.compactFrameHeaders());
      ContainerHeader header =
          new ContainerHeader(
              PictureHeader.video(width, height, ChannelFormat.RGB, frameCount, rateNum, rateDen),
              new ModelId(
                  StreamModel.id(tokenizer.model(), options.probabilityModel, true),
                  tokenizer.weightsSha256()),
              new TokenGridParams(k, mode, options.probabilityModel),
              ext);
      this.sliceRows = options.sliceRows(header.cellsWide());
      this.range = motionRange;
      this.tolerance = skipTolerance;
      this.copyCheck = copyTolerance;
      this.keySlope = keyFrameSlope;
      this.writer = new VideoWriter(out, header, range > 0);
    }

    /**
     * Codes the next frame.
     *
     * @throws IllegalArgumentException if the frame's size differs from the video's or it cannot be
     *     coded (transparent pixels)
     */
    public FrameReport add(BufferedImage frame) throws IOException {
      if (frame.getWidth() != width || frame.getHeight() != height) {
        throw new IllegalArgumentException(
            "frame "
                + frames
                + " is "
                + frame.getWidth()
                + "x"
                + frame.getHeight()
                + ", the video "
                + width
                + "x"
                + height);
      }
      SourcePicture source = SourcePicture.of(frame).reduced(shift);
      // Without residual stages: video frames carry none (Spec §9.6.2).
      LevelAnalysis level =
          new LevelAnalysis(tokenizer, source, k, tokenizer.encodeBoth(source, k));
      int n = level.cells();
      int count = (int) Math.round(fraction * n);
      boolean[] fine = new boolean[n];
      if (count == n) {
        Arrays.fill(fine, true);
      } else if (count > 0) {
        fine = CellRanking.firstCells(CellRanking.rank(options.strategy, level, source), count);
      }
      TokenGrid grid = level.mix(fine);
      List<byte[]> key = null;
      List<byte[]> payloads;
      FrameType type;
      int skipped = 0, moved = 0;
      if (reference == null || sinceKey >= keyint) {
        payloads = key = SliceCoder.encodeSlices(framePrior, grid, sliceRows, mode);
        type = FrameType.KEY;
      } else {
        double lambda = lambda();
        TokenGrid still = grid.copy();
        MotionField noMotion = decide(grid, still, lambda, false);
        payloads = encodePredicted(still, noMotion);
        type = FrameType.PREDICTED;
        TokenGrid predicted = still;
        MotionField field = noMotion;
        if (range > 0) {
          // Each cell's mode is chosen on estimated bits; the frame keeps motion only if its coded
          // cost (distortion + lambda * actual bits) beats the same frame without motion: vectors
          // that each pay on the estimate can still lose as a whole (their flags, a weaker
          // context).
          TokenGrid moving = grid.copy();
          MotionField withMotion = decide(grid, moving, lambda, true);
          if (withMotion.motionCount() > 0) {
            List<byte[]> motionPayloads =
                SliceCoder.encodeSlices(framePrior, moving, reference, withMotion, sliceRows, mode);
            if (cost(grid, moving, motionPayloads, lambda) < cost(grid, still, payloads, lambda)) {
              payloads = motionPayloads;
              type = FrameType.MOTION;
              predicted = moving;
              field = withMotion;
            }
          }
        }
        keySse = predictedSse = Double.NaN;
        if (Double.isFinite(copyCheck) && recodeCostlyCopies(level, grid, predicted, field) > 0) {
          payloads =
              type == FrameType.MOTION
                  ? SliceCoder.encodeSlices(
                      framePrior, predicted, reference, field, sliceRows, mode)
                  : encodePredicted(predicted, field);
        }
        skipped = field.skipCount();
        moved = field.motionCount();
        // Spec §10.8: a key frame where it codes the picture better than prediction (keyFrameWins).
        key = SliceCoder.encodeSlices(framePrior, grid, sliceRows, mode);
        if (keyFrameWins(total(payloads), total(key))) {
          payloads = key;
          type = FrameType.KEY;
          skipped = moved = 0;
        } else {
          grid = predicted;
          int coded = n - skipped - moved;
          if (coded >= n / 8 + 1) {
            // Bits per coded cell, mode flags and vectors included: the exchange rate between
            // distortion and bits of the next frame's decisions.
            codedCellBits = 0.5 * codedCellBits + 0.5 * Math.max(2, 8.0 * total(payloads) / coded);
          }
        }
      }
      if (type == FrameType.KEY) {
        codedCellBits = Math.max(2, 8.0 * total(payloads) / n);
      }
      int bytes = writer.writeFrame(type, SliceCoder.slices(payloads, grid.cellsHigh(), sliceRows));
      reference = grid;
      sinceKey = type == FrameType.KEY ? 1 : sinceKey + 1;
      last = new FrameReport(frames++, type, bytes, skipped, moved, n);
      // The budget is the stream's, so a frame counts with its header: at 22 kbit/s a QCIF frame's
      // 22-byte header was a quarter of its share (17 bytes since the compact form, Spec §9.6.3).
      if (budget > 0) steer(last.bytes());
      return last;
    }

    /**
     * Rate control: the bytes spent beyond the budget, spread over the next ten frames (or the
     * key-frame interval if shorter), move the share of fine cells; once none is left, the skip
     * threshold grows, and once every cell is fine, it shrinks (fewer cells copied, less drift).
     * The threshold returns to the tolerance's own first, before the share of fine cells moves.
     */
    private void steer(int bytes) {
      debt += bytes - budget;
      double window = budget * Math.min(keyint, 10);
      double step = debt / window;
      if (step > 0 && skipScale < 1) {
        skipScale = Math.min(1, skipScale * (1 + step));
      } else if (step > 0 && fraction <= 0) {
        skipScale = Math.min(16, skipScale * (1 + step));
      } else if (step < 0 && skipScale > 1) {
        skipScale = Math.max(1, skipScale * (1 + step));
      } else if (step < 0 && fraction >= 1) {
        skipScale = Math.max(1.0 / 16, skipScale * (1 + step));
      } else {
        fraction = Math.max(0, Math.min(1, fraction - step));
      }
    }

    /**
     * The cell modes of a predicted frame by rate-distortion cost in the token domain: distortion
     * is the squared codeword distance between the tokenizer's tokens and a copy's (0 for a coded
     * cell), rate in estimated bits, and {@code lambda} makes a coded cell cost exactly the skip
     * threshold, so that without motion a cell is skipped as before (distance within the
     * threshold). A motion candidate (Spec §10.9), searched only {@code withMotion}, costs its
     * flags and vector differences. Fills {@code predicted} with the copies.
     */
    private MotionField decide(
        TokenGrid grid, TokenGrid predicted, double lambda, boolean withMotion) {
      int cw = grid.cellsWide(), ch = grid.cellsHigh();
      MotionField field = new MotionField(cw, ch);
      double threshold = lambda * codedCellBits;
      MotionSearch search =
          withMotion && range > 0 ? new MotionSearch(table, reference, mode, range) : null;
      int[] sliceRowCounts = SliceCoder.sliceRowCounts(ch, sliceRows);
      for (int cy = 0, slice = 0, firstRow = 0; cy < ch; cy++) {
        if (cy == firstRow + sliceRowCounts[slice]) firstRow += sliceRowCounts[slice++];
        // firstRow: the first row of cy's slice, where the vector predictor stops (Spec §10.9.2)
        for (int cx = 0; cx < cw; cx++) {
          double skipCost = distance(table, grid, reference, cx, cy);
          double best = Math.min(skipCost, threshold);
          boolean skip = skipCost <= threshold;
          int[] v = null;
          if (search != null) {
            int[] p = field.predictor(cx, cy, firstRow);
            v = search.best(grid, cx, cy, p, lambda, best);
          }
          if (v != null) {
            field.setMotion(cx, cy, v[0], v[1]);
            MotionField.copy(reference, predicted, cx, cy, v[0], v[1]);
          } else if (skip) {
            field.setSkip(cx, cy);
            predicted.copyCell(reference, cx, cy);
          }
        }
      }
      return field;
    }

    /**
     * The pixel-domain check of a predicted frame's copies ({@link VideoEncoder#copyTolerance}):
     * decodes {@code predicted} and the fresh {@code grid}, and codes each copied cell ({@code
     * field}'s skips and motion copies) whose squared RGB error exceeds the error of its fresh
     * tokens by more than the tolerance times the frame's mean fresh-cell error (times the rate
     * control's scale). Updates {@code predicted} and {@code field}.
     *
     * @return the number of cells now coded
     */
    private int recodeCostlyCopies(
        LevelAnalysis level, TokenGrid grid, TokenGrid predicted, MotionField field) {
      int cw = grid.cellsWide(), n = level.cells();
      if (field.skipCount() + field.motionCount() == 0) return 0;
      // The fresh grid decoded as it is (one decode), not the level's all-fine and all-coarse
      // errors (two decodes when the grid mixes them).
      double[] fresh = level.cellErrors(grid);
      double mean = 0;
      for (int i = 0; i < n; i++) mean += fresh[i] / n;
      double[] copied = level.cellErrors(predicted);
      double bound = copyCheck * mean * skipScale;
      int recoded = 0;
      keySse = predictedSse = 0;
      for (int i = 0; i < n; i++) {
        int cx = i % cw, cy = i / cw;
        keySse += fresh[i];
        boolean copy = field.isSkip(cx, cy) || field.isMotion(cx, cy);
        if (copy && copied[i] - fresh[i] > bound) {
          field.setCoded(cx, cy);
          predicted.copyCell(grid, cx, cy);
          recoded++;
          predictedSse += fresh[i]; // its own tokens now: about the key frame's error
        } else {
          predictedSse += copied[i];
        }
      }
      return recoded;
    }

    private boolean keyFrameWins(int predictedBytes, int keyBytes) {
      return VideoEncoder.keyFrameWins(keySlope, predictedSse, predictedBytes, keySse, keyBytes);
    }

    /**
     * Squared codeword distance per estimated bit: a coded cell (its tokens exact, {@code
     * codedCellBits} bits) costs exactly the skip threshold.
     */
    private double lambda() {
      return tolerance * skipThreshold * skipScale / codedCellBits;
    }

    /**
     * A predicted frame without motion (Spec §10.4): {@code field}'s skipped cells, the rest coded.
     */
    private List<byte[]> encodePredicted(TokenGrid predicted, MotionField field) {
      int cw = predicted.cellsWide();
      boolean[] skip = new boolean[cw * predicted.cellsHigh()];
      for (int cy = 0; cy < predicted.cellsHigh(); cy++) {
        for (int cx = 0; cx < cw; cx++) skip[cy * cw + cx] = field.isSkip(cx, cy);
      }
      return SliceCoder.encodeSlices(framePrior, predicted, reference, skip, sliceRows, mode);
    }

    /**
     * Rate-distortion cost of coding {@code grid} as {@code coded} in {@code payloads}: the squared
     * codeword distance of every copied cell plus {@code lambda} times the payload bits.
     */
    private double cost(TokenGrid grid, TokenGrid coded, List<byte[]> payloads, double lambda) {
      double d = 0;
      for (int cy = 0; cy < grid.cellsHigh(); cy++) {
        for (int cx = 0; cx < grid.cellsWide(); cx++) d += distance(table, grid, coded, cx, cy);
      }
      return d + lambda * 8.0 * total(payloads);
    }

    /** Frames coded so far. */
    public long frameCount() {
      return frames;
    }

    /** Writes the frame index and end code (Spec §10.6); the stream is then complete. */
    public void finish() throws IOException {
      writer.finish();
    }

    /** {@link #finish}. */
    @Override
    public void close() throws IOException {
      finish();
    }
  }

  /**
   * Squared codeword distance between a cell of {@code a} and of {@code b}, over its four 8x8
   * blocks (a coarse token stands for all four).
   */
  static double distance(float[] table, TokenGrid a, TokenGrid b, int cx, int cy) {
    int d = table.length / a.codebookSize();
    double s = 0;
    for (int q = 0; q < 4; q++) {
      int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
      int ta = a.isFine(cx, cy) ? a.fineToken(fx, fy) : a.coarseToken(cx, cy);
      int tb = b.isFine(cx, cy) ? b.fineToken(fx, fy) : b.coarseToken(cx, cy);
      if (tb == TokenGrid.LOST) return Double.POSITIVE_INFINITY;
      for (int j = 0; j < d; j++) {
        double e = table[ta * d + j] - table[tb * d + j];
        s += e * e;
      }
    }
    return s;
  }

  /**
   * The codebook's resolution: the median squared distance from a codeword to its nearest other
   * codeword. A block whose code moved less than this between frames changed less than the codebook
   * can express, so copying it loses about what quantizing it would.
   */
  static double codebookResolution(float[] table, int d) {
    int k = table.length / d;
    double[] nn = new double[k];
    for (int a = 0; a < k; a++) {
      double best = Double.POSITIVE_INFINITY;
      for (int b = 0; b < k; b++) {
        if (a == b) continue;
        double s = 0;
        for (int j = 0; j < d && s < best; j++) {
          double e = table[a * d + j] - table[b * d + j];
          s += e * e;
        }
        best = Math.min(best, s);
      }
      nn[a] = best;
    }
    Arrays.sort(nn);
    return nn[k / 2];
  }

  private static int total(List<byte[]> payloads) {
    int n = 0;
    for (byte[] p : payloads) n += p.length;
    return n;
  }

  /** Closes the tokenizer if this encoder opened it. */
  @Override
  public void close() {
    if (ownsTokenizer) tokenizer.close();
  }
}
