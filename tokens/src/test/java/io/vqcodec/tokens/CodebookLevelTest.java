package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.ContainerWriter;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec §6.2, §8.3.2.1, §C.4: a codebook level that the stream's model or its prior does not provide
 * is refused as an unknown model. Every released model provides all five levels, so the rule needs
 * a package of its own: model 3's weights hash with levels 4096 and 1024, and a prior of level 4096
 * only.
 */
class CodebookLevelTest {
  @Test
  void levelsTheModelOrItsPriorLacksAreUnknownModels(@TempDir Path dir) throws IOException {
    ModelPackage tok = ModelRegistry.builtIn().byName("tok-v1").orElseThrow();
    byte[] prior = ContextPrior.serialize(new ContextPrior.Level[] {tok.prior().level(4096)});
    Properties p = new Properties();
    p.setProperty("model.name", "two-levels");
    p.setProperty("model.id", Long.toString(tok.id()));
    p.setProperty("codebook.sizes", "4096, 1024");
    p.setProperty("weights.file", "absent.vqt");
    p.setProperty("weights.sha256", HexFormat.of().formatHex(tok.weightsSha256()));
    p.setProperty("prior.file", "prior.bin");
    p.setProperty("prior.sha256", HexFormat.of().formatHex(ModelPackage.sha256(prior)));
    try (var out = Files.newOutputStream(dir.resolve("model.properties"))) {
      p.store(out, null);
    }
    Files.write(dir.resolve("prior.bin"), prior);
    ModelPackage two = ModelRegistry.loadFolder(dir);
    ModelCatalogue models =
        new ModelCatalogue() {
          @Override
          public Optional<ModelPackage> find(ModelId m) {
            return two.matches(m) ? Optional.of(two) : Optional.empty();
          }

          @Override
          public List<ModelPackage> packages() {
            return List.of(two);
          }
        };
    ModelId id = new ModelId(tok.id(), tok.weightsSha256());
    assertThat(decode(stream(4096, ProbabilityModel.GAUSSIAN_MIXTURE, id, tok), models).slices())
        .allMatch(s -> s.outcome() == SliceReport.Outcome.DECODED);
    assertThat(decode(stream(1024, ProbabilityModel.ADAPTIVE_ORDER0, id, tok), models).slices())
        .allMatch(s -> s.outcome() == SliceReport.Outcome.DECODED);
    assertThatThrownBy(() -> decode(stream(256, ProbabilityModel.ADAPTIVE_ORDER0, id, tok), models))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("K = 256");
    assertThatThrownBy(
            () -> decode(stream(1024, ProbabilityModel.GAUSSIAN_MIXTURE, id, tok), models))
        .isInstanceOf(UnknownModelException.class)
        .hasMessageContaining("no level");
  }

  private static DecodedTokens decode(byte[] b, ModelCatalogue models) throws IOException {
    return TokenDecoder.decode(new ByteArrayInputStream(b), models, LossSimulation.NONE, null);
  }

  private static byte[] stream(int k, ProbabilityModel pm, ModelId id, ModelPackage tok)
      throws IOException {
    TokenGrid g = TestGrids.make(48, 32, k, 0.3, 7);
    ContextPrior prior = pm == ProbabilityModel.GAUSSIAN_MIXTURE ? tok.prior() : null;
    byte[] payload = SliceCoder.encode(prior, g, 0, 2, GranularityMode.MIXED);
    return ContainerWriter.write(
        new ContainerHeader(
            PictureHeader.still(48, 32, ChannelFormat.RGB),
            id,
            new TokenGridParams(k, GranularityMode.MIXED, pm),
            List.of()),
        List.of(new Slice(0, 2, payload)));
  }
}
