package io.vqcodec.tokens;

import io.vqcodec.container.ModelId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * One released model package: {@code model.properties}, the weights file it names and, for a stream
 * model with a context prior, the prior file (Spec §4.4, §8.3.2.1). Files are read on first use and
 * checked against the SHA-256 the properties state; the package is immutable and thread-safe.
 *
 * <p>Only {@link ModelRegistry} makes packages. Keys of {@code model.properties}: {@code
 * model.name}; {@code model.id} (absent for a package that no stream names, such as the concealment
 * predictor); {@code model.same.weights.ids} (other stream ids whose weights are these, Spec §4.4);
 * {@code weights.file}, {@code weights.sha256}; {@code prior.file}, {@code prior.sha256} (the
 * context prior of stream id {@code model.id}); {@code twostage.id}, {@code twostage.file}, {@code
 * twostage.sha256} (a further stream id, these weights with the two-stage model's parameters, Spec
 * §8.3.3.1); {@code twostage.temporal.id}, {@code twostage.temporal.file}, {@code
 * twostage.temporal.sha256} (one more, these weights with two-stage parameters that have a temporal
 * expert, Spec §8.3.3.2 version 2: what a video encoder uses); the network's {@code arch} and
 * {@code codebook.sizes}; training provenance ({@code train.*}).
 */
public final class ModelPackage {
  /** Reads one file of a package (class path resource or folder). */
  @FunctionalInterface
  interface Files {
    InputStream open(String name) throws IOException;
  }

  /** Largest weights file accepted (the released ones are 9 to 13 MB). */
  static final int MAX_WEIGHTS = 1 << 30;

  private final String source;
  private final Properties props;
  private final Files files;
  private final long id;
  private final long[] sameWeightsIds;
  private final long twoStageId;
  private final long temporalTwoStageId;
  private final int stageCount;
  private final int stageCodebookSize;
  private TwoStagePrior twoStage;
  private TwoStagePrior temporalTwoStage;
  private final byte[] weightsSha256;
  private byte[] weights;
  private ContextPrior prior;

  ModelPackage(String source, Properties props, Files files) throws IOException {
    this.source = source;
    this.props = props;
    this.files = files;
    String sha = require("weights.sha256");
    require("model.name");
    try {
      this.weightsSha256 = HexFormat.of().parseHex(sha.trim());
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": weights.sha256 is not 64 hex digits: " + sha.trim(), e);
    }
    try {
      String idText = props.getProperty("model.id");
      this.id = idText == null ? 0 : Long.parseLong(idText.trim());
      String ts = props.getProperty("twostage.id");
      this.twoStageId = ts == null ? 0 : Long.parseLong(ts.trim());
      String tt = props.getProperty("twostage.temporal.id");
      this.temporalTwoStageId = tt == null ? 0 : Long.parseLong(tt.trim());
      String st = props.getProperty("stages");
      this.stageCount = st == null ? 1 : Integer.parseInt(st.trim());
      String sk = props.getProperty("stage.codebook.size");
      this.stageCodebookSize = sk == null || stageCount == 1 ? 0 : Integer.parseInt(sk.trim());
      String same = props.getProperty("model.same.weights.ids", "").trim();
      this.sameWeightsIds =
          same.isEmpty()
              ? new long[0]
              : Arrays.stream(same.split(","))
                  .map(String::trim)
                  .mapToLong(Long::parseLong)
                  .toArray();
    } catch (IllegalArgumentException e) {
      throw new IOException(source + ": malformed model.properties: " + e.getMessage(), e);
    }
    if (weightsSha256.length != 32)
      throw new IOException(source + ": weights.sha256 is not 64 hex digits");
    if (props.getProperty("prior.file") != null && props.getProperty("prior.sha256") == null) {
      throw new IOException(source + ": prior.file without prior.sha256");
    }
    if (twoStageId > 0
        && (props.getProperty("twostage.file") == null
            || props.getProperty("twostage.sha256") == null)) {
      throw new IOException(source + ": twostage.id without twostage.file and twostage.sha256");
    }
    if (temporalTwoStageId > 0
        && (props.getProperty("twostage.temporal.file") == null
            || props.getProperty("twostage.temporal.sha256") == null)) {
      throw new IOException(
          source
              + ": twostage.temporal.id without twostage.temporal.file and"
              + " twostage.temporal.sha256");
    }
    if (temporalTwoStageId > 0 && (temporalTwoStageId == twoStageId || temporalTwoStageId == id)) {
      throw new IOException(source + ": twostage.temporal.id repeats another id of the package");
    }
  }

  private String require(String key) throws IOException {
    String v = props.getProperty(key);
    if (v == null) throw new IOException(source + ": model.properties lacks " + key);
    return v;
  }

  /** The package's name, e.g. {@code tok-v1}. */
  public String name() {
    return props.getProperty("model.name").trim();
  }

  /** The stream model id (Spec §4.4) of this package, or 0 if no stream names it. */
  public long id() {
    return id;
  }

  /**
   * Every stream model id whose weights these are: {@link #id()} and {@code
   * model.same.weights.ids}.
   */
  public long[] decodableIds() {
    long[] all =
        new long
            [sameWeightsIds.length
                + (id > 0 ? 1 : 0)
                + (twoStageId > 0 ? 1 : 0)
                + (temporalTwoStageId > 0 ? 1 : 0)];
    int n = 0;
    if (id > 0) all[n++] = id;
    if (twoStageId > 0) all[n++] = twoStageId;
    if (temporalTwoStageId > 0) all[n++] = temporalTwoStageId;
    for (long s : sameWeightsIds) all[n++] = s;
    return all;
  }

  /** Spec §4.3: the stream's model_identification names these weights (under one of its ids). */
  public boolean matches(ModelId model) {
    for (long i : decodableIds()) {
      if (model.matches(i, weightsSha256)) return true;
    }
    return false;
  }

  /** The full SHA-256 of the weights file. */
  public byte[] weightsSha256() {
    return weightsSha256.clone();
  }

  /** A {@code model.properties} value, or null. */
  public String property(String key) {
    String v = props.getProperty(key);
    return v == null ? null : v.trim();
  }

  /** The weights file's bytes, checked against {@code weights.sha256}. */
  public synchronized byte[] weights() throws IOException {
    if (weights == null) {
      byte[] w = read(props.getProperty("weights.file", "weights.vqt").trim(), MAX_WEIGHTS);
      check("weights", w, weightsSha256);
      weights = w;
    }
    return weights;
  }

  /**
   * Whether this package holds a context prior (for stream id {@link #id()} only, Spec §8.3.2.1).
   */
  public boolean hasPrior() {
    return props.getProperty("prior.file") != null;
  }

  /**
   * The context prior of stream model {@link #id()}, checked against {@code prior.sha256}.
   *
   * @throws IOException if the package has no prior or its file is missing, damaged or malformed
   */
  public synchronized ContextPrior prior() throws IOException {
    if (prior == null) {
      if (!hasPrior()) throw new IOException(source + " has no context prior");
      byte[] p = read(props.getProperty("prior.file").trim(), ContextPrior.MAX_FILE);
      check("prior", p, HexFormat.of().parseHex(props.getProperty("prior.sha256").trim()));
      prior = ContextPrior.load(new ByteArrayInputStream(p));
    }
    return prior;
  }

  /**
   * The stream id of these weights with the two-stage model's parameters (Spec §8.3.3.1), or 0 if
   * the package has none.
   */
  public long twoStageId() {
    return twoStageId;
  }

  /**
   * The stream id of these weights with the two-stage parameters that have a temporal expert (Spec
   * §8.3.3.2 version 2), or 0 if the package has none. Video encoders use it; pictures and key
   * frames code exactly as under {@link #twoStageId()}.
   */
  public long temporalTwoStageId() {
    return temporalTwoStageId;
  }

  /**
   * This package without its two-stage parameters with a temporal expert: an encoder of it writes
   * the ids it had before them ({@code TemporalFit} fits the expert on streams that do not use it,
   * so that the fit does not depend on its own output).
   */
  public ModelPackage withoutTemporalExpert() throws IOException {
    Properties p = new Properties();
    p.putAll(props);
    p.remove("twostage.temporal.id");
    p.remove("twostage.temporal.file");
    p.remove("twostage.temporal.sha256");
    return new ModelPackage(source + " without its temporal expert", p, files);
  }

  /**
   * The two-stage parameters with a temporal expert, of stream model {@link #temporalTwoStageId()},
   * checked against {@code twostage.temporal.sha256}.
   *
   * @throws IOException if the package has none or the file is missing, damaged or malformed
   */
  public synchronized TwoStagePrior temporalTwoStagePrior() throws IOException {
    if (temporalTwoStage == null) {
      if (temporalTwoStageId == 0)
        throw new IOException(source + " has no two-stage model with a temporal expert");
      temporalTwoStage =
          loadTwoStage("twostage.temporal", "two-stage model with a temporal expert");
    }
    return temporalTwoStage;
  }

  /** The two-stage parameter file named by {@code key.file}, checked against {@code key.sha256}. */
  private TwoStagePrior loadTwoStage(String key, String what) throws IOException {
    byte[] p = read(props.getProperty(key + ".file").trim(), TwoStagePrior.MAX_FILE);
    check(what, p, HexFormat.of().parseHex(props.getProperty(key + ".sha256").trim()));
    return TwoStagePrior.load(new ByteArrayInputStream(p));
  }

  /**
   * Stages a fine token of the model's largest level can carry, itself included (Spec §9.6.2, §4.4;
   * {@code stages} in {@code model.properties}): 1 without residual stages.
   */
  public int stageCount() {
    return stageCount;
  }

  /** Entries of each stage codebook ({@code stage.codebook.size}); 0 without residual stages. */
  public int stageCodebookSize() {
    return stageCodebookSize;
  }

  /**
   * The two-stage model's parameters of stream model {@link #twoStageId()}, checked against {@code
   * twostage.sha256}.
   *
   * @throws IOException if the package has none or the file is missing, damaged or malformed
   */
  public synchronized TwoStagePrior twoStagePrior() throws IOException {
    if (twoStage == null) {
      if (twoStageId == 0) throw new IOException(source + " has no two-stage model");
      twoStage = loadTwoStage("twostage", "two-stage model");
    }
    return twoStage;
  }

  /**
   * The parameters that {@code prob} needs in a stream of model {@code streamId} (Spec §8.3.2.1,
   * §8.3.3.1): null for adaptive order-0.
   *
   * @throws UnknownModelException if this package has no such parameters for that id, or none for
   *     the stream's codebook size {@code k}
   * @throws IOException if the parameter file is missing, damaged or malformed
   */
  public TokenModel tokenModel(io.vqcodec.container.ProbabilityModel prob, long streamId, int k)
      throws IOException {
    TokenModel m;
    switch (prob) {
      case ADAPTIVE_ORDER0 -> {
        return null;
      }
      case GAUSSIAN_MIXTURE -> {
        if (streamId != id || !hasPrior()) {
          throw new UnknownModelException(
              "stream codes its tokens with the context prior of model "
                  + streamId
                  + "; this decoder has "
                  + (hasPrior() ? "the prior of model " + id + " only" : "no context prior"),
              streamId);
        }
        m = prior();
      }
      case TWO_STAGE -> {
        if (streamId == temporalTwoStageId && temporalTwoStageId > 0) {
          m = temporalTwoStagePrior();
          break;
        }
        if (streamId != twoStageId || twoStageId == 0) {
          throw new UnknownModelException(
              "stream codes its tokens with the two-stage model of model "
                  + streamId
                  + "; this decoder has "
                  + (twoStageId > 0
                      ? "the two-stage model of model " + twoStageId + " only"
                      : "no two-stage model"),
              streamId);
        }
        m = twoStagePrior();
      }
      default -> throw new IllegalStateException(prob.toString());
    }
    if (!m.hasLevel(k)) {
      throw new UnknownModelException(
          "the " + prob + " parameters of model " + streamId + " have no level K = " + k, streamId);
    }
    return m;
  }

  private byte[] read(String name, int max) throws IOException {
    try (InputStream in = files.open(name)) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max)
        throw new IOException(source + ": " + name + " is larger than " + max + " bytes");
      return b;
    }
  }

  private void check(String what, byte[] bytes, byte[] want) throws IOException {
    byte[] have = sha256(bytes);
    if (!MessageDigest.isEqual(have, want)) {
      HexFormat hex = HexFormat.of();
      throw new IOException(
          source
              + ": "
              + what
              + " SHA-256 mismatch: model.properties says "
              + hex.formatHex(want)
              + ", file has "
              + hex.formatHex(have));
    }
  }

  /** SHA-256 (FIPS 180-4) of {@code bytes}: the hash of every model file (Spec §4.2). */
  public static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** Stream ids of the packages, for messages. */
  static String describe(List<ModelPackage> packages) {
    List<String> s = new ArrayList<>();
    int ids = 0;
    for (ModelPackage p : packages) {
      long[] own = p.decodableIds().clone();
      if (own.length == 0) continue;
      Arrays.sort(own);
      List<String> n = new ArrayList<>();
      for (long id : own) n.add(Long.toString(id));
      s.add(String.join(", ", n) + " (" + p.name() + ")");
      ids += own.length;
    }
    if (s.isEmpty()) return "no models";
    return (ids == 1 ? "only model " : "only models ") + String.join(", ", s);
  }

  @Override
  public String toString() {
    return "ModelPackage[" + name() + (id > 0 ? ", id " + id : "") + ", " + source + "]";
  }
}
