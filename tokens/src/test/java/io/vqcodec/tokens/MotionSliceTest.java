package io.vqcodec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vqcodec.container.ChannelFormat;
import io.vqcodec.container.ContainerHeader;
import io.vqcodec.container.FrameType;
import io.vqcodec.container.GranularityMode;
import io.vqcodec.container.ModelId;
import io.vqcodec.container.PictureHeader;
import io.vqcodec.container.ProbabilityModel;
import io.vqcodec.container.Slice;
import io.vqcodec.container.TokenGridParams;
import io.vqcodec.container.VideoWriter;
import io.vqcodec.entropy.AdaptiveBinaryModel;
import io.vqcodec.entropy.EntropyDecodingException;
import io.vqcodec.entropy.RansEncoder;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Spec §10.9: slices of motion frames, under both probability models and every granularity. */
class MotionSliceTest {
  /**
   * The next frame of {@code ref}, filling {@code field}: per cell skipped, moved by a random
   * vector (even components only in an all-coarse grid), coded unchanged, or coded with a changed
   * token.
   */
  static TokenGrid nextFrame(TokenGrid ref, MotionField field, GranularityMode mode, long seed) {
    Random r = new Random(seed);
    TokenGrid g = ref.copy();
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx < g.cellsWide(); cx++) {
        double u = r.nextDouble();
        if (u < 0.3) {
          field.setSkip(cx, cy);
          g.copyCell(ref, cx, cy);
        } else if (u < 0.7) {
          int vx, vy;
          do {
            vx = r.nextInt(2 * MotionField.MAX_MV + 1) - MotionField.MAX_MV;
            vy = r.nextInt(9) - 4;
            if (mode == GranularityMode.ALL_COARSE) {
              vx &= ~1;
              vy &= ~1;
            }
          } while (!MotionField.sourceInside(g.cellsWide(), g.cellsHigh(), cx, cy, vx, vy));
          field.setMotion(cx, cy, vx, vy);
          MotionField.copy(ref, g, cx, cy, vx, vy);
        } else if (u < 0.85) {
          if (g.isFine(cx, cy)) {
            g.setFineToken(2 * cx, 2 * cy + 1, r.nextInt(g.codebookSize()));
          } else {
            g.setCoarseToken(cx, cy, r.nextInt(g.codebookSize()));
          }
        }
      }
    }
    return g;
  }

  static TokenGrid decode(
      String contextPrior,
      List<byte[]> payloads,
      TokenGrid ref,
      MotionField out,
      int sliceRows,
      GranularityMode mode)
      throws EntropyDecodingException {
    TokenGrid g = new TokenGrid(ref.width(), ref.height(), ref.codebookSize());
    for (Slice slice : SliceCoder.slices(payloads, g.cellsHigh(), sliceRows)) {
      SliceCoder.decodeMotion(
          TestGrids.model(contextPrior),
          slice.payload(),
          g,
          ref,
          out,
          slice.firstRow(),
          slice.rowCount(),
          mode);
    }
    return g;
  }

  @ParameterizedTest
  @CsvSource({
    "order0, MIXED, 0.4",
    "context-prior, MIXED, 0.4",
    "two-stage, MIXED, 0.4",
    "order0, ALL_FINE, 1",
    "context-prior, ALL_FINE, 1",
    "two-stage, ALL_FINE, 1",
    "order0, ALL_COARSE, 0",
    "context-prior, ALL_COARSE, 0",
    "two-stage, ALL_COARSE, 0"
  })
  void motionFramesRoundTrip(String contextPrior, GranularityMode mode, double fine)
      throws EntropyDecodingException {
    TokenGrid ref = TestGrids.make(600, 200, 4096, fine, 21);
    MotionField field = new MotionField(ref.cellsWide(), ref.cellsHigh());
    TokenGrid g = nextFrame(ref, field, mode, 22);
    assertThat(field.motionCount()).isPositive();
    for (int sliceRows : new int[] {1, 4, 13}) {
      List<byte[]> p =
          SliceCoder.encodeSlices(TestGrids.model(contextPrior), g, ref, field, sliceRows, mode);
      MotionField decoded = new MotionField(ref.cellsWide(), ref.cellsHigh());
      assertThat(decode(contextPrior, p, ref, decoded, sliceRows, mode)).isEqualTo(g);
      for (int cy = 0; cy < g.cellsHigh(); cy++) {
        for (int cx = 0; cx < g.cellsWide(); cx++) {
          assertThat(decoded.isSkip(cx, cy)).isEqualTo(field.isSkip(cx, cy));
          assertThat(decoded.isMotion(cx, cy)).isEqualTo(field.isMotion(cx, cy));
          assertThat(decoded.mvX(cx, cy)).isEqualTo(field.mvX(cx, cy));
          assertThat(decoded.mvY(cx, cy)).isEqualTo(field.mvY(cx, cy));
        }
      }
    }
  }

  /** A pan by one cell: one vector for every cell costs a fraction of coding them. */
  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void aPanCostsLittle(String contextPrior) {
    TokenGrid ref = TestGrids.make(640, 256, 4096, 0.4, 31);
    TokenGrid g = TestGrids.make(640, 256, 4096, 0.4, 32); // the new column's content
    MotionField field = new MotionField(ref.cellsWide(), ref.cellsHigh());
    for (int cy = 0; cy < g.cellsHigh(); cy++) {
      for (int cx = 0; cx + 1 < g.cellsWide(); cx++) {
        field.setMotion(cx, cy, 2, 0);
        MotionField.copy(ref, g, cx, cy, 2, 0);
      }
    }
    GranularityMode m = GranularityMode.MIXED;
    int motion = total(SliceCoder.encodeSlices(TestGrids.model(contextPrior), g, ref, field, 4, m));
    boolean[] none = new boolean[g.cellsWide() * g.cellsHigh()];
    int predicted =
        total(SliceCoder.encodeSlices(TestGrids.model(contextPrior), g, ref, none, 4, m));
    assertThat(motion).isLessThan(predicted / 4);
    // The moved cells cost little beside the coded column: their vector equals its predictor.
    int column =
        total(SliceCoder.encodeSlices(TestGrids.model(contextPrior), g, ref, none, 4, m)) / 40;
    assertThat(motion).isLessThan(2 * column + g.cellsHigh() * g.cellsWide() / 8);
  }

  /** Spec §10.9.4 worked example: an odd vector straddles two reference cells. */
  @Test
  void anOddVectorMakesAFineCellOfTheCoveredTokens() {
    TokenGrid ref = new TokenGrid(64, 16, 4096);
    ref.setFine(2, 0, true);
    for (int q = 0; q < 4; q++) ref.setFineToken(4 + (q & 1), q >> 1, 100 + q);
    ref.setCoarseToken(3, 0, 7);
    TokenGrid g = new TokenGrid(64, 16, 4096);
    MotionField.copy(ref, g, 1, 0, 3, 0);
    assertThat(g.isFine(1, 0)).isTrue();
    assertThat(
            new int[] {g.fineToken(2, 0), g.fineToken(3, 0), g.fineToken(2, 1), g.fineToken(3, 1)})
        .containsExactly(101, 7, 103, 7);
    assertThat(MotionField.sourceInside(4, 1, 2, 0, 6, 0)).isFalse();
    MotionField.copy(ref, g, 0, 0, 4, 0); // even: the whole cell, granularity included
    assertThat(g.isFine(0, 0)).isTrue();
    assertThat(g.fineToken(1, 1)).isEqualTo(103);
  }

  /** Spec §10.9.3: a vector pointing outside the reference loses the slice. */
  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void aVectorOutsideTheReferenceIsAnError(String contextPrior) {
    TokenGrid ref = TestGrids.make(64, 48, 4096, 0.4, 41);
    MotionField field = new MotionField(4, 3);
    TokenGrid g = ref.copy();
    for (int cx = 0; cx < 4; cx++) {
      field.setMotion(cx, 1, 0, -2); // from the row above: inside for a slice at row 1
      MotionField.copy(ref, g, cx, 1, 0, -2);
    }
    byte[] p =
        SliceCoder.encodeMotion(
            TestGrids.model(contextPrior), g, ref, field, 1, 1, GranularityMode.MIXED);
    // The same payload as the slice of row 0 reads the same vectors, now pointing above row 0.
    assertThatThrownBy(
            () ->
                SliceCoder.decodeMotion(
                    TestGrids.model(contextPrior),
                    p,
                    new TokenGrid(64, 48, 4096),
                    ref,
                    new MotionField(4, 3),
                    0,
                    1,
                    GranularityMode.MIXED))
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("outside the reference")
        .hasMessageContaining("§10.9.3");
  }

  /** Spec §10.9.3: a component beyond MAX_MV, and an odd one in an all-coarse stream. */
  @Test
  void vectorsOutOfRangeAreErrors() {
    // One cell: skip 0, motion 1, mvd_x = +17 (nonzero, positive, 16 more-bins then a stop),
    // mvd_y = 0. The predictor is (0, 0), so mv_x = 17 > MAX_MV.
    byte[] p = vectorPayload(17);
    TokenGrid ref = TestGrids.make(16, 16, 4096, 0, 1);
    assertThatThrownBy(
            () ->
                SliceCoder.decodeMotion(
                    null,
                    p,
                    new TokenGrid(16, 16, 4096),
                    ref,
                    new MotionField(1, 1),
                    0,
                    1,
                    GranularityMode.MIXED))
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("beyond MAX_MV");
    // In an all-coarse stream an odd component is refused before anything is copied.
    assertThatThrownBy(
            () ->
                SliceCoder.decodeMotion(
                    null,
                    vectorPayload(1),
                    new TokenGrid(16, 16, 4096),
                    ref,
                    new MotionField(1, 1),
                    0,
                    1,
                    GranularityMode.ALL_COARSE))
        .isInstanceOf(EntropyDecodingException.class)
        .hasMessageContaining("all-coarse");
    // The encoder refuses what the decoder would.
    TokenGrid g = new TokenGrid(64, 16, 4096);
    MotionField f = new MotionField(4, 1);
    f.setMotion(0, 0, 1, 0);
    MotionField.copy(g, g, 0, 0, 1, 0);
    assertThatThrownBy(
            () -> SliceCoder.encodeMotion(null, g, g, f, 0, 1, GranularityMode.ALL_COARSE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.setMotion(1, 0, 17, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * Spec §10.9.3, §10.9.5 in a stream: a motion frame whose slice holds a vector beyond MAX_MV
   * loses that slice (reported, its tokens lost) and decoding goes on; the next frame copies lost
   * tokens.
   */
  @Test
  void aVideoWithABadVectorLosesTheSliceAndGoesOn() throws IOException {
    ModelPackage model = ModelRegistry.builtIn().byName("tok-v1").orElseThrow();
    ContainerHeader h =
        new ContainerHeader(
            PictureHeader.video(16, 16, ChannelFormat.RGB, 3, 25, 1),
            new ModelId(model.id(), model.weightsSha256()),
            new TokenGridParams(4096, GranularityMode.MIXED, ProbabilityModel.ADAPTIVE_ORDER0));
    TokenGrid key = TestGrids.make(16, 16, 4096, 0, 81);
    MotionField still = new MotionField(1, 1);
    still.setSkip(0, 0);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    VideoWriter w = new VideoWriter(out, h, true);
    w.writeFrame(
        FrameType.KEY,
        List.of(new Slice(0, 1, SliceCoder.encode(null, key, 0, 1, GranularityMode.MIXED))));
    w.writeFrame(FrameType.MOTION, List.of(new Slice(0, 1, vectorPayload(17))));
    w.writeFrame(
        FrameType.MOTION,
        List.of(
            new Slice(
                0,
                1,
                SliceCoder.encodeMotion(null, key, key, still, 0, 1, GranularityMode.MIXED))));
    w.finish();
    VideoTokenDecoder d =
        VideoTokenDecoder.open(
            new java.io.ByteArrayInputStream(out.toByteArray()), ModelRegistry.builtIn(), 1 << 20);
    assertThat(d.next().lostTokens()).isZero();
    VideoTokenDecoder.Frame bad = d.next();
    assertThat(bad.type()).isEqualTo(FrameType.MOTION);
    assertThat(bad.slices().get(0).outcome()).isEqualTo(SliceReport.Outcome.UNDECODABLE);
    assertThat(bad.slices().get(0).detail()).contains("beyond MAX_MV");
    assertThat(bad.lostTokens()).isPositive();
    assertThat(bad.motionCells()).isZero();
    VideoTokenDecoder.Frame next = d.next();
    assertThat(next.skippedCells()).isEqualTo(1);
    assertThat(next.lostTokens()).isPositive(); // a copy of a lost token (Spec §10.5)
    assertThat(d.next()).isNull();
  }

  /** The symbols of one cell of a motion slice with vector difference ({@code mvdX}, 0). */
  private static byte[] vectorPayload(int mvdX) {
    RansEncoder enc = new RansEncoder();
    enc.encode(new AdaptiveBinaryModel(), 0); // is_skip
    enc.encode(new AdaptiveBinaryModel(), 1); // motion flag
    enc.encode(new AdaptiveBinaryModel(), 1); // mvd_nonzero x
    enc.encode(new AdaptiveBinaryModel(), 0); // sign: positive
    AdaptiveBinaryModel[] more = new AdaptiveBinaryModel[4];
    for (int i = 0; i < 4; i++) more[i] = new AdaptiveBinaryModel();
    for (int mag = 1; mag < mvdX; mag++) enc.encode(more[Math.min(mag - 1, 3)], 1);
    if (mvdX < 2 * MotionField.MAX_MV) enc.encode(more[Math.min(mvdX - 1, 3)], 0);
    enc.encode(new AdaptiveBinaryModel(), 0); // mvd_nonzero y
    return enc.finish();
  }

  @ParameterizedTest
  @ValueSource(strings = {"order0", "context-prior", "two-stage"})
  void truncatedMotionPayloadsFailAsEntropyErrors(String contextPrior) {
    TokenGrid ref = TestGrids.make(320, 64, 4096, 0.4, 51);
    MotionField field = new MotionField(ref.cellsWide(), ref.cellsHigh());
    TokenGrid g = nextFrame(ref, field, GranularityMode.MIXED, 52);
    byte[] p =
        SliceCoder.encodeMotion(
            TestGrids.model(contextPrior), g, ref, field, 0, g.cellsHigh(), GranularityMode.MIXED);
    for (int cut : new int[] {0, 1, p.length / 2, p.length - 1}) {
      byte[] t = Arrays.copyOf(p, cut);
      assertThatThrownBy(
              () ->
                  SliceCoder.decodeMotion(
                      TestGrids.model(contextPrior),
                      t,
                      new TokenGrid(g.width(), g.height(), g.codebookSize()),
                      ref,
                      new MotionField(ref.cellsWide(), ref.cellsHigh()),
                      0,
                      g.cellsHigh(),
                      GranularityMode.MIXED))
          .isInstanceOf(EntropyDecodingException.class);
    }
  }

  /** Random bytes as motion slices: errors or grids, never anything else, never a hang. */
  @Test
  void randomPayloadsFailCleanly() {
    TokenGrid ref = TestGrids.make(96, 48, 4096, 0.4, 61);
    Random r = new Random(62);
    for (int i = 0; i < 600; i++) {
      byte[] p = new byte[1 + r.nextInt(40)];
      r.nextBytes(p);
      try {
        SliceCoder.decodeMotion(
            TestGrids.model(List.of("order0", "context-prior", "two-stage").get(i % 3)),
            p,
            new TokenGrid(96, 48, 4096),
            ref,
            new MotionField(6, 3),
            0,
            3,
            GranularityMode.MIXED);
      } catch (EntropyDecodingException e) {
        // the slice is lost
      }
    }
  }

  /** Copies of lost reference tokens are lost (Spec §10.9.4). */
  @Test
  void motionCopiesOfLostTokensAreLost() {
    TokenGrid ref = TestGrids.make(64, 32, 4096, 0, 71);
    ref.setCoarseToken(2, 0, TokenGrid.LOST);
    TokenGrid g = new TokenGrid(64, 32, 4096);
    MotionField.copy(ref, g, 1, 0, 2, 0);
    assertThat(g.coarseToken(1, 0)).isEqualTo(TokenGrid.LOST);
    MotionField.copy(ref, g, 0, 1, 3, -2);
    assertThat(g.fineToken(1, 2)).isEqualTo(TokenGrid.LOST); // ref_token(4, 0): cell (2, 0)
  }

  private static int total(List<byte[]> payloads) {
    int n = 0;
    for (byte[] p : payloads) n += p.length;
    return n;
  }
}
