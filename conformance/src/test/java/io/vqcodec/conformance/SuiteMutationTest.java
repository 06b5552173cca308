package io.vqcodec.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.container.ModelId;
import io.vqcodec.tokens.ModelCatalogue;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite as one fail-fast test: every vector of the manifest, smallest stream first,
 * stopping at the first that fails. This is the test set of the mutation testing of the normative
 * decode code (conformance/README.md, "Mutation testing"): a mutant of the decoder is killed
 * exactly when some vector fails, and stopping at the first keeps a killed mutant's run short.
 *
 * <p>The model packages are read afresh for each run, not taken from {@link
 * ModelRegistry#builtIn()}: PIT runs many mutants in one JVM, and a cached prior would have been
 * built by the code of an earlier mutant (the tables of {@code TwoStagePrior.Level}).
 */
class SuiteMutationTest {
  static final Path MODELS =
      ConformanceTest.ROOT.resolve("models/src/main/resources/io/vqcodec/models");

  @Test
  void everyVectorPassesSmallestFirst() throws IOException {
    List<Manifest.Entry> m =
        new ArrayList<>(Manifest.read(ConformanceTest.VECTORS.resolve(Manifest.FILE)));
    m.sort(Comparator.comparingLong(Manifest.Entry::bytes).thenComparing(Manifest.Entry::name));
    assertThat(m).isNotEmpty();
    ModelCatalogue models = freshModels();
    for (Manifest.Entry e : m) {
      List<ConformanceRunner.Verdict> v =
          ConformanceRunner.check(
              List.of(e), ConformanceTest.VECTORS, (name, b) -> JavaDecoder.decode(b, models));
      assertThat(v.get(0).pass()).as(v.get(0).toString()).isTrue();
    }
  }

  /** The released packages (the models module's registry.properties), loaded from their folders. */
  static ModelCatalogue freshModels() throws IOException {
    Properties index = new Properties();
    try (InputStream in = Files.newInputStream(MODELS.resolve("registry.properties"))) {
      index.load(in);
    }
    List<ModelPackage> packages = new ArrayList<>();
    for (String name : index.getProperty("packages", "").split(",")) {
      if (!name.isBlank()) packages.add(ModelRegistry.loadFolder(MODELS.resolve(name.trim())));
    }
    return new ModelCatalogue() {
      @Override
      public Optional<ModelPackage> find(ModelId model) {
        return packages.stream().filter(p -> p.matches(model)).findFirst();
      }

      @Override
      public List<ModelPackage> packages() {
        return packages;
      }
    };
  }
}
