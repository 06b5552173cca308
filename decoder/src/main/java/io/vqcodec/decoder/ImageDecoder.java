package io.vqcodec.decoder;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ModelId;
import io.vqcodec.decoder.conceal.Concealer;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.neural.CodeHints;
import io.vqcodec.neural.ImageScaling;
import io.vqcodec.neural.Pixels;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.ModelCatalogue;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.PixelResidual;
import io.vqcodec.tokens.SliceListener;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.UnknownModelException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

/**
 * .vqc to image: tokens ({@link TokenDecoder}), model check (Spec §4.3), concealment of lost tokens
 * ({@link Concealment}, done by {@code io.vqcodec.decoder.conceal}), then the model's neural
 * decoder, and for reduced-resolution streams the resampling to the picture's size (Spec §9.6.1).
 *
 * <pre>{@code
 * try (ImageDecoder decoder = ImageDecoder.open();
 *      InputStream in = Files.newInputStream(path)) {
 *   BufferedImage image = decoder.decode(in).image();
 * }
 * }</pre>
 *
 * <p>The stream is read once, front to back, and need not be complete: slices that never arrive are
 * concealed. A {@link SliceListener} hears about each slice as it is decoded.
 *
 * <p>Start-up: the PyTorch engine starts on a background thread when the decoder is opened, and a
 * model's weights are loaded on another as soon as a stream's header names the model (Spec §4.3),
 * while its slices are still being entropy decoded, so the three overlap.
 *
 * <p>Thread safety: an instance may be shared between threads; neural decoding runs one picture at
 * a time (open one decoder per thread to decode in parallel). Entropy decoding does not hold the
 * lock.
 */
public final class ImageDecoder implements AutoCloseable {
  private final ModelCatalogue models;

  /**
   * The tokenizer of each model package met so far, loading from the first header that names it.
   */
  private final Map<ModelPackage, CompletableFuture<Tokenizer>> tokenizers = new HashMap<>();

  /** Tokenizers the caller owns ({@link #using}): never closed here. */
  private final boolean ownsTokenizers;

  /**
   * Concealment.PREDICT: loads the masked-token transformer on the first picture with lost tokens.
   */
  private final Concealer prediction = Concealer.maskedTokenPrediction();

  /** The package whose network synthesises a stream's pixels, for the stream's own package. */
  private final UnaryOperator<ModelPackage> synthesis;

  /** How pixels are synthesised from a stream's tokens. */
  public enum Synthesis {
    /** With the network the stream names (Spec §4.1): the intended pixels. The default. */
    EXACT,
    /**
     * With a faster network released for the same tokens where there is one ({@link
     * ModelRegistry#fasterSynthesis}: tok-v2f's for tok-v2's streams, 36-39% less network time),
     * else the stream's own: the same tokens, slightly different pixels (Spec §4.4, informative).
     */
    FAST
  }

  private ImageDecoder(
      ModelCatalogue models, boolean ownsTokenizers, UnaryOperator<ModelPackage> synthesis) {
    this.models = models;
    this.ownsTokenizers = ownsTokenizers;
    this.synthesis = synthesis;
  }

  /**
   * A decoder for every released model ({@link ModelRegistry#builtIn()}); a model's network is
   * loaded when the first stream that needs it arrives.
   */
  public static ImageDecoder open() {
    return open(Synthesis.EXACT);
  }

  /** {@link #open()}, synthesising pixels as {@code synthesis} says. */
  public static ImageDecoder open(Synthesis synthesis) {
    Tokenizer.startEngine(); // every stream needs it: start it before the first header arrives
    ModelRegistry registry = ModelRegistry.builtIn();
    return new ImageDecoder(
        registry,
        true,
        synthesis == Synthesis.FAST ? p -> registry.fasterSynthesis(p).orElse(p) : p -> p);
  }

  /** A decoder for the streams of one tokenizer, which the caller owns (and closes). */
  public static ImageDecoder using(Tokenizer tokenizer) {
    ModelPackage model = tokenizer.model();
    ImageDecoder d =
        new ImageDecoder(
            new ModelCatalogue() {
              @Override
              public Optional<ModelPackage> find(ModelId id) {
                return model.matches(id) ? Optional.of(model) : Optional.empty();
              }

              @Override
              public List<ModelPackage> packages() {
                return List.of(model);
              }
            },
            false,
            p -> p);
    d.tokenizers.put(model, CompletableFuture.completedFuture(tokenizer));
    return d;
  }

  /** Loads threads: daemons, so that a load in flight never keeps the JVM alive. */
  private static final Executor LOADER =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "vqcodec-model-loader");
            t.setDaemon(true);
            return t;
          });

  /**
   * Starts loading the network that synthesises {@code model}'s streams ({@link #synthesis}) unless
   * it is loaded or loading.
   */
  private synchronized CompletableFuture<Tokenizer> load(ModelPackage model) {
    return tokenizers.computeIfAbsent(
        synthesis.apply(model),
        m ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return Tokenizer.open(m);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                },
                LOADER));
  }

  /** {@code model}'s network, waiting for its load; a failed load is retried by the next stream. */
  private Tokenizer tokenizer(ModelPackage model) throws IOException {
    CompletableFuture<Tokenizer> f = load(model);
    try {
      return f.join();
    } catch (CompletionException e) {
      synchronized (this) {
        tokenizers.remove(synthesis.apply(model), f);
      }
      Throwable c = e.getCause();
      if (c instanceof UncheckedIOException u) throw u.getCause();
      if (c instanceof RuntimeException r) throw r;
      if (c instanceof Error err) throw err;
      throw new IOException(c);
    }
  }

  /** The catalogue, starting to load a model's network the moment a header names it. */
  private final ModelCatalogue prefetching =
      new ModelCatalogue() {
        @Override
        public Optional<ModelPackage> find(ModelId id) {
          Optional<ModelPackage> p = models.find(id);
          p.ifPresent(ImageDecoder.this::load);
          return p;
        }

        @Override
        public List<ModelPackage> packages() {
          return models.packages();
        }
      };

  /** Decodes with the default options. */
  public DecodedPicture decode(InputStream in) throws IOException {
    return decode(in, DecodeOptions.defaults(), null);
  }

  /**
   * Decodes {@code in}.
   *
   * @param listener told about each slice as it is decoded; may be null
   * @throws io.vqcodec.container.FormatException if the header is malformed or damaged
   * @throws UnknownModelException if the stream needs a model this decoder does not have
   * @throws IOException if reading fails
   */
  public DecodedPicture decode(InputStream in, DecodeOptions options, SliceListener listener)
      throws IOException {
    DecodedTokens tokens =
        TokenDecoder.decode(in, prefetching, options.loss(), options.maxPixels(), listener);
    Tokenizer tokenizer = tokenizer(tokens.model());
    TokenGrid grid = tokens.grid();
    Concealer concealer = tokens.lostTokens() > 0 ? concealer(options.concealment()) : null;
    CodeHints codes = concealer == null ? null : concealer.codes(grid, tokenizer);
    // The tokenizer bands large pictures itself (memory bounded whatever the size).
    BufferedImage rgb = tokenizer.decode(grid, codes);
    if (concealer != null) concealer.paint(rgb, grid);
    ContainerHeader h = tokens.header();
    if (h.resolutionShift() > 0) {
      // Spec §9.6.1: the grid covers the picture downscaled; resample to the picture's size.
      rgb =
          ImageScaling.upscale(rgb, h.resolutionShift(), h.picture().width(), h.picture().height());
    }
    boolean gray = h.picture().channelFormat() == ChannelFormat.GRAY;
    if (gray) rgb = Pixels.grayOf(rgb);
    if (h.hasPixelResidual()) addResidual(tokens, rgb, gray);
    return new DecodedPicture(gray ? toGray(rgb) : rgb, tokens);
  }

  /**
   * Spec §6.9: each slice's residual part added to its pixel rows of {@code rgb} in place. A part
   * that is lost or fails to decode adds nothing (Spec §6.9.5).
   */
  private static void addResidual(DecodedTokens tokens, BufferedImage rgb, boolean gray) {
    ContainerHeader h = tokens.header();
    PixelResidual.Steps steps =
        new PixelResidual.Steps(h.residualLumaStep(), h.residualChromaStep());
    int w = rgb.getWidth(), height = rgb.getHeight(), f = 1 << h.resolutionShift();
    for (int i = 0; i < tokens.slices().size(); i++) {
      byte[] part = tokens.residualParts().get(i);
      SliceReport s = tokens.slices().get(i);
      int y0 = 16 * f * s.firstRow(), y1 = Math.min(height, 16 * f * (s.firstRow() + s.rowCount()));
      if (part == null || y0 >= y1) continue;
      try {
        PixelResidual.decode(
            part,
            0,
            part.length,
            steps,
            gray,
            w,
            y0,
            y1,
            (y, row) -> rgb.getRGB(0, y, w, 1, row, 0, w),
            (y, row) -> rgb.setRGB(0, y, w, 1, row, 0, w));
      } catch (EntropyDecodingException e) {
        // Spec §6.9.5: the slice keeps its synthesised pixels; its tokens are not lost.
      }
    }
  }

  /** The gray picture of {@link Pixels#grayOf}'s copy (its three channels are equal). */
  private static BufferedImage toGray(BufferedImage rgb) {
    int w = rgb.getWidth(), h = rgb.getHeight();
    BufferedImage gray = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    int[] row = new int[w];
    byte[] out = new byte[w];
    for (int y = 0; y < h; y++) {
      rgb.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) out[x] = (byte) row[x];
      gray.getRaster().setDataElements(0, y, w, 1, out);
    }
    return gray;
  }

  private Concealer concealer(Concealment c) {
    return switch (c) {
      case PREDICT -> prediction;
      case NEIGHBOURS -> Concealer.neighbourMean();
      case NONE -> Concealer.grayCells();
    };
  }

  /** Closes the predictor, and the tokenizers this decoder opened. */
  @Override
  public synchronized void close() {
    prediction.close();
    if (ownsTokenizers) {
      for (CompletableFuture<Tokenizer> f : tokenizers.values()) {
        try {
          f.join().close();
        } catch (CompletionException e) {
          // never loaded: nothing to close
        }
      }
    }
    tokenizers.clear();
  }
}
