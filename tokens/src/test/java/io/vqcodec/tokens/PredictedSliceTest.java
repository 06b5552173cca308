package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.Slice;
import io.vqcodec.entropy.EntropyDecodingException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §10.4 and §10.5: slices of predicted frames, under both probability models. */
class PredictedSliceTest {
  /**
   * The next frame of {@code ref}: per cell, unchanged (skipped), unchanged but coded, a few tokens
   * changed, or re-coded at the other granularity.
   */
  static TokenGrid nextFrame(TokenGrid ref, boolean[] skip, long seed) {
    Random r = new Random(seed);
    TokenGrid g = ref.copy();
    TokenGrid other = TestGrids.make(ref.width(), ref.height(), ref.codebookSize(), 0.5, seed + 1);
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        int i = cy * g.cellsWide() + cx;
        double u = r.nextDouble();
        if (u < 0.5) {
          skip[i] = true;
        } else if (u < 0.6) {
          // coded, every token the same: all same flags 1
        } else if (u < 0.85) {
          if (g.isFine(cx, cy)) {
            g.setFineToken(2 * cx + 1, 2 * cy, r.nextInt(g.codebookSize()));
          } else {
            g.setCoarseToken(cx, cy, r.nextInt(g.codebookSize()));
          }
        } else {
          g.copyCell(other, cx, cy);
        }
      }
    }
    return g;
  }

  static TokenGrid roundTrip(
      String contextPrior,
      TokenGrid g,
      TokenGrid ref,
      boolean[] skip,
      int sliceRows,
      boolean[] decodedSkip)
      throws EntropyDecodingException {
    List<byte[]> payloads =
        SliceCoder.encodeSlices(
            TestGrids.model(contextPrior), g, ref, skip, sliceRows, GranularityMode.MIXED);
    TokenGrid out = new TokenGrid(g.width(), g.height(), g.codebookSize());
    for (Slice slice : SliceCoder.slices(payloads, g.cellsHigh(), sliceRows)) {
      SliceCoder.decodePredicted(
          TestGrids.model(contextPrior),
          slice.payload(),
          out,
          ref,
          decodedSkip,
          slice.firstRow(),
          slice.rowCount(),
          GranularityMode.MIXED);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void predictedFramesRoundTrip(String contextPrior) throws EntropyDecodingException {
    TokenGrid ref = TestGrids.make(200, 120, 4096, 0.4, 7);
    boolean[] skip = new boolean[ref.cellsWide() * ref.cellsHigh()];
    TokenGrid g = nextFrame(ref, skip, 8);
    for (int sliceRows : new int[] {1, 3, 8}) {
      boolean[] decodedSkip = new boolean[skip.length];
      assertThat(roundTrip(contextPrior, g, ref, skip, sliceRows, decodedSkip)).isEqualTo(g);
      assertThat(decodedSkip).isEqualTo(skip);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void copyingCostsLessThanCoding(String contextPrior) {
    TokenGrid ref = TestGrids.make(256, 256, 4096, 0.4, 3);
    boolean[] skip = new boolean[ref.cellsWide() * ref.cellsHigh()];
    TokenGrid g = nextFrame(ref, skip, 4);
    int key =
        total(SliceCoder.encodeSlices(TestGrids.model(contextPrior), g, 4, GranularityMode.MIXED));
    int predicted =
        total(
            SliceCoder.encodeSlices(
                TestGrids.model(contextPrior), g, ref, skip, 4, GranularityMode.MIXED));
    boolean[] none = new boolean[skip.length];
    int sameFlagsOnly =
        total(
            SliceCoder.encodeSlices(
                TestGrids.model(contextPrior), g, ref, none, 4, GranularityMode.MIXED));
    // Half the cells skipped, a tenth coded but equal: well under half a key frame.
    assertThat(predicted).isLessThan(key / 2);
    // Skip flags beat same flags for unchanged cells.
    assertThat(predicted).isLessThan(sameFlagsOnly);
    // A static frame costs about a bit per slice of cells.
    boolean[] all = new boolean[skip.length];
    Arrays.fill(all, true);
    int still =
        total(
            SliceCoder.encodeSlices(
                TestGrids.model(contextPrior), ref, ref, all, 16, GranularityMode.MIXED));
    assertThat(still).isLessThan(16);
  }

  /** Spec §10.5: copies of lost reference tokens are lost; lost tokens are no context (§10.4). */
  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void lostReferenceTokensStayLost(String contextPrior) throws EntropyDecodingException {
    TokenGrid clean = TestGrids.make(160, 96, 4096, 0.5, 11);
    boolean[] skip = new boolean[clean.cellsWide() * clean.cellsHigh()];
    TokenGrid g = nextFrame(clean, skip, 12);
    // The decoder's reference lost its second cell row (a lost slice, Spec §5.5: fine, all lost).
    TokenGrid lossy = clean.copy();
    for (int cx = 0; cx < clean.cellsWide(); cx++) {
      lossy.setFine(cx, 1, true);
      for (int q = 0; q < 4; q++)
        lossy.setFineToken(2 * cx + (q & 1), 2 + (q >> 1), TokenGrid.LOST);
    }
    List<byte[]> payloads =
        SliceCoder.encodeSlices(
            TestGrids.model(contextPrior), g, clean, skip, 2, GranularityMode.MIXED);
    TokenGrid out = new TokenGrid(g.width(), g.height(), g.codebookSize());
    boolean[] decodedSkip = new boolean[skip.length];
    for (int i = 0; i < payloads.size(); i++) {
      try {
        SliceCoder.decodePredicted(
            TestGrids.model(contextPrior),
            payloads.get(i),
            out,
            lossy,
            decodedSkip,
            2 * i,
            Math.min(2, g.cellsHigh() - 2 * i),
            GranularityMode.MIXED);
      } catch (EntropyDecodingException e) {
        // A slice whose symbols depended on the lost reference may desynchronise: allowed.
        assertThat(i).isZero();
      }
    }
    // Rows 2 and on never saw the lost row: decoded exactly.
    for (int cy = 2; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) assertThat(out.sameCell(g, cx, cy)).isTrue();
    }
    // Row 1's skipped cells are lost.
    for (int cx = 0; cx < g.cellsWide(); cx++) {
      if (decodedSkip[g.cellsWide() + cx]) {
        assertThat(out.fineToken(2 * cx, 2)).isEqualTo(TokenGrid.LOST);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void truncatedPayloadsFailAsEntropyErrors(String contextPrior) {
    TokenGrid ref = TestGrids.make(128, 64, 4096, 0.4, 5);
    boolean[] skip = new boolean[ref.cellsWide() * ref.cellsHigh()];
    TokenGrid g = nextFrame(ref, skip, 6);
    byte[] p =
        SliceCoder.encodePredicted(
            TestGrids.model(contextPrior), g, ref, skip, 0, g.cellsHigh(), GranularityMode.MIXED);
    for (int cut : new int[] {0, 1, p.length / 2, p.length - 1}) {
      byte[] t = Arrays.copyOf(p, cut);
      TokenGrid out = new TokenGrid(g.width(), g.height(), g.codebookSize());
      assertThatThrownBy(
              () ->
                  SliceCoder.decodePredicted(
                      TestGrids.model(contextPrior),
                      t,
                      out,
                      ref,
                      new boolean[skip.length],
                      0,
                      g.cellsHigh(),
                      GranularityMode.MIXED))
          .isInstanceOf(EntropyDecodingException.class);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void aSkippedCellMustEqualItsReference(String contextPrior) {
    TokenGrid ref = TestGrids.make(64, 64, 4096, 0.4, 9);
    TokenGrid g = ref.copy();
    g.setCoarseToken(0, 0, (ref.coarseToken(0, 0) + 1) % 4096);
    g.setFine(0, 0, false);
    boolean[] skip = new boolean[16];
    skip[0] = true;
    assertThatThrownBy(
            () ->
                SliceCoder.encodePredicted(
                    TestGrids.model(contextPrior), g, ref, skip, 0, 4, GranularityMode.MIXED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("skipped");
  }

  private static int total(List<byte[]> payloads) {
    int n = 0;
    for (byte[] p : payloads) n += p.length;
    return n;
  }
}
