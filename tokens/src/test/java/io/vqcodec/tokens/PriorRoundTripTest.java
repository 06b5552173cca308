package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.EntropyDecodingException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PriorRoundTripTest {
  static ContextPrior prior;

  @BeforeAll
  static void load() throws IOException {
    prior = ModelRegistry.builtIn().byName("tok-v1").orElseThrow().prior();
  }

  /**
   * Splits the grid into slices of {@code rowsPerSlice} rows, codes each, decodes into a fresh
   * grid.
   */
  static TokenGrid roundTrip(TokenGrid g, int rowsPerSlice, GranularityMode mode)
      throws EntropyDecodingException {
    TokenGrid out = new TokenGrid(g.width(), g.height(), g.codebookSize());
    for (int r = 0; r < g.cellsHigh(); r += rowsPerSlice) {
      int n = Math.min(rowsPerSlice, g.cellsHigh() - r);
      byte[] p = SliceCoder.encode(prior, g, r, n, mode);
      assertThat(p.length).isGreaterThan(0);
      SliceCoder.decode(prior, p, out, r, n, mode);
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
  void syntheticGridsRoundTripAtEveryLevelModeAndSlicing() throws Exception {
    int seed = 0;
    for (int k : prior.codebookSizes()) {
      for (double ratio : new double[] {0, 1, 0.5}) {
        for (int[] wh : new int[][] {{1, 1}, {40, 20}, {97, 61}, {200, 130}}) {
          TokenGrid g = TestGrids.make(wh[0], wh[1], k, ratio, seed++);
          GranularityMode mode = modeOf(g);
          for (int rows : new int[] {1, 2, 1000}) {
            assertThat(roundTrip(g, rows, mode))
                .as("K=%d %s %dx%d rows %d", k, mode, wh[0], wh[1], rows)
                .isEqualTo(g);
          }
          if (mode != GranularityMode.MIXED)
            assertThat(roundTrip(g, 3, GranularityMode.MIXED)).isEqualTo(g);
        }
      }
    }
  }

  @Test
  void truncatedAndCorruptPayloadsAreEntropyErrorsNeverHangs() throws Exception {
    TokenGrid g = TestGrids.make(64, 48, 256, 0.5, 99);
    byte[] p = SliceCoder.encode(prior, g, 0, g.cellsHigh(), GranularityMode.MIXED);
    for (int n = 0; n < p.length; n++) {
      byte[] cut = Arrays.copyOf(p, n);
      assertThatThrownBy(
              () ->
                  SliceCoder.decode(
                      prior, cut, new TokenGrid(64, 48, 256), 0, 3, GranularityMode.MIXED))
          .as("truncated to %d", n)
          .isInstanceOf(EntropyDecodingException.class);
    }
    int detected = 0, flips = 0;
    for (int i = 0; i < p.length * 8; i += 3) {
      byte[] bad = p.clone();
      bad[i >> 3] ^= (byte) (1 << (i & 7));
      flips++;
      TokenGrid out = new TokenGrid(64, 48, 256);
      try {
        SliceCoder.decode(prior, bad, out, 0, 3, GranularityMode.MIXED);
        assertThat(out).isNotEqualTo(g); // undetected flips must not claim the original
      } catch (EntropyDecodingException e) {
        detected++;
      }
    }
    assertThat(detected).isEqualTo(flips);
    Random r = new Random(3);
    for (int i = 0; i < 200; i++) {
      byte[] junk = new byte[r.nextInt(64)];
      r.nextBytes(junk);
      assertThatThrownBy(
              () ->
                  SliceCoder.decode(
                      prior, junk, new TokenGrid(64, 48, 256), 0, 3, GranularityMode.MIXED))
          .isInstanceOf(EntropyDecodingException.class);
    }
  }

  @Test
  void encoderRejectsLostTokensWrongModesAndUnknownLevels() {
    TokenGrid g = TestGrids.make(32, 32, 64, 1, 1);
    assertThatThrownBy(() -> SliceCoder.encode(prior, g, 0, 2, GranularityMode.ALL_COARSE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SliceCoder.encode(prior, g, 1, 2, GranularityMode.ALL_FINE))
        .isInstanceOf(IllegalArgumentException.class);
    g.setFineToken(0, 0, TokenGrid.LOST);
    assertThatThrownBy(() -> SliceCoder.encode(prior, g, 0, 2, GranularityMode.ALL_FINE))
        .isInstanceOf(IllegalArgumentException.class);
    TokenGrid odd = TestGrids.make(32, 32, 32, 1, 1);
    assertThatThrownBy(() -> SliceCoder.encode(prior, odd, 0, 2, GranularityMode.ALL_FINE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void slicesAreIndependent() throws Exception {
    TokenGrid g = TestGrids.make(80, 64, 1024, 0.5, 5);
    byte[] second = SliceCoder.encode(prior, g, 2, 2, GranularityMode.MIXED);
    TokenGrid other = TestGrids.make(80, 64, 1024, 0.5, 6); // different rows 0..1
    for (int cy = 2; cy < 4; cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        other.setFine(cx, cy, g.isFine(cx, cy));
        other.setCoarseToken(cx, cy, g.coarseToken(cx, cy));
        for (int q = 0; q < 4; q++)
          other.setFineToken(
              2 * cx + (q & 1),
              2 * cy + (q >> 1),
              g.fineToken(2 * cx + (q & 1), 2 * cy + (q >> 1)));
      }
    }
    assertThat(SliceCoder.encode(prior, other, 2, 2, GranularityMode.MIXED)).isEqualTo(second);
  }

  @Test
  void hostilePriorFilesAreIoErrors() throws Exception {
    byte[] good;
    try (var in =
        ContextPrior.class
            .getClassLoader()
            .getResourceAsStream("io/vqcodec/models/tok-v1/prior-v1.bin")) {
      good = in.readAllBytes();
    }
    for (int n : new int[] {0, 3, 8, 9, 20, good.length / 2, good.length - 1}) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> ContextPrior.load(new ByteArrayInputStream(cut)))
          .isInstanceOf(IOException.class);
    }
    byte[] huge = good.clone();
    huge[9] = 0x7F; // K of the first level
    assertThatThrownBy(() -> ContextPrior.load(new ByteArrayInputStream(huge)))
        .isInstanceOf(IOException.class);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    assertThatThrownBy(() -> ContextPrior.load(new ByteArrayInputStream(trailing)))
        .isInstanceOf(IOException.class);
  }
}
