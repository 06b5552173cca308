package io.vqcodec.tools.eval;

import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.GranularityStrategy;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * vqcodec itself, in process: the knob is the target bpp handed to the encoder's rate control
 * ({@code vqcodec encode --bpp}), which lands at or just under it, so the harness encodes once per
 * target. Default encoder settings otherwise (8-row slices); "vqcodec" is the codec as shipped, the
 * others are ablations: full size only (no reduced-resolution coding, Spec §9.6.1), and the entropy
 * and uniform granularity strategies (at full size, as they were first measured).
 */
final class VqcodecEvalCodec implements EvalCodec {
  private final String name;
  private final GranularityStrategy strategy;

  /**
   * Slices: the encoder's default (Spec §5.7), at least {@value EncoderOptions#MIN_SLICE_CELLS}
   * cells each. Results before 2026-12-07 (commit 820226c) measured 8-row slices.
   */
  private static final String SLICES =
      "slices of at least " + EncoderOptions.MIN_SLICE_CELLS + " cells";

  /**
   * The encoder's default, the two-stage model (Spec §8.3.3, stream model 4). Results before
   * 2026-12-06 measured the context prior (Spec §8.3.2, model 3) and the exhaustive rate control.
   */
  private final ProbabilityModel probabilityModel = ProbabilityModel.TWO_STAGE;

  /**
   * Spec §9.6.1 resolution shift, or -1 for rate control's choice among full, half and quarter
   * size.
   */
  private final int resolutionShift;

  private Tokenizer tokenizer;

  private VqcodecEvalCodec(String name, GranularityStrategy strategy, int resolutionShift) {
    this.name = name;
    this.strategy = strategy;
    this.resolutionShift = resolutionShift;
  }

  static List<VqcodecEvalCodec> all() {
    return List.of(
        new VqcodecEvalCodec("vqcodec", GranularityStrategy.RATE_DISTORTION, -1),
        new VqcodecEvalCodec("vqcodec-fullsize", GranularityStrategy.RATE_DISTORTION, 0),
        new VqcodecEvalCodec("vqcodec-entropy", GranularityStrategy.ENTROPY, 0),
        new VqcodecEvalCodec("vqcodec-uniform", GranularityStrategy.UNIFORM, 0));
  }

  /**
   * The part of the cache key that names the encoder settings: every setting of {@link #options()}
   * that shapes a {@code --bpp} stream besides the target itself, so a changed setting misses the
   * cache. Built from this codec's fields (the same ones {@link #options()} is built from), never
   * from {@code EncoderOptions.toString()}: {@code "<strategy>, <slices>, <probability model>"}
   * (slices: {@code "8-row slices"} before 2026-12-07, now {@code "slices of at least 1024
   * cells"}), then {@code ", full/half/quarter size by rate control"} when rate control picks the
   * resolution, {@code ", 1/2 size"} or {@code ", 1/4 size"} when it is fixed to a reduced one, and
   * nothing for full size only. The quality step is left out: a rate target overrides it.
   *
   * <p>The wording is that of the committed {@code results/*}{@code /cache.csv} files
   * (VqcodecEvalCodecTest checks it): reword it and every cached encode is redone. A new encoder
   * setting that changes the stream belongs here and in {@link #options()}.
   */
  /**
   * What rate control does above the rate of half the cells fine (Spec §6.9: since 2026-12-08 a
   * pixel residual on those tokens, or on three quarters of the cells fine at higher targets;
   * chroma step twice the luma step, dead zone 0.18).
   */
  static final String RESIDUAL = "pixel residual on half or three quarters of the cells fine";

  String codingKey() {
    String resolution =
        resolutionShift < 0
            ? ", full/half/quarter size by rate control"
            : resolutionShift > 0 ? ", 1/" + (1 << resolutionShift) + " size" : "";
    return strategy + ", " + SLICES + ", " + probabilityModel + resolution + ", " + RESIDUAL;
  }

  /** The encoder options of a --bpp encode, without the target. */
  private EncoderOptions options() {
    EncoderOptions o =
        EncoderOptions.defaults().withStrategy(strategy).withProbabilityModel(probabilityModel);
    return resolutionShift < 0 ? o : o.withResolutionShift(resolutionShift);
  }

  private synchronized Tokenizer tokenizer() {
    if (tokenizer == null) {
      try {
        tokenizer = Tokenizer.loadDefault();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the vqcodec model", e);
      }
    }
    return tokenizer;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean inDefaultRun() {
    return name.equals("vqcodec");
  }

  @Override
  public boolean available() {
    return ModelRegistry.builtIn().byName("tok-v1").isPresent();
  }

  @Override
  public String configuration() {
    return configuration(tokenizer().model());
  }

  /**
   * The configuration string with {@code model}'s id, name, weights and prior hashes, and {@link
   * #codingKey()}.
   */
  String configuration(ModelPackage model) {
    boolean twoStage = probabilityModel == ProbabilityModel.TWO_STAGE;
    return "vqcodec model "
        + (twoStage ? model.twoStageId() : model.id())
        + " ("
        + model.property("model.name")
        + ", weights sha256 "
        + HexFormat.of().formatHex(model.weightsSha256(), 0, 8)
        + ") --bpp rate model, "
        + codingKey()
        + (twoStage ? " (two-stage sha256 " : " (prior sha256 ")
        + model.property(twoStage ? "twostage.sha256" : "prior.sha256").substring(0, 16)
        + "); DJL PyTorch CPU";
  }

  /** PyTorch's intra-op pool uses every core by default; state the machine's count. */
  @Override
  public int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  /**
   * The target bpp, from 0.005 to 4: the pixel residual (Spec §6.9) takes rate control past where
   * the tokens stop (about 0.55 bpp on Kodak with tok-v2's residual stages).
   */
  @Override
  public Knob knob() {
    return new Knob(0.005, 4, false, true, true);
  }

  @Override
  public boolean targetsBpp() {
    return true;
  }

  @Override
  public Coded encodeDecode(SourceImage source, double knob, Path workDir) throws IOException {
    ImageEncoder encoder = ImageEncoder.using(tokenizer());
    ImageDecoder decoder = ImageDecoder.using(tokenizer());
    long t0 = System.nanoTime();
    EncodedPicture coded = encoder.encode(source.rgb(), options().withTargetBpp(knob));
    long t1 = System.nanoTime();
    BufferedImage decoded = decoder.decode(new ByteArrayInputStream(coded.bytes())).image();
    long t2 = System.nanoTime();
    return new Coded(coded.bytes().length, SourceImage.toRgb(decoded), t1 - t0, t2 - t1);
  }
}
