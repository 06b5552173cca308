package io.vqcodec.neural;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.tokens.ModelPackage;
import io.vqcodec.tokens.ModelRegistry;
import io.vqcodec.tokens.SliceCoder;
import io.vqcodec.tokens.TokenGrid;
import io.vqcodec.tokens.TokenModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The token layer's slice coding (both probability models) on the tokens of a real picture. */
class RealTokensCodingTest {
  static TokenGrid roundTrip(TokenModel prior, TokenGrid g, int rowsPerSlice, GranularityMode mode)
      throws Exception {
    TokenGrid out = new TokenGrid(g.width(), g.height(), g.codebookSize());
    for (int r = 0; r < g.cellsHigh(); r += rowsPerSlice) {
      int n = Math.min(rowsPerSlice, g.cellsHigh() - r);
      SliceCoder.decode(prior, SliceCoder.encode(prior, g, r, n, mode), out, r, n, mode);
    }
    return out;
  }

  static GranularityMode modeOf(TokenGrid g) {
    int f = g.fineCellCount();
    return f == 0
        ? GranularityMode.ALL_COARSE
        : f == g.cellsWide() * g.cellsHigh() ? GranularityMode.ALL_FINE : GranularityMode.MIXED;
  }

  @Test
  void realImageTokensRoundTripInEveryMode() throws Exception {
    Path val = Paths.get(System.getProperty("vqcodec.root", ".."), "..", "shared", "data", "val");
    assumeTrue(Files.isDirectory(val), "no " + val);
    Path img;
    try (Stream<Path> s = Files.walk(val)) {
      img = s.filter(p -> p.toString().matches("(?i).*\\.png$")).sorted().findFirst().orElse(null);
    }
    assumeTrue(img != null);
    BufferedImage b = ImageIO.read(img.toFile());
    ModelPackage pkg = ModelRegistry.builtIn().byName("tok-v1").orElseThrow();
    try (Tokenizer tok = Tokenizer.loadDefault()) {
      for (int k : new int[] {4096, 64}) {
        TokenGrid[] both = tok.encodeBoth(b, k);
        boolean[] cells = new boolean[both[0].cellsWide() * both[0].cellsHigh()];
        Random r = new Random(7);
        for (int i = 0; i < cells.length; i++) cells[i] = r.nextBoolean();
        TokenGrid mixed = tok.encode(b, k, cells);
        for (TokenGrid g : List.of(both[0], both[1], mixed)) {
          GranularityMode mode = modeOf(g);
          // Spec §8.1: every probability model, the released parameters
          for (TokenModel p : new TokenModel[] {pkg.prior(), pkg.twoStagePrior(), null}) {
            assertThat(roundTrip(p, g, 1000, mode)).isEqualTo(g);
            assertThat(roundTrip(p, g, 4, mode)).isEqualTo(g);
          }
        }
      }
    }
  }
}
