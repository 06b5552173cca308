package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import io.vqcodec.container.GranularityMode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * Frozen streams decode to frozen index checksums (and re-encode to the same bytes). The streams
 * were written once by {@link #main} with the released prior-v1; a change of the prior or of Spec
 * §8.3.2 that alters decoding breaks this test, as it must.
 */
class GoldenStreamTest {
  /**
   * name, K, width, height, mode, SHA-256 of the decoded indices ({@link PriorDecodeCheck#digest}).
   */
  static final Object[][] GOLDEN = {
    {
      "golden-k1024-mixed.bin",
      1024,
      120,
      72,
      GranularityMode.MIXED,
      "2560b896c2f841e1a739cc95651fca6d672021efb2fe784a9090eb6ef7a04239"
    },
    {
      "golden-k16-fine.bin",
      16,
      50,
      40,
      GranularityMode.ALL_FINE,
      "904184ad0b82a174ec81098966af197b97eb0494968841ae4140a44558078dab"
    },
    {
      "golden-k4096-coarse.bin",
      4096,
      130,
      70,
      GranularityMode.ALL_COARSE,
      "3e8279d2ea2e6b9da3428ccbbd56570ad3545bcda35ccee5a4521db0ea89a5b2"
    },
  };

  static TokenGrid source(int i) {
    Object[] g = GOLDEN[i];
    double ratio = g[4] == GranularityMode.MIXED ? 0.5 : g[4] == GranularityMode.ALL_FINE ? 1 : 0;
    return TestGrids.make((int) g[2], (int) g[3], (int) g[1], ratio, 2026 + i);
  }

  @Test
  void frozenStreamsDecodeToFrozenChecksums() throws Exception {
    ContextPrior prior = ModelRegistry.builtIn().byName("tok-v1").orElseThrow().prior();
    for (int i = 0; i < GOLDEN.length; i++) {
      Object[] g = GOLDEN[i];
      byte[] payload;
      try (InputStream in = GoldenStreamTest.class.getResourceAsStream((String) g[0])) {
        payload = in.readAllBytes();
      }
      TokenGrid out = new TokenGrid((int) g[2], (int) g[3], (int) g[1]);
      SliceCoder.decode(prior, payload, out, 0, out.cellsHigh(), (GranularityMode) g[4]);
      assertThat(PriorDecodeCheck.digest(out, 0, out.cellsHigh()))
          .as((String) g[0])
          .isEqualTo(g[5]);
      assertThat(out).isEqualTo(source(i));
      assertThat(SliceCoder.encode(prior, out, 0, out.cellsHigh(), (GranularityMode) g[4]))
          .isEqualTo(payload);
    }
  }

  /** Writes the golden streams into DIR and prints their digests (run once per prior release). */
  public static void main(String[] args) throws Exception {
    ContextPrior prior = ModelRegistry.builtIn().byName("tok-v1").orElseThrow().prior();
    for (int i = 0; i < GOLDEN.length; i++) {
      TokenGrid g = source(i);
      byte[] p = SliceCoder.encode(prior, g, 0, g.cellsHigh(), (GranularityMode) GOLDEN[i][4]);
      Files.write(Paths.get(args[0], (String) GOLDEN[i][0]), p);
      System.out.println(
          GOLDEN[i][0] + " " + p.length + " bytes " + PriorDecodeCheck.digest(g, 0, g.cellsHigh()));
    }
  }
}
