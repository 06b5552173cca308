package io.vqcodec.encoder;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.prior.ContextPrior;
import io.vqcodec.prior.PriorSliceEncoder;
import io.vqcodec.tokenizer.TokenGrid;
import io.vqcodec.tokenizer.Tokenizer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Image to .vqc: tokenizer, granularity choice, rate control, entropy coding, slices, container.
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
    this.prior = tokenizer.property("prior.file") != null ? ContextPrior.loadDefault() : null;
    if (prior != null && !java.util.HexFormat.of().formatHex(prior.sha256())
        .equalsIgnoreCase(tokenizer.property("prior.sha256"))) {
      throw new IOException("the context prior on the class path is not the one model "
          + tokenizer.modelId() + " names (prior.sha256 " + tokenizer.property("prior.sha256") + ")");
    }
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
    SourcePicture source = SourcePicture.of(image);
    return switch (options.mode) {
      case QUALITY -> atFraction(source, options, QualityLadder.codebookSize(options.quality),
          QualityLadder.fineFraction(options.quality));
      case EXPLICIT -> atFraction(source, options, checkedLevel(options.codebookSize),
          options.fineFraction);
      case TARGET_BYTES -> {
        long target = options.targetBytes > 0 ? options.targetBytes
            : (long) Math.floor(options.targetBpp * source.width * source.height / 8.0);
        yield atSize(source, options, target);
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
    return new EncodedPicture(assemble(source, options, level.mix(fine), options.sliceRows), source.width,
        source.height, k, count, n, true);
  }

  /**
   * Rate control: for every codebook level (largest first), the most fine cells (in the strategy's order) whose
   * stream fits in {@code target} bytes, found by bisection on actual coded sizes; of those, the
   * level with the least squared error as measured by decoding. If nothing fits, the smallest
   * stream.
   */
  private EncodedPicture atSize(SourcePicture source, EncoderOptions options, long target) {
    EncodedPicture best = null;
    double bestSse = Double.POSITIVE_INFINITY;
    EncodedPicture smallest = null;
    int[] sizes = tokenizer.codebookSizes().clone();
    java.util.Arrays.sort(sizes);
    // The encoder network runs once; each level only quantizes its features.
    java.util.Map<Integer, TokenGrid[]> grids = tokenizer.encodeLevels(source.rgb, sizes);
    for (int i = sizes.length - 1; i >= 0; i--) {
      int k = sizes[i];
      LevelAnalysis level = new LevelAnalysis(tokenizer, source, k, grids.get(k));
      int n = level.cells();
      byte[] none = assemble(source, options, level.mix(new boolean[n]), options.sliceRows);
      if (smallest == null || none.length < smallest.bytes().length) {
        smallest = new EncodedPicture(none, source.width, source.height, k, 0, n, false);
      }
      if (none.length > target) continue; // before ranking, which may decode the picture twice
      int[] order = CellRanking.rank(options.strategy, level, source);
      // Largest count with size <= target; sizes grow with the count (one cell's tokens at a time).
      int lo = 0, hi = n;
      byte[] loBytes = none;
      byte[] all = assemble(source, options, level.mix(CellRanking.firstCells(order, n)), options.sliceRows);
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
          byte[] b = assemble(source, options, level.mix(CellRanking.firstCells(order, guess)), options.sliceRows);
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
      double sse = level.estimatedSse(CellRanking.firstCells(order, lo));
      if (sse < bestSse) {
        bestSse = sse;
        best = new EncodedPicture(loBytes, source.width, source.height, k, lo, n, true);
      }
      // Levels come largest first: once every cell fits fine, a smaller codebook cannot do better.
      if (lo == n) break;
    }
    return best != null ? best : smallest;
  }

  /** Header, slices of {@code sliceRows} cell rows (Spec §5), container (Spec §2). */
  private byte[] assemble(SourcePicture source, EncoderOptions options, TokenGrid grid, int sliceRows) {
    int fineCells = grid.fineCellCount(), cells = grid.cellsWide() * grid.cellsHigh();
    GranularityMode mode = fineCells == 0 ? GranularityMode.ALL_COARSE
        : fineCells == cells ? GranularityMode.ALL_FINE : GranularityMode.MIXED;
    PictureHeader picture = PictureHeader.still(source.width, source.height,
        source.gray ? ChannelFormat.GRAY : ChannelFormat.RGB);
    ModelId model = new ModelId(tokenizer.modelId(), tokenizer.weightsSha256());
    TokenGridParams params = new TokenGridParams(grid.codebookSize(), mode, options.probabilityModel);
    List<Slice> slices = new ArrayList<>();
    for (int first = 0; first < grid.cellsHigh(); first += sliceRows) {
      int rows = Math.min(sliceRows, grid.cellsHigh() - first);
      byte[] payload = options.probabilityModel == ProbabilityModel.GAUSSIAN_MIXTURE
          ? PriorSliceEncoder.encodeSlice(prior, grid, first, rows, mode) // Spec §8.3.2.4
          : TokenWriter.encodeSlice(grid, first, rows, mode); // Spec §6.3, §8.2
      slices.add(new Slice(first, rows, payload));
    }
    return ContainerWriter.write(new ContainerHeader(picture, model, params), slices);
  }

  /** Closes the tokenizer if this encoder opened it. */
  @Override
  public void close() {
    if (ownsTokenizer) tokenizer.close();
  }
}
