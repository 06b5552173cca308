package io.vqcodec.tools.eval;

import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.decoder.ImageDecoder;
import io.vqcodec.encoder.EncodedPicture;
import io.vqcodec.encoder.EncoderOptions;
import io.vqcodec.encoder.GranularityStrategy;
import io.vqcodec.encoder.ImageEncoder;
import io.vqcodec.neural.Tokenizer;
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
 * target. Default encoder settings otherwise (8-row slices); "vqcodec" is the codec as shipped,
 * the others are ablations: full size only (no reduced-resolution coding, Spec §9.6.1), and the
 * entropy and uniform granularity strategies (at full size, as they were first measured).
 */
final class VqcodecEvalCodec implements EvalCodec {
  private final String name;
  private final GranularityStrategy strategy;
  /** Spec §9.6.1 resolution shift, or -1 for the encoder's choice. */
  private final int resolutionShift;
  private Tokenizer tokenizer;

  private VqcodecEvalCodec(String name, GranularityStrategy strategy, int resolutionShift) {
    this.name = name;
    this.strategy = strategy;
    this.resolutionShift = resolutionShift;
  }

  static List<VqcodecEvalCodec> all() {
    return List.of(new VqcodecEvalCodec("vqcodec", GranularityStrategy.RATE_DISTORTION, -1),
        new VqcodecEvalCodec("vqcodec-fullsize", GranularityStrategy.RATE_DISTORTION, 0),
        new VqcodecEvalCodec("vqcodec-entropy", GranularityStrategy.ENTROPY, 0),
        new VqcodecEvalCodec("vqcodec-uniform", GranularityStrategy.UNIFORM, 0));
  }

  /**
   * The options that shape a --bpp encode: without the quality step, which a rate target
   * overrides (so the cache key does not change when the ladder does).
   */
  private String codingOptions() {
    String all = options().toString();
    return all.substring(all.indexOf(", ") + 2);
  }

  private EncoderOptions options() {
    EncoderOptions o = EncoderOptions.defaults().withStrategy(strategy);
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
    Tokenizer t = tokenizer();
    return "vqcodec model " + t.modelId() + " (" + t.property("model.name") + ", weights sha256 "
        + HexFormat.of().formatHex(t.weightsSha256(), 0, 8) + ") --bpp rate control, "
        + codingOptions() + (resolutionShift < 0 ? ", full/half/quarter size by rate control" : "")
        + " (prior sha256 "
        + t.property("prior.sha256").substring(0, 16) + "); DJL PyTorch CPU";
  }

  /** PyTorch's intra-op pool uses every core by default; state the machine's count. */
  @Override
  public int threads() {
    return Runtime.getRuntime().availableProcessors();
  }

  @Override
  public Knob knob() {
    return new Knob(0.005, 0.5, false, true, true);
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
