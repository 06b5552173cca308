package io.vqcodec.tokens;

import io.vqcodec.container.ModelId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The one reader of model packages (Spec §4.4): the released packages on the class path (the {@code
 * vqcodec-models} jar: {@code io/vqcodec/models/registry.properties} lists their folders), or a
 * package folder given by path (training and release tools). Packages load their files lazily, so a
 * decoder that holds the registry holds every model it may meet and reads only those it does.
 * Immutable and thread-safe.
 */
public final class ModelRegistry implements ModelCatalogue {
  /** Class path folder of the released packages. */
  static final String ROOT = "io/vqcodec/models/";

  private static volatile ModelRegistry builtIn;

  private final List<ModelPackage> packages;
  private final Properties index;

  private ModelRegistry(List<ModelPackage> packages, Properties index) {
    this.packages = List.copyOf(packages);
    this.index = index;
  }

  /**
   * The released packages on the class path; empty when the models jar is absent.
   *
   * @throws UncheckedIOException if a package on the class path is malformed (a build defect)
   */
  public static ModelRegistry builtIn() {
    ModelRegistry r = builtIn;
    if (r == null) {
      synchronized (ModelRegistry.class) {
        if (builtIn == null) {
          try {
            builtIn = loadClassPath(ModelRegistry.class.getClassLoader());
          } catch (IOException e) {
            throw new UncheckedIOException("released model packages: " + e.getMessage(), e);
          }
        }
        r = builtIn;
      }
    }
    return r;
  }

  static ModelRegistry loadClassPath(ClassLoader loader) throws IOException {
    Properties index = new Properties();
    try (InputStream in = loader.getResourceAsStream(ROOT + "registry.properties")) {
      if (in == null) return new ModelRegistry(List.of(), index);
      index.load(in);
    }
    List<ModelPackage> list = new ArrayList<>();
    for (String name : index.getProperty("packages", "").split(",")) {
      if (name.isBlank()) continue;
      String dir = ROOT + name.trim() + "/";
      ModelPackage.Files files =
          f -> {
            InputStream in = loader.getResourceAsStream(dir + f);
            if (in == null)
              throw new IOException("model package file not on the class path: " + dir + f);
            return in;
          };
      list.add(new ModelPackage("class path " + dir, properties(files), files));
    }
    return new ModelRegistry(list, index);
  }

  /** A registry of one package folder ({@code model.properties} and the files it names). */
  public static ModelPackage loadFolder(Path dir) throws IOException {
    ModelPackage.Files files = f -> Files.newInputStream(dir.resolve(f));
    return new ModelPackage(dir.toString(), properties(files), files);
  }

  private static Properties properties(ModelPackage.Files files) throws IOException {
    Properties p = new Properties();
    try (InputStream in = files.open("model.properties")) {
      p.load(in);
    }
    return p;
  }

  @Override
  public Optional<ModelPackage> find(ModelId model) {
    for (ModelPackage p : packages) {
      if (p.matches(model)) return Optional.of(p);
    }
    return Optional.empty();
  }

  @Override
  public List<ModelPackage> packages() {
    return packages;
  }

  /** The package named {@code name} (e.g. {@code tok-v1}), if released here. */
  public Optional<ModelPackage> byName(String name) {
    return packages.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The tokenizer package an encoder uses by default. */
  public ModelPackage defaultTokenizer() throws IOException {
    return named("default.tokenizer");
  }

  /**
   * The tokenizer package a video encoder uses by default ({@code default.video.tokenizer}, or the
   * picture default where a registry names none): a video's frames are decoded in real time, so its
   * default may trade a little quality for a faster decoder network.
   */
  public ModelPackage defaultVideoTokenizer() throws IOException {
    return index.getProperty("default.video.tokenizer") == null
        ? defaultTokenizer()
        : named("default.video.tokenizer");
  }

  /**
   * A package whose decoder network synthesises {@code model}'s tokens faster ({@code
   * faster.synthesis.<name>} in the registry): same encoder, codebooks, stage codebooks and token
   * models, a cheaper network, slightly different pixels. Empty where none is released. Pixel
   * synthesis is outside the normative decoding process (Spec §4.4), so a decoder may use it for
   * speed; the tokens are the stream's either way.
   */
  public Optional<ModelPackage> fasterSynthesis(ModelPackage model) {
    String n = index.getProperty("faster.synthesis." + model.name());
    return n == null ? Optional.empty() : byName(n.trim());
  }

  /** The masked-token predictor used to conceal lost tokens, if released here. */
  public Optional<ModelPackage> defaultPredictor() {
    String n = index.getProperty("default.predictor");
    return n == null ? Optional.empty() : byName(n.trim());
  }

  private ModelPackage named(String key) throws IOException {
    String n = index.getProperty(key);
    if (n == null)
      throw new IOException("no model packages on the class path (the vqcodec-models jar)");
    return byName(n.trim())
        .orElseThrow(() -> new IOException(key + " names " + n + ", which is not listed"));
  }
}
