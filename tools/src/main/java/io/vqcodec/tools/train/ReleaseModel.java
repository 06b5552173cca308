package io.vqcodec.tools.train;

import io.vqcodec.neural.MaskNet;
import io.vqcodec.neural.TensorFile;
import io.vqcodec.neural.TokNetConfig;
import io.vqcodec.neural.Tokenizer;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tools.prior.PriorFit;
import io.vqcodec.tools.prior.TokenCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one release command: turns a training checkpoint into a whole model package, the folder that
 * {@link ModelRegistry} reads (Spec §4.4).
 *
 * <pre>
 * ReleaseModel tokenizer --ckpt runs/tok-v3/ckpt-N.vqt --arch A --name tok-v3 --model-id 7
 *     --out models/src/main/resources/io/vqcodec/models/tok-v3
 *     [--prior-images ../shared/data/train] [--prior-max-side 1024] [--same-weights-ids ID,...]
 * ReleaseModel tokenizer --ckpt runs/tok-v3-fast/ckpt-N.vqt --arch A --name tok-v2f --model-id 8
 *     --token-models-from models/src/main/resources/io/vqcodec/models/tok-v2 --twostage-id 9
 *     --temporal-id 10 --out models/src/main/resources/io/vqcodec/models/tok-v2f
 * ReleaseModel predictor --ckpt runs/mask-v2/ckpt-N.vqt --arch 16,128,4,4 --name mask-v2
 *     --out models/src/main/resources/io/vqcodec/models/mask-v2
 * </pre>
 *
 * <p>A tokenizer package gets {@code weights.vqt} (network, codebook, nested sub-codebooks, and the
 * residual stage codebooks {@code stage.N} of a checkpoint that has them, with {@code stages} and
 * {@code stage.codebook.size} in {@code model.properties}), with {@code --prior-images} the context
 * prior fitted on the token corpus of those images made with the new weights ({@code prior.bin}),
 * and {@code model.properties} with every SHA-256. A predictor package gets its weights and
 * properties. The package is then loaded through the registry as a decoder would load it (hashes
 * checked). If {@code --out}'s parent holds the class path index ({@code registry.properties}), the
 * package is added to it. Finally the command prints the row to add to the registry table of Spec
 * §4.4.
 *
 * <p>A new decoder for a released encoder ({@code TrainTokenizer --decoder-only}) is released with
 * {@code --token-models-from} the encoder's package: every tensor of the new weights outside the
 * decoder ({@code net.dec.*}) must equal that package's, bit for bit (else the command refuses), so
 * the new model codes exactly the same tokens, and the package's token models (its context prior,
 * its two-stage parameters under {@code --twostage-id} and those with a temporal expert under
 * {@code --temporal-id}) are copied unchanged under the new ids instead of refitted.
 *
 * <p>Model ids are never reused: a {@code --model-id} (or same-weights id) that the Spec §4.4 table
 * or a released package already names is refused.
 */
public final class ReleaseModel {
  private ReleaseModel() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !(args[0].equals("tokenizer") || args[0].equals("predictor"))) {
      System.err.println(
          "usage: ReleaseModel tokenizer|predictor --ckpt FILE --arch A --name NAME --out DIR "
              + "[--model-id N] [--prior-images DIR] [--prior-max-side N] [--same-weights-ids IDS]"
              + " [--token-models-from DIR --twostage-id N --temporal-id N] [--spec FILE]");
      System.exit(2);
    }
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2)
      a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    Path ckpt = Paths.get(require(a, "ckpt"));
    Path out = Paths.get(require(a, "out"));
    String name = require(a, "name");
    Properties p = new Properties();
    p.setProperty("model.name", name);
    p.setProperty("arch", require(a, "arch"));
    p.setProperty("weights.file", "weights.vqt");
    p.setProperty("train.checkpoint", ckpt.getFileName().toString());
    if (args[0].equals("predictor")) {
      String[] w =
          ReleaseMaskPredictor.writeWeights(ckpt, MaskNet.Config.parse(a.get("arch")), out);
      p.setProperty("levels", "4096,1024,256,64,16");
      p.setProperty("weights.sha256", w[1]);
      p.setProperty("train.step", w[0]);
      store(p, out, "vqcodec masked-token predictor (loss concealment)");
      check(out);
      addToIndex(out);
      System.out.println("released " + name + " step " + w[0] + " -> " + out);
      return;
    }
    long id = Long.parseLong(require(a, "model-id"));
    Path spec = Paths.get(a.getOrDefault("spec", "bitstream-spec/04-model-identification.md"));
    String same = a.getOrDefault("same-weights-ids", "");
    List<Long> ids = new java.util.ArrayList<>(List.of(id));
    if (!same.isBlank()) for (String s : same.split(",")) ids.add(Long.parseLong(s.trim()));
    for (long i : ids) refuseUsedId(i, spec);
    Path tokenModelsFrom =
        a.containsKey("token-models-from") ? Paths.get(a.get("token-models-from")) : null;
    if (tokenModelsFrom != null && a.containsKey("prior-images"))
      throw new IllegalArgumentException(
          "--token-models-from copies the token models: --prior-images would refit them");
    for (String key : List.of("twostage-id", "temporal-id")) {
      if (!a.containsKey(key)) continue;
      if (tokenModelsFrom == null)
        throw new IllegalArgumentException("--" + key + " needs --token-models-from");
      long ts = Long.parseLong(a.get(key).trim());
      refuseUsedId(ts, spec);
      if (ids.contains(ts))
        throw new IllegalArgumentException(
            "--" + key + " " + ts + " is also this package's model id: each id names one model");
      ids.add(ts);
    }
    ReleaseTokenizer.Weights w =
        ReleaseTokenizer.writeWeights(ckpt, TokNetConfig.parse(a.get("arch")), out);
    p.setProperty("model.id", Long.toString(id));
    p.setProperty("codebook.sizes", w.codebookSizes());
    p.setProperty("weights.sha256", HexFormat.of().formatHex(w.sha256()));
    p.setProperty("train.step", Integer.toString(w.step()));
    if (w.stages() > 1) {
      p.setProperty("stages", Integer.toString(w.stages()));
      p.setProperty("stage.codebook.size", Integer.toString(w.stageCodebookSize()));
    }
    if (!same.isBlank()) p.setProperty("model.same.weights.ids", same);
    store(p, out, "vqcodec tokenizer model");
    String priorSha = null;
    if (a.containsKey("prior-images")) {
      Path corpus = Paths.get("runs", name, "prior-train.tok");
      int[] ks = Arrays.stream(w.codebookSizes().split(",")).mapToInt(Integer::parseInt).toArray();
      byte[] prior;
      try (Tokenizer tok = Tokenizer.open(ModelRegistry.loadFolder(out))) {
        TokenCorpus.build(
            tok,
            ks,
            Paths.get(a.get("prior-images")),
            Integer.parseInt(a.getOrDefault("prior-max-side", "1024")),
            1,
            Integer.MAX_VALUE,
            corpus);
        List<TokenCorpus.Entry> train = TokenCorpus.read(corpus);
        prior = PriorFit.fitFile(tok, ks, train, System.out);
      }
      Files.write(out.resolve("prior.bin"), prior);
      priorSha = HexFormat.of().formatHex(ModelPackage.sha256(prior));
      p.setProperty("prior.file", "prior.bin");
      p.setProperty("prior.sha256", priorSha);
      store(
          p,
          out,
          "vqcodec tokenizer model with its context prior (prob_model_id 2, Spec section 8.3.2)");
    }
    if (tokenModelsFrom != null) {
      priorSha =
          copyTokenModels(tokenModelsFrom, out, p, a.get("twostage-id"), a.get("temporal-id"));
      store(
          p,
          out,
          "vqcodec tokenizer model: a new decoder for the token models of "
              + tokenModelsFrom.getFileName());
    }
    check(out);
    addToIndex(out);
    System.out.printf(
        Locale.ROOT,
        "released %s (model id %d) step %d: %d bytes of weights -> %s%n",
        name,
        id,
        w.step(),
        w.bytes(),
        out);
    System.out.println("Add this row to the registry table of Spec §4.4 (" + spec + "):");
    String weightsSha = HexFormat.of().formatHex(w.sha256());
    printRow(
        String.valueOf(id),
        name,
        w.step(),
        priorSha == null ? "" : " + context prior (`prior.sha256` `" + priorSha + "`)",
        weightsSha,
        w.codebookSizes());
    if (p.getProperty("twostage.id") != null) {
      printRow(
          p.getProperty("twostage.id"),
          name,
          w.step(),
          " + two-stage model (`twostage.sha256` `" + p.getProperty("twostage.sha256") + "`)",
          weightsSha,
          w.codebookSizes());
    }
    if (p.getProperty("twostage.temporal.id") != null) {
      printRow(
          p.getProperty("twostage.temporal.id"),
          name,
          w.step(),
          " + two-stage model with a temporal expert (§8.3.3.2 version 2; `twostage.sha256` `"
              + p.getProperty("twostage.temporal.sha256")
              + "`)",
          weightsSha,
          w.codebookSizes());
    }
  }

  /** One row of the registry table of Spec §4.4, for the release's own weights. */
  private static void printRow(
      String id, String name, long step, String what, String weightsSha, String levels) {
    System.out.printf(
        Locale.ROOT,
        "| %s | %s (training step %d)%s | `%s` | %s | released |%n",
        id,
        name,
        step,
        what,
        weightsSha,
        levels.replace(",", ", "));
  }

  /**
   * Copies the context prior and the two-stage parameters of the package in {@code from} into
   * {@code out} and names them in {@code p}, after checking that the weights just written in {@code
   * out} differ from {@code from}'s only in the decoder. Returns the prior's SHA-256 (hex).
   *
   * @throws IllegalArgumentException if a tensor outside the decoder differs or is missing on
   *     either side, or the package has two-stage parameters and {@code twoStageId} is null, or
   *     parameters with a temporal expert and {@code temporalId} is null
   */
  static String copyTokenModels(
      Path from, Path out, Properties p, String twoStageId, String temporalId) throws IOException {
    ModelPackage src = ModelRegistry.loadFolder(from);
    Map<String, TensorFile.Tensor> a = TensorFile.read(src.weights()),
        b = TensorFile.read(out.resolve("weights.vqt"));
    java.util.Set<String> keys = new java.util.TreeSet<>(a.keySet());
    keys.addAll(b.keySet());
    for (String k : keys) {
      if (k.startsWith("net.dec.")) continue;
      TensorFile.Tensor x = a.get(k), y = b.get(k);
      if (x == null
          || y == null
          || !Arrays.equals(x.dims(), y.dims())
          || !Arrays.equals(x.data(), y.data())) {
        throw new IllegalArgumentException(
            k
                + " differs from "
                + from
                + "'s: only the decoder may change for its token models to apply (train with"
                + " --decoder-only from that model's checkpoint)");
      }
    }
    Properties sp = new Properties();
    try (var in = Files.newInputStream(from.resolve("model.properties"))) {
      sp.load(in);
    }
    String priorSha = null;
    String priorFile = sp.getProperty("prior.file");
    if (priorFile != null) {
      Files.copy(
          from.resolve(priorFile.trim()),
          out.resolve(priorFile.trim()),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      priorSha = sp.getProperty("prior.sha256").trim();
      p.setProperty("prior.file", priorFile.trim());
      p.setProperty("prior.sha256", priorSha);
    }
    copyParameters(from, out, sp, p, "twostage", twoStageId, "two-stage parameters", "twostage-id");
    copyParameters(
        from,
        out,
        sp,
        p,
        "twostage.temporal",
        temporalId,
        "two-stage parameters with a temporal expert",
        "temporal-id");
    return priorSha;
  }

  /**
   * Copies the parameter file that {@code sp} names under {@code KEY.file} (if any) into {@code
   * out} and names it in {@code p} under stream id {@code id} ({@code KEY.id}, {@code KEY.file},
   * {@code KEY.sha256}); refuses a missing id.
   */
  private static void copyParameters(
      Path from,
      Path out,
      Properties sp,
      Properties p,
      String key,
      String id,
      String what,
      String option)
      throws IOException {
    String file = sp.getProperty(key + ".file");
    if (file == null) return;
    if (id == null)
      throw new IllegalArgumentException(
          from + " has " + what + ": give their stream model id with --" + option);
    Files.copy(
        from.resolve(file.trim()),
        out.resolve(file.trim()),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    p.setProperty(key + ".id", id.trim());
    p.setProperty(key + ".file", file.trim());
    p.setProperty(key + ".sha256", sp.getProperty(key + ".sha256").trim());
  }

  private static String require(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) throw new IllegalArgumentException("--" + key + " is required");
    return v;
  }

  /** Spec §4.4: an id names one weights file forever. */
  static void refuseUsedId(long id, Path spec) throws IOException {
    if (id < 1)
      throw new IllegalArgumentException("model id " + id + ": must be at least 1 (Spec §4.2)");
    for (ModelPackage p : ModelRegistry.builtIn().packages()) {
      for (long used : p.decodableIds()) {
        if (used == id)
          throw new IllegalArgumentException(
              "model id " + id + " is " + p.name() + "'s: ids are never reused");
      }
    }
    if (Files.exists(spec)) {
      Matcher m =
          Pattern.compile("(?m)^\\| (\\d+) \\|")
              .matcher(Files.readString(spec, StandardCharsets.UTF_8));
      while (m.find()) {
        if (Long.parseLong(m.group(1)) == id) {
          throw new IllegalArgumentException(
              "model id " + id + " is in the registry table of " + spec + ": ids are never reused");
        }
      }
    }
  }

  private static void store(Properties p, Path out, String comment) throws IOException {
    StringBuilder b =
        new StringBuilder("# " + comment + "; every file is checked against its SHA-256 at load\n");
    for (String k : new java.util.TreeSet<>(p.stringPropertyNames()))
      b.append(k).append('=').append(p.getProperty(k)).append('\n');
    Files.writeString(out.resolve("model.properties"), b.toString(), StandardCharsets.ISO_8859_1);
  }

  /** Loads the package as a decoder would: properties, weights and prior, every hash checked. */
  private static void check(Path out) throws IOException {
    ModelPackage p = ModelRegistry.loadFolder(out);
    byte[] w = p.weights();
    TensorFile.read(w);
    if (p.hasPrior()) p.prior();
    if (p.twoStageId() > 0) p.twoStagePrior();
  }

  /** Adds the package's folder name to {@code registry.properties} beside it, if there is one. */
  private static void addToIndex(Path out) throws IOException {
    Path index = out.toAbsolutePath().getParent().resolve("registry.properties");
    if (!Files.exists(index)) return;
    String folder = out.getFileName().toString();
    List<String> lines = Files.readAllLines(index, StandardCharsets.ISO_8859_1);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.startsWith("packages=")) continue;
      List<String> names = Arrays.stream(l.substring(9).split(",")).map(String::trim).toList();
      if (!names.contains(folder)) lines.set(i, l + "," + folder);
    }
    Files.write(index, lines, StandardCharsets.ISO_8859_1);
  }
}
