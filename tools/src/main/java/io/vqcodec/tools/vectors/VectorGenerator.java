package io.vqcodec.tools.vectors;

import io.vqcodec.conformance.ErrorCategory;
import io.vqcodec.conformance.Manifest;
import io.vqcodec.conformance.TokenDump;
import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerReader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.Limits;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.entropy.AdaptiveModel;
import io.vqcodec.entropy.RansDecoder;
import io.vqcodec.entropy.RansEncoder;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ContextPrior;
import io.vqcodec.tokens.DecodedTokens;
import io.vqcodec.tokens.LossSimulation;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.SliceReport;
import io.vqcodec.tokens.TokenDecoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TokenModel;
import io.vqcodec.tokens.TwoStagePrior;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Writes {@code conformance/vectors/}: the streams and {@code MANIFEST.tsv} (Spec Annex C).
 *
 * <p>Three kinds of vectors:
 *
 * <ul>
 *   <li><b>synthetic</b>: token grids built here from fixed seeds, entropy coded (prob_model_id 0
 *       by the token layer's {@link SliceCoder}) and wrapped by the container writer. Their
 *       expected tokens are the grids themselves, not a decoder's output, and they regenerate
 *       byte-identically on every JVM.
 *   <li><b>image</b>: crops of {@code samples/chelsea.png} through {@link ImageEncoder}. Their
 *       expected tokens are this decoder's, accepted only if re-encoding them reproduces every
 *       slice payload byte for byte. They regenerate identically where the tokenizer network does
 *       (same platform and libtorch).
 *   <li><b>damaged and invalid</b>: deterministic edits of the above (one fault each) with the
 *       outcome Spec §2.4, §5.4 and §5.5 prescribe, worked out here from the edit.
 * </ul>
 *
 * Usage: {@code VectorGenerator [--out DIR] [--sample PNG]}; defaults {@code conformance/vectors}
 * and {@code samples/chelsea.png} under the repository root (the working directory, or the {@code
 * vqcodec.root} system property). Existing {@code .vqc} files in DIR are replaced.
 */
public final class VectorGenerator {
  private static final GranularityMode MIXED = GranularityMode.MIXED;
  private static final GranularityMode COARSE = GranularityMode.ALL_COARSE;
  private static final GranularityMode FINE = GranularityMode.ALL_FINE;
  private static final ProbabilityModel PM0 = ProbabilityModel.ADAPTIVE_ORDER0;
  private static final ProbabilityModel PM2 = ProbabilityModel.GAUSSIAN_MIXTURE;
  private static final ProbabilityModel PM3 = ProbabilityModel.TWO_STAGE;

  private final Path out;
  private final Path sample;
  private final ModelId model;

  /** The default tokenizer's context prior: prob_model_id 2 slices are coded with it. */
  private final ContextPrior prior;

  /** Its two-stage model (prob_model_id 3), which streams name by {@link #model3}. */
  private final TwoStagePrior twoStage;

  private final ModelId model3;

  /** tok-v2 (Spec §4.4: models 5 and 6), the first package with residual stage codebooks. */
  private final ModelPackage tok2;

  /** Model 5 (tok-v2 weights; prob_model_id 0 and 2) and model 6 (the same, prob_model_id 3). */
  private final ModelId model5, model6, model7;

  /** tok-v2's context prior (prior-v2) and two-stage model (twostage-v2). */
  private final ContextPrior prior2;

  private final TwoStagePrior twoStage2;
  private final TwoStagePrior twoStageTemporal;

  private final List<Manifest.Entry> entries = new ArrayList<>();

  private VectorGenerator(Path out, Path sample) throws IOException {
    this.out = out;
    this.sample = sample;
    // The suite's vectors are made with tok-v1 (models 3 and 4): they stay valid whatever the
    // encoder's default model.
    ModelPackage tok = ModelRegistry.builtIn().byName("tok-v1").orElseThrow();
    this.prior = tok.prior();
    this.model = new ModelId(tok.id(), tok.weightsSha256());
    this.twoStage = tok.twoStagePrior();
    this.model3 = new ModelId(tok.twoStageId(), tok.weightsSha256());
    // The residual-stage vectors (Spec §9.6.2) need a model with stage codebooks: tok-v2.
    this.tok2 = ModelRegistry.builtIn().byName("tok-v2").orElseThrow();
    this.model5 = new ModelId(tok2.id(), tok2.weightsSha256());
    this.model6 = new ModelId(tok2.twoStageId(), tok2.weightsSha256());
    this.prior2 = tok2.prior();
    this.twoStage2 = tok2.twoStagePrior();
    this.model7 = new ModelId(tok2.temporalTwoStageId(), tok2.weightsSha256());
    this.twoStageTemporal = tok2.temporalTwoStagePrior();
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(System.getProperty("vqcodec.root", "."));
    Path out = root.resolve("conformance/vectors");
    Path sample = root.resolve("samples/chelsea.png");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Path.of(args[++i]);
        case "--sample" -> sample = Path.of(args[++i]);
        default -> {
          System.err.println("usage: VectorGenerator [--out DIR] [--sample PNG]");
          System.exit(2);
        }
      }
    }
    long t0 = System.nanoTime();
    List<Manifest.Entry> e = generate(out, sample);
    long bytes = e.stream().mapToLong(Manifest.Entry::bytes).sum();
    System.out.printf(
        Locale.ROOT,
        "%d vectors, %d bytes, in %s (%.1f s)%n",
        e.size(),
        bytes,
        out,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Writes all vectors and the manifest to {@code out}; returns the manifest entries. */
  public static List<Manifest.Entry> generate(Path out, Path sample) throws IOException {
    return generate(out, sample, true);
  }

  /**
   * As {@link #generate(Path, Path)}; without {@code images} the encoder-made vectors (the only
   * ones that need the tokenizer network) are left out, and the result is the same on every JVM.
   */
  public static List<Manifest.Entry> generate(Path out, Path sample, boolean images)
      throws IOException {
    Files.createDirectories(out);
    try (DirectoryStream<Path> old = Files.newDirectoryStream(out, "*.vqc")) {
      for (Path p : old) Files.delete(p);
    }
    VectorGenerator g = new VectorGenerator(out, sample);
    g.synthetic();
    if (images) g.images();
    g.damaged();
    g.invalid();
    g.pinned();
    g.stages(images);
    new ResidualVectors(out, g.entries, g.model).generate();
    if (images) g.residualImages();
    ModelPackage fast = ModelRegistry.builtIn().byName("tok-v2f").orElseThrow();
    new VideoVectors(
            out,
            g.entries,
            g.model,
            g.model3,
            g.prior,
            g.twoStage,
            g.model7,
            g.twoStageTemporal,
            new ModelId(fast.temporalTwoStageId(), fast.weightsSha256()))
        .generate();
    Manifest.write(out.resolve(Manifest.FILE), g.entries);
    return List.copyOf(g.entries);
  }

  // ---------------------------------------------------------------- synthetic token grids

  /** How a synthetic grid chooses each cell's granularity. */
  private enum Gran {
    COARSE,
    FINE,
    RANDOM,
    CHECKER
  }

  /** How a synthetic grid chooses tokens. */
  private enum Tok {
    RANDOM,
    EXTREMES,
    CONSTANT,
    SKEWED,
    GRADIENT
  }

  /** A synthetic picture: its grid, how it is coded and its slices' row counts. */
  private record Synth(
      TokenGrid grid,
      GranularityMode mode,
      ProbabilityModel pm,
      ChannelFormat channel,
      int[] rows,
      int width,
      int height,
      int resolutionShift) {
    /** A picture coded at full size: the grid's size is the picture's. */
    Synth(
        TokenGrid grid,
        GranularityMode mode,
        ProbabilityModel pm,
        ChannelFormat channel,
        int[] rows) {
      this(grid, mode, pm, channel, rows, grid.width(), grid.height(), 0);
    }
  }

  private static TokenGrid grid(int w, int h, int k, Gran gran, Tok tok, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    TokenGrid g = new TokenGrid(w, h, k);
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        boolean fine =
            switch (gran) {
              case COARSE -> false;
              case FINE -> true;
              case RANDOM -> r.nextBoolean();
              case CHECKER -> ((cx + cy) & 1) == 1;
            };
        g.setFine(cx, cy, fine);
        if (fine) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            g.setFineToken(fx, fy, token(tok, k, fx, fy, r));
          }
        } else {
          g.setCoarseToken(cx, cy, token(tok, k, cx, cy, r));
        }
      }
    }
    return g;
  }

  private static int token(Tok tok, int k, int x, int y, SplittableRandom r) {
    return switch (tok) {
      case RANDOM -> r.nextInt(k);
      case EXTREMES -> ((x + y) & 1) == 0 ? 0 : k - 1;
      case CONSTANT -> k / 3;
      case SKEWED -> r.nextInt(8) != 0 ? r.nextInt(Math.min(k, 4)) : r.nextInt(k);
      case GRADIENT -> (3 * x + 5 * y) % k;
    };
  }

  private static int[] rows(int cellsHigh, int perSlice) {
    int n = (cellsHigh + perSlice - 1) / perSlice;
    int[] r = new int[n];
    for (int i = 0; i < n; i++) r[i] = Math.min(perSlice, cellsHigh - i * perSlice);
    return r;
  }

  private Synth synth(
      int w,
      int h,
      int k,
      Gran gran,
      Tok tok,
      GranularityMode mode,
      ProbabilityModel pm,
      int perSlice,
      long seed) {
    TokenGrid g = grid(w, h, k, gran, tok, seed);
    return new Synth(g, mode, pm, ChannelFormat.RGB, rows(g.cellsHigh(), perSlice));
  }

  private List<Slice> slices(Synth s) throws IOException {
    return slices(s, params(s.pm));
  }

  /** {@code s}'s slices coded with the parameters {@code params} (Spec §8.1). */
  private static List<Slice> slices(Synth s, TokenModel params) throws IOException {
    List<Slice> out = new ArrayList<>();
    int first = 0;
    for (int n : s.rows) {
      out.add(new Slice(first, n, SliceCoder.encode(params, s.grid, first, n, s.mode)));
      first += n;
    }
    return out;
  }

  private ContainerHeader header(Synth s, ModelId m) {
    List<io.vqcodec.container.Extension> ext = new ArrayList<>();
    if (s.resolutionShift != 0) ext.add(ContainerHeader.codedResolution(s.resolutionShift));
    if (s.grid.stageCount() > 1) {
      ext.add(ContainerHeader.residualStages(s.grid.stageCount(), s.grid.stageCodebookSize()));
    }
    return new ContainerHeader(
        PictureHeader.still(s.width, s.height, s.channel),
        m,
        new TokenGridParams(s.grid.codebookSize(), s.mode, s.pm),
        ext);
  }

  /**
   * A {@code w} x {@code h} picture coded at 1/2^shift (Spec §9.6.1): the grid covers the coded
   * size.
   */
  private Synth reduced(
      int w,
      int h,
      int shift,
      int k,
      Gran gran,
      Tok tok,
      GranularityMode mode,
      ProbabilityModel pm,
      int perSlice,
      long seed) {
    int f = 1 << shift;
    TokenGrid g = grid((w + f - 1) / f, (h + f - 1) / f, k, gran, tok, seed);
    return new Synth(g, mode, pm, ChannelFormat.RGB, rows(g.cellsHigh(), perSlice), w, h, shift);
  }

  private byte[] write(Synth s) throws IOException {
    return ContainerWriter.write(header(s, s.pm == PM3 ? model3 : model), slices(s));
  }

  /** The parameters slices of {@code pm} are coded with (Spec §8.1), null for order-0. */
  private TokenModel params(ProbabilityModel pm) {
    return pm == PM0 ? null : pm == PM2 ? prior : twoStage;
  }

  private static String pmName(ProbabilityModel pm) {
    return pm == PM0 ? "pm0" : pm == PM2 ? "pm2" : "pm3";
  }

  private void synthetic() throws IOException {
    // Every codebook level with every probability model: mixed granularity, random tokens.
    int[] ks = {4096, 1024, 256, 64, 16};
    for (int k : ks) {
      for (ProbabilityModel pm : List.of(PM0, PM2, PM3)) {
        Synth s = synth(80, 64, k, Gran.RANDOM, Tok.RANDOM, MIXED, pm, 2, 1000 + k);
        valid(
            "k" + k + "-mixed-" + pmName(pm),
            s,
            "§6.1 §6.2 §6.3 §6.4 " + sec(pm),
            "K=" + k + ", mixed granularity, random tokens, two 2-row slices");
      }
    }
    // Granularity modes (Spec §6.2, §6.5), every model.
    for (ProbabilityModel pm : List.of(PM0, PM2, PM3)) {
      valid(
          "gran-all-coarse-" + pmName(pm),
          synth(64, 48, 1024, Gran.COARSE, Tok.RANDOM, COARSE, pm, 8, 11),
          "§6.2 §6.5 " + sec(pm),
          "granularity_mode 1 (all-coarse): no flags, coarse tokens only");
      valid(
          "gran-all-fine-" + pmName(pm),
          synth(64, 48, 1024, Gran.FINE, Tok.RANDOM, FINE, pm, 8, 12),
          "§6.2 §6.5 " + sec(pm),
          "granularity_mode 2 (all-fine): no flags, fine tokens only");
      valid(
          "gran-mixed-all-coarse-flags-" + pmName(pm),
          synth(64, 48, 256, Gran.COARSE, Tok.RANDOM, MIXED, pm, 8, 13),
          "§6.3 §6.4 " + sec(pm),
          "mixed mode whose every flag is 0");
      valid(
          "gran-mixed-all-fine-flags-" + pmName(pm),
          synth(64, 48, 256, Gran.FINE, Tok.RANDOM, MIXED, pm, 8, 14),
          "§6.3 §6.4 " + sec(pm),
          "mixed mode whose every flag is 1");
      valid(
          "gran-checker-" + pmName(pm),
          synth(96, 96, 64, Gran.CHECKER, Tok.GRADIENT, MIXED, pm, 3, 15),
          "§6.3 §6.4 §5.1 " + sec(pm),
          "checkerboard granularity: every flag context, 3-row slices");
    }
    // Token statistics (Spec §7, §8.2 adaptation and rescaling).
    valid(
        "tok-extremes-k4096-pm0",
        synth(64, 64, 4096, Gran.RANDOM, Tok.EXTREMES, MIXED, PM0, 4, 21),
        "§6.3 §7 §8.2",
        "tokens 0 and K-1 only, K=4096");
    valid(
        "tok-extremes-k16-pm2",
        synth(64, 64, 16, Gran.RANDOM, Tok.EXTREMES, MIXED, PM2, 4, 22),
        "§6.3 §8.3.2",
        "tokens 0 and K-1 only, K=16");
    valid(
        "tok-extremes-k4096-pm2",
        synth(64, 64, 4096, Gran.RANDOM, Tok.EXTREMES, MIXED, PM2, 4, 23),
        "§6.3 §8.3.2",
        "tokens 0 and K-1 only, K=4096");
    valid(
        "tok-extremes-k4096-pm3",
        synth(64, 64, 4096, Gran.RANDOM, Tok.EXTREMES, MIXED, PM3, 4, 23),
        "§6.3 §8.3.3",
        "tokens 0 and K-1 only, K=4096");
    valid(
        "tok-constant-pm3",
        synth(256, 160, 256, Gran.FINE, Tok.CONSTANT, FINE, PM3, 10, 25),
        "§7 §8.3.3",
        "equal tokens in one slice: the model, not the escape");
    valid(
        "tok-skewed-k4096-pm3",
        synth(128, 96, 4096, Gran.RANDOM, Tok.SKEWED, MIXED, PM3, 6, 26),
        "§7 §8.3.3",
        "skewed token statistics, K=4096");
    valid(
        "tok-constant-rescale-pm0",
        synth(512, 320, 1024, Gran.FINE, Tok.CONSTANT, FINE, PM0, 20, 24),
        "§7 §8.2",
        "2560 equal fine tokens in one slice: the adaptive model reaches its limit and rescales");
    valid(
        "tok-constant-pm2",
        synth(256, 160, 256, Gran.FINE, Tok.CONSTANT, FINE, PM2, 10, 25),
        "§7 §8.3.2",
        "equal tokens in one slice, context prior");
    valid(
        "tok-skewed-k4096-pm0",
        synth(128, 96, 4096, Gran.RANDOM, Tok.SKEWED, MIXED, PM0, 6, 26),
        "§7 §8.2",
        "skewed token statistics, K=4096");
    valid(
        "tok-skewed-k256-pm2",
        synth(128, 96, 256, Gran.RANDOM, Tok.SKEWED, MIXED, PM2, 6, 27),
        "§7 §8.3.2",
        "skewed token statistics, K=256");
    // Slice layouts (Spec §5.1, §5.2): the same grid cut differently.
    TokenGrid g = grid(96, 160, 256, Gran.RANDOM, Tok.RANDOM, 31);
    for (int[] r :
        List.of(new int[] {10}, rows(10, 1), new int[] {3, 3, 3, 1}, new int[] {1, 5, 4})) {
      String n =
          Arrays.stream(r).mapToObj(Integer::toString).reduce((a, b) -> a + "-" + b).orElseThrow();
      if (r.length == 10) n = "10x1";
      valid(
          "slices-" + n + "-pm0",
          new Synth(g, MIXED, PM0, ChannelFormat.RGB, r),
          "§5.1 §5.2 §6.4 §8.2",
          "96x160, slices of " + n.replace('-', ',') + " cell rows");
    }
    valid(
        "slices-4-4-2-pm2",
        new Synth(g, MIXED, PM2, ChannelFormat.RGB, new int[] {4, 4, 2}),
        "§5.1 §5.2 §8.3.2",
        "96x160, slices of 4,4,2 cell rows, context prior");
    valid(
        "slices-10x1-pm2",
        new Synth(g, MIXED, PM2, ChannelFormat.RGB, rows(10, 1)),
        "§5.1 §5.2 §8.3.2",
        "96x160, one slice per cell row, context prior");
    // Picture sizes (Spec §3.2, §6.1, Annex A).
    for (ProbabilityModel pm : List.of(PM0, PM2)) {
      valid(
          "size-1x1-fine-" + pmName(pm),
          synth(1, 1, 64, Gran.FINE, Tok.RANDOM, MIXED, pm, 1, 41),
          "§3.2 §6.1 " + sec(pm),
          "1x1 picture: one fine cell, 15 columns and rows of padding");
      valid(
          "size-17x33-" + pmName(pm),
          synth(17, 33, 1024, Gran.RANDOM, Tok.RANDOM, MIXED, pm, 2, 42),
          "§3.2 §6.1 " + sec(pm),
          "17x33: partial cells on both edges");
      valid(
          "size-portrait-40x200-" + pmName(pm),
          synth(40, 200, 256, Gran.RANDOM, Tok.GRADIENT, MIXED, pm, 4, 43),
          "§3.2 §6.1 §5.2 " + sec(pm),
          "portrait 40x200, 4-row slices");
    }
    valid(
        "size-1x1-coarse-pm0",
        synth(1, 1, 16, Gran.COARSE, Tok.RANDOM, COARSE, PM0, 1, 44),
        "§3.2 §6.1 §6.5",
        "1x1 picture: one coarse token");
    valid(
        "size-16x16-pm0",
        synth(16, 16, 4096, Gran.COARSE, Tok.RANDOM, MIXED, PM0, 1, 45),
        "§3.2 §6.1",
        "exactly one cell");
    valid(
        "size-15x1-pm2",
        synth(15, 1, 1024, Gran.FINE, Tok.RANDOM, FINE, PM2, 1, 46),
        "§3.2 §6.1 §8.3.2",
        "15x1 strip");
    valid(
        "size-wide-16384x1-pm0",
        synth(16384, 1, 16, Gran.COARSE, Tok.GRADIENT, COARSE, PM0, 1, 47),
        "§A.1 §6.1",
        "16384x1: the widest picture, 1024 cells in one row");
    valid(
        "size-tall-1x16384-1024slices-pm0",
        synth(1, 16384, 16, Gran.COARSE, Tok.CONSTANT, COARSE, PM0, 1, 48),
        "§A.1 §A.2 §5.2",
        "1x16384: 1024 cell rows in 1024 slices (MAX_SLICES)");
    valid(
        "size-max-cells-16384x4096-pm0",
        synth(16384, 4096, 16, Gran.COARSE, Tok.CONSTANT, COARSE, PM0, 64, 49),
        "§A.1 §A.2 §8.2",
        "16384x4096: 262144 cells (the most Annex A allows), 4 slices");
    // Coded resolution (Spec §9.6.1): the grid and the slice directory cover the downscaled
    // picture.
    valid(
        "coded-res-half-pm2",
        reduced(160, 96, 1, 1024, Gran.RANDOM, Tok.RANDOM, MIXED, PM2, 2, 61),
        "§9.6.1 §6.1 §5.2 §8.3.2",
        "160x96 coded at half size: an 80x48 grid (5x3 cells), slices of 2,1 rows");
    valid(
        "coded-res-quarter-pm0",
        reduced(321, 130, 2, 256, Gran.RANDOM, Tok.GRADIENT, MIXED, PM0, 1, 62),
        "§9.6.1 §6.1 §5.2 §8.2",
        "321x130 coded at quarter size: an 81x33 grid (6x3 cells, partial on both edges)");
    valid(
        "coded-res-quarter-1x1-pm2",
        reduced(1, 1, 2, 16, Gran.COARSE, Tok.RANDOM, COARSE, PM2, 1, 63),
        "§9.6.1 §6.1 §8.3.2",
        "1x1 coded at quarter size: still one cell");
    // Gray (Spec §3.2: the token grid is coded as for RGB).
    for (ProbabilityModel pm : List.of(PM0, PM2)) {
      TokenGrid gg = grid(40, 24, 256, Gran.RANDOM, Tok.RANDOM, 51);
      valid(
          "gray-40x24-" + pmName(pm),
          new Synth(gg, MIXED, pm, ChannelFormat.GRAY, new int[] {2}),
          "§3.2 " + sec(pm),
          "channel_format 0 (gray)");
    }
  }

  private static String sec(ProbabilityModel pm) {
    return pm == PM0 ? "§8.2" : pm == PM2 ? "§8.3.2" : "§8.3.3";
  }

  /** Adds a synthetic vector that decodes completely. */
  private void valid(String name, Synth s, String sections, String description) throws IOException {
    byte[] b = write(s);
    decodes(
        name,
        b,
        s.grid,
        s.channel,
        s.mode,
        s.pm,
        outcomes(s.rows.length),
        "ok",
        sections,
        description);
  }

  private static List<String> outcomes(int n) {
    List<String> o = new ArrayList<>();
    for (int i = 0; i < n; i++) o.add("DECODED");
    return o;
  }

  // ---------------------------------------------------------------- image vectors

  private void images() throws IOException {
    BufferedImage src = ImageIO.read(sample.toFile());
    if (src == null) throw new IOException("cannot read " + sample);
    try (Tokenizer tok = Tokenizer.open(ModelRegistry.builtIn().byName("tok-v1").orElseThrow());
        ImageEncoder enc = ImageEncoder.using(tok)) {
      // The context prior for the vectors named pm2; the encoder's default is the two-stage model.
      EncoderOptions d = EncoderOptions.defaults().withProbabilityModel(PM2);
      image(
          enc,
          "img-chelsea-451x300-default",
          src,
          EncoderOptions.defaults(),
          "§2 to §8, §8.3.3",
          "samples/chelsea.png with the encoder's defaults (two-stage model, 8-row slices)");
      image(
          enc,
          "img-chelsea-451x300-pm2",
          src,
          d,
          "§2 to §8, §8.3.2",
          "samples/chelsea.png, default quality, the context prior");
      image(
          enc,
          "img-96x64-k1024-rows2-pm3",
          crop(src, 250, 50, 96, 64),
          EncoderOptions.defaults().withCodebook(1024, 0.25).withSliceRows(2),
          "§6.3 §8.3.3",
          "a 96x64 crop, K=1024, 25% fine, two-stage model, two slices");
      image(
          enc,
          "img-chelsea-451x300-pm0",
          src,
          d.withProbabilityModel(PM0),
          "§2 to §8, §8.2",
          "samples/chelsea.png, default quality, adaptive order-0");
      image(enc, "img-1x1-pm2", crop(src, 200, 150, 1, 1), d, "§3.2 §6.1 §8.3.2", "a 1x1 crop");
      image(
          enc,
          "img-17x33-k256-pm0",
          crop(src, 100, 60, 17, 33),
          d.withCodebook(256, 0.5).withProbabilityModel(PM0),
          "§6.1 §8.2",
          "a 17x33 crop, K=256, half fine");
      image(
          enc,
          "img-portrait-48x80-k64-rows1-pm2",
          crop(src, 180, 100, 48, 80),
          d.withCodebook(64, 0.3).withSliceRows(1),
          "§5.2 §6.4 §8.3.2",
          "a portrait 48x80 crop, K=64, 30% fine, one slice per cell row");
      image(
          enc,
          "img-gray-64x40-k16-all-fine-pm0",
          gray(crop(src, 150, 120, 64, 40)),
          d.withCodebook(16, 1.0).withProbabilityModel(PM0),
          "§3.2 §6.5 §8.2",
          "a gray 64x40 crop, K=16, all fine");
      image(
          enc,
          "img-96x64-k4096-all-coarse-pm2",
          crop(src, 250, 50, 96, 64),
          d.withCodebook(4096, 0).withSliceRows(2),
          "§6.5 §8.3.2",
          "a 96x64 crop, K=4096, all coarse");
      image(
          enc,
          "img-chelsea-451x300-half-k4096-pm2",
          src,
          d.withCodebook(4096, 0.5).withResolutionShift(1),
          "§9.6.1 §8.3.2",
          "samples/chelsea.png coded at half size (226x150), K=4096, half fine");
      image(
          enc,
          "img-chelsea-451x300-0.01bpp",
          src,
          d.withTargetBpp(0.01),
          "§9.6.1 §8.3.2",
          "samples/chelsea.png at --bpp 0.01: the encoder's rate control picks a reduced resolution");
      image(
          enc,
          "img-96x64-k1024-pm2",
          crop(src, 250, 50, 96, 64),
          d.withCodebook(1024, 0.25).withSliceRows(2),
          "§6.3 §8.3.2",
          "a 96x64 crop, K=1024, 25% fine, two slices");
    }
  }

  private static BufferedImage crop(BufferedImage src, int x, int y, int w, int h) {
    BufferedImage c = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int j = 0; j < h; j++) {
      for (int i = 0; i < w; i++) c.setRGB(i, j, src.getRGB(x + i, y + j) & 0xFFFFFF);
    }
    return c;
  }

  private static BufferedImage gray(BufferedImage rgb) {
    BufferedImage g =
        new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    for (int j = 0; j < rgb.getHeight(); j++) {
      for (int i = 0; i < rgb.getWidth(); i++) {
        int p = rgb.getRGB(i, j);
        int v = (77 * ((p >> 16) & 0xFF) + 150 * ((p >> 8) & 0xFF) + 29 * (p & 0xFF) + 128) >> 8;
        g.getRaster().setSample(i, j, 0, v);
      }
    }
    return g;
  }

  /**
   * An encoder-made vector. Its expected grid is the reference decoder's, accepted only if
   * re-encoding it reproduces every slice payload: so it is the grid the encoder coded.
   */
  private void image(
      ImageEncoder enc,
      String name,
      BufferedImage img,
      EncoderOptions o,
      String sections,
      String description)
      throws IOException {
    image(this::params, name, enc.encode(img, o).bytes(), sections, description);
  }

  /** As above for the stream {@code b}, whose slices are coded with {@code params} (Spec §8.1). */
  private void image(
      java.util.function.Function<ProbabilityModel, TokenModel> params,
      String name,
      byte[] b,
      String sections,
      String description)
      throws IOException {
    DecodedTokens t = TokenDecoder.decode(new ByteArrayInputStream(b), LossSimulation.NONE, null);
    ContainerReader r = ContainerReader.open(b);
    ContainerHeader h = r.header();
    for (Slice s; (s = r.nextSlice()) != null; ) {
      byte[] again =
          SliceCoder.encode(
              params.apply(h.grid().probabilityModel()),
              t.grid(),
              s.firstRow(),
              s.rowCount(),
              h.grid().granularityMode());
      if (s.status() != Slice.Status.OK || !Arrays.equals(again, s.payload())) {
        throw new IOException(
            name
                + ": slice at row "
                + s.firstRow()
                + " does not re-encode to its payload; the decoded grid is not the coded one");
      }
    }
    List<String> o2 = new ArrayList<>();
    for (SliceReport s : t.slices()) o2.add(s.outcome().name());
    decodes(
        name,
        b,
        t.grid(),
        h.picture().channelFormat(),
        h.grid().granularityMode(),
        h.grid().probabilityModel(),
        o2,
        t.endCodeValid() ? "ok" : "warn",
        sections,
        description);
  }

  // ---------------------------------------------------------------- damaged slices, end code

  /** The base of the edited vectors: 80x64, K=256, mixed, four 1-row slices. */
  private Synth base(ProbabilityModel pm) {
    return synth(80, 64, 256, Gran.RANDOM, Tok.RANDOM, MIXED, pm, 1, 90);
  }

  private void damaged() throws IOException {
    for (ProbabilityModel pm : List.of(PM0, PM2, PM3)) {
      Synth s = base(pm);
      byte[] b = write(s);
      String p = "-" + pmName(pm);
      decodes(
          "base" + p,
          b,
          s.grid,
          s.channel,
          s.mode,
          pm,
          outcomes(4),
          "ok",
          "§5 §6.3 " + sec(pm),
          "the base of the edited vectors: 80x64, K=256, mixed, four 1-row slices");
      HeaderEditor e = HeaderEditor.parse(b);
      int hs = e.headerSize();
      int[] start = new int[5];
      start[0] = hs;
      for (int i = 0; i < 4; i++) start[i + 1] = start[i] + e.payload(i).length;
      for (int i : new int[] {0, 1, 3}) {
        byte[] d = b.clone();
        d[start[i] + e.payload(i).length / 2] ^= 0x10;
        decodes(
            "slice-crc-damaged-" + i + p,
            d,
            lose(s.grid, i, 1),
            s.channel,
            s.mode,
            pm,
            with(outcomes(4), i, "DAMAGED"),
            "ok",
            "§5.4 §5.5",
            "one bit of slice " + i + "'s payload flipped: CRC_MISMATCH, the other slices decode");
      }
      byte[] d = b.clone();
      d[start[1]] ^= 0x01;
      d[start[3] + 1] ^= (byte) 0x80;
      TokenGrid two = lose(lose(s.grid, 1, 1), 3, 1);
      decodes(
          "slice-crc-damaged-1-3" + p,
          d,
          two,
          s.channel,
          s.mode,
          pm,
          List.of("DECODED", "DAMAGED", "DECODED", "DAMAGED"),
          "ok",
          "§5.4 §5.5",
          "slices 1 and 3 damaged");
      int cut = start[2] + e.payload(2).length / 2;
      decodes(
          "slice-truncated" + p,
          Arrays.copyOf(b, cut),
          lose(s.grid, 2, 2),
          s.channel,
          s.mode,
          pm,
          List.of("DECODED", "DECODED", "TRUNCATED", "MISSING"),
          "warn",
          "§5.4 §5.5 §2.6",
          "stream cut inside slice 2's payload: slice 2 TRUNCATED, slice 3 MISSING");
      if (pm == PM0) {
        decodes(
            "slice-missing",
            Arrays.copyOf(b, start[2]),
            lose(s.grid, 2, 2),
            s.channel,
            s.mode,
            pm,
            List.of("DECODED", "DECODED", "MISSING", "MISSING"),
            "warn",
            "§5.4 §5.5",
            "stream cut at the end of slice 1's payload");
        decodes(
            "slice-header-only",
            Arrays.copyOf(b, hs),
            lose(s.grid, 0, 4),
            s.channel,
            s.mode,
            pm,
            outcomesAll(4, "MISSING"),
            "warn",
            "§5.4 §5.5",
            "nothing after header(): every slice MISSING");
        decodes(
            "slice-truncated-last-byte",
            Arrays.copyOf(b, start[4] - 1),
            lose(s.grid, 3, 1),
            s.channel,
            s.mode,
            pm,
            with(outcomes(4), 3, "TRUNCATED"),
            "warn",
            "§5.4",
            "the last payload byte and the end code are missing");
        decodes(
            "end-code-missing",
            Arrays.copyOf(b, b.length - 4),
            s.grid,
            s.channel,
            s.mode,
            pm,
            outcomes(4),
            "warn",
            "§2.6",
            "no end code: a warning, every slice decodes");
        byte[] ec = b.clone();
        ec[ec.length - 1] = 'X';
        decodes(
            "end-code-damaged",
            ec,
            s.grid,
            s.channel,
            s.mode,
            pm,
            outcomes(4),
            "warn",
            "§2.6",
            "end code VQCX instead of VQCE: a warning, every slice decodes");
        byte[] tr = Arrays.copyOf(b, b.length + 9);
        System.arraycopy(
            "trailing!".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, tr, b.length, 9);
        decodes(
            "trailing-data",
            tr,
            s.grid,
            s.channel,
            s.mode,
            pm,
            outcomes(4),
            "ok",
            "§2.6",
            "9 bytes after the end code: ignored");
      }
      // Payloads that arrive intact (matching CRC) but are not valid slice_data().
      decodes(
          "slice-dropped" + p,
          e.copy().setPayload(1, new byte[0], true).toFile(true),
          lose(s.grid, 1, 1),
          s.channel,
          s.mode,
          pm,
          with(outcomes(4), 1, "DROPPED"),
          "ok",
          "§5.3 §5.5",
          "payload_length 0 for slice 1: dropped by the encoder");
      decodes(
          "slice-undecodable-short" + p,
          e.copy().setPayload(1, new byte[] {1, 2}, true).toFile(true),
          lose(s.grid, 1, 1),
          s.channel,
          s.mode,
          pm,
          with(outcomes(4), 1, "UNDECODABLE"),
          "ok",
          "§6.6 §7.3 §5.5",
          "slice 1's payload is 2 bytes (below the 4-byte rANS state) with a matching CRC");
      decodes(
          "slice-undecodable-zero-state" + p,
          e.copy().setPayload(2, new byte[4], true).toFile(true),
          lose(s.grid, 2, 1),
          s.channel,
          s.mode,
          pm,
          with(outcomes(4), 2, "UNDECODABLE"),
          "ok",
          "§6.6 §7.3 §5.5",
          "slice 2's payload is 00 00 00 00 (a state that needs 8 bytes) with a matching CRC");
      // Swapped payloads of two 1-row slices decode, each into the other's row (Spec §5.1).
      TokenGrid sw = swapRows(s.grid, 1, 2);
      HeaderEditor x = e.copy().setPayload(1, e.payload(2), true).setPayload(2, e.payload(1), true);
      decodes(
          "slice-swapped-1-2" + p,
          x.toFile(true),
          sw,
          s.channel,
          s.mode,
          pm,
          outcomes(4),
          "ok",
          "§5.1 §5.3",
          "payloads of slices 1 and 2 swapped (directory updated): each decodes in the other's row");
    }
    // Header edits that a decoder must accept.
    Synth s = base(PM0);
    HeaderEditor e = HeaderEditor.parse(write(s));
    decodes(
        "version-minor-7",
        e.copy().set("version_minor", new byte[] {7}).toFile(true),
        s.grid,
        s.channel,
        s.mode,
        PM0,
        outcomes(4),
        "ok",
        "§2.2.3",
        "version_minor 7: accepted by a 0.0 decoder");
    decodes(
        "ext-ignorable",
        e.copy()
            .addExtensions(
                HeaderEditor.Block.of(
                    0x4001, "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                HeaderEditor.Block.of(0x7FFF))
            .toFile(true),
        s.grid,
        s.channel,
        s.mode,
        PM0,
        outcomes(4),
        "ok",
        "§9.2 §9.4",
        "two ignorable private extension blocks (0x4001, 5 bytes; 0x7FFF, empty): skipped");
  }

  private static List<String> with(List<String> o, int i, String v) {
    List<String> c = new ArrayList<>(o);
    c.set(i, v);
    return c;
  }

  private static List<String> outcomesAll(int n, String v) {
    List<String> o = new ArrayList<>();
    for (int i = 0; i < n; i++) o.add(v);
    return o;
  }

  private static void copyCell(TokenGrid g, int cx, int cy, TokenGrid c, int dx, int dy) {
    c.setFine(dx, dy, g.isFine(cx, cy));
    c.setCoarseToken(dx, dy, g.coarseToken(cx, cy));
    for (int q = 0; q < 4; q++) {
      c.setFineToken(
          2 * dx + (q & 1), 2 * dy + (q >> 1), g.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1)));
    }
  }

  /** A copy with every token of cell rows {@code first .. first + n - 1} lost (Spec §5.5). */
  private static TokenGrid lose(TokenGrid g, int first, int n) {
    TokenGrid c = g.copy();
    for (int cy = first; cy < first + n; cy++) {
      for (int cx = 0; cx < c.cellsWide(); cx++) {
        c.setFine(cx, cy, false);
        c.setCoarseToken(cx, cy, TokenGrid.LOST);
      }
    }
    return c;
  }

  private static TokenGrid swapRows(TokenGrid g, int a, int b) {
    TokenGrid c = g.copy();
    for (int cx = 0; cx < g.cellsWide(); cx++) {
      copyCell(g, cx, a, c, cx, b);
      copyCell(g, cx, b, c, cx, a);
    }
    return c;
  }

  // ---------------------------------------------------------------- invalid streams

  private void invalid() throws IOException {
    byte[] b = write(base(PM0));
    HeaderEditor e = HeaderEditor.parse(b);
    int hs = e.headerSize();
    String nv = ErrorCategory.NOT_VQC.name(), tr = ErrorCategory.TRUNCATED_HEADER.name();
    String inv = ErrorCategory.INVALID_HEADER.name(), um = ErrorCategory.UNKNOWN_MODEL.name();

    byte[] m = b.clone();
    m[0] = 0x09;
    refuses(
        "err-magic-7bit",
        m,
        nv,
        0,
        "§2.2.1",
        "byte 0 is 0x09: the high bit was cleared by a 7-bit channel");
    byte[] crlf = new byte[b.length - 1];
    System.arraycopy(b, 0, crlf, 0, 4);
    System.arraycopy(b, 5, crlf, 4, b.length - 5);
    refuses(
        "err-magic-text-mode",
        crlf,
        nv,
        0,
        "§2.2.1",
        "the CR of the magic removed (text-mode transfer)");
    byte[] png = b.clone();
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}, 0, png, 0, 8);
    refuses("err-magic-png", png, nv, 0, "§2.2.1", "a PNG signature");
    refuses("err-empty", new byte[0], tr, 0, "§2.4", "an empty file");
    refuses(
        "err-truncated-magic",
        Arrays.copyOf(b, 5),
        tr,
        5,
        "§2.2 §2.4",
        "the first 5 bytes of the magic only");
    refuses(
        "err-truncated-prefix",
        Arrays.copyOf(b, 12),
        tr,
        12,
        "§2.2 §2.4",
        "the file ends inside header_size");
    refuses(
        "err-truncated-header",
        Arrays.copyOf(b, 30),
        tr,
        30,
        "§2.4",
        "the file ends at byte 30, inside header()");
    refuses(
        "err-truncated-header-crc",
        Arrays.copyOf(b, hs - 1),
        tr,
        hs - 1,
        "§2.4",
        "the file ends one byte before the end of header_crc");
    for (int v : new int[] {1, 255}) {
      refuses(
          "err-version-major-" + v,
          e.copy().set("version_major", new byte[] {(byte) v}).toFile(true),
          ErrorCategory.UNSUPPORTED_VERSION.name(),
          8,
          "§2.2.3",
          "version_major " + v);
    }
    // §2.4: the version is checked (step 2) before header_size (step 3), so a stream that ends
    // inside the prefix is refused for its version first.
    refuses(
        "err-version-major-1-truncated",
        Arrays.copyOf(e.copy().set("version_major", new byte[] {1}).toFile(true), 11),
        ErrorCategory.UNSUPPORTED_VERSION.name(),
        8,
        "§2.2.3 §2.4",
        "version_major 1 in a file that ends at byte 11");
    // A damaged header: some byte changed, header_crc not updated.
    byte[] w = e.raw("width");
    w[0] ^= 0x01;
    refuses(
        "err-header-crc-width",
        e.copy().set("width", w).toFile(false),
        ErrorCategory.DAMAGED_HEADER.name(),
        hs - 4,
        "§2.5 §3.4",
        "one bit of width flipped; header_crc not updated");
    byte[] sc = e.raw("slice[0].payload_crc");
    sc[3] ^= 0x01;
    refuses(
        "err-header-crc-slice-crc",
        e.copy().set("slice[0].payload_crc", sc).toFile(false),
        ErrorCategory.DAMAGED_HEADER.name(),
        hs - 4,
        "§2.5 §5.2",
        "one bit of a payload_crc flipped: the header is damaged (not the slice)");
    byte[] hc = b.clone();
    hc[hs - 1] ^= 0x40;
    refuses(
        "err-header-crc-field",
        hc,
        ErrorCategory.DAMAGED_HEADER.name(),
        hs - 4,
        "§2.5",
        "one bit of header_crc flipped");
    // header_size (Spec §2.2.2, §2.4 steps 3, 4, 7).
    refuses(
        "err-header-size-19",
        e.copy().set("header_size", HeaderEditor.be(19, 4)).toFile(false),
        inv,
        10,
        "§2.2.2 §A.3",
        "header_size 19 (below 20)");
    refuses(
        "err-header-size-limit",
        e.copy().set("header_size", HeaderEditor.be(4194305, 4)).toFile(false),
        inv,
        10,
        "§2.2.2 §A.3",
        "header_size 4194305 (above MAX_HEADER_SIZE)");
    refuses(
        "err-header-size-past-eof",
        e.copy().set("header_size", HeaderEditor.be(b.length + 100, 4)).toFile(false),
        tr,
        b.length,
        "§2.4",
        "header_size larger than the file");
    HeaderEditor pad =
        e.copy()
            .insertAfter("slice[3].payload_crc", new HeaderEditor.Field("padding", new byte[4]));
    byte[] padded = pad.toFile(true);
    refuses(
        "err-header-size-extra-bytes",
        padded,
        inv,
        pad.offset("padding"),
        "§2.4",
        "4 bytes between the slice directory and header_crc (header_size and header_crc consistent)");
    // One field out of range or reserved, header_crc consistent (Spec §2.4 step 6).
    field(
        e,
        "err-profile-1",
        "profile",
        new byte[] {1},
        "§2.2.4 §10.2",
        "profile 1 (video) in a version_minor 0 stream: video needs version_minor 2 (§10.2)");
    field(
        e,
        "err-header-flags-1",
        "header_flags",
        new byte[] {1},
        "§2.2.5",
        "header_flags 0x01 (reserved)");
    field(e, "err-width-0", "width", HeaderEditor.varint(0), "§3.2 §A.1", "width 0");
    field(e, "err-width-16385", "width", HeaderEditor.varint(16385), "§3.2 §A.1", "width 16385");
    field(
        e,
        "err-width-huge",
        "width",
        HeaderEditor.varint((1L << 56) - 1),
        "§3.2 §A.1 §1.4",
        "width 2^56-1 (the largest 8-byte varint)");
    field(e, "err-height-0", "height", HeaderEditor.varint(0), "§3.2 §A.1", "height 0");
    HeaderEditor big =
        e.copy().set("width", HeaderEditor.varint(16384)).set("height", HeaderEditor.varint(16384));
    refuses(
        "err-pixels-16384x16384",
        big.toFile(true),
        inv,
        big.offset("height"),
        "§3.2 §A.1",
        "16384x16384: each side in range, more than MAX_PIXELS together (offset: height)");
    field(
        e,
        "err-channel-format-2",
        "channel_format",
        new byte[] {2},
        "§3.2 §1.7",
        "channel_format 2 (reserved)");
    field(
        e,
        "err-bit-depth-16",
        "bit_depth",
        new byte[] {16},
        "§3.2",
        "bit_depth 16 (reserved in v0)");
    field(
        e,
        "err-frame-count-2",
        "frame_count",
        HeaderEditor.varint(2),
        "§3.2 §3.3",
        "frame_count 2");
    field(
        e,
        "err-frame-rate-30",
        "frame_rate_num",
        HeaderEditor.varint(30),
        "§3.2 §3.3",
        "frame_rate_num 30");
    field(e, "err-model-id-0", "model_id", HeaderEditor.varint(0), "§4.2", "model_id 0 (invalid)");
    field(
        e,
        "err-codebook-level-1",
        "codebook_level",
        new byte[] {1},
        "§6.2",
        "codebook_level 1 (K=4, reserved)");
    field(
        e,
        "err-codebook-level-7",
        "codebook_level",
        new byte[] {7},
        "§6.2",
        "codebook_level 7 (reserved)");
    field(
        e,
        "err-granularity-mode-3",
        "granularity_mode",
        new byte[] {3},
        "§6.2",
        "granularity_mode 3 (reserved)");
    field(
        e,
        "err-prob-model-1",
        "prob_model_id",
        new byte[] {1},
        "§8.1 §8.3.1",
        "prob_model_id 1 (static frequency table, reserved)");
    field(
        e,
        "err-prob-model-4",
        "prob_model_id",
        new byte[] {4},
        "§8.1",
        "prob_model_id 4 (reserved)");
    byte[] nc = HeaderEditor.varint(80);
    field(
        e,
        "err-varint-non-canonical",
        "width",
        new byte[] {(byte) (nc[0] | 0x80), 0},
        "§1.4.2",
        "width 80 written as D0 00 (non-canonical varint)");
    field(
        e,
        "err-varint-9-bytes",
        "width",
        new byte[] {
          (byte) 0xD0,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          (byte) 0x80,
          0
        },
        "§1.4.1",
        "width as a 9-byte varint");
    field(
        e,
        "err-extension-count-65",
        "extension_count",
        HeaderEditor.varint(65),
        "§9.2 §A.3",
        "extension_count 65");
    HeaderEditor ex = e.copy().addExtensions(HeaderEditor.Block.of(0xC001));
    refuses(
        "err-extension-critical",
        ex.toFile(true),
        ErrorCategory.UNKNOWN_CRITICAL_EXTENSION.name(),
        ex.offset("extension[0].extension_type"),
        "§9.4",
        "a critical extension block of private type 0x4001");
    HeaderEditor t0 = e.copy().addExtensions(HeaderEditor.Block.of(0x0000));
    refuses(
        "err-extension-type-0",
        t0.toFile(true),
        inv,
        t0.offset("extension[0].extension_type"),
        "§9.2",
        "an extension block of type 0 (invalid)");
    HeaderEditor el = e.copy().addExtensions(new HeaderEditor.Block(0x4001, 1048577, new byte[0]));
    refuses(
        "err-extension-length-limit",
        el.toFile(true),
        inv,
        el.offset("extension[0].extension_length"),
        "§9.2 §A.3",
        "extension_length 1048577 (above MAX_EXTENSION_SIZE), no payload follows");
    // Coded resolution (Spec §9.6.1): the block is checked where it is read.
    // version_minor 1, the version of the block (Spec §2.2.3), so that the block is the one fault;
    // the offset is that of the element at fault (Spec §9.6.1, §C.4).
    String[][] cr = {
      {"err-coded-res-shift-0", "8001", "00", "resolution_shift 0 (reserved)", "payload"},
      {"err-coded-res-shift-3", "8001", "03", "resolution_shift 3 (reserved)", "payload"},
      {"err-coded-res-ignorable", "0001", "01", "type 1 without the critical flag", "type"},
      {"err-coded-res-length-2", "8001", "0101", "a 2-byte coded-resolution payload", "length"},
      {"err-coded-res-empty", "8001", "", "an empty coded-resolution payload", "length"}
    };
    for (String[] c : cr) {
      byte[] payload = java.util.HexFormat.of().parseHex(c[2]);
      HeaderEditor x =
          e.copy()
              .set("version_minor", new byte[] {1})
              .addExtensions(HeaderEditor.Block.of(Integer.parseInt(c[1], 16), payload));
      // The missing critical flag also names §9.4: a decoder without the capability reads the block
      // as an ignorable one of an unknown type and is not judged on it (Spec §C.7).
      String sections = c[4].equals("type") ? "§9.4 §9.6.1" : "§9.6.1";
      refuses(
          c[0], x.toFile(true), inv, x.offset("extension[0].extension_" + c[4]), sections, c[3]);
    }
    HeaderEditor twice =
        e.copy()
            .set("version_minor", new byte[] {1})
            .addExtensions(
                HeaderEditor.Block.of(0x8001, new byte[] {1}),
                HeaderEditor.Block.of(0x8001, new byte[] {1}));
    refuses(
        "err-coded-res-twice",
        twice.toFile(true),
        inv,
        twice.offset("extension[1].extension_type"),
        "§9.6.1",
        "two coded-resolution blocks");
    HeaderEditor dir =
        e.copy()
            .set("version_minor", new byte[] {1})
            .addExtensions(HeaderEditor.Block.of(0x8001, new byte[] {1}));
    refuses(
        "err-coded-res-directory",
        dir.toFile(true),
        inv,
        dir.offset("slice_count"),
        "§9.6.1 §5.2",
        "80x64 at half size has 2 cell rows; the directory lists 4 slices (the full-size grid's)");
    field(
        e,
        "err-slice-count-0",
        "slice_count",
        HeaderEditor.varint(0),
        "§5.2 §A.2",
        "slice_count 0");
    field(
        e,
        "err-slice-count-5",
        "slice_count",
        HeaderEditor.varint(5),
        "§5.2 §A.2",
        "slice_count 5 for a picture of 4 cell rows");
    field(
        e,
        "err-first-row-gap",
        "slice[1].first_row",
        HeaderEditor.varint(2),
        "§5.2",
        "slice 1 starts at row 2 (row 1 skipped)");
    field(
        e, "err-row-count-0", "slice[0].row_count", HeaderEditor.varint(0), "§5.2", "row_count 0");
    field(
        e,
        "err-payload-length-limit",
        "slice[0].payload_length",
        HeaderEditor.varint(64 + 32 * 5 + 1),
        "§5.2 §A.2",
        "payload_length 225 for a 5-cell slice (limit 224)");
    refuses(
        "err-slices-uncovered",
        e.copy()
            .set("slice_count", HeaderEditor.varint(3))
            .remove("slice[3].first_row", "slice[3].payload_crc")
            .toFile(true),
        inv,
        -1,
        "§5.2",
        "the directory covers cell rows 0..2 of 0..3 (offset not specified)");
    // Models (Spec §4.3, §8.3.2.1): the decoder holds model 3 (tok-v1 + prior-v1), and so model 2.
    for (ProbabilityModel pm : List.of(PM0, PM2)) {
      Synth s = base(pm);
      String p = "-" + pmName(pm);
      List<Slice> sl = slices(s);
      refuses(
          "err-model-unknown-id" + p,
          ContainerWriter.write(header(s, new ModelId(999, model.weightsHash())), sl),
          um,
          -1,
          "§4.3",
          "model_id 999 (not in the registry) with model 3's weights_hash");
      byte[] h = model.weightsHash();
      h[15] ^= 0x01;
      refuses(
          "err-model-weights" + p,
          ContainerWriter.write(header(s, new ModelId(model.id(), h)), sl),
          um,
          -1,
          "§4.3",
          "model 3 with one bit of weights_hash flipped");
    }
    Synth s2 = base(PM2);
    refuses(
        "err-model-2-prior",
        ContainerWriter.write(header(s2, new ModelId(2, model.weightsHash())), slices(s2)),
        um,
        -1,
        "§4.4 §8.3.2.1",
        "model 2 (no context prior) with prob_model_id 2");
    Synth s3 = base(PM3);
    refuses(
        "err-model-3-two-stage",
        ContainerWriter.write(header(s3, model), slices(s3)),
        um,
        -1,
        "§4.3 §8.3.3.1",
        "model 3 (context prior, no two-stage parameters) with prob_model_id 3");
    refuses(
        "err-model-4-prior",
        ContainerWriter.write(header(s2, model3), slices(s2)),
        um,
        -1,
        "§4.3 §8.3.2.1",
        "model 4 (two-stage parameters, no context prior) with prob_model_id 2");
  }

  private void field(
      HeaderEditor e, String name, String field, byte[] raw, String sections, String description)
      throws IOException {
    HeaderEditor x = e.copy().set(field, raw);
    refuses(
        name,
        x.toFile(true),
        ErrorCategory.INVALID_HEADER.name(),
        x.offset(field),
        sections,
        description);
  }

  // ---------------------------------------------------------------- manifest entries

  private void decodes(
      String name,
      byte[] b,
      TokenGrid expected,
      ChannelFormat channel,
      GranularityMode mode,
      ProbabilityModel pm,
      List<String> slices,
      String endCode,
      String sections,
      String description)
      throws IOException {
    String file = name + ".vqc";
    Files.write(out.resolve(file), b);
    // The picture's size (Spec §3.2), which with a coded-resolution block is not the grid's.
    PictureHeader picture = ContainerReader.open(b).header().picture();
    entries.add(
        Manifest.Entry.decoded(
            file,
            b,
            String.join(",", slices),
            endCode,
            TokenDump.sha256(expected),
            sections,
            description));
  }

  private void refuses(
      String name, byte[] b, String category, long offset, String sections, String description)
      throws IOException {
    String file = name + ".vqc";
    Files.write(out.resolve(file), b);
    entries.add(Manifest.Entry.refusal(file, b, category, offset, sections, description));
  }

  // ---------------------------------------------------------------- rules pinned by issue 18

  /**
   * Vectors that a decoder breaking one rule fails, each built for that rule (issue 18): the two
   * halves of check_end, reading past a payload, the head rules of §7.3, the adaptive model's
   * symbol search at a slot boundary, Annex A limits at and one past, the check order of §C.4,
   * zero-length slices, a header field that runs into header_crc, and model-2 streams (§4.4).
   */
  private void pinned() throws IOException {
    String inv = ErrorCategory.INVALID_HEADER.name();
    String um = ErrorCategory.UNKNOWN_MODEL.name();
    String crit = ErrorCategory.UNKNOWN_CRITICAL_EXTENSION.name();
    Synth s = base(PM0);
    byte[] b = write(s);
    HeaderEditor e = HeaderEditor.parse(b);
    // §7.6: each half of check_end alone.
    byte[] p1 = e.payload(1);
    decodes(
        "slice-end-bytes-left-pm0",
        e.copy().setPayload(1, Arrays.copyOf(p1, p1.length + 4), true).toFile(true),
        lose(s.grid, 1, 1),
        s.channel,
        s.mode,
        PM0,
        with(outcomes(4), 1, "UNDECODABLE"),
        "ok",
        "§7.6 §6.6 §5.5",
        "slice 1's payload with 4 zero bytes appended (CRC matching): every symbol decodes, the"
            + " state ends at 2^31, 4 bytes are left unread");
    Synth c4 = coarseRow(256, new int[] {17, 200, 3, 91});
    byte[] extra = coarsePayload(c4, 42);
    checkEnd(extra, c4, false);
    decodes(
        "slice-end-state-pm0",
        single(c4, extra),
        lose(c4.grid, 0, 1),
        c4.channel,
        COARSE,
        PM0,
        List.of("UNDECODABLE"),
        "ok",
        "§7.6 §6.6",
        "4 coarse tokens coded with a fifth one after them: every byte is consumed, the final"
            + " state is not 2^31");
    valid(
        "slice-end-state-base-pm0",
        c4,
        "§6.5 §7.6",
        "the 4 coarse tokens of slice-end-state-pm0 coded alone (the same stream without the"
            + " fifth token)");
    // §7.4, §7.11: a refill with fewer than 4 bytes left is an error, never a read past the end.
    decodes(
        "slice-past-end-pm0",
        e.copy().setPayload(1, Arrays.copyOf(p1, p1.length - 4), true).toFile(true),
        lose(s.grid, 1, 1),
        s.channel,
        s.mode,
        PM0,
        with(outcomes(4), 1, "UNDECODABLE"),
        "ok",
        "§7.4 §7.11 §6.6",
        "slice 1's payload without its last word (CRC matching): the last refill finds 0 bytes");
    // §7.3: the head rules. A state of 4 bytes written in 5 or 8 (leading zero bytes).
    Synth c4b = coarseRow(256, fourByteHeadTokens());
    byte[] k4 = coarsePayload(c4b, -1);
    for (int pad : new int[] {1, 4}) {
      byte[] padded = new byte[k4.length + pad];
      System.arraycopy(k4, 0, padded, pad, k4.length);
      decodes(
          "slice-state-not-minimal-" + (4 + pad) + "-pm0",
          single(c4b, padded),
          lose(c4b.grid, 0, 1),
          c4b.channel,
          COARSE,
          PM0,
          List.of("UNDECODABLE"),
          "ok",
          "§7.2 §7.3",
          "a valid payload whose 4-byte state is written in "
              + (4 + pad)
              + " bytes (leading zeros): not minimal");
    }
    valid(
        "slice-state-minimal-pm0",
        c4b,
        "§7.2 §7.3",
        "the payload of slice-state-not-minimal-*: a 4-byte state (N % 4 = 0, b[0] >= 0x80)");
    decodes(
        "slice-state-needs-8-pm0",
        e.copy().setPayload(1, new byte[] {0x12, 0x34, 0x56, 0x78}, true).toFile(true),
        lose(s.grid, 1, 1),
        s.channel,
        s.mode,
        PM0,
        with(outcomes(4), 1, "UNDECODABLE"),
        "ok",
        "§7.2 §7.3",
        "slice 1's payload is 12 34 56 78: N = 4 and b[0] < 0x80 need an 8-byte state");
    // §7.9.2: the symbol search at the two edges of a symbol's slots.
    adaptiveEdge(
        "tok-adaptive-first-slot-pm0",
        1,
        true,
        "the second token's slot is start(s) = floor(C(s) * 2^24 / T), not a multiple of 2^24 / T:"
            + " u = ((slot + 1) * T - 1) >> 24 finds s, slot * T >> 24 finds s - 1");
    adaptiveEdge(
        "tok-adaptive-last-slot-pm0",
        96,
        false,
        "the second token's slot is start(s + 1) - 1 with start(s + 1) exact: (slot + 1) * T >>"
            + " 24 without the - 1 finds s + 1");
    // §8.3.2.6: the rounding remainder goes to the first of two maximal weights.
    priorTie();
    // Annex A: limits at and one past.
    field(e, "err-height-16385", "height", HeaderEditor.varint(16385), "§3.2 §A.1", "height 16385");
    long[] past = pixelsOnePast();
    HeaderEditor px =
        e.copy()
            .set("width", HeaderEditor.varint(past[0]))
            .set("height", HeaderEditor.varint(past[1]));
    refuses(
        "err-pixels-one-past",
        px.toFile(true),
        inv,
        px.offset("height"),
        "§3.2 §A.1",
        past[0]
            + "x"
            + past[1]
            + ": the fewest pixels above MAX_PIXELS that two sides in range make (offset: height)");
    HeaderEditor fr =
        e.copy()
            .set("slice[2].row_count", HeaderEditor.varint(2))
            .set("slice[3].first_row", HeaderEditor.varint(4));
    refuses(
        "err-first-row-past",
        fr.toFile(true),
        inv,
        fr.offset("slice[3].first_row"),
        "§5.2 §A.2",
        "slices of 1, 1, 2 rows cover all 4 cell rows; the fourth slice starts at row 4 (first_row"
            + " is at most cells_high - 1: refused at first_row, not at row_count)");
    field(
        e,
        "err-row-count-past",
        "slice[3].row_count",
        HeaderEditor.varint(2),
        "§5.2 §A.2",
        "the last slice's row_count is 2 where 1 cell row is left");
    byte[] junk = new byte[64 + 32 * 5];
    new SplittableRandom(18).nextBytes(junk);
    junk[0] = (byte) 0x80;
    decodes(
        "slice-payload-at-limit-pm0",
        e.copy().setPayload(0, junk, true).toFile(true),
        lose(s.grid, 0, 1),
        s.channel,
        s.mode,
        PM0,
        with(outcomes(4), 0, "UNDECODABLE"),
        "ok",
        "§5.2 §A.2 §6.6",
        "payload_length 224 for a 5-cell slice (the limit), random bytes with a matching CRC");
    refuses(
        "err-header-size-20",
        headerSize20(b),
        inv,
        16,
        "§2.2.2 §2.4 §A.3",
        "header_size 20 (the least), header_crc matching: width would run into header_crc");
    refuses(
        "err-header-size-max-truncated",
        e.copy().set("header_size", HeaderEditor.be(Limits.MAX_HEADER_SIZE, 4)).toFile(false),
        ErrorCategory.TRUNCATED_HEADER.name(),
        b.length,
        "§2.2.2 §2.4 §A.3",
        "header_size 4194304 (the largest) in a file of " + b.length + " bytes");
    HeaderEditor big = e.copy();
    int room = Limits.MAX_HEADER_SIZE - big.headerSize();
    List<HeaderEditor.Block> blocks = new ArrayList<>();
    for (int i = 0; room > 0; i++) {
      int len = Math.min(Limits.MAX_EXTENSION_SIZE, room - 2 - 3);
      if (HeaderEditor.varint(len).length < 3) len = room - 2 - HeaderEditor.varint(len).length;
      blocks.add(HeaderEditor.Block.of(0x4000 + i, new byte[len]));
      room -= 2 + HeaderEditor.varint(len).length + len;
    }
    big.addExtensions(blocks.toArray(new HeaderEditor.Block[0]));
    byte[] bigFile = big.toFile(true);
    if (big.headerSize() != Limits.MAX_HEADER_SIZE) throw new IllegalStateException("header size");
    decodes(
        "header-size-max-pm0",
        bigFile,
        s.grid,
        s.channel,
        s.mode,
        PM0,
        outcomes(4),
        "ok",
        "§2.2.2 §9.2 §9.4 §A.3",
        "header_size 4194304 (the largest): ignorable blocks of 1048576 bytes (the largest"
            + " extension_length) and less, zeros");
    HeaderEditor.Block[] empty = new HeaderEditor.Block[Limits.MAX_EXTENSIONS];
    for (int i = 0; i < empty.length; i++) empty[i] = HeaderEditor.Block.of(0x4000 + i);
    decodes(
        "ext-64-blocks-pm0",
        e.copy().addExtensions(empty).toFile(true),
        s.grid,
        s.channel,
        s.mode,
        PM0,
        outcomes(4),
        "ok",
        "§9.2 §9.4 §A.3",
        "extension_count 64 (the largest): 64 empty ignorable blocks");
    field(
        e,
        "err-model-id-2^32",
        "model_id",
        HeaderEditor.varint(1L << 32),
        "§4.2 §A.4",
        "model_id 2^32 (one past the largest)");
    refuses(
        "err-model-id-max",
        e.copy().set("model_id", HeaderEditor.varint(Limits.MAX_MODEL_ID)).toFile(true),
        um,
        -1,
        "§4.2 §4.3 §A.4",
        "model_id 2^32 - 1 (the largest; in range, not in the registry)");
    // Spec §C.4: streams with two faults, the one §2.4 checks first wins.
    HeaderEditor unknown = e.copy().set("model_id", HeaderEditor.varint(999));
    HeaderEditor ce = unknown.copy().addExtensions(HeaderEditor.Block.of(0xC001));
    refuses(
        "err-order-critical-ext-unknown-model",
        ce.toFile(true),
        crit,
        ce.offset("extension[0].extension_type"),
        "§2.4 §4.3 §9.4 §C.4",
        "an unknown model and an unknown critical extension: the header (§9.4) is checked first");
    HeaderEditor dir0 = unknown.copy().set("slice_count", HeaderEditor.varint(0));
    refuses(
        "err-order-directory-unknown-model",
        dir0.copy().remove("slice[0].first_row", "slice[3].payload_crc").toFile(true),
        inv,
        dir0.offset("slice_count"),
        "§2.4 §4.3 §5.2 §C.4",
        "an unknown model and slice_count 0: the whole header is checked before the model");
    HeaderEditor ce2 = e.copy().addExtensions(HeaderEditor.Block.of(0xC001));
    HeaderEditor lvl = ce2.copy().set("codebook_level", new byte[] {7});
    refuses(
        "err-order-level-critical-ext",
        lvl.toFile(true),
        inv,
        lvl.offset("codebook_level"),
        "§2.4 §6.2 §9.4 §C.4",
        "codebook_level 7, then an unknown critical extension: the first in stream order wins");
    HeaderEditor ced = ce2.copy().set("slice[3].row_count", HeaderEditor.varint(2));
    refuses(
        "err-order-critical-ext-row-count",
        ced.toFile(true),
        crit,
        ced.offset("extension[0].extension_type"),
        "§2.4 §5.2 §9.4 §C.4",
        "an unknown critical extension, then a row_count past the last row: the first wins");
    HeaderEditor pr = e.copy().set("profile", new byte[] {5});
    byte[] prf = pr.toFile(false);
    refuses(
        "err-order-crc-profile",
        prf,
        ErrorCategory.DAMAGED_HEADER.name(),
        e.headerSize() - 4,
        "§2.4 §2.5 §C.4",
        "profile 5 (reserved) with header_crc not updated: the CRC (step 5) comes first");
    HeaderEditor vs =
        e.copy().set("version_major", new byte[] {1}).set("header_size", HeaderEditor.be(19, 4));
    refuses(
        "err-order-version-header-size",
        vs.toFile(false),
        ErrorCategory.UNSUPPORTED_VERSION.name(),
        8,
        "§2.4 §2.2.3 §C.4",
        "version_major 1 and header_size 19: the version (step 2) comes first");
    refuses(
        "err-truncated-after-magic",
        Arrays.copyOf(b, 8),
        ErrorCategory.TRUNCATED_HEADER.name(),
        8,
        "§2.2 §2.4",
        "the file is the 8 bytes of the magic: it ends before version_major");
    // Spec §5.3, §5.4: zero-length payloads.
    HeaderEditor z = e.copy().setPayload(1, new byte[0], false);
    z.set("slice[1].payload_crc", HeaderEditor.be(0x12345678, 4));
    decodes(
        "slice-dropped-crc-nonzero-pm0",
        z.toFile(true),
        lose(s.grid, 1, 1),
        s.channel,
        s.mode,
        PM0,
        with(outcomes(4), 1, "DAMAGED"),
        "ok",
        "§5.3 §5.4",
        "payload_length 0 with payload_crc 0x12345678 (the CRC of no bytes is 0): CRC_MISMATCH");
    HeaderEditor last = e.copy().setPayload(3, new byte[0], true);
    byte[] lastFile = last.toFile(true);
    decodes(
        "slice-dropped-last-at-eof-pm0",
        Arrays.copyOf(lastFile, lastFile.length - 4),
        lose(s.grid, 3, 1),
        s.channel,
        s.mode,
        PM0,
        with(outcomes(4), 3, "DROPPED"),
        "warn",
        "§5.3 §5.4 §2.6",
        "the last slice dropped and the file ends at its offset (no end code): DROPPED, not"
            + " MISSING");
    HeaderEditor mid = e.copy().setPayload(2, new byte[0], true);
    byte[] midFile = mid.toFile(true);
    int end1 = mid.headerSize() + e.payload(0).length + e.payload(1).length;
    decodes(
        "slice-dropped-at-eof-then-missing-pm0",
        Arrays.copyOf(midFile, end1),
        lose(s.grid, 2, 2),
        s.channel,
        s.mode,
        PM0,
        List.of("DECODED", "DECODED", "DROPPED", "MISSING"),
        "warn",
        "§5.3 §5.4",
        "slice 2 dropped, the file ends at its offset: slice 2 DROPPED, slice 3 MISSING");
    decodes(
        "slice-dropped-after-truncated-pm0",
        Arrays.copyOf(midFile, end1 - 2),
        lose(s.grid, 1, 3),
        s.channel,
        s.mode,
        PM0,
        List.of("DECODED", "TRUNCATED", "MISSING", "MISSING"),
        "warn",
        "§5.3 §5.4",
        "the file ends inside slice 1; slice 2 (dropped) starts after the end: MISSING");
    // Spec §2.4 step 6: a field that would run into header_crc.
    byte[] crc3 = Arrays.copyOf(e.raw("slice[3].payload_crc"), 3);
    HeaderEditor into = e.copy().set("slice[3].payload_crc", crc3);
    refuses(
        "err-header-runs-into-crc",
        into.toFile(true),
        inv,
        into.offset("slice[3].payload_crc"),
        "§2.4 §2.5 §5.2",
        "header_size one byte short: the last payload_crc would take the first byte of header_crc");
    // Spec §4.4: model-2 streams decode with model 3's weights (prob_model_id 0 only).
    decodes(
        "model-2-pm0",
        ContainerWriter.write(header(s, new ModelId(2, model.weightsHash())), slices(s)),
        s.grid,
        s.channel,
        s.mode,
        PM0,
        outcomes(4),
        "ok",
        "§4.3 §4.4",
        "model_id 2 (the weights of model 3, no context prior) with prob_model_id 0");
  }

  // ---------------------------------------------------------------- residual stages (§9.6.2)

  /** How a staged grid chooses each fine cell's stage count (Spec §6.8.1). */
  private enum Stages {
    /** 1 .. stage_count at random, cell by cell: singles and every neighbourhood. */
    RANDOM,
    /** Blocks of 3x2 cells with one count, one cell in five then set at random. */
    CLUSTERS,
    /** One stage everywhere: every stage flag 0, no stage data. */
    ONE,
    /** stage_count stages everywhere. */
    ALL
  }

  /**
   * A grid as {@link #grid} whose fine cells carry residual stages: {@code stageCount} stages at
   * most, stage codebooks of {@code stageK} entries, stage tokens chosen by {@code tok}.
   */
  private static TokenGrid stagedGrid(
      int w,
      int h,
      int k,
      Gran gran,
      int stageCount,
      int stageK,
      Stages stages,
      Tok tok,
      long seed) {
    TokenGrid g0 = grid(w, h, k, gran, Tok.RANDOM, seed);
    TokenGrid g = new TokenGrid(w, h, k, stageCount, stageK);
    SplittableRandom r = new SplittableRandom(seed + 1);
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        g.copyCell(g0, cx, cy);
        if (!g.isFine(cx, cy)) continue;
        int n =
            switch (stages) {
              case RANDOM -> 1 + r.nextInt(stageCount);
              case CLUSTERS ->
                  r.nextInt(5) == 0
                      ? 1 + r.nextInt(stageCount)
                      : 1 + (cx / 3 + cy / 2) % stageCount;
              case ONE -> 1;
              case ALL -> stageCount;
            };
        g.setCellStages(cx, cy, n);
        for (int st = 2; st <= n; st++) {
          for (int q = 0; q < 4; q++) {
            int fx = 2 * cx + (q & 1), fy = 2 * cy + (q >> 1);
            g.setStageToken(st, fx, fy, token(tok, stageK, fx + st, fy, r));
          }
        }
      }
    }
    return g;
  }

  /** tok-v2's parameters for slices of {@code pm} (Spec §8.1), null for order-0. */
  private TokenModel params2(ProbabilityModel pm) {
    return pm == PM0 ? null : pm == PM2 ? prior2 : twoStage2;
  }

  /** The tok-v2 model a staged stream of {@code pm} names (Spec §4.4): 5, or 6 for pm3. */
  private ModelId model2(ProbabilityModel pm) {
    return pm == PM3 ? model6 : model5;
  }

  /** A staged stream as tok-v2 writes it: model 5 or 6, its parameters. */
  private byte[] writeStaged(Synth s) throws IOException {
    return ContainerWriter.write(header(s, model2(s.pm)), slices(s, params2(s.pm)));
  }

  /**
   * (stage, context) pairs of Spec §6.8.2 that the valid staged vectors code a flag with, 4 * (s -
   * 2) + context; all 8 must be met.
   */
  private final boolean[] stageContexts = new boolean[8];

  /** Adds a synthetic staged vector that decodes completely. */
  private void validStaged(String name, Synth s, String sections, String description)
      throws IOException {
    int first = 0;
    for (int n : s.rows) {
      for (int cy = first; cy < first + n; cy++) {
        for (int cx = 0; cx < s.grid.cellsWide(); cx++) {
          if (!s.grid.isFine(cx, cy)) continue;
          for (int st = 2; st <= s.grid.stageCount(); st++) {
            int left = cx > 0 && s.grid.cellStages(cx - 1, cy) >= st ? 1 : 0;
            int above = cy > first && s.grid.cellStages(cx, cy - 1) >= st ? 1 : 0;
            stageContexts[4 * (st - 2) + left + 2 * above] = true;
            if (s.grid.cellStages(cx, cy) < st) break;
          }
        }
      }
      first += n;
    }
    decodes(
        name,
        writeStaged(s),
        s.grid,
        s.channel,
        s.mode,
        s.pm,
        outcomes(s.rows.length),
        "ok",
        sections,
        description);
  }

  /**
   * Residual stages (Spec §6.8, §9.6.2, issue 18: valid, damaged and invalid vectors for every new
   * syntax element), made with tok-v2 (models 5 and 6, stage codebooks of 4096). Synthetic grids
   * under every probability model, real encoder output (with {@code images}), lost slices and a
   * slice whose stage data is cut, each malformed type-2 block, the payload limit of §A.2 and
   * models without the stages a stream asks for.
   */
  private void stages(boolean images) throws IOException {
    int sk = 4096;
    // Valid, synthetic (Spec §6.8.1 to §6.8.3).
    for (ProbabilityModel pm : List.of(PM0, PM2, PM3)) {
      validStaged(
          "stages-3-mixed-random-" + pmName(pm),
          new Synth(
              stagedGrid(128, 96, 4096, Gran.RANDOM, 3, sk, Stages.RANDOM, Tok.RANDOM, 2000),
              MIXED,
              pm,
              ChannelFormat.RGB,
              rows(6, 2)),
          "§6.8 §9.6.2 §A.2 " + sec(pm),
          "stage_count 3, K=4096, mixed granularity, 1 to 3 stages per fine cell at random,"
              + " three 2-row slices");
      validStaged(
          "stages-2-all-fine-clusters-" + pmName(pm),
          new Synth(
              stagedGrid(144, 80, 4096, Gran.FINE, 2, sk, Stages.CLUSTERS, Tok.RANDOM, 2010),
              FINE,
              pm,
              ChannelFormat.RGB,
              new int[] {2, 1, 2}),
          "§6.5 §6.8 §9.6.2 " + sec(pm),
          "stage_count 2, K=4096, all fine (granularity_mode 2): clusters of 3x2 cells with and"
              + " without stage 2 and single cells, slices of 2, 1, 2 rows");
    }
    validStaged(
        "stages-3-clusters-1-row-slices-pm2",
        new Synth(
            stagedGrid(160, 96, 4096, Gran.RANDOM, 3, sk, Stages.CLUSTERS, Tok.RANDOM, 2020),
            MIXED,
            PM2,
            ChannelFormat.RGB,
            rows(6, 1)),
        "§6.8 §9.6.2 §8.3.2",
        "stage_count 3, mixed: clusters of 1, 2 and 3 stages and single cells, one slice per"
            + " cell row (no above neighbour in the slice)");
    validStaged(
        "stages-3-all-fine-clusters-pm3",
        new Synth(
            stagedGrid(160, 96, 4096, Gran.FINE, 3, sk, Stages.CLUSTERS, Tok.SKEWED, 2030),
            MIXED,
            PM3,
            ChannelFormat.RGB,
            rows(6, 3)),
        "§6.8 §9.6.2 §8.3.3",
        "stage_count 3, mixed mode whose every flag is 1: clusters of 1, 2 and 3 stages, skewed"
            + " stage tokens, two 3-row slices");
    validStaged(
        "stages-3-none-pm0",
        new Synth(
            stagedGrid(96, 64, 4096, Gran.RANDOM, 3, sk, Stages.ONE, Tok.RANDOM, 2040),
            MIXED,
            PM0,
            ChannelFormat.RGB,
            rows(4, 2)),
        "§6.8 §9.6.2 §8.2",
        "stage_count 3 and no cell with a second stage: each fine cell one stage flag 0, no"
            + " stage data");
    validStaged(
        "stages-3-all-extremes-pm2",
        new Synth(
            stagedGrid(96, 64, 4096, Gran.RANDOM, 3, sk, Stages.ALL, Tok.EXTREMES, 2050),
            MIXED,
            PM2,
            ChannelFormat.RGB,
            rows(4, 4)),
        "§6.8 §9.6.2 §8.3.2",
        "stage_count 3, every fine cell 3 stages, stage tokens 0 and 4095 only (12 raw bits all 0"
            + " or all 1)");
    validStaged(
        "stages-2-k256-mixed-pm0",
        new Synth(
            stagedGrid(80, 64, 256, Gran.RANDOM, 2, sk, Stages.RANDOM, Tok.GRADIENT, 2060),
            MIXED,
            PM0,
            ChannelFormat.RGB,
            rows(4, 2)),
        "§6.2 §6.8 §9.6.2 §8.2",
        "stage_count 2 with codebook_level 4 (K=256) for the first stage and stage codebooks of"
            + " 4096");
    int f = 2;
    TokenGrid half =
        stagedGrid(
            (200 + f - 1) / f,
            (120 + f - 1) / f,
            4096,
            Gran.RANDOM,
            3,
            sk,
            Stages.RANDOM,
            Tok.RANDOM,
            2070);
    validStaged(
        "stages-coded-res-half-pm3",
        new Synth(half, MIXED, PM3, ChannelFormat.RGB, rows(half.cellsHigh(), 2), 200, 120, 1),
        "§6.8 §9.6.1 §9.6.2 §8.3.3",
        "200x120 coded at half size (a 100x60 grid) with stage_count 3: both registered blocks");
    for (int i = 0; i < stageContexts.length; i++) {
      if (!stageContexts[i])
        throw new IllegalStateException(
            "stage " + (2 + i / 4) + " flag context " + (i % 4) + " not exercised");
    }
    // Valid, tok-v2 without the residual-stages block: what the encoder writes at quality steps
    // up to 7, and every video. Models 5 and 6 need no stages (Spec §4.3, §4.4); these need no
    // residual-stages capability, so their sections name neither §6.8 nor §9.6.2 (Spec §C.7).
    for (ProbabilityModel pm : List.of(PM0, PM3)) {
      Synth s = synth(96, 64, 4096, Gran.RANDOM, Tok.RANDOM, MIXED, pm, 2, pm == PM0 ? 2150 : 2151);
      decodes(
          "model-" + model2(pm).id() + "-no-stages-" + pmName(pm),
          writeStaged(s),
          s.grid,
          s.channel,
          s.mode,
          pm,
          outcomes(s.rows.length),
          "ok",
          "§4.3 §6.3 " + sec(pm),
          "model "
              + model2(pm).id()
              + " (tok-v2) without a residual-stages block, as the encoder writes it up to its"
              + " default --quality 7: K=4096, mixed, two 2-row slices, "
              + (pm == PM0 ? "adaptive order-0" : "twostage-v2"));
    }
    // Valid, real encoder output (Spec §6.8: the encoder's refinement steps beyond every fine
    // cell are residual stages).
    if (images) stageImages();
    // Damaged: a staged slice lost like any other (Spec §5.4, §5.5, §6.8.3).
    String inv = ErrorCategory.INVALID_HEADER.name(), um = ErrorCategory.UNKNOWN_MODEL.name();
    Synth base = null;
    for (ProbabilityModel pm : List.of(PM0, PM2, PM3)) {
      Synth s =
          new Synth(
              stagedGrid(80, 64, 4096, Gran.RANDOM, 3, sk, Stages.RANDOM, Tok.RANDOM, 2100),
              MIXED,
              pm,
              ChannelFormat.RGB,
              rows(4, 1));
      if (pm == PM0) base = s;
      String p = "-" + pmName(pm);
      byte[] b = writeStaged(s);
      decodes(
          "stages-base" + p,
          b,
          s.grid,
          s.channel,
          s.mode,
          pm,
          outcomes(4),
          "ok",
          "§5 §6.8 §9.6.2 " + sec(pm),
          "the base of the edited staged vectors: 80x64, K=4096, stage_count 3, mixed, four"
              + " 1-row slices");
      HeaderEditor e = HeaderEditor.parse(b);
      int start1 = e.headerSize() + e.payload(0).length;
      byte[] d = b.clone();
      d[start1 + e.payload(1).length - 3] ^= 0x04;
      decodes(
          "stages-slice-crc-damaged-1" + p,
          d,
          lose(s.grid, 1, 1),
          s.channel,
          s.mode,
          pm,
          with(outcomes(4), 1, "DAMAGED"),
          "ok",
          "§5.4 §5.5 §6.8.3 §9.6.2",
          "one bit of slice 1's payload flipped, 3 bytes before its end: CRC_MISMATCH, the"
              + " other slices decode with their stages");
      if (pm == PM2) {
        int start2 = start1 + e.payload(1).length;
        decodes(
            "stages-slice-truncated" + p,
            Arrays.copyOf(b, start2 + e.payload(2).length / 2),
            lose(s.grid, 2, 2),
            s.channel,
            s.mode,
            pm,
            List.of("DECODED", "DECODED", "TRUNCATED", "MISSING"),
            "warn",
            "§5.4 §5.5 §2.6 §6.8 §9.6.2",
            "staged stream cut inside slice 2's payload: slice 2 TRUNCATED, slice 3 MISSING");
      }
    }
    stageDataCut();
    // Invalid type-2 blocks (Spec §9.6.2, §C.4: each at the element that breaks it).
    HeaderEditor e = HeaderEditor.parse(writeStaged(base));
    String[][] bad = {
      {"err-stages-ignorable", "0002", "0306", "type 2 without the critical flag", "type"},
      {"err-stages-length-1", "8002", "03", "a 1-byte residual-stages payload", "length"},
      {"err-stages-length-3", "8002", "030600", "a 3-byte residual-stages payload", "length"},
      {"err-stages-count-1", "8002", "0106", "stage_count 1 (reserved)", "payload"},
      {"err-stages-count-4", "8002", "0406", "stage_count 4 (reserved)", "payload"},
      {"err-stages-level-1", "8002", "0301", "stage_codebook_level 1 (reserved)", "payload"},
      {"err-stages-level-7", "8002", "0307", "stage_codebook_level 7 (reserved)", "payload"}
    };
    for (String[] c : bad) {
      byte[] payload = java.util.HexFormat.of().parseHex(c[2]);
      HeaderEditor x =
          e.copy().replaceExtension(0, java.util.HexFormat.of().parseHex(c[1]), payload);
      refuses(
          c[0],
          x.toFile(true),
          inv,
          x.offset("extension[0].extension_" + c[4]),
          c[4].equals("type") ? "§9.4 §9.6.2" : "§9.6.2", // as err-coded-res-ignorable
          c[3] + " in the staged base stream (version_minor 4)");
    }
    HeaderEditor twice = e.copy().addExtensions(HeaderEditor.Block.of(0x8002, new byte[] {3, 6}));
    refuses(
        "err-stages-twice",
        twice.toFile(true),
        inv,
        twice.offset("extension[1].extension_type"),
        "§9.6.2",
        "two residual-stages blocks, both stage_count 3 and level 6");
    // Spec §9.6.3: compact frame headers are for videos only; here in a still picture, after its
    // residual-stages block (version_minor 5, the block's).
    HeaderEditor still =
        e.copy().set("version_minor", new byte[] {5}).addExtensions(HeaderEditor.Block.of(0x8003));
    refuses(
        "err-compact-frame-headers-still",
        still.toFile(true),
        inv,
        still.offset("extension[1].extension_type"),
        "§9.6.3",
        "a still picture with a compact-frame-headers block (video only)");
    // Spec §A.2: the payload limit with stages, at and one past (5-cell slices).
    TokenGrid two = stagedGrid(80, 64, 4096, Gran.RANDOM, 2, sk, Stages.RANDOM, Tok.RANDOM, 2110);
    Synth s2 = new Synth(two, MIXED, PM0, ChannelFormat.RGB, rows(4, 1));
    HeaderEditor e2 = HeaderEditor.parse(writeStaged(s2));
    int limit2 = Limits.maxSlicePayload(5, 2);
    byte[] junk = new byte[limit2 + 1];
    new SplittableRandom(2111).nextBytes(junk);
    junk[0] = (byte) 0x80;
    HeaderEditor over = e2.copy().setPayload(0, junk, true);
    refuses(
        "err-stages-payload-length-limit",
        over.toFile(true),
        inv,
        over.offset("slice[0].payload_length"),
        "§5.2 §9.6.2 §A.2",
        "stage_count 2: payload_length "
            + (limit2 + 1)
            + " for a 5-cell slice (limit 64 + 48 * 5 = "
            + limit2
            + "), a matching CRC");
    decodes(
        "stages-payload-over-2-stage-limit-pm0",
        e.copy().setPayload(0, junk, true).toFile(true),
        lose(base.grid, 0, 1),
        base.channel,
        base.mode,
        PM0,
        with(outcomes(4), 0, "UNDECODABLE"),
        "ok",
        "§5.2 §9.6.2 §A.2 §6.6",
        "the payload of err-stages-payload-length-limit under stage_count 3 (limit 64 + 64 * 5 = "
            + Limits.maxSlicePayload(5, 3)
            + "): in range, random bytes, UNDECODABLE");
    // A model without the stages the stream asks for (Spec §9.6.2, §C.4): UNKNOWN_MODEL.
    Synth v1 =
        new Synth(
            stagedGrid(80, 64, 256, Gran.RANDOM, 2, sk, Stages.RANDOM, Tok.RANDOM, 2120),
            MIXED,
            PM3,
            ChannelFormat.RGB,
            rows(4, 2));
    refuses(
        "err-stages-model-4",
        ContainerWriter.write(header(v1, model3), slices(v1, twoStage)),
        um,
        -1,
        "§9.6.2 §8.3.3",
        "model 4 (tok-v1, no residual stages) with stage_count 2, coded with model 4's two-stage"
            + " parameters");
    Synth k1024 =
        new Synth(
            stagedGrid(80, 64, 4096, Gran.RANDOM, 3, 1024, Stages.RANDOM, Tok.RANDOM, 2130),
            MIXED,
            PM3,
            ChannelFormat.RGB,
            rows(4, 2));
    refuses(
        "err-stages-level-5-model-6",
        writeStaged(k1024),
        um,
        -1,
        "§9.6.2 §8.3.3",
        "model 6 (tok-v2: stage codebooks of 4096) with stage_codebook_level 5 (1024 entries)");
    Synth k16 =
        new Synth(
            stagedGrid(80, 64, 4096, Gran.RANDOM, 3, 16, Stages.RANDOM, Tok.RANDOM, 2160),
            MIXED,
            PM3,
            ChannelFormat.RGB,
            rows(4, 2));
    refuses(
        "err-stages-level-2-model-6",
        writeStaged(k16),
        um,
        -1,
        "§9.6.2 §8.3.3",
        "model 6 (tok-v2: stage codebooks of 4096) with stage_codebook_level 2 (16 entries, the"
            + " lowest valid level)");
  }

  /** Encoder output with a pixel residual: samples/chelsea.png (Spec §6.9, §9.6.4). */
  private void residualImages() throws IOException {
    BufferedImage src = ImageIO.read(sample.toFile());
    if (src == null) throw new IOException("cannot read " + sample);
    try (ImageEncoder enc = ImageEncoder.open()) {
      byte[] b =
          enc.encode(src, EncoderOptions.defaults().withQuality(9).withPixelResidual(20)).bytes();
      ContainerHeader h = ContainerReader.open(b).header();
      if (!h.hasPixelResidual() || h.stageCount() > 1)
        throw new IOException("expected a pixel-residual block and no residual stages");
      DecodedTokens t = TokenDecoder.decode(new ByteArrayInputStream(b), LossSimulation.NONE, null);
      List<String> o = new ArrayList<>();
      for (SliceReport s : t.slices()) o.add(s.outcome().name());
      String file = "img-chelsea-451x300-residual.vqc";
      Files.write(out.resolve(file), b);
      entries.add(
          Manifest.Entry.decoded(
              file,
              b,
              String.join(",", o),
              t.endCodeValid() ? "ok" : "warn",
              TokenDump.sha256(t),
              "§6.9 §9.6.4 §8.3.3",
              "samples/chelsea.png with the default model at --quality 9 (half the cells fine)"
                  + " with the pixel residual of luma step 20 (the encoder's own output)"));
    }
  }

  /** Encoder output with residual stages: samples/chelsea.png under tok-v2 (Spec §6.8). */
  private void stageImages() throws IOException {
    BufferedImage src = ImageIO.read(sample.toFile());
    if (src == null) throw new IOException("cannot read " + sample);
    try (Tokenizer tok = Tokenizer.open(tok2);
        ImageEncoder enc = ImageEncoder.using(tok)) {
      for (int q : new int[] {12, 14}) {
        // Steps 12 and 14 of the ladder before the pixel residual: refinement 2 and 3.
        byte[] b =
            enc.encode(src, EncoderOptions.defaults().withRefinement(q == 12 ? 2.0 : 3.0)).bytes();
        ContainerHeader h = ContainerReader.open(b).header();
        if (h.stageCount() < 2)
          throw new IOException("tok-v2 at --quality " + q + " wrote no residual-stages block");
        ProbabilityModel pm = h.grid().probabilityModel();
        image(
            this::params2,
            "img-chelsea-451x300-stages-q" + q,
            b,
            "§6.8 §9.6.2 " + sec(pm),
            "samples/chelsea.png with tok-v2 at --quality "
                + q
                + ": stage_count "
                + h.stageCount()
                + ", the encoder's defaults otherwise ("
                + pmName(pm)
                + ")");
      }
    }
  }

  /**
   * A one-row, all-fine, prob_model_id 0 staged slice (Spec §6.3, §6.8) coded with one stage token
   * less and one more than its stage flags say (CRC matching). Less: the decoder's last raw read
   * needs a refill with no bytes left (§7.4; with rANS a cut payload can fail no other way, the
   * state being 2^31 once every coded symbol is read). More: every symbol decodes and check_end
   * fails (§7.6).
   */
  private void stageDataCut() throws IOException {
    TokenGrid g = stagedGrid(64, 16, 4096, Gran.FINE, 2, 4096, Stages.ALL, Tok.RANDOM, 2140);
    Synth s = new Synth(g, FINE, PM0, ChannelFormat.RGB, new int[] {1});
    int total = g.stageTokenCount();
    byte[] full = stagePayload(g, total);
    if (!Arrays.equals(full, SliceCoder.encode(null, g, 0, 1, FINE)))
      throw new IllegalStateException("staged payload differs from the token layer's");
    HeaderEditor e = HeaderEditor.parse(writeStaged(s));
    validStaged(
        "stages-data-base-pm0",
        s,
        "§6.8.3 §9.6.2 §8.2",
        "the stream of stages-data-{cut,extra}-pm0 with its " + total + " stage tokens");
    String[] kind = {"cut", "extra"};
    for (int i = 0; i < 2; i++) {
      int coded = total + (i == 0 ? -1 : 1);
      byte[] p = stagePayload(g, coded);
      String failure = stageDecodeFailure(g, p);
      if (failure.startsWith("check_end") != (i == 1))
        throw new IllegalStateException("stages-data-" + kind[i] + ": " + failure);
      decodes(
          "stages-data-" + kind[i] + "-pm0",
          e.copy().setPayload(0, p, true).toFile(true),
          lose(g, 0, 1),
          s.channel,
          FINE,
          PM0,
          List.of("UNDECODABLE"),
          "ok",
          "§6.6 §6.8.3 " + (i == 0 ? "§7.4" : "§7.6") + " §9.6.2",
          "4 fine cells of 2 stages, "
              + total
              + " stage tokens; the payload codes "
              + coded
              + " (CRC matching): "
              + failure);
    }
  }

  /**
   * {@code g}'s one all-fine slice under prob_model_id 0 with {@code coded} stage tokens: its own
   * first ones, or all and then copies of the last.
   */
  private static byte[] stagePayload(TokenGrid g, int coded) throws IOException {
    RansEncoder enc = new RansEncoder();
    int[] n = {0};
    int total = g.stageTokenCount();
    try {
      new io.vqcodec.tokens.Order0SliceWalk() {
        @Override
        protected boolean flag(io.vqcodec.entropy.AdaptiveBinaryModel m, boolean v) {
          enc.encode(m, v ? 1 : 0);
          return v;
        }

        @Override
        protected int token(AdaptiveModel m, boolean fine, int v) {
          enc.encode(m, v);
          return v;
        }

        @Override
        protected int bits(int bits, int v) {
          if (n[0]++ < coded) enc.encodeBits(v, bits);
          if (n[0] == total) for (int x = total; x < coded; x++) enc.encodeBits(v, bits);
          return v;
        }
      }.run(g.copy(), 0, 1, FINE);
    } catch (io.vqcodec.entropy.EntropyDecodingException ex) {
      throw new IllegalStateException(ex);
    }
    return enc.finish();
  }

  /** How decoding {@code p} as {@code g}'s slice fails: a refill (§7.4) or check_end (§7.6). */
  private static String stageDecodeFailure(TokenGrid g, byte[] p) {
    RansDecoder d;
    try {
      d = new RansDecoder(p, 0, p.length);
      new io.vqcodec.tokens.Order0SliceWalk() {
        @Override
        protected boolean flag(io.vqcodec.entropy.AdaptiveBinaryModel m, boolean v)
            throws io.vqcodec.entropy.EntropyDecodingException {
          return d.decode(m) == 1;
        }

        @Override
        protected int token(AdaptiveModel m, boolean fine, int v)
            throws io.vqcodec.entropy.EntropyDecodingException {
          return d.decode(m);
        }

        @Override
        protected int bits(int bits, int v) throws io.vqcodec.entropy.EntropyDecodingException {
          return d.decodeBits(bits);
        }
      }.run(new TokenGrid(g.width(), g.height(), g.codebookSize(), 2, 4096), 0, 1, FINE);
    } catch (io.vqcodec.entropy.EntropyDecodingException ex) {
      return "the last stage token's raw bits need a refill with no bytes left";
    }
    boolean allRead = d.bytesConsumed() == p.length;
    try {
      d.verifyEnd();
      return "decodes";
    } catch (io.vqcodec.entropy.EntropyDecodingException ex) {
      return allRead
          ? "check_end: every byte read, the final state is not 2^31"
          : "check_end: every symbol decodes, " + (p.length - d.bytesConsumed()) + " bytes left";
    }
  }

  /**
   * A mixed, prob_model_id 2, K=256 row C F C F C F C F whose coarse cells have no available
   * neighbour (mask 0, Spec §8.3.2.4): their weights are the static and adaptive components only.
   * The coarse tokens are x, y, x, y with x < y the first two codewords of equal static frequency
   * F[0] (read from the prior's parameter file, §8.3.2.2), so the third token's weights tie at the
   * maximum for x and y, and §8.3.2.6 gives the remainder to x.
   */
  private void priorTie() throws IOException {
    int k = 256;
    byte[] file = ContextPrior.serialize(new ContextPrior.Level[] {prior.level(k)});
    java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(file);
    int dim = file[13] & 0xFF, f0 = 4 + 4 + 1 + 4 + 1 + 1 + 2 + 2 * k * dim;
    int x = -1, y = -1;
    search:
    for (int a = 0; a < k; a++) {
      for (int b = a + 1; b < k; b++) {
        if (bb.getInt(f0 + 4 * a) == bb.getInt(f0 + 4 * b)) {
          x = a;
          y = b;
          break search;
        }
      }
    }
    if (x < 0) throw new IllegalStateException("no two equal static frequencies at K = " + k);
    TokenGrid g = new TokenGrid(128, 16, k);
    SplittableRandom r = new SplittableRandom(83);
    int[] coarse = {x, y, x, y};
    for (int cx = 0; cx < 8; cx++) {
      boolean fine = (cx & 1) == 1;
      g.setFine(cx, 0, fine);
      if (!fine) g.setCoarseToken(cx, 0, coarse[cx / 2]);
      else for (int q = 0; q < 4; q++) g.setFineToken(2 * cx + (q & 1), q >> 1, r.nextInt(k));
    }
    valid(
        "tok-prior-tie-pm2",
        new Synth(g, MIXED, PM2, ChannelFormat.RGB, new int[] {1}),
        "§8.3.2.4 §8.3.2.5 §8.3.2.6",
        "coarse tokens "
            + x
            + ", "
            + y
            + ", "
            + x
            + ", "
            + y
            + " with no neighbours and equal static frequencies: the third token's weights of "
            + x
            + " and "
            + y
            + " tie at the maximum, and the remainder goes to "
            + x
            + ", the first");
  }

  /** A one-row, all-coarse picture of {@code tokens.length} cells with those tokens. */
  private static Synth coarseRow(int k, int[] tokens) {
    TokenGrid g = new TokenGrid(16 * tokens.length, 16, k);
    for (int i = 0; i < tokens.length; i++) g.setCoarseToken(i, 0, tokens[i]);
    return new Synth(g, COARSE, PM0, ChannelFormat.RGB, new int[] {1});
  }

  /**
   * The all-coarse, prob_model_id 0 payload of a one-row picture (Spec §6.5, §8.2), written here
   * with the entropy coder alone and, if {@code extra >= 0}, with one more coarse token after the
   * last; without it, checked to be the token layer's payload byte for byte.
   */
  private static byte[] coarsePayload(Synth s, int extra) throws IOException {
    RansEncoder enc = new RansEncoder();
    AdaptiveModel m = new AdaptiveModel(s.grid.codebookSize());
    for (int cx = 0; cx < s.grid.cellsWide(); cx++) enc.encode(m, s.grid.coarseToken(cx, 0));
    if (extra >= 0) enc.encode(m, extra);
    byte[] p = enc.finish();
    if (extra < 0 && !Arrays.equals(p, SliceCoder.encode(null, s.grid, 0, 1, COARSE)))
      throw new IllegalStateException("all-coarse payload differs from the token layer's");
    return p;
  }

  /**
   * Six K=256 coarse tokens whose all-coarse payload has a 4-byte state (N % 4 = 0, b[0] >= 0x80):
   * the first found from seed 0 up.
   */
  private static int[] fourByteHeadTokens() throws IOException {
    return headTokens(-1);
  }

  /**
   * Six K=256 coarse tokens whose all-coarse payload has N % 4 = 0 and a first byte of {@code
   * first} (any of 0x80 to 0xFF for -1): the first found from seed 0 up.
   */
  private static int[] headTokens(int first) throws IOException {
    for (long seed = 0; ; seed++) {
      SplittableRandom r = new SplittableRandom(seed);
      int[] t = new int[6];
      for (int i = 0; i < t.length; i++) t[i] = r.nextInt(256);
      byte[] p = coarsePayload(coarseRow(256, t), -1);
      if (p.length % 4 == 0 && (p[0] & 0x80) != 0 && (first < 0 || (p[0] & 0xFF) == first))
        return t;
    }
  }

  /**
   * Asserts that decoding {@code payload} as {@code s}'s one slice consumes every byte and fails
   * only because the final state is not 2^31 ({@code bytesLeft} false).
   */
  private static void checkEnd(byte[] payload, Synth s, boolean bytesLeft) throws IOException {
    RansDecoder d = new RansDecoder(payload, 0, payload.length);
    AdaptiveModel m = new AdaptiveModel(s.grid.codebookSize());
    for (int cx = 0; cx < s.grid.cellsWide(); cx++) {
      if (d.decode(m) != s.grid.coarseToken(cx, 0)) throw new IllegalStateException("token");
    }
    if ((d.bytesConsumed() == payload.length) == bytesLeft)
      throw new IllegalStateException("bytes consumed " + d.bytesConsumed());
  }

  /** A file of {@code s}'s header and the one payload {@code payload}. */
  private byte[] single(Synth s, byte[] payload) throws IOException {
    return ContainerWriter.write(header(s, model), List.of(new Slice(0, 1, payload)));
  }

  /**
   * An all-coarse K=4096 row of 4 tokens {@code 0, s, t2, t3} (prob_model_id 0) in which the
   * decoder's slot for the second token is the first slot of {@code s} ({@code first}), whose start
   * {@code C(s) * 2^24 / T} is not an integer, or the last slot of {@code s}, the start of {@code s
   * + 1} being an integer. t2 and t3 are the first pair, in index order, that does it.
   */
  private void adaptiveEdge(String name, int sym, boolean first, String description)
      throws IOException {
    int k = 4096, inc = AdaptiveModel.DEFAULT_INCREMENT;
    // Counts after tokens 0 and sym (Spec §7.9.3; no rescale this early), and their prefix sums.
    long[] c = new long[k];
    Arrays.fill(c, 1);
    c[0] += inc;
    long[] cum = new long[k + 1];
    for (int x = 0; x < k; x++) cum[x + 1] = cum[x] + c[x];
    long c1 = cum[sym], t1 = k + inc; // token 1 sees the counts after token 0 only
    long start1 = (c1 << 24) / t1, freq1 = ((c1 + c[sym]) << 24) / t1 - start1;
    c[sym] += inc;
    for (int x = 0; x < k; x++) cum[x + 1] = cum[x] + c[x];
    long t2 = k + 2L * inc, t3 = k + 3L * inc;
    long want = first ? start1 : start1 + freq1 - 1;
    for (int a = 0; a < k; a++) {
      long s2 = (cum[a] << 24) / t2, f2 = ((cum[a] + c[a]) << 24) / t2 - s2;
      for (int b = 0; b < k; b++) {
        long lo = cum[b] + (a < b ? inc : 0), cnt = c[b] + (a == b ? inc : 0);
        long s3 = (lo << 24) / t3, f3 = ((lo + cnt) << 24) / t3 - s3;
        // Spec §7.7: code tokens 3, 2, 1 from x = 2^31; the decoder's slot for token 1 is the
        // low 24 bits of the state after token 1 is coded.
        long x = 1L << 31;
        x = ((x / f3) << 24) + (x % f3) + s3;
        if ((x >> 39) >= f2) x >>>= 32;
        x = ((x / f2) << 24) + (x % f2) + s2;
        if ((x >> 39) >= freq1) x >>>= 32;
        if ((x % freq1) + start1 != want) continue;
        valid(
            name,
            coarseRow(k, new int[] {0, sym, a, b}),
            "§7.9.2 §7.4 §8.2",
            description + " (tokens 0, " + sym + ", " + a + ", " + b + ")");
        return;
      }
    }
    throw new IllegalStateException(name + ": no tokens found");
  }

  /** The fewest pixels above MAX_PIXELS that a width and a height of 1..16384 make. */
  private static long[] pixelsOnePast() {
    long best = Long.MAX_VALUE, bw = 0, bh = 0;
    for (long w = 4096; w <= Limits.MAX_WIDTH; w++) {
      long h = Limits.MAX_PIXELS / w + 1;
      if (h <= Limits.MAX_HEIGHT && w * h < best) {
        best = w * h;
        bw = w;
        bh = h;
      }
    }
    return new long[] {bw, bh};
  }

  /** The first 16 bytes of {@code b} with header_size 20, then header_crc over them. */
  private static byte[] headerSize20(byte[] b) {
    byte[] h = Arrays.copyOf(b, 20);
    System.arraycopy(HeaderEditor.be(20, 4), 0, h, 10, 4);
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(h, 0, 16);
    System.arraycopy(HeaderEditor.be(c.getValue(), 4), 0, h, 16, 4);
    return h;
  }
}
