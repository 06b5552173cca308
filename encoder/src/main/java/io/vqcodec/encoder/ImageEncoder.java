package io.vqcodec.encoder;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.Extension;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.neural.ImageScaling;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.PixelResidual;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Image to .vqc: resolution, tokenizer, granularity choice, rate control, entropy coding, slices,
 * container.
 *
 * <pre>{@code
 * try (ImageEncoder encoder = ImageEncoder.open()) {
 *   byte[] vqc = encoder.encode(image, EncoderOptions.defaults().withTargetBpp(0.1)).bytes();
 * }
 * }</pre>
 *
 * <p>Thread safety: an instance may be shared between threads; calls run one at a time on the
 * tokenizer (open one encoder per thread to encode in parallel).
 */
public final class ImageEncoder implements AutoCloseable {
  private final Tokenizer tokenizer;
  private final boolean ownsTokenizer;

  private ImageEncoder(Tokenizer tokenizer, boolean ownsTokenizer) throws IOException {
    this.tokenizer = tokenizer;
    this.ownsTokenizer = ownsTokenizer;
  }

  /** An encoder with the default released model. */
  public static ImageEncoder open() throws IOException {
    return open(ModelRegistry.builtIn().defaultTokenizer());
  }

  /**
   * An encoder with the released tokenizer {@code model} (for example the one {@link
   * ModelRegistry#fasterSynthesis} names, whose streams decode faster).
   */
  public static ImageEncoder open(ModelPackage model) throws IOException {
    Tokenizer t = Tokenizer.open(model);
    try {
      return new ImageEncoder(t, true);
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** An encoder on a tokenizer the caller owns (and closes). */
  public static ImageEncoder using(Tokenizer tokenizer) throws IOException {
    return new ImageEncoder(tokenizer, false);
  }

  /** The codebook sizes the model offers, largest first. */
  public int[] codebookSizes() {
    return tokenizer.codebookSizes();
  }

  /**
   * Encodes {@code image} (any size up to the format's limits, 8-bit RGB or gray, or anything
   * ImageIO decodes, converted to 8-bit; transparent images are refused).
   *
   * @throws IllegalArgumentException if the image cannot be coded; the message says why
   */
  public EncodedPicture encode(BufferedImage image, EncoderOptions options) {
    StreamModel.check(tokenizer.model(), options.probabilityModel);
    SourcePicture input = SourcePicture.of(image);
    boolean auto = options.resolutionShift == EncoderOptions.AUTO_SHIFT;
    int shift = auto ? 0 : options.resolutionShift;
    return switch (options.mode) {
      case QUALITY ->
          atFraction(
              input.reduced(auto ? QualityLadder.resolutionShift(options.quality) : shift),
              options,
              QualityLadder.codebookSize(options.quality),
              QualityLadder.refinement(options.quality),
              QualityLadder.stages(options.quality));
      case EXPLICIT ->
          atFraction(
              input.reduced(shift),
              options,
              checkedLevel(options.codebookSize),
              options.fineFraction,
              options.fineFraction > 1);
      case TARGET_BYTES -> {
        long target =
            options.targetBytes > 0
                ? options.targetBytes
                : (long) Math.floor(options.targetBpp * input.width * input.height / 8.0);
        yield atSize(input, options, target);
      }
    };
  }

  private int checkedLevel(int k) {
    for (int s : tokenizer.codebookSizes()) {
      if (s == k) return k;
    }
    throw new IllegalArgumentException(
        "codebook size " + k + ": this model offers " + Arrays.toString(tokenizer.codebookSizes()));
  }

  /**
   * The picture at level {@code k} refined by {@code refinement} times its cell count ({@link
   * LevelAnalysis#refined}: up to 1 the share of fine cells, beyond it residual stages), as far as
   * the model's stages go; without {@code stages} (an explicit fine fraction) fine cells only.
   */
  private EncodedPicture atFraction(
      SourcePicture source, EncoderOptions options, int k, double refinement, boolean stages) {
    LevelAnalysis level =
        stages
            ? new LevelAnalysis(tokenizer, source, k)
            : new LevelAnalysis(tokenizer, source, k, tokenizer.encodeBoth(source, k));
    int n = level.cells();
    int steps = (int) Math.min(level.steps(), Math.round(refinement * n));
    TokenGrid grid = level.refined(options.strategy, steps);
    return picture(
        assemble(source, options, grid),
        source,
        k,
        grid.fineCellCount(),
        n,
        true,
        grid.stageTokenCount());
  }

  /**
   * Rate control (Spec §9.6.1 resolutions, then codebook levels and fine cells; {@link
   * RateControl}): at full size, half and quarter, or the one the options fix.
   */
  private EncodedPicture atSize(SourcePicture input, EncoderOptions options, long target) {
    int[] shifts =
        options.resolutionShift == EncoderOptions.AUTO_SHIFT
            ? new int[] {0, 1, 2}
            : new int[] {options.resolutionShift};
    CodedCandidates candidates = new CodedCandidates(input, options);
    RateControl.Choice c =
        RateControl.search(candidates, shifts, tokenizer.codebookSizes(), target);
    TokenGrid grid = candidates.grid(c.resolutionShift(), c.codebookSize(), c.steps());
    byte[] stream = c.stream();
    // Above the residual base, the base's tokens plus a pixel residual beat more refinement steps
    // (Spec §6.9; QualityLadder#RESIDUAL_BASE): the finest residual step that fits; at higher
    // targets on the three-quarter base.
    int base = (int) Math.round(QualityLadder.RESIDUAL_BASE * c.cells());
    if (options.residualStep == 0
        && c.resolutionShift() == 0
        && c.codebookSize() == QualityLadder.codebookSize(QualityLadder.MAX)
        && c.steps() > base) {
      int high = (int) Math.round(QualityLadder.RESIDUAL_BASE_HIGH * c.cells());
      if (high <= c.steps()
          && target
              >= QualityLadder.HIGH_BASE_RATIO
                  * candidates.stream(0, c.codebookSize(), high).length) {
        base = high;
      }
      TokenGrid baseGrid = candidates.grid(0, c.codebookSize(), base);
      byte[] fitted = finestResidualWithin(input.reduced(0), options, baseGrid, target);
      if (fitted != null) {
        grid = baseGrid;
        stream = fitted;
      }
    }
    return new EncodedPicture(
        stream,
        input.width,
        input.height,
        c.codebookSize(),
        grid.fineCellCount(),
        c.cells(),
        c.resolutionShift(),
        c.targetMet(),
        grid.stageTokenCount());
  }

  /**
   * The stream of {@code grid} with the finest pixel residual whose stream fits in {@code target}
   * bytes (a search over the step on a log scale, from {@link QualityLadder#COARSEST_STEP} to
   * {@link QualityLadder#FINEST_STEP}; the picture is synthesised once), or null if even the
   * coarsest does not fit.
   */
  private byte[] finestResidualWithin(
      SourcePicture source, EncoderOptions options, TokenGrid grid, long target) {
    BufferedImage synthesised = synthesised(source, grid);
    double coarse = Math.log(QualityLadder.COARSEST_STEP);
    double fine = Math.log(QualityLadder.FINEST_STEP);
    byte[] best = assemble(source, options, grid, Math.exp(coarse), synthesised);
    if (best.length > target) return null;
    byte[] finest = assemble(source, options, grid, Math.exp(fine), synthesised);
    if (finest.length <= target) return finest;
    // Size falls as the step grows; 12 halvings of the log range put the step within 0.1% of the
    // finest that fits.
    for (int i = 0; i < 12; i++) {
      double mid = (coarse + fine) / 2;
      byte[] b = assemble(source, options, grid, Math.exp(mid), synthesised);
      if (b.length <= target) {
        coarse = mid;
        best = b;
      } else {
        fine = mid;
      }
    }
    return best;
  }

  /**
   * Rate control's candidates for one input, coded for real. Per resolution the encoder network
   * runs once, when rate control first asks for it (each codebook level only quantizes its
   * features); per level the grids, and on first use the per-cell errors and the strategy's cell
   * order, are kept for the whole search.
   */
  private final class CodedCandidates implements RateControl.Candidates {
    private final SourcePicture input;
    private final EncoderOptions options;
    private final Map<Integer, Resolution> resolutions = new HashMap<>();

    /** One resolution: the picture, every level's token grids, the levels analysed so far. */
    private final class Resolution {
      final SourcePicture source;
      final Map<Integer, TokenGrid[]> grids;
      final Map<Integer, LevelAnalysis> levels = new HashMap<>();

      Resolution(int shift) {
        source = input.reduced(shift);
        int[] sizes = tokenizer.codebookSizes().clone();
        Arrays.sort(sizes);
        grids = tokenizer.encodeLevels(source, sizes, true);
      }

      LevelAnalysis level(int k) {
        return levels.computeIfAbsent(
            k, size -> new LevelAnalysis(tokenizer, source, size, grids.get(size)));
      }
    }

    CodedCandidates(SourcePicture input, EncoderOptions options) {
      this.input = input;
      this.options = options;
    }

    private Resolution at(int shift) {
      return resolutions.computeIfAbsent(shift, Resolution::new);
    }

    @Override
    public int cells(int shift, int k) {
      return at(shift).level(k).cells();
    }

    @Override
    public int steps(int shift, int k) {
      return at(shift).level(k).steps();
    }

    @Override
    public byte[] stream(int shift, int k, int steps) {
      return assemble(at(shift).source, options, grid(shift, k, steps));
    }

    /** The grid of the first {@code steps} refinement steps at ({@code shift}, {@code k}). */
    TokenGrid grid(int shift, int k, int steps) {
      return at(shift).level(k).refined(options.strategy, steps);
    }

    /**
     * Cells decoded in isolation ({@link LevelAnalysis#estimatedSse}); no fine cells needs no
     * ranking.
     */
    @Override
    public double codedResolutionError(int shift, int k, int fineCells) {
      LevelAnalysis level = at(shift).level(k);
      return level.estimatedSse(
          fineCells == 0
              ? new boolean[level.cells()]
              : CellRanking.firstCells(level.cellOrder(options.strategy), fineCells));
    }
  }

  private static EncodedPicture picture(
      byte[] bytes,
      SourcePicture source,
      int k,
      int fineCells,
      int cells,
      boolean targetMet,
      int stageTokens) {
    return new EncodedPicture(
        bytes,
        source.original.width,
        source.original.height,
        k,
        fineCells,
        cells,
        source.resolutionShift,
        targetMet,
        stageTokens);
  }

  /**
   * Header, slices of about the options' cell rows for the grid's width (Spec §5.7,
   * SliceCoder#sliceRowCounts), container (Spec §2); a downscaled source adds the coded-resolution
   * block (Spec §9.6.1), residual stages the residual-stages block with the most stages a cell uses
   * (Spec §9.6.2).
   */
  private byte[] assemble(SourcePicture source, EncoderOptions options, TokenGrid grid) {
    double step = residualStep(options);
    return assemble(source, options, grid, step, step > 0 ? synthesised(source, grid) : null);
  }

  /**
   * {@link #assemble(SourcePicture, EncoderOptions, TokenGrid)} with a pixel residual of luma step
   * {@code residualStep} (0: none) against {@code synthesised} ({@link #synthesised} of the grid).
   */
  private byte[] assemble(
      SourcePicture source,
      EncoderOptions options,
      TokenGrid grid,
      double residualStep,
      BufferedImage synthesised) {
    int sliceRows = options.sliceRows(grid.cellsWide());
    int stages = grid.maxCellStages();
    if (stages != grid.stageCount()) grid = grid.withStageCount(stages);
    int fineCells = grid.fineCellCount(), cells = grid.cellsWide() * grid.cellsHigh();
    GranularityMode mode =
        fineCells == 0
            ? GranularityMode.ALL_COARSE
            : fineCells == cells ? GranularityMode.ALL_FINE : GranularityMode.MIXED;
    PictureHeader picture =
        PictureHeader.still(
            source.original.width,
            source.original.height,
            source.gray ? ChannelFormat.GRAY : ChannelFormat.RGB);
    ModelId model =
        new ModelId(
            StreamModel.id(tokenizer.model(), options.probabilityModel), tokenizer.weightsSha256());
    TokenGridParams params =
        new TokenGridParams(grid.codebookSize(), mode, options.probabilityModel);
    // Spec §8.1: adaptive order-0 (§6.3, §8.2), the context prior (§8.3.2.4) or the two-stage
    // model (§8.3.3.5)
    List<byte[]> payloads =
        SliceCoder.encodeSlices(
            StreamModel.parameters(
                tokenizer.model(), options.probabilityModel, grid.codebookSize()),
            grid,
            sliceRows,
            mode);
    if (residualStep > 0) {
      payloads = withResidual(source, grid, payloads, sliceRows, residualStep, synthesised);
    }
    List<Slice> slices = SliceCoder.slices(payloads, grid.cellsHigh(), sliceRows);
    List<Extension> extensions = new ArrayList<>();
    if (source.resolutionShift != 0) {
      extensions.add(ContainerHeader.codedResolution(source.resolutionShift));
    }
    if (stages > 1) {
      extensions.add(ContainerHeader.residualStages(stages, grid.stageCodebookSize()));
    }
    if (residualStep > 0) {
      PixelResidual.Steps s = residualSteps(residualStep);
      extensions.add(ContainerHeader.pixelResidual(s.luma(), s.chroma()));
    }
    return ContainerWriter.write(new ContainerHeader(picture, model, params, extensions), slices);
  }

  /** The luma step of the pixel residual the options ask for, 0 for none. */
  private static double residualStep(EncoderOptions options) {
    if (options.residualStep > 0) return options.residualStep;
    return options.mode == EncoderOptions.Mode.QUALITY
        ? QualityLadder.residualStep(options.quality)
        : 0;
  }

  /** Spec §9.6.4 steps, in quarter units, of luma step {@code step} (pixel units). */
  static PixelResidual.Steps residualSteps(double step) {
    return new PixelResidual.Steps(
        (int) Math.min(65535, Math.max(1, Math.round(4 * step))),
        (int)
            Math.min(65535, Math.max(1, Math.round(4 * step * EncoderOptions.CHROMA_STEP_RATIO))));
  }

  /**
   * What the decoder synthesises from {@code grid}: resampled to the picture's size (Spec §9.6.1),
   * gray as the decoder makes it. Held whole while a residual is coded against it (4 bytes a
   * pixel).
   */
  private BufferedImage synthesised(SourcePicture source, TokenGrid grid) {
    SourcePicture original = source.original;
    BufferedImage synthesised = tokenizer.decode(grid);
    if (source.resolutionShift > 0) {
      synthesised =
          ImageScaling.upscale(
              synthesised, source.resolutionShift, original.width, original.height);
    }
    return source.gray ? Pixels.grayOf(synthesised) : synthesised;
  }

  /**
   * Spec §6.9: each slice's token payload followed by its residual part, the source minus {@code
   * syn} over the slice's pixel rows.
   */
  private static List<byte[]> withResidual(
      SourcePicture source,
      TokenGrid grid,
      List<byte[]> tokenParts,
      int sliceRows,
      double step,
      BufferedImage syn) {
    SourcePicture original = source.original;
    int w = original.width, h = original.height, f = 1 << source.resolutionShift;
    PixelResidual.Steps steps = residualSteps(step);
    List<byte[]> out = new ArrayList<>(tokenParts.size());
    int[] rows = SliceCoder.sliceRowCounts(grid.cellsHigh(), sliceRows);
    for (int i = 0, first = 0; i < rows.length; first += rows[i++]) {
      int y0 = 16 * f * first, y1 = Math.min(h, 16 * f * (first + rows[i]));
      byte[] residual =
          y0 >= y1
              ? new byte[0]
              : PixelResidual.encode(
                  steps,
                  EncoderOptions.RESIDUAL_DEAD_ZONE,
                  source.gray,
                  w,
                  y0,
                  y1,
                  (y, row) -> original.read(0, y, w, 1, row),
                  (y, row) -> syn.getRGB(0, y, w, 1, row, 0, w));
      out.add(PixelResidual.payload(tokenParts.get(i), residual));
    }
    return out;
  }

  /** Closes the tokenizer if this encoder opened it. */
  @Override
  public void close() {
    if (ownsTokenizer) tokenizer.close();
  }
}
