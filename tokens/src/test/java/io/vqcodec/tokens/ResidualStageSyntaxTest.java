package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.entropy.EntropyDecodingException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §6.8: stage flags and stage tokens under every probability model. */
class ResidualStageSyntaxTest {
  /** A grid with {@code stages} stages whose fine cells carry 1 .. stages of them at random. */
  static TokenGrid staged(int w, int h, double fineRatio, int stages, long seed) {
    TokenGrid base = TestGrids.make(w, h, 4096, fineRatio, seed);
    TokenGrid g = new TokenGrid(w, h, 4096, stages, 4096);
    Random r = new Random(seed);
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        g.copyCell(base, cx, cy);
        // Clustered stage counts, as an encoder's ranking makes them, with some noise.
        int n = ((cx / 3 + cy / 2) % stages) + 1;
        g.setCellStages(cx, cy, r.nextInt(5) == 0 ? 1 + r.nextInt(stages) : n);
        for (int s = 2; s <= stages; s++) {
          for (int q = 0; q < 4; q++)
            g.setStageToken(s, 2 * cx + (q & 1), 2 * cy + (q >> 1), r.nextInt(4096));
        }
      }
    }
    return g;
  }

  static TokenGrid roundTrip(TokenModel model, TokenGrid g, int rows, GranularityMode mode)
      throws EntropyDecodingException {
    TokenGrid out =
        new TokenGrid(g.width(), g.height(), 4096, g.stageCount(), g.stageCodebookSize());
    for (int first = 0; first < g.cellsHigh(); first += rows) {
      int n = Math.min(rows, g.cellsHigh() - first);
      SliceCoder.decode(model, SliceCoder.encode(model, g, first, n, mode), out, first, n, mode);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"order-0", "context-prior", "two-stage"})
  void stagedGridsRoundTripUnderEveryModelModeAndSlicing(String name) throws Exception {
    TokenModel model = TestGrids.model(name);
    long seed = 1;
    for (int stages = 2; stages <= TokenGrid.MAX_STAGES; stages++) {
      for (double ratio : new double[] {1, 0.6}) {
        for (int[] wh : new int[][] {{1, 1}, {40, 20}, {97, 61}}) {
          TokenGrid g = staged(wh[0], wh[1], ratio, stages, seed++);
          GranularityMode mode =
              g.fineCellCount() == g.cellsWide() * g.cellsHigh()
                  ? GranularityMode.ALL_FINE
                  : GranularityMode.MIXED;
          for (int rows : new int[] {1, 3, 1000}) {
            TokenGrid back = roundTrip(model, g, rows, mode);
            assertThat(back).as("%s %d stages %s rows %d", name, stages, mode, rows).isEqualTo(g);
            assertThat(back.stageTokenCount()).isEqualTo(g.stageTokenCount());
          }
        }
      }
    }
  }

  /** Spec §6.8.3: each stage token costs exactly log2(K) raw bits, whatever the model. */
  @ParameterizedTest
  @ValueSource(strings = {"order-0", "two-stage"})
  void stageTokensAreRawBits(String name) {
    TokenModel model = TestGrids.model(name);
    TokenGrid g = staged(160, 160, 1, 2, 7);
    TokenGrid one = g.withStageCount(1), two = g.copy();
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) two.setCellStages(cx, cy, 2);
    }
    int bytes1 = SliceCoder.encode(model, one, 0, 10, GranularityMode.ALL_FINE).length;
    int bytes2 = SliceCoder.encode(model, two, 0, 10, GranularityMode.ALL_FINE).length;
    // 100 cells x 4 tokens x 12 bits = 600 bytes, plus 100 flags that all say "stage 2" (a few
    // bytes once the flag models adapt)
    assertThat(bytes2 - bytes1).isBetween(600, 620);
  }

  @ParameterizedTest
  @ValueSource(strings = {"order-0", "two-stage"})
  void truncatedStagedPayloadsAreEntropyErrors(String name) throws Exception {
    TokenModel model = TestGrids.model(name);
    TokenGrid g = staged(64, 48, 0.7, 3, 11);
    byte[] p = SliceCoder.encode(model, g, 0, 3, GranularityMode.MIXED);
    for (int n = 0; n < p.length; n++) {
      byte[] cut = Arrays.copyOf(p, n);
      assertThatThrownBy(
              () ->
                  SliceCoder.decode(
                      model,
                      cut,
                      new TokenGrid(64, 48, 4096, 3, 4096),
                      0,
                      3,
                      GranularityMode.MIXED))
          .as("truncated to %d", n)
          .isInstanceOf(EntropyDecodingException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"order-0", "two-stage"})
  void aGridWithoutStagesCodesAsBefore(String name) {
    TokenModel model = TestGrids.model(name);
    TokenGrid plain = TestGrids.make(97, 61, 4096, 0.5, 5);
    TokenGrid staged = new TokenGrid(97, 61, 4096, 3, 4096);
    for (int cy = 0; cy < plain.cellsHigh(); cy++) {
      for (int cx = 0; cx < plain.cellsWide(); cx++) staged.copyCell(plain, cx, cy);
    }
    assertThat(SliceCoder.encode(model, staged.withStageCount(1), 0, 4, GranularityMode.MIXED))
        .isEqualTo(SliceCoder.encode(model, plain, 0, 4, GranularityMode.MIXED));
  }
}
