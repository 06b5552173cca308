package io.vqcodec.tools.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * vqcodec's cache key: the committed caches must keep matching, or every cached encode is redone
 * (ResultCache keys on the configuration string).
 */
class VqcodecEvalCodecTest {
  private static VqcodecEvalCodec codec(String name) {
    return VqcodecEvalCodec.all().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Configuration strings per codec name in a committed {@code results/<folder>/cache.csv}. */
  private static Map<String, Set<String>> cached(String folder) throws IOException {
    Path file = Path.of(System.getProperty("vqcodec.root", ".."), "results", folder, "cache.csv");
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo(ResultCache.HEADER);
    Map<String, Set<String>> configurations = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = Csv.split(line);
      configurations.computeIfAbsent(f.get(0), k -> new HashSet<>()).add(f.get(1));
    }
    return configurations;
  }

  @Test
  void theCodingKeyNamesEverySettingThatShapesTheStream() {
    assertThat(codec("vqcodec").codingKey())
        .isEqualTo(
            "RATE_DISTORTION, slices of at least 1024 cells, TWO_STAGE,"
                + " full/half/quarter size by rate control, pixel residual on half or three"
                + " quarters of the cells fine");
    assertThat(codec("vqcodec-fullsize").codingKey())
        .isEqualTo(
            "RATE_DISTORTION, slices of at least 1024 cells, TWO_STAGE, pixel residual on half or"
                + " three quarters of the cells fine");
    assertThat(codec("vqcodec-entropy").codingKey())
        .isEqualTo(
            "ENTROPY, slices of at least 1024 cells, TWO_STAGE, pixel residual on half or three"
                + " quarters of the cells fine");
    assertThat(codec("vqcodec-uniform").codingKey())
        .isEqualTo(
            "UNIFORM, slices of at least 1024 cells, TWO_STAGE, pixel residual on half or three"
                + " quarters of the cells fine");
  }

  @Test
  void theReleasedModelsConfigurationsMatchTheCommittedCaches() throws IOException {
    ModelPackage model = ModelRegistry.builtIn().defaultTokenizer();
    String shipped = codec("vqcodec").configuration(model);
    assertThat(shipped)
        .isEqualTo(
            "vqcodec model 6 (tok-v2, weights sha256 784bcf74f16c40d8) --bpp rate model, "
                + "RATE_DISTORTION, slices of at least 1024 cells, TWO_STAGE, full/half/quarter"
                + " size by rate control, pixel residual on half or three quarters of the cells"
                + " fine (two-stage sha256 20cfdc1c1d0e04cf); DJL PyTorch CPU");
    assertThat(cached("kodak").get("vqcodec")).contains(shipped);
  }
}
