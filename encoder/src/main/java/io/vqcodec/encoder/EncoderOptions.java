package io.vqcodec.encoder;

import io.vqcodec.container.ProbabilityModel;
import java.util.Objects;

/**
 * What to encode at: a point of the quality ladder (the default), a rate target, or an explicit
 * codebook size and fine-cell fraction. Immutable; each {@code with...} method returns a copy.
 *
 * <p>The quality ladder (see {@link QualityLadder}) runs from {@value QualityLadder#MIN} (smallest)
 * to {@value QualityLadder#MAX}, each step a resolution (its lower steps a half- or quarter-size
 * picture, Spec §9.6.1), codebook size and fine-cell fraction; rate targets are met by the
 * encoder's own search over resolution, codebook size and number of fine cells (the file lands at
 * or below the target when the target is reachable).
 */
public final class EncoderOptions {
  /** Default slice height in cell rows (Spec §5.7: 4 to 8 cell rows). */
  public static final int DEFAULT_SLICE_ROWS = 8;

  /**
   * Slices have at least about this many cells by default ({@link #sliceRows}): each slice pays its
   * directory entry, the entropy coder's final state and a cold start of its models (Spec §5.7), 10
   * to 12 bytes, a sixth of a small predicted frame and 2% of a 500x500 picture at the default
   * quality. 1024 cells keep a QCIF to 640x272 frame and a Kodak picture in one slice, cut 1280x720
   * into three and 1920x1080 into eight, and leave pictures from 2048 pixels wide in 8-row slices
   * (two or more slices, one per slice worker, from 1280x720 up).
   */
  public static final int MIN_SLICE_CELLS = 1024;

  /** {@link #withSliceRows} not called: the encoder chooses ({@link #sliceRows}). */
  private static final int AUTO_SLICE_ROWS = 0;

  /** Lowest step of the quality ladder (smallest files). */
  public static final int MIN_QUALITY = QualityLadder.MIN;

  /** Highest step of the quality ladder. */
  public static final int MAX_QUALITY = QualityLadder.MAX;

  /** The step {@link #defaults()} uses. */
  public static final int DEFAULT_QUALITY = QualityLadder.DEFAULT;

  enum Mode {
    QUALITY,
    TARGET_BYTES,
    EXPLICIT
  }

  final Mode mode;
  final int quality;
  final long targetBytes;
  final double targetBpp;
  final int codebookSize;
  final double fineFraction;
  final GranularityStrategy strategy;
  final int sliceRows;
  final ProbabilityModel probabilityModel;

  /** Spec §9.6.1 resolution shift 0..2, or {@link #AUTO_SHIFT}. */
  final int resolutionShift;

  /**
   * No resolution fixed: rate targets try every one, a quality step uses its own ({@link
   * QualityLadder#resolutionShift}), explicit settings code at full size.
   */
  static final int AUTO_SHIFT = -1;

  /**
   * Spec §9.6.4 luma step of a pixel residual in pixel units of the orthonormal DCT (the chroma
   * step is {@link #CHROMA_STEP_RATIO} times it), or 0: no residual, or the quality step's own.
   */
  final double residualStep;

  /** Co and Cg steps over the Y step (chosen on the validation images, results/pixel-residual). */
  static final double CHROMA_STEP_RATIO = 2.0;

  /**
   * Coefficients are rounded towards zero by this share of a step (the quantiser's dead zone;
   * validation images, results/pixel-residual).
   */
  static final double RESIDUAL_DEAD_ZONE = 0.18;

  private EncoderOptions(
      Mode mode,
      int quality,
      long targetBytes,
      double targetBpp,
      int codebookSize,
      double fineFraction,
      GranularityStrategy strategy,
      int sliceRows,
      ProbabilityModel probabilityModel,
      int resolutionShift,
      double residualStep) {
    this.probabilityModel = probabilityModel;
    this.resolutionShift = resolutionShift;
    this.residualStep = residualStep;
    this.mode = mode;
    this.quality = quality;
    this.targetBytes = targetBytes;
    this.targetBpp = targetBpp;
    this.codebookSize = codebookSize;
    this.fineFraction = fineFraction;
    this.strategy = strategy;
    this.sliceRows = sliceRows;
  }

  /**
   * Quality {@value QualityLadder#DEFAULT}, rate-distortion granularity, 8-row slices, the
   * two-stage token model (Spec §8.3.3: on the validation images 4% smaller files than the context
   * prior of §8.3.2 and 15 times faster, results/prior/token-models-val.md).
   */
  public static EncoderOptions defaults() {
    return new EncoderOptions(
        Mode.QUALITY,
        QualityLadder.DEFAULT,
        0,
        0,
        0,
        0,
        GranularityStrategy.RATE_DISTORTION,
        AUTO_SLICE_ROWS,
        ProbabilityModel.TWO_STAGE,
        AUTO_SHIFT,
        0);
  }

  /** A point of the quality ladder, {@value QualityLadder#MIN}..{@value QualityLadder#MAX}. */
  public EncoderOptions withQuality(int q) {
    QualityLadder.check(q);
    return new EncoderOptions(
        Mode.QUALITY,
        q,
        0,
        0,
        0,
        0,
        strategy,
        sliceRows,
        probabilityModel,
        resolutionShift,
        residualStep);
  }

  /** The file should have at most {@code bytes} bytes, as close to it as the encoder can get. */
  public EncoderOptions withTargetBytes(long bytes) {
    if (bytes < 1) throw new IllegalArgumentException("target size " + bytes + " must be positive");
    return new EncoderOptions(
        Mode.TARGET_BYTES,
        0,
        bytes,
        0,
        0,
        0,
        strategy,
        sliceRows,
        probabilityModel,
        resolutionShift,
        residualStep);
  }

  /** A target in bits per pixel (all bytes of the file, headers included). */
  public EncoderOptions withTargetBpp(double bpp) {
    if (!(bpp > 0) || Double.isInfinite(bpp)) {
      throw new IllegalArgumentException("target bpp " + bpp + " must be positive");
    }
    return new EncoderOptions(
        Mode.TARGET_BYTES,
        0,
        0,
        bpp,
        0,
        0,
        strategy,
        sliceRows,
        probabilityModel,
        resolutionShift,
        residualStep);
  }

  /** Explicit codebook size K (4096, 1024, 256, 64 or 16) and fraction of fine cells in [0, 1]. */
  public EncoderOptions withCodebook(int k, double fineFraction) {
    if (!(fineFraction >= 0 && fineFraction <= 1)) {
      throw new IllegalArgumentException("fine fraction " + fineFraction + " must be in [0, 1]");
    }
    return new EncoderOptions(
        Mode.EXPLICIT,
        0,
        0,
        0,
        k,
        fineFraction,
        strategy,
        sliceRows,
        probabilityModel,
        resolutionShift,
        residualStep);
  }

  /**
   * Explicit refinement at the largest codebook, full size by default: up to 1 the share of fine
   * cells, from 1 to 2 every cell fine and that share (less 1) with a second residual stage (Spec
   * §9.6.2), from 2 to 3 a third; as far as the model's stages go. (Quality steps 11 to 14 before
   * the pixel residual replaced them.)
   */
  public EncoderOptions withRefinement(double refinement) {
    if (!(refinement >= 0 && refinement <= 3)) {
      throw new IllegalArgumentException("refinement " + refinement + " must be in [0, 3]");
    }
    return new EncoderOptions(
        Mode.EXPLICIT,
        0,
        0,
        0,
        4096,
        refinement,
        strategy,
        sliceRows,
        probabilityModel,
        resolutionShift,
        residualStep);
  }

  public EncoderOptions withStrategy(GranularityStrategy s) {
    return new EncoderOptions(
        mode,
        quality,
        targetBytes,
        targetBpp,
        codebookSize,
        fineFraction,
        Objects.requireNonNull(s),
        sliceRows,
        probabilityModel,
        resolutionShift,
        residualStep);
  }

  /**
   * About {@code rows} cell rows per slice, 1 or more (a slice is the unit that survives or is
   * lost), for pictures and video frames alike; without it the encoder chooses ({@link
   * #sliceRows}).
   */
  public EncoderOptions withSliceRows(int rows) {
    if (rows < 1) throw new IllegalArgumentException("slice rows " + rows + " must be >= 1");
    return new EncoderOptions(
        mode,
        quality,
        targetBytes,
        targetBpp,
        codebookSize,
        fineFraction,
        strategy,
        rows,
        probabilityModel,
        resolutionShift,
        residualStep);
  }

  /**
   * The probability model that codes the tokens: {@code TWO_STAGE} (the default, Spec §8.3.3),
   * {@code GAUSSIAN_MIXTURE} (Spec §8.3.2) or {@code ADAPTIVE_ORDER0} (Spec §8.2; no parameters
   * needed, for models without any). The stream names the model id that holds the parameters.
   */
  public EncoderOptions withProbabilityModel(ProbabilityModel m) {
    return new EncoderOptions(
        mode,
        quality,
        targetBytes,
        targetBpp,
        codebookSize,
        fineFraction,
        strategy,
        sliceRows,
        Objects.requireNonNull(m),
        resolutionShift,
        residualStep);
  }

  /**
   * Code the picture at 1/2^shift of its size (Spec §9.6.1): 0 = full size, 1 = half, 2 = quarter.
   * By default a rate target ({@link #withTargetBpp}, {@link #withTargetBytes}) tries all three and
   * keeps the one with the least error, a quality step uses its own ({@value QualityLadder#MIN} and
   * 2 quarter size, 3 to 5 half, the rest full), and explicit settings code at full size.
   */
  public EncoderOptions withResolutionShift(int shift) {
    if (shift < 0 || shift > 2) {
      throw new IllegalArgumentException(
          "resolution shift " + shift + ": must be 0 (full size), 1 (half) or 2 (quarter)");
    }
    return new EncoderOptions(
        mode,
        quality,
        targetBytes,
        targetBpp,
        codebookSize,
        fineFraction,
        strategy,
        sliceRows,
        probabilityModel,
        shift,
        residualStep);
  }

  /**
   * Add a pixel residual (Spec §6.9, §9.6.4) quantised with luma step {@code step} (pixel units of
   * the orthonormal DCT; smaller is finer; chroma {@value #CHROMA_STEP_RATIO} times it) to quality
   * steps and explicit settings, in place of the step's own; 0 for none beyond the step's own.
   */
  public EncoderOptions withPixelResidual(double step) {
    if (!(step == 0 || (step >= 0.25 && step <= 16383))) {
      throw new IllegalArgumentException(
          "pixel residual step " + step + ": 0 (none) or 0.25 to 16383");
    }
    return new EncoderOptions(
        mode,
        quality,
        targetBytes,
        targetBpp,
        codebookSize,
        fineFraction,
        strategy,
        sliceRows,
        probabilityModel,
        resolutionShift,
        step);
  }

  /**
   * About how many cell rows the slices of a picture or frame {@code cellsWide} cells wide (its
   * coded grid) have (Spec §5.7): those of {@link #withSliceRows}, else {@value
   * #DEFAULT_SLICE_ROWS} rows but at least {@value #MIN_SLICE_CELLS} cells.
   */
  int sliceRows(int cellsWide) {
    if (sliceRows != AUTO_SLICE_ROWS) return sliceRows;
    return Math.max(DEFAULT_SLICE_ROWS, (MIN_SLICE_CELLS + cellsWide - 1) / cellsWide);
  }

  @Override
  public String toString() {
    String what =
        switch (mode) {
          case QUALITY -> "quality " + quality;
          case TARGET_BYTES ->
              targetBytes > 0 ? "target " + targetBytes + " bytes" : "target " + targetBpp + " bpp";
          case EXPLICIT -> "K=" + codebookSize + " fine " + fineFraction;
        };
    // For people (messages, logs), never a cache key: caches build their own from the settings.
    // Full size says nothing.
    String scale =
        resolutionShift > 0
            ? ", 1/" + (1 << resolutionShift) + " size"
            : resolutionShift == AUTO_SHIFT && mode == Mode.TARGET_BYTES
                ? ", full/half/quarter size"
                : "";
    String slices = sliceRows == AUTO_SLICE_ROWS ? "default slices" : sliceRows + "-row slices";
    String residual = residualStep > 0 ? ", pixel residual step " + residualStep : "";
    return what + ", " + strategy + ", " + slices + ", " + probabilityModel + scale + residual;
  }
}
