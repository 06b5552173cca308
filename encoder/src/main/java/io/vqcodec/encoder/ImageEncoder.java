package io.vqcodec.encoder;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.Extension;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.neural.Pixels;
import io.vqcodec.tokens.ContextPrior;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.neural.ImageScaling;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.neural.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

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
  private final ContextPrior prior;

  private ImageEncoder(Tokenizer tokenizer, boolean ownsTokenizer) throws IOException {
    this.tokenizer = tokenizer;
    this.ownsTokenizer = ownsTokenizer;
    // The prior ships in the same model package (Spec §4.4, §8.3.2.1); a model without one codes
    // with model 0 only.
    this.prior = tokenizer.model().hasPrior() ? tokenizer.model().prior() : null;
  }

  /** An encoder with the default released model. */
  public static ImageEncoder open() throws IOException {
    Tokenizer t = Tokenizer.loadDefault();
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
    if (options.probabilityModel == ProbabilityModel.GAUSSIAN_MIXTURE && prior == null) {
      throw new IllegalArgumentException("model " + tokenizer.modelId() + " has no context prior: "
          + "encode with the adaptive order-0 probability model");
    }
    SourcePicture input = SourcePicture.of(image);
    boolean auto = options.resolutionShift == EncoderOptions.AUTO_SHIFT;
    int shift = auto ? 0 : options.resolutionShift;
    return switch (options.mode) {
      case QUALITY -> atFraction(input.reduced(auto ? QualityLadder.resolutionShift(options.quality) : shift),
          options, QualityLadder.codebookSize(options.quality), QualityLadder.fineFraction(options.quality));
      case EXPLICIT -> atFraction(input.reduced(shift), options, checkedLevel(options.codebookSize),
          options.fineFraction);
      case TARGET_BYTES -> {
        long target = options.targetBytes > 0 ? options.targetBytes
            : (long) Math.floor(options.targetBpp * input.width * input.height / 8.0);
        yield atSize(input, options, target);
      }
    };
  }

  private int checkedLevel(int k) {
    for (int s : tokenizer.codebookSizes()) {
      if (s == k) return k;
    }
    throw new IllegalArgumentException("codebook size " + k + ": this model offers "
        + java.util.Arrays.toString(tokenizer.codebookSizes()));
  }

  private EncodedPicture atFraction(SourcePicture source, EncoderOptions options, int k,
      double fraction) {
    LevelAnalysis level = new LevelAnalysis(tokenizer, source, k);
    int n = level.cells();
    int count = (int) Math.round(fraction * n);
    boolean[] fine;
    if (count == 0 || count == n) {
      fine = new boolean[n];
      java.util.Arrays.fill(fine, count == n);
    } else {
      fine = CellRanking.firstCells(CellRanking.rank(options.strategy, level, source), count);
    }
    return picture(assemble(source, options, level.mix(fine)), source, k, count, n, true);
  }

  /** A stream and the grid it codes. */
  private record Choice(EncodedPicture picture, TokenGrid grid) {}

  /** What rate control found at one resolution: the best stream within the target (or null), and the smallest. */
  private record Found(Choice best, Choice smallest) {}

  /**
   * Rate control over resolutions (Spec §9.6.1): at full size, half and quarter (or the one the
   * options fix), the best stream within {@code target} bytes ({@link #atSizeAndResolution}); of
   * those, the one with the least squared error against the input, measured by decoding and, for a
   * reduced resolution, resampling as the decoder does. If nothing fits, the smallest stream.
   */
  private EncodedPicture atSize(SourcePicture input, EncoderOptions options, long target) {
    int[] shifts = options.resolutionShift == EncoderOptions.AUTO_SHIFT ? new int[] {0, 1, 2}
        : new int[] {options.resolutionShift};
    Choice best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    Choice smallest = null;
    int largestK = java.util.Arrays.stream(tokenizer.codebookSizes()).max().orElseThrow();
    for (int shift : shifts) {
      SourcePicture source = input.reduced(shift);
      Found found = atSizeAndResolution(source, options, target);
      if (smallest == null || found.smallest.picture.bytes().length < smallest.picture.bytes().length) {
        smallest = found.smallest;
      }
      Choice c = found.best;
      if (c == null) continue;
      double sse = shifts.length == 1 ? 0 : fullSizeSse(input, source, c.grid);
      if (sse < bestSse) {
        bestSse = sse;
        best = c;
      }
      // Every cell fine at the largest codebook fits: a smaller picture cannot do better.
      if (c.picture.codebookSize() == largestK && c.picture.fineCells() == c.picture.cells()) break;
    }
    return best != null ? best.picture : smallest.picture;
  }

  /** Squared RGB error of {@code grid} (coding {@code source}) against the input, at full size. */
  private double fullSizeSse(SourcePicture input, SourcePicture source, TokenGrid grid) {
    BufferedImage decoded = tokenizer.decode(grid);
    if (source.resolutionShift > 0) {
      decoded = ImageScaling.upscale(decoded, source.resolutionShift, input.width, input.height);
    }
    return Pixels.squaredError(input.rgb, decoded);
  }

  /**
   * Rate control at one resolution: for every codebook level (largest first), the most fine cells
   * (in the strategy's order) whose stream fits in {@code target} bytes, found by bisection on
   * actual coded sizes; of those, the level with the least squared error as measured by decoding.
   */
  private Found atSizeAndResolution(SourcePicture source, EncoderOptions options, long target) {
    Choice best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    Choice smallest = null;
    int[] sizes = tokenizer.codebookSizes().clone();
    java.util.Arrays.sort(sizes);
    // The encoder network runs once; each level only quantizes its features.
    java.util.Map<Integer, TokenGrid[]> grids = tokenizer.encodeLevels(source.rgb, sizes);
    for (int i = sizes.length - 1; i >= 0; i--) {
      int k = sizes[i];
      LevelAnalysis level = new LevelAnalysis(tokenizer, source, k, grids.get(k));
      int n = level.cells();
      TokenGrid noneGrid = level.mix(new boolean[n]);
      byte[] none = assemble(source, options, noneGrid);
      if (smallest == null || none.length < smallest.picture.bytes().length) {
        smallest = new Choice(picture(none, source, k, 0, n, false), noneGrid);
      }
      if (none.length > target) continue; // before ranking, which may decode the picture twice
      int[] order = CellRanking.rank(options.strategy, level, source);
      // Largest count with size <= target; sizes grow with the count (one cell's tokens at a time).
      int lo = 0, hi = n;
      byte[] loBytes = none;
      byte[] all = assemble(source, options, level.mix(CellRanking.firstCells(order, n)));
      if (all.length <= target) {
        lo = n;
        loBytes = all;
      } else {
        // Size is close to linear in the count: interpolate (regula falsi), falling back to
        // bisection after a few steps, so the exact search costs a handful of entropy codings
        // (each a full pass of the context prior) instead of log2(cells).
        long loSize = none.length, hiSize = all.length;
        for (int step = 0; hi - lo > 1; step++) {
          int guess = step < 4
              ? (int) (lo + (target - loSize) * (hi - lo) / Math.max(1, hiSize - loSize))
              : (lo + hi) >>> 1;
          guess = Math.max(lo + 1, Math.min(hi - 1, guess));
          byte[] b = assemble(source, options, level.mix(CellRanking.firstCells(order, guess)));
          if (b.length <= target) {
            lo = guess;
            loSize = b.length;
            loBytes = b;
          } else {
            hi = guess;
            hiSize = b.length;
          }
        }
      }
      boolean[] fine = CellRanking.firstCells(order, lo);
      double sse = level.estimatedSse(fine);
      if (sse < bestSse) {
        bestSse = sse;
        best = new Choice(picture(loBytes, source, k, lo, n, true), level.mix(fine));
      }
      // Levels come largest first: once every cell fits fine, a smaller codebook cannot do better.
      if (lo == n) break;
    }
    return new Found(best, smallest);
  }

  private static EncodedPicture picture(byte[] bytes, SourcePicture source, int k, int fineCells,
      int cells, boolean targetMet) {
    return new EncodedPicture(bytes, source.original.width, source.original.height, k, fineCells,
        cells, source.resolutionShift, targetMet);
  }

  /**
   * Header, slices of the options' cell rows (Spec §5), container (Spec §2); a downscaled source
   * adds the coded-resolution block (Spec §9.6.1).
   */
  private byte[] assemble(SourcePicture source, EncoderOptions options, TokenGrid grid) {
    int sliceRows = options.sliceRows;
    int fineCells = grid.fineCellCount(), cells = grid.cellsWide() * grid.cellsHigh();
    GranularityMode mode = fineCells == 0 ? GranularityMode.ALL_COARSE
        : fineCells == cells ? GranularityMode.ALL_FINE : GranularityMode.MIXED;
    PictureHeader picture = PictureHeader.still(source.original.width, source.original.height,
        source.gray ? ChannelFormat.GRAY : ChannelFormat.RGB);
    ModelId model = new ModelId(tokenizer.modelId(), tokenizer.weightsSha256());
    TokenGridParams params = new TokenGridParams(grid.codebookSize(), mode, options.probabilityModel);
    List<Slice> slices = new ArrayList<>();
    for (int first = 0; first < grid.cellsHigh(); first += sliceRows) {
      int rows = Math.min(sliceRows, grid.cellsHigh() - first);
      // Spec §8.1: the context prior (§8.3.2.4) or adaptive order-0 (§6.3, §8.2)
      byte[] payload = SliceCoder.encode(
          options.probabilityModel == ProbabilityModel.GAUSSIAN_MIXTURE ? prior : null,
          grid, first, rows, mode);
      slices.add(new Slice(first, rows, payload));
    }
    List<Extension> extensions = source.resolutionShift == 0 ? List.of()
        : List.of(ContainerHeader.codedResolution(source.resolutionShift));
    return ContainerWriter.write(new ContainerHeader(picture, model, params, extensions), slices);
  }

  /** Closes the tokenizer if this encoder opened it. */
  @Override
  public void close() {
    if (ownsTokenizer) tokenizer.close();
  }
}
