package io.vqcodec.tools.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.conformance.Manifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorGeneratorTest {
  static final Path ROOT = Path.of(System.getProperty("vqcodec.root", ".."));
  static final Path VECTORS = ROOT.resolve("conformance/vectors");

  /**
   * The committed vectors are what the generator makes: regenerating the network-free vectors
   * reproduces every one of them, stream and expectations.
   */
  @Test
  void generatorReproducesTheCommittedVectors(@TempDir Path dir) throws IOException {
    List<Manifest.Entry> manifest = Manifest.read(VECTORS.resolve(Manifest.FILE));
    List<Manifest.Entry> again =
        VectorGenerator.generate(dir, ROOT.resolve("samples/chelsea.png"), false);
    Map<String, Manifest.Entry> committed = new HashMap<>();
    for (Manifest.Entry e : manifest) committed.put(e.name(), e);
    assertThat(again).hasSizeGreaterThan(100);
    for (Manifest.Entry e : again) assertThat(committed.get(e.name())).as(e.name()).isEqualTo(e);
    assertThat(manifest).filteredOn(e -> !e.name().startsWith("img-")).hasSameSizeAs(again);
  }
}
