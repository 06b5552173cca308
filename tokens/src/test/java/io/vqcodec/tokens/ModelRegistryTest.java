package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.ModelId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The released packages against the registry table of Spec §4.4, and the registry's checks. */
class ModelRegistryTest {
  static final Path ROOT = Path.of(System.getProperty("vqcodec.root", ".."));

  /** One row of the Spec §4.4 table. */
  record Row(
      long id,
      String weightsSha256,
      String priorSha256,
      String twoStageSha256,
      String levels,
      String status) {}

  static List<Row> specTable() throws IOException {
    String spec =
        Files.readString(
            ROOT.resolve("bitstream-spec/04-model-identification.md"), StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile("(?m)^\\| (\\d+) \\| (.*?) \\| `([0-9a-f]{64})` \\| ([0-9, ]+) \\| (\\w+)")
            .matcher(spec);
    List<Row> rows = new ArrayList<>();
    while (m.find()) {
      Matcher prior = Pattern.compile("`prior\\.sha256` `([0-9a-f]{64})`").matcher(m.group(2));
      Matcher twoStage =
          Pattern.compile("`twostage\\.sha256` `([0-9a-f]{64})`").matcher(m.group(2));
      rows.add(
          new Row(
              Long.parseLong(m.group(1)),
              m.group(3),
              prior.find() ? prior.group(1) : null,
              twoStage.find() ? twoStage.group(1) : null,
              m.group(4).replace(" ", ""),
              m.group(5)));
    }
    return rows;
  }

  @Test
  void everyReleasedRowOfSpec44IsOnTheClassPathExactly() throws IOException {
    List<Row> rows = specTable();
    assertThat(rows).extracting(Row::id).contains(1L, 2L, 3L);
    ModelRegistry registry = ModelRegistry.builtIn();
    HexFormat hex = HexFormat.of();
    for (Row r : rows) {
      ModelId id = new ModelId(r.id(), hex.parseHex(r.weightsSha256()));
      if (!r.status().equals("released")) {
        assertThat(registry.find(id)).as("withdrawn model %d", r.id()).isEmpty();
        continue;
      }
      ModelPackage p = registry.find(id).orElseThrow(() -> new AssertionError("model " + r.id()));
      assertThat(hex.formatHex(p.weightsSha256())).isEqualTo(r.weightsSha256());
      assertThat(p.property("codebook.sizes").replace(" ", "")).isEqualTo(r.levels());
      if (r.priorSha256() != null) {
        // Spec §8.3.2.1: the prior belongs to exactly this id.
        assertThat(p.id()).isEqualTo(r.id());
        assertThat(p.property("prior.sha256")).isEqualTo(r.priorSha256());
        assertThat(hex.formatHex(p.prior().sha256())).isEqualTo(r.priorSha256());
      } else {
        assertThat(p.id() == r.id() && p.hasPrior()).as("model %d has no prior", r.id()).isFalse();
      }
      if (r.twoStageSha256() != null && p.temporalTwoStageId() == r.id()) {
        // Spec §8.3.3.1, §8.3.3.2 version 2: the parameters with a temporal expert of this id.
        assertThat(p.property("twostage.temporal.sha256")).isEqualTo(r.twoStageSha256());
        assertThat(hex.formatHex(p.temporalTwoStagePrior().sha256())).isEqualTo(r.twoStageSha256());
      } else if (r.twoStageSha256() != null) {
        // Spec §8.3.3.1: the two-stage parameters belong to exactly this id.
        assertThat(p.twoStageId()).isEqualTo(r.id());
        assertThat(p.property("twostage.sha256")).isEqualTo(r.twoStageSha256());
        assertThat(hex.formatHex(p.twoStagePrior().sha256())).isEqualTo(r.twoStageSha256());
      } else {
        assertThat(p.twoStageId())
            .as("model %d has no two-stage model", r.id())
            .isNotEqualTo(r.id());
        assertThat(p.temporalTwoStageId()).isNotEqualTo(r.id());
      }
      // The weights file is the one the table names (not only its first 16 bytes).
      assertThat(hex.formatHex(ModelPackage.sha256(p.weights()))).isEqualTo(r.weightsSha256());
    }
  }

  @Test
  void everyStreamIdOfAPackageHasAReleasedRow() throws IOException {
    List<Row> rows = specTable();
    for (ModelPackage p : ModelRegistry.builtIn().packages()) {
      for (long id : p.decodableIds()) {
        assertThat(rows)
            .as("%s id %d in Spec §4.4", p, id)
            .anyMatch(
                r ->
                    r.id() == id
                        && r.status().equals("released")
                        && r.weightsSha256().equals(HexFormat.of().formatHex(p.weightsSha256())));
      }
    }
    assertThat(ModelRegistry.builtIn().defaultTokenizer().id()).isPositive();
    assertThat(ModelRegistry.builtIn().defaultPredictor()).isPresent();
  }

  /**
   * Spec §4.4 id 7: tok-v2's two-stage parameters with a temporal expert; without the expert they
   * are id 6's byte for byte, so pictures and key frames code the same under both.
   */
  @Test
  void theTemporalParametersExtendTheirPackagesTwoStageParameters() throws IOException {
    ModelPackage tok = ModelRegistry.builtIn().byName("tok-v2").orElseThrow();
    assertThat(tok.temporalTwoStageId()).isEqualTo(7);
    assertThat(tok.decodableIds()).contains(5L, 6L, 7L);
    TwoStagePrior v1 =
        (TwoStagePrior) tok.tokenModel(io.vqcodec.container.ProbabilityModel.TWO_STAGE, 6, 4096);
    TwoStagePrior v2 =
        (TwoStagePrior) tok.tokenModel(io.vqcodec.container.ProbabilityModel.TWO_STAGE, 7, 4096);
    assertThat(v1.level(4096).hasTemporal()).isFalse();
    assertThat(v2.level(4096).hasTemporal()).isTrue();
    int[] ks = v2.codebookSizes();
    TwoStagePrior.Level[] stripped = new TwoStagePrior.Level[ks.length];
    for (int i = 0; i < ks.length; i++)
      stripped[i] = v2.level(ks[i]).withTemporal(null, null, null);
    assertThat(ModelPackage.sha256(TwoStagePrior.serialize(stripped))).isEqualTo(v1.sha256());
    ModelPackage without = tok.withoutTemporalExpert();
    assertThat(without.temporalTwoStageId()).isZero();
    assertThat(without.decodableIds()).containsExactlyInAnyOrder(5L, 6L);
    assertThat(without.weightsSha256()).isEqualTo(tok.weightsSha256());
  }

  /**
   * The video default (tok-v2f) is a faster decoder for the picture default's tokens: it codes with
   * exactly tok-v2's codebooks and token models, under ids of its own (Spec §4.4 ids 8 to 10).
   */
  @Test
  void theVideoDefaultDecodesThePictureDefaultsTokens() throws IOException {
    ModelRegistry registry = ModelRegistry.builtIn();
    ModelPackage video = registry.defaultVideoTokenizer(), picture = registry.defaultTokenizer();
    assertThat(video).isNotSameAs(picture);
    assertThat(video.weightsSha256()).isNotEqualTo(picture.weightsSha256());
    assertThat(video.decodableIds()).containsExactlyInAnyOrder(8L, 9L, 10L);
    assertThat(video.property("codebook.sizes")).isEqualTo(picture.property("codebook.sizes"));
    for (String key : List.of("prior.sha256", "twostage.sha256", "twostage.temporal.sha256")) {
      assertThat(video.property(key)).as(key).isEqualTo(picture.property(key));
    }
    assertThat(video.temporalTwoStageId()).isEqualTo(10);
  }

  @Test
  void aTemporalIdMustBeItsOwn(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("model.properties"),
        "model.name=x\nmodel.id=5\nweights.sha256="
            + "00".repeat(32)
            + "\ntwostage.id=6\ntwostage.file=a\ntwostage.sha256=00\n"
            + "twostage.temporal.id=6\ntwostage.temporal.file=b\ntwostage.temporal.sha256=00\n");
    assertThatThrownBy(() -> ModelRegistry.loadFolder(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("twostage.temporal.id repeats");
    Files.writeString(
        dir.resolve("model.properties"),
        "model.name=x\nweights.sha256=" + "00".repeat(32) + "\ntwostage.temporal.id=7\n");
    assertThatThrownBy(() -> ModelRegistry.loadFolder(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("without twostage.temporal.file");
  }

  @Test
  void sameIdWithOtherWeightsAndUnknownIdsAreNotFound() throws IOException {
    ModelRegistry registry = ModelRegistry.builtIn();
    ModelPackage tok = registry.defaultTokenizer();
    byte[] other = tok.weightsSha256();
    other[0] ^= 1;
    assertThat(registry.find(new ModelId(tok.id(), other))).isEmpty();
    assertThat(registry.find(new ModelId(999, tok.weightsSha256()))).isEmpty();
  }

  @Test
  void damagedWeightsOrPriorAreClearErrors(@TempDir Path dir) throws IOException {
    ModelPackage tok = ModelRegistry.builtIn().defaultTokenizer();
    Properties p = new Properties();
    p.setProperty("model.name", "damaged");
    p.setProperty("model.id", "3");
    p.setProperty("weights.file", "w.bin");
    p.setProperty("weights.sha256", HexFormat.of().formatHex(tok.weightsSha256()));
    p.setProperty("prior.file", "p.bin");
    p.setProperty("prior.sha256", tok.property("prior.sha256"));
    try (var out = Files.newOutputStream(dir.resolve("model.properties"))) {
      p.store(out, null);
    }
    Files.write(dir.resolve("w.bin"), new byte[] {1, 2, 3});
    Files.write(dir.resolve("p.bin"), new byte[] {4, 5, 6});
    ModelPackage bad = ModelRegistry.loadFolder(dir);
    assertThatThrownBy(bad::weights)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("weights SHA-256 mismatch");
    assertThatThrownBy(bad::prior)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("prior SHA-256 mismatch");
    Files.delete(dir.resolve("p.bin"));
    assertThatThrownBy(bad::prior).isInstanceOf(IOException.class);
  }

  @Test
  void malformedPropertiesAreRefusedWhenTheFolderIsRead(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("model.properties"), "model.name=x\nweights.sha256=abc\n");
    assertThatThrownBy(() -> ModelRegistry.loadFolder(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("weights.sha256");
    Files.writeString(dir.resolve("model.properties"), "weights.sha256=" + "00".repeat(32) + "\n");
    assertThatThrownBy(() -> ModelRegistry.loadFolder(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("lacks model.name");
  }
}
